// The step summary and annotations: errors first, a fix block that pastes as
// it is, paths relative to the workspace, and config or backend text that
// cannot turn into markdown or HTML (break the table, open a code block that
// swallows the rest, hide content, add links or images).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorSummary, stepSummary } from '../../src/report/github.js';
import type { Report } from '../../src/model/finding.js';
import { loadReport } from './golden.js';

/** The summary's lines outside fenced code blocks, and the blocks' contents. */
function split(md: string): { prose: string[]; blocks: string[] } {
  const prose: string[] = [];
  const blocks: string[] = [];
  let fence: string | undefined;
  let block: string[] = [];
  for (const line of md.split('\n')) {
    if (fence === undefined) {
      const open = /^(`{3,}|~{3,})/.exec(line);
      if (open) {
        fence = open[1];
        block = [];
      } else prose.push(line);
    } else if (line.startsWith(fence as string) && line.trim() === line.trim().replace(/[^`~]/g, '')) {
      blocks.push(block.join('\n'));
      fence = undefined;
    } else block.push(line);
  }
  assert.equal(fence, undefined, `a code block is left open and swallows the rest:\n${md}`);
  return { prose, blocks };
}

/** A line with its code spans removed (their content is shown as written), as CommonMark pairs backtick runs of equal length. */
function withoutCode(line: string): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    const open = /`+/.exec(line.slice(i));
    if (!open) return out + line.slice(i);
    const start = i + open.index;
    const after = start + open[0].length;
    const close = new RegExp(`(?<!\`)${open[0]}(?!\`)`).exec(line.slice(after));
    if (!close) return out + line.slice(i);
    out += `${line.slice(i, start)}CODE`;
    i = after + close.index + open[0].length;
  }
  return out;
}

test('step summary: errors before warnings, in the table and in the details', () => {
  const md = stepSummary(loadReport('fail'));
  const rows = md.split('\n').filter((l) => /^\| :(x|warning): \|/.test(l));
  assert.deepEqual(
    rows.map((l) => /`([a-z_.]+)`/.exec(l)?.[1]),
    ['backend.family_mismatch', 'health.status', 'config.dynamic_target'],
  );
  const heads = md.split('\n').filter((l) => l.startsWith('#### '));
  assert.deepEqual(
    heads.map((l) => l.split(' ')[1]),
    ['backend.family_mismatch', 'health.status', 'config.dynamic_target'],
  );
});

test('step summary: the fix block holds only what to paste; where it goes is said beside it', () => {
  const md = stepSummary(loadReport('fail'), { workspace: '/srv/repo' });
  const { prose, blocks } = split(md);
  assert.ok(blocks.includes('proxy_pass http://127.0.0.1:8000;'), `blocks: ${JSON.stringify(blocks)}`);
  assert.ok(!blocks.some((b) => /\(nginx\/conf\.d\/app\.conf:12\)/.test(b)));
  assert.ok(prose.some((l) => l.includes('nginx/conf.d/app.conf:12')), 'the place is still given');
  // a fix without a place, or with an alternative in parentheses, is left whole
  assert.ok(blocks.includes("the health endpoint reports the app unhealthy: read its body above, then the app's log:\n  journalctl -u web.service --since -5m"));
});

test('step summary: "Where" is relative to the workspace inside it, absolute outside', () => {
  const md = stepSummary(loadReport('fail'), { workspace: '/srv/repo' });
  assert.ok(md.includes('| `nginx/conf.d/app.conf:12` |'), md);
  assert.ok(md.includes('`/etc/nginx/sites-enabled/web.conf:7`'), md);
  assert.ok(!md.includes('/srv/repo/'), md);
  assert.ok(stepSummary(loadReport('fail'), { workspace: '/srv/rep' }).includes('`/srv/repo/nginx/conf.d/app.conf:12`'), 'a sibling with a common prefix is not inside');
});

test('step summary: config and backend text cannot become markdown or HTML', () => {
  const evil = 'ok\n```\n# Pwned heading\n<details><summary>x</summary>\n| a | b |\n[click](https://evil.example/)\n![t](https://evil.example/t.png)\n---\n> quote\n- item';
  const r: Report = {
    verdict: 'fail',
    reason: 'health.status',
    findings: [
      {
        code: 'health.status',
        severity: 'error',
        service: 'web',
        target: 'http://127.0.0.1:8000/`x`|y\n# z',
        message: evil,
        evidence: [evil, '`` ` ``'],
        fix: `proxy_pass http://127.0.0.1:8000;\n${evil}\n\`\`\`\`\``,
      },
      { severity: 'info', message: evil },
    ],
    checks: [{ service: 'web', name: `http GET /healthz\n${evil}`, ok: false, code: 'health.status' }],
  };
  const md = stepSummary(r);
  const { prose, blocks } = split(md);
  assert.equal(blocks.length, 1, 'the fix is the one code block');
  assert.ok(blocks[0]?.includes('# Pwned heading'), 'the fix is shown whole, as code');
  const headings = prose.filter((l) => /^ {0,3}#/.test(l));
  assert.ok(headings.every((l) => /^#{2,4} (:x: upstream-gate|Findings|Notes|health\.status)/.test(l)), headings.join('\n'));
  for (const line of prose) {
    // the summary's own list items (evidence, notes) start with "- "; what follows is the text
    const l = line.startsWith('- ') ? line.slice(2) : line;
    assert.ok(!/^ {0,3}(>|[-+*] |[-=*_]{3,}\s*$|\d+[.)] |#)/.test(l) || line.startsWith('#'), `a block marker from the text: ${JSON.stringify(line)}`);
    const outside = withoutCode(l);
    assert.ok(!/(^|[^\\])(!?\[[^\]]*\]\()/.test(outside), `a link or image from the text: ${JSON.stringify(line)}`);
    assert.ok(!/<(?!br>)/.test(outside), `HTML from the text: ${JSON.stringify(line)}`);
  }
  for (const row of prose.filter((l) => l.startsWith('|'))) {
    const cells = row.replace(/\\\\/g, '').replace(/\\\|/g, '').split('|').length - 2;
    assert.ok(cells === 3 || cells === 6, `a row with ${cells} cells: ${row}`);
  }
});

test('the summary of an input error: the error, in words and as text, never as markdown', () => {
  const md = errorSummary('input.invalid', 'gate.yml: cannot read spec: no such file\n# not a heading <b>');
  assert.match(md, /^## :x: upstream-gate: error \(`input\.invalid`\)\n/);
  const { prose, blocks } = split(md);
  assert.ok(!prose.some((l) => /^#(?!# :x:)/.test(l)), md);
  assert.deepEqual(blocks, ['gate.yml: cannot read spec: no such file\n# not a heading <b>'], 'the error, as written, in a code block');
});
