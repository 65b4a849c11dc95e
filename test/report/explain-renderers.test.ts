// explain's renderers on every line the local nginx 1.22 wrote for the
// catalogued failures, against golden files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { readLogLines } from '../../src/explain/error-log-stream.js';
import { createExplainer, type ExplainResult } from '../../src/explain/explain.js';
import { crossCheck } from '../../src/explain/spec-match.js';
import { explainJson } from '../../src/report/explain-json.js';
import { explainText } from '../../src/report/explain-text.js';
import { parseSpec } from '../../src/spec/load.js';
import { assertGolden } from './golden.js';

const SAMPLES = fileURLToPath(new URL('../fixtures/error-log/nginx-1.22-samples.txt', import.meta.url));

async function samples(window = {}): Promise<ExplainResult> {
  const ex = createExplainer(window);
  await readLogLines(SAMPLES, ex.add);
  return ex.result();
}

test('golden: explain text and JSON', async () => {
  const r = await samples();
  const meta = { files: ['error.log'] };
  assertGolden('explain-samples.txt', explainText(r, meta, { color: false }));
  assertGolden('explain-samples.color.txt', explainText(r, meta, { color: true }));
  assertGolden('explain-samples.json', explainJson(r, meta));
});

test('golden: explain with a window and a spec', async () => {
  const r = await samples({ since: '2026/11/24 01:22:20', until: '2026/11/24 01:22:30' });
  crossCheck(
    r.groups,
    parseSpec('version: 1\nservices:\n  catalog:\n    backend: 127.0.0.1:27001\n    server_name: catalog.test\n  php:\n    backend: unix:/run/php/php8.2-fpm.sock\n    server_name: catalog.test\n', '/srv/app/upstream-gate.yml'),
  );
  const meta = { files: ['error.log'], since: '2026/11/24 01:22:20', until: '2026/11/24 01:22:30' };
  assertGolden('explain-window-spec.txt', explainText(r, meta, { color: false }));
  assertGolden('explain-window-spec.json', explainJson(r, meta));
});

test('explain text masks credentials and neutralises control bytes from the log', () => {
  const r: ExplainResult = {
    lines: 1,
    unparsed: 0,
    failures: 1,
    outside: 0,
    ungrouped: 0,
    groups: [
      {
        upstream: 'http://127.0.0.1:8000',
        count: 1,
        first: '2026-11-24T10:00:00',
        last: '2026-11-24T10:00:00',
        servers: ['a.test'],
        hosts: ['\x1b[2Jevil'],
        sample: 'GET /x?next=https://u:pw@example.com/ \x1b]0;t\x07',
        cause: 'c',
        fix: 'f',
        kind: 'refused',
      },
    ],
  };
  const text = explainText(r, { files: ['error.log'] }, { color: false });
  assert.ok(!text.includes('\x1b'));
  assert.ok(!text.includes('pw@'));
  assert.ok(!explainJson(r, { files: ['error.log'] }).includes('pw@'));
});

test('explain text says when groups were not kept, and why: the bounds on groups and their text', () => {
  const r: ExplainResult = { lines: 5, unparsed: 0, failures: 5, outside: 0, ungrouped: 3, groups: [] };
  const text = explainText(r, { files: ['error.log'] }, { color: false });
  assert.match(text, /\n3 more failures in further groups are counted but not shown: at most 1000 groups \(distinct upstreams, errnos and failures\) and 8 MiB of their text are kept\n$/);
});
