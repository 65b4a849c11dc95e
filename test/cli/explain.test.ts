// `upstream-gate explain` as users run it: a child process, real files, stdin.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { CLI_SOURCE, runCli, TSX } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const SAMPLES = fileURLToPath(new URL('../fixtures/error-log/nginx-1.22-samples.txt', import.meta.url));
const tmp = tempDir(`ugate-cli-explain-${process.pid}-`);
after(() => tmp.remove());
const env = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined };

interface Group {
  upstream: string;
  code?: string;
  count: number;
  first: string;
  last: string;
  servers: string[];
  spec?: { match: string; service?: string; code?: string; note: string };
}

test('text: groups most frequent first, cause and fix, exit 0, no colour when piped', async () => {
  const r = await runCli(['explain', SAMPLES], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.match(r.stdout, /^\d+ upstream failures in \d+ groups \(82 lines of /);
  assert.match(r.stdout, /\n1\. backend\.down {2}http:\/\/127\.0\.0\.1:27001 {2}\(ECONNREFUSED 111\) {2}x7 /);
  assert.match(r.stdout, /cause: {3}the socket \/run\/app\/missing\.sock does not exist/);
  assert.match(r.stdout, /fix: {5}/);
  assert.ok(!r.stdout.includes('\x1b'));
  const forced = await runCli(['explain', SAMPLES], { env: { ...env, FORCE_COLOR: '1' } });
  assert.ok(forced.stdout.includes('\x1b['));
});

test('json: the DESIGN.md group shape, contract fields first', async () => {
  const r = await runCli(['explain', '--format', 'json', SAMPLES], { env });
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { groups: Record<string, unknown>[]; lines: number; failures: number };
  assert.equal(out.lines, 82);
  const g = out.groups[0]!;
  assert.deepEqual(Object.keys(g).slice(0, 11), ['upstream', 'errno', 'errno_name', 'code', 'count', 'first', 'last', 'servers', 'sample', 'cause', 'fix']);
  assert.equal(g.upstream, 'http://127.0.0.1:27001');
  assert.equal(g.count, 7);
  const counts = out.groups.map((x) => x.count as number);
  assert.deepEqual(counts, [...counts].sort((a, b) => b - a));
  assert.equal(counts.reduce((a, b) => a + b, 0), out.failures);
});

test('stdin (-) and a gzipped rotated log together, --since / --until as local times', async () => {
  const gz = join(tmp.dir, 'error.log.2.gz');
  writeFileSync(gz, gzipSync(readFileSync(SAMPLES)));
  const r = await runCli(['explain', '--format', 'json', '--since', '2026-11-24T01:22:20', '--until', '2026-11-24 01:22:30', gz, '-'], {
    env,
    input: readFileSync(SAMPLES, 'utf8'),
  });
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { groups: Group[]; since: string; until: string; outside_window: number };
  assert.equal(out.since, '2026-11-24T01:22:20');
  assert.equal(out.until, '2026-11-24T01:22:30');
  assert.ok(out.outside_window > 0);
  for (const g of out.groups) {
    assert.ok(g.first >= '2026-11-24T01:22:20' && g.last <= '2026-11-24T01:22:30', JSON.stringify(g));
  }
  assert.ok(out.groups.some((g) => g.code === 'socket.missing'));
});

test('--spec cross-checks the upstreams: the log upstream that is not the spec backend is named', async () => {
  const spec = join(tmp.dir, 'upstream-gate.yml');
  writeFileSync(
    spec,
    `version: 1
services:
  catalog:
    backend: 127.0.0.1:27002
    server_name: catalog.test
nginx:
  error_log: error.log
`,
  );
  writeFileSync(join(tmp.dir, 'error.log'), readFileSync(SAMPLES));
  const r = await runCli(['explain', '--format', 'json', '--spec', spec], { env });
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { groups: Group[]; files: string[] };
  assert.deepEqual(out.files, [join(tmp.dir, 'error.log')], "the spec's nginx.error_log is the default log");
  const own = out.groups.find((g) => g.upstream === 'http://127.0.0.1:27002');
  assert.equal(own?.spec?.match, 'backend');
  const other = out.groups.find((g) => g.upstream === 'http://127.0.0.1:27001');
  assert.equal(other?.spec?.match, 'mismatch');
  assert.equal(other?.spec?.code, 'config.port_mismatch');
  assert.match(other?.spec?.note ?? '', /not the spec's backend/);
  const text = await runCli(['explain', '--spec', spec], { env });
  assert.match(text.stdout, /spec: {4}the log's upstream is not the spec's backend/);
});

test('a gzip file that ends early is read as far as it goes, and said to', async () => {
  const gz = gzipSync(readFileSync(SAMPLES));
  const cut = join(tmp.dir, 'error.log.1.gz');
  writeFileSync(cut, gz.subarray(0, Math.floor(gz.length * 0.7)));
  const r = await runCli(['explain', cut], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /upstream failures in/);
  assert.match(r.stdout, /error\.log\.1\.gz: the gzip data ends early/);
  const j = JSON.parse((await runCli(['explain', '--format', 'json', cut], { env })).stdout) as { truncated_gzip?: string[]; lines: number };
  assert.deepEqual(j.truncated_gzip, [cut]);
  assert.ok(j.lines > 0 && j.lines < 82);
});

test('a gzip file with trailing garbage: the gzip data is read, the rest ignored, and said to', async () => {
  const p = join(tmp.dir, 'error.log.3.gz');
  writeFileSync(p, Buffer.concat([gzipSync(readFileSync(SAMPLES)), Buffer.from('not gzip\n')]));
  const r = await runCli(['explain', p], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^\d+ upstream failures in \d+ groups \(82 lines of /);
  assert.match(r.stdout, /error\.log\.3\.gz: 9 bytes after the gzip data ignored \(trailing garbage\)/);
  const j = JSON.parse((await runCli(['explain', '--format', 'json', p], { env })).stdout) as { gzip_trailing_garbage?: unknown; lines: number };
  assert.deepEqual(j.gzip_trailing_garbage, [{ file: p, bytes: 9 }]);
  assert.equal(j.lines, 82);
});

test('an empty log is not an error', async () => {
  const empty = join(tmp.dir, 'empty.log');
  writeFileSync(empty, '');
  const r = await runCli(['explain', empty], { env });
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^no upstream failures in 0 lines/);
});

function damagedGzip(): string {
  const p = join(tmp.dir, 'damaged.gz');
  writeFileSync(p, Buffer.from([0x1f, 0x8b, 0x77, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07]));
  return p;
}

test('an access log given by mistake is said to be one', async () => {
  const access = join(tmp.dir, 'access.log');
  writeFileSync(access, '127.0.0.1 - - [24/Nov/2026:01:21:58 +0000] "GET / HTTP/1.1" 502 157 "-" "curl/8.5"\n'.repeat(3));
  const r = await runCli(['explain', access], { env });
  assert.equal(r.code, 0);
  assert.match(r.stdout, /3 of 3 lines are not nginx error-log lines: is this the access log\?/);
});

test('bad input exits 2 with one line on stderr and no stack trace', async () => {
  const cases: [string[], RegExp][] = [
    [['explain', join(tmp.dir, 'nope.log')], /nope\.log: cannot read error log: no such file/],
    [['explain', tmp.dir], /cannot read error log: is a directory/],
    [['explain', '--bogus', SAMPLES], /--bogus/],
    [['explain', '--format', 'xml', SAMPLES], /--format must be one of text, json/],
    [['explain', '--since', 'yesterday', SAMPLES], /--since "yesterday" is neither a duration/],
    [['explain', '--since', '2026-11-25', '--until', '2026-11-24', SAMPLES], /--since .* is after --until/],
    [['explain', '--until', '2026-13-01T25:00', SAMPLES], /--until "2026-13-01T25:00" is not a valid time/],
    [['explain', '--since', '99999999999999999999d', SAMPLES], /--since "99999999999999999999d" is too far back: no date is that old/],
    [['explain', '--spec', join(tmp.dir, 'missing.yml'), SAMPLES], /cannot read spec: no such file/],
    [['explain', '-', '-'], /standard input/],
    [['explain', '--threads', '0', SAMPLES], /--threads "0" is not a whole number from 1 to 64/],
    [['explain', '--threads', 'two', SAMPLES], /--threads "two" is not a whole number from 1 to 64/],
    [['explain', damagedGzip()], /damaged\.gz: not a readable gzip file/],
  ];
  for (const [args, want] of cases) {
    const r = await runCli(args, { env });
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, want);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.ok(!r.stderr.includes('    at '), r.stderr);
  }
});

test('Ctrl-C while reading: the lines read so far are explained, exit 130', async () => {
  const child = spawn(process.execPath, ['--import', TSX, CLI_SOURCE, 'explain', '-'], { env: { ...env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const closed = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  // far more than a pipe holds: 'drain' means explain itself has been reading, so its SIGINT handler is in place
  const input = Buffer.concat(Array.from({ length: 20 }, () => readFileSync(SAMPLES)));
  assert.ok(input.length > 4 * 65536);
  if (!child.stdin.write(input)) await once(child.stdin, 'drain');
  // stdin stays open: explain waits for more until the signal
  child.kill('SIGINT');
  assert.equal(await closed, 130);
  assert.match(stdout, /interrupted: these are the first \d+ lines only/);
});

test('--help', async () => {
  const r = await runCli(['explain', '--help'], { env });
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^Usage: upstream-gate explain/);
});
