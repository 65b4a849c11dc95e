// The example in docs/explain.md is real: its output is what explain prints
// for its input lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createExplainer } from '../../src/explain/explain.js';
import { explainText } from '../../src/report/explain-text.js';

test('docs/explain.md: the example output is what explain prints for the example lines', () => {
  const doc = readFileSync(new URL('../../docs/explain.md', import.meta.url), 'utf8');
  const input = /```text\n([\s\S]*?)```/.exec(doc)?.[1];
  const output = /```console\n\$ upstream-gate explain error\.log\n([\s\S]*?)```/.exec(doc)?.[1];
  assert.ok(input && output, 'the example blocks are in the doc');
  const ex = createExplainer();
  for (const line of input.split('\n').filter(Boolean)) ex.add(line);
  assert.equal(explainText(ex.result(), { files: ['error.log'] }, { color: false }), output);
});
