// explain's hot paths (chunks of text with their fields found by the
// WebAssembly scanner or by remembered search positions in JS, a form cache,
// counts merged across threads) against a plain reference: every line
// parsed in full with parseErrorLine and classified one by one. Lines are
// real nginx lines (the fixture) rewritten at random: times out of order,
// many server and host names, cut short, CRLF, syslog-wrapped, a request line
// that imitates the upstream field, bytes that are not UTF-8, garbage.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { classifyErrorLine } from '../../src/explain/error-log-classify.js';
import { parseErrorLine } from '../../src/diagnose/error-log.js';
import { byteSplitter, readLogLines, textSplitter, type ByteRange } from '../../src/explain/error-log-stream.js';
import { createExplainer, groupKey, groupTextBytes, isoTime, MAX_GROUP_TEXT, newGroup, MAX_GROUPS, MAX_NAME_BYTES, MAX_NAMES, MAX_SAMPLE_BYTES, type ExplainGroup, type ExplainResult, type TimeWindow } from '../../src/explain/explain.js';
import { hasScanner } from '../../src/explain/wasm-scanner.js';
import { explainLog, PARALLEL_MIN_BYTES } from '../../src/explain/threads.js';
import { int, pick, rng } from '../nginx/random.js';
import { tempDir } from '../helpers/tmp.js';

const samples = readFileSync(new URL('../fixtures/error-log/nginx-1.22-samples.txt', import.meta.url), 'latin1').split('\n').filter(Boolean);
const tmp = tempDir('ugate-explain-fast-');
after(() => tmp.remove());

/** The reference: one full parse and classification per line, nothing remembered. */
function reference(lines: readonly string[], window: TimeWindow = {}): ExplainResult {
  const utf8 = (s: string) => Buffer.from(s, 'latin1').toString('utf8');
  interface Acc {
    group: ExplainGroup;
    servers: string[];
    hosts: string[];
    first: string;
    last: string;
  }
  const groups = new Map<string, Acc>();
  let groupText = 0;
  const r: ExplainResult = { lines: 0, unparsed: 0, failures: 0, outside: 0, ungrouped: 0, groups: [] };
  for (let line of lines) {
    r.lines++;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const e = parseErrorLine(line);
    if (!e) {
      if (line.trim() !== '') r.unparsed++;
      continue;
    }
    if (r.from === undefined || e.time < r.from) r.from = e.time;
    if (r.to === undefined || e.time > r.to) r.to = e.time;
    const d = classifyErrorLine(e);
    if (!d) continue;
    const key = groupKey(d);
    let acc = groups.get(key);
    const text = groupTextBytes(d, e);
    if (!acc && groups.size < MAX_GROUPS && groupText + text <= MAX_GROUP_TEXT) {
      groupText += text;
      const group = newGroup(d, e);
      acc = { group, servers: [], hosts: [], first: '', last: '' };
      groups.set(key, acc);
    }
    if ((window.since !== undefined && e.time < window.since) || (window.until !== undefined && e.time > window.until)) {
      r.outside++;
      continue;
    }
    r.failures++;
    if (!acc) {
      r.ungrouped++;
      continue;
    }
    acc.group.count++;
    if (acc.first === '' || e.time < acc.first) {
      acc.first = e.time;
      acc.group.sample = utf8(line.slice(0, MAX_SAMPLE_BYTES));
    }
    if (e.time > acc.last) acc.last = e.time;
    const server = e.server?.slice(0, MAX_NAME_BYTES);
    const host = e.host?.slice(0, MAX_NAME_BYTES);
    if (server && acc.servers.length < MAX_NAMES && !acc.servers.includes(server)) acc.servers.push(server);
    if (host && acc.hosts.length < MAX_NAMES && !acc.hosts.includes(host)) acc.hosts.push(host);
  }
  r.groups = [...groups.values()]
    .filter((a) => a.group.count > 0)
    .map((a) => ({ ...a.group, first: isoTime(a.first), last: isoTime(a.last), servers: a.servers.map(utf8).sort(), hosts: a.hosts.map(utf8).sort() }));
  r.groups.sort((a, b) => b.count - a.count || (a.first < b.first ? -1 : a.first > b.first ? 1 : 0) || a.upstream.localeCompare(b.upstream));
  return r;
}

const NAMES = Array.from({ length: MAX_NAMES + 6 }, (_, i) => `site${i}.test`);

/** `n` lines rewritten from the fixture at random (byte strings). */
function randomLines(seed: number, n: number, opts: { ports?: number } = {}): string[] {
  const r = rng(seed);
  let t = Date.UTC(2026, 10, 24, 1, 0, 0);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    // mostly forward, by bursts; sometimes a second back (two workers), sometimes a day
    const step = r();
    if (step < 0.05) t -= 1000;
    else if (step < 0.3) t += 1000;
    else if (step < 0.301) t += 86_400_000;
    const d = new Date(t);
    const p2 = (x: number) => String(x).padStart(2, '0');
    const time = `${d.getUTCFullYear()}/${p2(d.getUTCMonth() + 1)}/${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
    let line = pick(r, samples).replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d/, time);
    line = line.replace(/\*\d+ /, `*${int(r, 1, 10_000_000)} `);
    if (r() < 0.5) line = line.replace(/server: [^,]*/, `server: ${pick(r, NAMES)}`);
    if (r() < 0.5) line = line.replace(/host: "[^"]*"/, `host: "${pick(r, NAMES)}"`);
    if (opts.ports) line = line.replace(/127\.0\.0\.1:27001/g, `127.0.0.1:${30000 + int(r, 0, opts.ports)}`);
    const x = r();
    if (x < 0.03) line = line.slice(0, int(r, 0, line.length));
    else if (x < 0.05) line = `${line}\r`;
    else if (x < 0.07) line = `<11>Nov 24 10:00:00 web1 nginx: ${line}`;
    // (a line with no upstream field of its own has no right answer: the imitation is the only upstream there is)
    else if (x < 0.09 && line.includes(', upstream: "')) line = line.replace(/request: "GET ([^ ]*)/, 'request: "GET $1?a=, upstream: "http://10.9.9.9:1/x", host: "evil"');
    else if (x < 0.1) line = line.replace(/GET \//, 'GET /\xff\xfe\xc3');
    else if (x < 0.11) line = pick(r, ['', 'garbage', '   ', '2026/11/24 xx', '2026/11/24 01:00:00 [error] 1#1: *2']);
    out.push(line);
  }
  return out;
}

/**
 * The lines as the reader hands them over: chunks cut at random byte offsets,
 * so lines are split across chunks; as bytes (the WebAssembly scanner's
 * input) or as text.
 */
function explainChunked(lines: readonly string[], seed: number, window: TimeWindow = {}, wasm = true, asBytes = false): ExplainResult {
  const r = rng(seed);
  const bytes = Buffer.from(lines.join('\n'), 'latin1');
  const ex = createExplainer(window, { wasm });
  const splitter = asBytes ? byteSplitter(ex.addBytes) : textSplitter(ex.addText);
  for (let at = 0; at < bytes.length; ) {
    const n = Math.min(bytes.length - at, int(r, 1, r() < 0.5 ? 300 : 20_000));
    splitter.push(bytes.subarray(at, at + n));
    at += n;
  }
  splitter.end();
  return ex.result();
}

/** The lines cut into `parts` runs, each explained on its own, the counts merged in order. */
function explainMerged(lines: readonly string[], parts: number, window: TimeWindow = {}): ExplainResult {
  const whole = createExplainer(window);
  for (let i = 0; i < parts; i++) {
    const part = createExplainer(window);
    const from = Math.floor((lines.length * i) / parts);
    const to = Math.floor((lines.length * (i + 1)) / parts);
    part.addText(lines.slice(from, to).join('\n'), 0, lines.slice(from, to).join('\n').length);
    whole.merge(structuredClone(part.state()));
  }
  return whole.result();
}

test('the WebAssembly scanner loads (SIMD is in every Node this runs on)', () => {
  assert.equal(hasScanner(), true);
});

for (const seed of [1, 2, 3, 4, 5]) {
  test(`seed ${seed}: chunked text, merged parts and line-by-line all equal the full-parse reference`, () => {
    const lines = randomLines(seed, 4000);
    const want = reference(lines);
    assert.ok(want.failures > 1000 && want.groups.length > 10, 'the random log has failures to group');
    assert.ok(want.groups.some((g) => g.hosts.length === MAX_NAMES), 'some group reaches MAX_NAMES');
    assert.deepEqual(explainChunked(lines, seed), want);
    assert.deepEqual(explainChunked(lines, seed, {}, true, true), want);
    assert.deepEqual(explainChunked(lines, seed, {}, false), want);
    assert.deepEqual(explainChunked(lines, seed, {}, false, true), want);
    assert.deepEqual(explainMerged(lines, 1 + (seed % 4)), want);
    const byLine = createExplainer();
    for (const l of lines) byLine.add(l);
    assert.deepEqual(byLine.result(), want);
  });
}

test('a form that is not a failure is parsed in full once, not on every line of it', () => {
  // `open() failed` at [error]: a failure level, but not an upstream failure
  const noise = '2026/11/24 01:00:00 [error] 4101#4101: *7 open() "/srv/www/favicon.ico" failed (2: No such file or directory), client: 10.0.0.1, server: a.test, request: "GET /favicon.ico HTTP/1.1", host: "a.test"';
  const refused = samples.find((l) => l.includes('(111: Connection refused) while connecting to upstream, client:')) as string;
  const text = `${Array.from({ length: 3000 }, (_, i) => (i % 3 === 0 ? refused : noise)).join('\n')}\n`;
  for (const wasm of [true, false]) {
    const ex = createExplainer({}, { wasm });
    const splitter = textSplitter(ex.addText);
    splitter.push(Buffer.from(text, 'latin1'));
    splitter.end();
    assert.equal(ex.result().failures, 1000);
    assert.ok(ex.parses() <= 4, `wasm ${wasm}: ${ex.parses()} full parses of two forms`);
  }
});

test('with a time window: outside counts and group times match the reference, chunked and merged', () => {
  const lines = randomLines(11, 4000);
  const window = { since: '2026/11/24 01:05:00', until: '2026/11/25 01:10:00' };
  const want = reference(lines, window);
  assert.ok(want.outside > 100 && want.failures > 100);
  assert.deepEqual(explainChunked(lines, 11, window), want);
  assert.deepEqual(explainChunked(lines, 11, window, true, true), want);
  assert.deepEqual(explainChunked(lines, 11, window, false), want);
  assert.deepEqual(explainMerged(lines, 3, window), want);
});

test('a window whose bounds are not in the time format of the log: compared as text, as without WebAssembly', () => {
  const lines = randomLines(11, 4000);
  // bounds cut to the minute, from times of the log
  const times = lines.map((l) => /^\d{4}\/\d\d\/\d\d \d\d:\d\d/.exec(l)?.[0]).filter((t): t is string => t !== undefined).sort();
  const window = { since: times[Math.floor(times.length * 0.3)] as string, until: times[Math.floor(times.length * 0.7)] as string };
  const want = reference(lines, window);
  assert.ok(want.outside > 100 && want.failures > 100, `${want.outside} outside, ${want.failures} inside`);
  assert.deepEqual(explainChunked(lines, 13, window, true, true), want);
  assert.deepEqual(explainChunked(lines, 13, window, false), want);
});

test('more distinct forms than the scanner remembers, more groups than are kept: every failure counted, the bound said', () => {
  // every line an upstream of its own: the form table is emptied and refilled, and past MAX_GROUPS
  // the failures are counted as `ungrouped` (the report says so), never dropped
  const base = samples.find((l) => l.includes('(111: Connection refused) while connecting to upstream, client:') && l.includes('127.0.0.1:27001')) as string;
  const n = 45_000;
  const lines = Array.from({ length: n }, (_, i) => base.replace('127.0.0.1:27001', `127.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}:${1024 + (i % 50_000)}`));
  const want = reference(lines);
  assert.equal(want.failures, n);
  assert.equal(want.groups.length, MAX_GROUPS);
  assert.equal(want.ungrouped, n - MAX_GROUPS);
  const ex = createExplainer();
  const splitter = byteSplitter(ex.addBytes);
  splitter.push(Buffer.from(`${lines.join('\n')}\n`, 'latin1'));
  splitter.end();
  assert.deepEqual(ex.result(), want);
  // twice over: the forms of the first pass are long forgotten, and each line is classified again
  assert.ok(ex.parses() >= n, `${ex.parses()} full parses`);
  assert.deepEqual(explainChunked(lines, 14, {}, false), want);
});

test('beyond MAX_GROUPS: which groups are kept and what is ungrouped match the reference when merged', () => {
  const lines = randomLines(12, 12_000, { ports: MAX_GROUPS + 300 });
  const want = reference(lines);
  assert.ok(want.ungrouped > 0, 'the log has more distinct upstreams than MAX_GROUPS');
  assert.equal(want.groups.length, MAX_GROUPS);
  assert.deepEqual(explainChunked(lines, 12), want);
  assert.deepEqual(explainMerged(lines, 4), want);
});

test('a gzip file of several members gives the result of the plain file, single pass and through explainLog', async () => {
  const lines = randomLines(41, 5000);
  const text = `${lines.join('\n')}\n`;
  const plain = join(tmp.dir, 'members.log');
  const gz = join(tmp.dir, 'members.log.gz');
  writeFileSync(plain, Buffer.from(text, 'latin1'));
  // cut inside a line, as `cat a.gz b.gz` of a log rotated mid-write would be
  const cuts = [0, 1000, 70_000, 70_001, text.length];
  writeFileSync(gz, Buffer.concat(cuts.slice(1).map((c, i) => gzipSync(Buffer.from(text.slice(cuts[i], c), 'latin1')))));
  const want = reference(lines);
  for (const path of [plain, gz]) {
    const ex = createExplainer();
    const read = await explainLog(path, ex, { threads: 2 });
    assert.equal(read.truncatedGzip, false);
    assert.deepEqual(ex.result(), want, path);
  }
});

test('byte ranges that tile a file read every line once, wherever the cuts fall', async () => {
  const r = rng(21);
  // longer than the reader's 1 MiB reads, with lines longer than some ranges
  const lines = Array.from({ length: 9000 }, (_, i) => `${i} ${'x'.repeat(int(r, 0, i % 97 === 0 ? 5000 : 400))}`);
  for (const tail of ['', '\n']) {
    const path = join(tmp.dir, `tiles${tail.length}.log`);
    writeFileSync(path, lines.join('\n') + tail);
    const size = Buffer.byteLength(lines.join('\n') + tail);
    for (const parts of [1, 2, 3, 17, 600]) {
      const cuts = [0, ...Array.from({ length: parts - 1 }, () => int(r, 0, size)).sort((a, b) => a - b), size];
      const got: string[] = [];
      for (let i = 0; i < parts; i++) {
        const range: ByteRange = { start: cuts[i] as number, end: cuts[i + 1] as number };
        await readLogLines(path, (l) => got.push(l), { range });
      }
      assert.equal(got.length, lines.length, `${parts} parts`);
      assert.ok(
        got.every((l, i) => l === lines[i]),
        `${parts} parts: lines in order`,
      );
    }
  }
});

test('a log over the parallel threshold: worker threads give the single-pass result', async () => {
  const lines = randomLines(31, 6000);
  const block = `${lines.join('\n')}\n`;
  const path = join(tmp.dir, 'large.log');
  writeFileSync(path, Buffer.from(block.repeat(Math.ceil(PARALLEL_MIN_BYTES / Buffer.byteLength(block, 'latin1')) + 1), 'latin1'));
  const one = createExplainer();
  const single = await explainLog(path, one, { threads: 1 });
  const two = createExplainer();
  const parallel = await explainLog(path, two, { threads: 2 });
  assert.equal(single.workers, 0);
  assert.equal(parallel.workers, 1, 'the first range was explained in this thread, the second by a worker thread');
  const want = one.result();
  assert.ok(want.failures > 10_000);
  assert.deepEqual(two.result(), want);
});

test('Ctrl-C while worker threads read: explainLog rejects with the abort and leaves nothing unhandled', async () => {
  const block = `${randomLines(32, 6000).join('\n')}\n`;
  const path = join(tmp.dir, 'large-abort.log');
  writeFileSync(path, Buffer.from(block.repeat(Math.ceil(PARALLEL_MIN_BYTES / Buffer.byteLength(block, 'latin1')) + 1), 'latin1'));
  for (const delay of [0, 30, 120]) {
    const ac = new AbortController();
    const run = explainLog(path, createExplainer(), { threads: 2, signal: ac.signal });
    setTimeout(() => ac.abort(new Error('interrupted by the test')), delay);
    await assert.rejects(run, /interrupted by the test/, `abort after ${delay} ms`);
  }
});

