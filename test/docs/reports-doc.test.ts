// The examples in docs/reports.md are real output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import type { ProgressEvent } from '../../src/model/events.js';
import type { Report } from '../../src/model/finding.js';
import { createProgress } from '../../src/report/progress.js';
import { toText } from '../../src/report/text.js';

const doc = readFileSync(new URL('../../docs/reports.md', import.meta.url), 'utf8');

test('docs/reports.md: the terminal example is the text report of test/fixtures/report/fail.json', () => {
  const block = /```text\n(FAIL {2}api[\s\S]*?|  note:[\s\S]*?)```/.exec(doc)?.[1];
  const report = JSON.parse(readFileSync(new URL('../fixtures/report/fail.json', import.meta.url), 'utf8')) as Report;
  assert.equal(block, toText(report, { color: false }));
});

test('docs/reports.md: the CI progress lines are what createProgress writes', () => {
  const block = /```text\n( *\[api\][\s\S]*?)```/.exec(doc)?.[1];
  assert.ok(block);
  let out = '';
  const sink = Object.assign(
    new Writable({
      write(chunk: Buffer, _e, cb) {
        out += chunk.toString();
        cb();
      },
    }),
    { isTTY: false },
  );
  const base = { service: 'api', check: 'tcp [::1]:8000' };
  const why = '127.0.0.1:8000 listens, [::1]:8000 refuses';
  const events: ProgressEvent[] = [
    { ...base, state: 'waiting', code: 'backend.down', message: 'connection refused', attempt: 1, elapsedMs: 5, remainingMs: 59_995 },
    { ...base, state: 'waiting', code: 'backend.family_mismatch', message: why, attempt: 3, elapsedMs: 220, remainingMs: 59_780 },
    { ...base, state: 'fail', code: 'backend.family_mismatch', message: why, attempt: 4, elapsedMs: 330, remainingMs: 59_670 },
  ];
  const p = createProgress(sink, { color: false });
  for (const e of events) p.onProgress(e);
  assert.equal(block.split('\n').map((l) => l.trim()).filter(Boolean).join('\n'), out.trim());
});
