// Generated docs cannot drift: the committed reason-code reference is what
// the generator makes from the code's own table, and the README block
// rewrite touches only what lies between its markers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { actionUsageBlock, currentRef, END, reasonCodesMarkdown, replaceUsageBlock, START } from '../../scripts/gen-docs.js';
import { REASON_CODES } from '../../src/model/codes.js';
import { LOG_FORMS } from '../../src/explain/error-log-classify.js';

test('docs/reason-codes.md is the generated file (run `npx tsx scripts/gen-docs.ts` after changing src/model/codes.ts)', () => {
  const committed = readFileSync(new URL('../../docs/reason-codes.md', import.meta.url), 'utf8');
  assert.equal(committed, reasonCodesMarkdown());
  for (const code of REASON_CODES) assert.ok(committed.includes(`| \`${code}\` |`), code);
  for (const f of LOG_FORMS) assert.ok(committed.includes(`| \`${f.kind}\` |`), f.kind);
});

const ACTION = `name: x
inputs:
  spec:
    description: Path of the spec file.
    default: upstream-gate.yml
  deadline:
    description: >-
      Bound for the whole gate, every retry included (e.g. 30s, 2m); overrides gate.deadline of the spec.
outputs:
  verdict:
    description: pass or fail.
runs: { using: node24, main: dist/action.js }
`;

test('the usage block lists every input with its description and default, and every output', () => {
  const block = actionUsageBlock(ACTION, 'me/gate@v3');
  assert.match(block, /^```yaml\n- uses: me\/gate@v3\n/);
  assert.match(block, /# Path of the spec file\.\n {4}# Default: upstream-gate\.yml\n {4}spec: upstream-gate\.yml\n/);
  assert.match(block, /# Bound for the whole gate, every retry included \(e\.g\. 30s, 2m\); overrides\n {4}# gate\.deadline of the spec\.\n {4}deadline: ''\n/);
  assert.match(block, /\| `verdict` \| pass or fail\. \|/);
});

test('the README rewrite replaces only what is between the markers, keeps the ref, and is idempotent', () => {
  const readme = `# Title\n\nbefore\n${START}\n- uses: me/gate@v7\nold stuff\n${END}\nafter\n`;
  const block = actionUsageBlock(ACTION, currentRef(readme));
  const once = replaceUsageBlock(readme, block);
  assert.ok(once);
  assert.ok(once.startsWith(`# Title\n\nbefore\n${START}\n\`\`\`yaml\n- uses: me/gate@v7\n`));
  assert.ok(once.endsWith(`\n${END}\nafter\n`));
  assert.ok(!once.includes('old stuff'));
  assert.equal(replaceUsageBlock(once, actionUsageBlock(ACTION, currentRef(once))), once);
});

test('without both markers in order, exactly once, the README is left alone', () => {
  const block = actionUsageBlock(ACTION);
  assert.equal(replaceUsageBlock('# no markers\n', block), undefined);
  assert.equal(replaceUsageBlock(`${START}\nonly a start\n`, block), undefined);
  assert.equal(replaceUsageBlock(`${END}\nreversed\n${START}\n`, block), undefined);
  assert.equal(replaceUsageBlock(`${START}\n${END}\n${START}\n${END}\n`, block), undefined);
  assert.equal(currentRef('# nothing'), undefined);
});
