// Every file the CLI reads because the user named it (the spec, error logs,
// an nginx dump, a config to parse) as users hand them over: pipes and FIFOs
// are read as streams, directories, devices, sockets and oversized files are
// refused with one line and exit 2, and a FIFO nobody writes to never keeps
// the process from ending on SIGTERM.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, openSync, readFileSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI_SOURCE, runCli, runNode, TSX, type Run } from '../helpers/cli.js';
import { reachedFifo } from '../helpers/fifo.js';
import { tempDir } from '../helpers/tmp.js';

const SAMPLES = fileURLToPath(new URL('../fixtures/error-log/nginx-1.22-samples.txt', import.meta.url));
const DUMP = fileURLToPath(new URL('../fixtures/nginx/dump/nginx-T.txt', import.meta.url));
const tmp = tempDir(`ugate-cli-input-${process.pid}-`);
after(() => tmp.remove());
const env = { ...process.env, NO_COLOR: '1' };
const root = process.getuid?.() === 0;

const SPEC = 'version: 1\nservices:\n  api:\n    backend: 127.0.0.1:8000\n';
const spec = join(tmp.dir, 'upstream-gate.yml');
writeFileSync(spec, SPEC);

let n = 0;
function fifo(): string {
  const p = join(tmp.dir, `fifo-${++n}`);
  assert.equal(spawnSync('mkfifo', [p]).status, 0);
  return p;
}

/** The end of a FIFO a test writes: opened once the CLI holds the other end, so it never waits. */
function writeFifo(path: string, data: Buffer | string): void {
  const fd = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
  } finally {
    closeSync(fd);
  }
}

function oneLine(r: Run, what: string): void {
  assert.equal(r.stderr.trim().split('\n').length, 1, `${what}: ${r.stderr}`);
  assert.ok(!r.stderr.includes('    at '), `${what}: a stack trace: ${r.stderr}`);
}

test('explain reads a FIFO as a stream once its writer comes', async () => {
  const p = fifo();
  let pid = 0;
  const run = runCli(['explain', '--format', 'json', p], { env, onSpawn: (x) => (pid = x) });
  await reachedFifo(pid, p);
  writeFifo(p, readFileSync(SAMPLES));
  const r = await run;
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { lines: number; groups: { code?: string }[] };
  assert.equal(out.lines, 82);
  assert.ok(out.groups.some((g) => g.code === 'backend.down'));
});

/**
 * The CLI at the end of a shell pipeline, or given a process substitution:
 * real pipes (Node's own child stdio would be socket pairs). `script` gets
 * the CLI command as "$@" and `arg` as $0.
 */
function inShell(script: string, arg: string, cliArgs: string[]): Promise<Run> {
  return runNode(['-c', script, arg, process.execPath, '--import', TSX, CLI_SOURCE, ...cliArgs], { env, node: 'bash' });
}

test('explain /dev/stdin on a pipe, and a gzip stream from a process substitution', async () => {
  const plain = await inShell('cat -- "$0" | "$@" /dev/stdin', SAMPLES, ['explain', '--format', 'json']);
  assert.equal(plain.code, 0, plain.stderr);
  assert.equal((JSON.parse(plain.stdout) as { lines: number }).lines, 82);

  // explain <(gzip -c LOG): /dev/fd/63, a pipe carrying gzip
  const gz = await inShell('"$@" <(gzip -c -- "$0")', SAMPLES, ['explain', '--format', 'json']);
  assert.equal(gz.code, 0, gz.stderr);
  const out = JSON.parse(gz.stdout) as { lines: number; files: string[] };
  assert.equal(out.lines, 82);
  assert.match(out.files[0] ?? '', /^\/dev\/fd\/\d+$/);
});

test('a spec from a FIFO is read whole once its writer closes it', async () => {
  const p = fifo();
  let pid = 0;
  const run = runCli(['render', '--spec', p], { env, onSpawn: (x) => (pid = x) });
  await reachedFifo(pid, p);
  writeFifo(p, SPEC);
  const r = await run;
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /# ==> api\.nginx\.conf <==/);
});

test('an nginx -T dump on a pipe is read as a stream', async () => {
  const r = await inShell('cat -- "$0" | "$@" /dev/stdin', DUMP, ['parse']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as { status: string }).status, 'ok');
});

// A FIFO nobody writes to: the process waits for a writer, but a signal ends it at once.
const waits: [string, (p: string) => string[]][] = [
  ['explain LOG', (p) => ['explain', p]],
  ['check --spec', (p) => ['check', '--spec', p]],
  ['explain --spec', (p) => ['explain', '--spec', p, SAMPLES]],
  ['check --nginx-dump', (p) => ['check', '--spec', spec, '--phase', 'config', '--nginx-dump', p]],
  ['parse', (p) => ['parse', p]],
];
for (const [name, args] of waits) {
  test(`${name}: a FIFO without a writer; SIGTERM ends the wait, exit 143, no stack trace`, async () => {
    const p = fifo();
    let pid = 0;
    const run = runCli(args(p), { env, onSpawn: (x) => (pid = x), timeoutMs: 60_000 });
    const reached = await reachedFifo(pid, p);
    process.kill(pid, 'SIGTERM');
    const r = await run;
    assert.equal(r.code, 143, `reached the FIFO (${reached}), then: signal ${r.signal}, ${r.stderr}`);
    assert.ok(!r.stderr.includes('    at '), r.stderr);
    assert.ok(!/internal error/.test(r.stderr), r.stderr);
  });
}

test('directories, devices and sockets are refused as every input, one line, exit 2', { skip: !root && 'mknod needs root' }, async (t) => {
  const zero = join(tmp.dir, 'zero');
  // a character device 1,5 is /dev/zero: read forever, it never ends
  assert.equal(spawnSync('mknod', [zero, 'c', '1', '5']).status, 0);
  const sock = join(tmp.dir, 'sock');
  const server = createServer().listen(sock);
  t.after(() => server.close());
  await new Promise((r) => server.once('listening', r));
  const things: [string, RegExp][] = [
    [tmp.dir, /is a directory/],
    [zero, /is a character device, not a regular file or a pipe/],
    [sock, /is a socket, not a regular file or a pipe/],
  ];
  for (const [path, why] of things) {
    const cases: [string[], string][] = [
      [['render', '--spec', path], 'cannot read spec'],
      [['check', '--spec', path], 'cannot read spec'],
      [['explain', path], 'cannot read error log'],
      [['explain', '--spec', path, SAMPLES], 'cannot read spec'],
      [['check', '--spec', spec, '--phase', 'config', '--nginx-dump', path], 'cannot read nginx dump'],
      [['parse', path], 'cannot read'],
    ];
    for (const [args, what] of cases) {
      const r = await runCli(args, { env });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: ${what}.*${why.source}`), args.join(' '));
      oneLine(r, args.join(' '));
    }
  }
});

test('standard input that is a device is refused as an error log', { skip: !root && 'mknod needs root' }, async () => {
  const zero = join(tmp.dir, 'zero-stdin');
  assert.equal(spawnSync('mknod', [zero, 'c', '1', '5']).status, 0);
  const fd = openSync(zero, 'r');
  try {
    const child = spawn(process.execPath, ['--import', TSX, CLI_SOURCE, 'explain', '-'], { env, stdio: [fd, 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    // read, /dev/zero would never end
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const code = await new Promise<number | null>((r) => child.on('close', r));
    clearTimeout(guard);
    assert.equal(code, 2, stderr);
    assert.match(stderr, /^upstream-gate explain: standard input: cannot read error log: is a character device, not a regular file or a pipe\n$/);
  } finally {
    closeSync(fd);
  }
});

test('a spec or dump larger than its limit is refused before it is read', async () => {
  const big = join(tmp.dir, 'big.yml');
  writeFileSync(big, SPEC);
  // sparse: the size is what counts, nothing is written
  truncateSync(big, 5 * 1024 * 1024);
  const r = await runCli(['render', '--spec', big], { env });
  assert.equal(r.code, 2);
  assert.equal(r.stderr, `upstream-gate render: ${big}: cannot read spec: larger than 4 MiB, the limit\n`);

  const dump = join(tmp.dir, 'big-dump.txt');
  writeFileSync(dump, '');
  truncateSync(dump, 300 * 1024 * 1024);
  const d = await runCli(['check', '--spec', spec, '--phase', 'config', '--nginx-dump', dump], { env });
  assert.equal(d.code, 2, d.stderr);
  assert.equal(d.stderr, `upstream-gate check: ${dump}: cannot read nginx dump: larger than 256 MiB, the limit\n`);
});

test('a spec on a pipe that never ends is refused once it has sent more than the limit', async () => {
  // `yes` writes forever; the CLI stops reading after 4 MiB and yes dies of SIGPIPE
  const r = await inShell('yes -- "$0" | "$@" /dev/stdin', 'x: 1', ['render', '--spec']);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stderr, 'upstream-gate render: /dev/stdin: cannot read spec: larger than 4 MiB, the limit\n');
});
