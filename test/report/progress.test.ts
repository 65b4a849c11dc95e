// Progress output as CI logs and terminals receive it, and the colour decision.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import type { ProgressEvent } from '../../src/model/events.js';
import { useColor } from '../../src/report/color.js';
import { createProgress } from '../../src/report/progress.js';

function sink(isTTY: boolean, columns = 80): Writable & { isTTY: boolean; columns: number; text(): string } {
  let out = '';
  const w = new Writable({
    write(chunk: Buffer, _enc, cb) {
      out += chunk.toString();
      cb();
    },
  });
  return Object.assign(w, { isTTY, columns, text: () => out });
}

const base = { service: 'api', check: 'tcp [::1]:8000', elapsedMs: 0, remainingMs: 60_000 };
const events: ProgressEvent[] = [
  { ...base, state: 'waiting', code: 'backend.down', message: 'connection refused', attempt: 1, elapsedMs: 5, remainingMs: 59_995 },
  { ...base, state: 'waiting', code: 'backend.down', message: 'connection refused', attempt: 2, elapsedMs: 110, remainingMs: 59_890 },
  { ...base, state: 'waiting', code: 'backend.family_mismatch', message: '127.0.0.1:8000 listens, [::1]:8000 refuses', attempt: 3, elapsedMs: 220, remainingMs: 59_780 },
  { ...base, state: 'fail', code: 'backend.family_mismatch', message: '127.0.0.1:8000 listens, [::1]:8000 refuses', attempt: 4, elapsedMs: 330, remainingMs: 59_670 },
  { service: 'web', check: 'http GET https://ci:t0ken@127.0.0.1:9443/healthz', state: 'pass', attempt: 1, elapsedMs: 12, remainingMs: 59_988 },
];

test('CI (not a TTY): one line per change of state, with attempts, time left and the retry class; credentials masked', () => {
  const out = sink(false);
  const p = createProgress(out, { color: false });
  for (const e of events) p.onProgress(e);
  p.done();
  assert.equal(
    out.text(),
    [
      '[api] tcp [::1]:8000: waiting backend.down connection refused (attempt 1, retrying, 60s left)',
      '[api] tcp [::1]:8000: waiting backend.family_mismatch 127.0.0.1:8000 listens, [::1]:8000 refuses (attempt 3, confirming, will not fix itself, 59.8s left)',
      '[api] tcp [::1]:8000: fail backend.family_mismatch 127.0.0.1:8000 listens, [::1]:8000 refuses (4 attempts, 330ms)',
      '[web] http GET https://***@127.0.0.1:9443/healthz: pass (1 attempt, 12ms)',
      '',
    ].join('\n'),
  );
});

test('terminal: one live line per service, redrawn in place, cut to the width', () => {
  const out = sink(true, 60);
  const p = createProgress(out, { color: true });
  for (const e of events) p.onProgress(e);
  p.done();
  const text = out.text();
  assert.ok(text.includes('\x1b[1A'), 'moves up to redraw');
  assert.ok(text.includes('\x1b[2K'), 'clears the line it redraws');
  // the final frame: two services, each one line
  const last = text.slice(text.lastIndexOf('\x1b[2A'));
  const lines = last.split('\n').filter(Boolean);
  assert.equal(lines.length, 2);
  const visible = (s: string) => s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace('\r', '');
  assert.match(visible(lines[0] as string), /^api 0\/1 tcp \[::1\]:8000: fail/);
  assert.match(visible(lines[1] as string), /^web 1\/1 /);
  for (const l of lines) assert.ok(visible(l).length <= 59, visible(l));
  assert.ok(!text.includes('t0ken'));
});

test('--quiet prints nothing', () => {
  for (const tty of [true, false]) {
    const out = sink(tty);
    const p = createProgress(out, { quiet: true, color: true });
    for (const e of events) p.onProgress(e);
    p.done();
    assert.equal(out.text(), '');
  }
});

test('colour: NO_COLOR wins, then FORCE_COLOR, then a terminal that is not dumb', () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };
  assert.equal(useColor(tty, {}), true);
  assert.equal(useColor(pipe, {}), false);
  assert.equal(useColor(tty, { NO_COLOR: '1' }), false);
  assert.equal(useColor(tty, { NO_COLOR: '' }), true, 'an empty NO_COLOR is unset (no-color.org)');
  assert.equal(useColor(pipe, { FORCE_COLOR: '1' }), true);
  assert.equal(useColor(tty, { FORCE_COLOR: '0' }), false);
  assert.equal(useColor(pipe, { FORCE_COLOR: '1', NO_COLOR: '1' }), false);
  assert.equal(useColor(tty, { TERM: 'dumb' }), false);
});

test('TTY: the clocks of a waiting check tick between events, and stop with done()', async () => {
  const out = sink(true, 200);
  const p = createProgress(out, { color: false });
  p.onProgress({ ...base, state: 'waiting', code: 'backend.down', message: 'connection refused', attempt: 1, elapsedMs: 0, remainingMs: 10_000 });
  const first = out.text();
  assert.match(first, /\(since attempt 1, retrying, 10s left\)/);
  await new Promise((r) => setTimeout(r, 700));
  const ticked = out.text().slice(first.length);
  const left = [...ticked.matchAll(/retrying, ([\d.]+)s left/g)].map((m) => Number(m[1]));
  assert.ok(left.length > 0, `redrawn while waiting: ${JSON.stringify(ticked)}`);
  assert.ok(left.every((x) => x < 10), `time left counts down: ${left.join(', ')}`);
  p.done();
  const after = out.text().length;
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(out.text().length, after, 'no redraw after done()');
});

test('CI lines at a known width (COLUMNS): wrapped at spaces, under the text after [service]', () => {
  const out = sink(false);
  const p = createProgress(out, { color: false, width: 80 });
  for (const e of events) p.onProgress(e);
  p.done();
  const lines = out.text().split('\n');
  for (const l of lines) assert.ok(l.length <= 80, l);
  const at = lines.findIndex((l) => l.includes('waiting backend.family_mismatch'));
  assert.deepEqual(lines.slice(at, at + 3), [
    '[api] tcp [::1]:8000: waiting backend.family_mismatch 127.0.0.1:8000 listens,',
    '      [::1]:8000 refuses (attempt 3, confirming, will not fix itself, 59.8s',
    '      left)',
  ]);
});

test('no colour (NO_COLOR): not one colour sequence, even where a live line is cut to the width', () => {
  const out = sink(true, 40);
  const p = createProgress(out, { color: false });
  for (const e of events) p.onProgress(e);
  p.done();
  assert.ok(out.text().includes('…'), 'a line was cut');
  assert.doesNotMatch(out.text(), /\x1b\[[0-9;]*m/);
});

test('terminal: a live line cut to the width is cut at a space, never inside an address', () => {
  for (const color of [false, true]) {
    const out = sink(true, 40);
    const p = createProgress(out, { color });
    p.onProgress({ service: 'app', check: 'tcp 127.0.0.1:39001', state: 'waiting', code: 'backend.down', message: 'nothing listens on 127.0.0.1:39001', attempt: 1, elapsedMs: 5, remainingMs: 900 });
    p.done();
    const shown = out.text().split('\n').filter(Boolean).map((l) => (l.split('\r').pop() ?? '').replace(/\x1b\[[0-9;]*[A-Za-z]/g, ''));
    const full = 'app 0/1 tcp 127.0.0.1:39001: waiting backend.down nothing listens on 127.0.0.1:39001 (since attempt 1';
    for (const l of shown) {
      assert.ok(l.length <= 39, l);
      const kept = l.replace(/ ?…$/, '');
      assert.ok(full.startsWith(kept) && full[kept.length] === ' ', `cut after a word: ${l}`);
    }
  }
});
