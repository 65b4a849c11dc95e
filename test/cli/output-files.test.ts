// What `check --report PATH` and `render --out DIR` do to what is already at
// the path: a regular file or nothing is replaced atomically; a symlink, a
// device or a FIFO is written through and stays what it was; a directory is
// refused with one line and exit 2, before anything is written. Devices are
// made with mknod in a temp dir: the real /dev/null is never at stake.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, constants, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, readSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, type Run } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir(`ugate-cli-output-${process.pid}-`);
after(() => tmp.remove());
const env = { ...process.env, NO_COLOR: '1' };
const root = process.getuid?.() === 0;
const mknodSkip = !root && 'mknod needs root';

// the config phase alone, against a config that matches: no nginx, no network
writeFileSync(join(tmp.dir, 'nginx.conf'), 'events {}\nhttp { server { listen 127.0.0.1:1; location / { proxy_pass http://127.0.0.1:8000; } } }\n');
const spec = join(tmp.dir, 'upstream-gate.yml');
writeFileSync(spec, 'version: 1\nservices:\n  api:\n    backend: 127.0.0.1:8000\nnginx:\n  config: nginx.conf\n  test: off\n');

let n = 0;
/** A fresh directory for one case. */
function dir(): string {
  const d = join(tmp.dir, `case-${++n}`);
  mkdirSync(d);
  return d;
}

function check(report: string): Promise<Run> {
  return runCli(['check', '--spec', spec, '--phase', 'config', '--format', 'json', '--report', report], { env });
}

function assertReport(text: string): void {
  const r = JSON.parse(text) as { verdict: string };
  assert.ok(r.verdict === 'pass' || r.verdict === 'fail', text);
}

function refused(r: Run, message: RegExp): void {
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, message);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.ok(!r.stderr.includes('    at '), r.stderr);
}

test('--report onto a character device writes through it: the device stays a device', { skip: mknodSkip }, async () => {
  const d = dir();
  const dev = join(d, 'null');
  // 1,3 is what /dev/null is
  assert.equal(spawnSync('mknod', [dev, 'c', '1', '3']).status, 0);
  const r = await check(dev);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  const st = lstatSync(dev);
  assert.ok(st.isCharacterDevice(), 'the device was replaced');
  assert.equal(st.rdev, (1 << 8) | 3);
  assert.deepEqual(readdirSync(d), ['null'], 'no temp file left');
});

test('--report onto a symlink writes its target and keeps the link', async () => {
  const d = dir();
  writeFileSync(join(d, 'target.json'), 'old\n');
  symlinkSync('target.json', join(d, 'link.json'));
  const r = await check(join(d, 'link.json'));
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  assert.ok(lstatSync(join(d, 'link.json')).isSymbolicLink(), 'the link was replaced');
  assert.equal(readlinkSync(join(d, 'link.json')), 'target.json');
  assertReport(readFileSync(join(d, 'target.json'), 'utf8'));
  assert.deepEqual(readdirSync(d).sort(), ['link.json', 'target.json']);

  // a dangling link: its target is created, as a shell's > would
  symlinkSync('made.json', join(d, 'dangling.json'));
  const m = await check(join(d, 'dangling.json'));
  assert.ok(m.code === 0 || m.code === 1, m.stderr);
  assert.ok(lstatSync(join(d, 'dangling.json')).isSymbolicLink());
  assertReport(readFileSync(join(d, 'made.json'), 'utf8'));
});

test('--report onto a regular file replaces it, keeping its mode', async () => {
  const d = dir();
  const p = join(d, 'report.json');
  writeFileSync(p, 'old\n');
  chmodSync(p, 0o600);
  const r = await check(p);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  assertReport(readFileSync(p, 'utf8'));
  assert.equal(statSync(p).mode & 0o777, 0o600);
  assert.deepEqual(readdirSync(d), ['report.json']);
});

test('--report onto a FIFO writes to its reader, and the FIFO stays', async () => {
  const d = dir();
  const fifo = join(d, 'report.fifo');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  // the reader first, as `jq . < report.fifo &` would be
  const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const r = await check(fifo);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    const buf = Buffer.alloc(1 << 16);
    const got = readSync(reader, buf);
    assertReport(buf.subarray(0, got).toString());
  } finally {
    closeSync(reader);
  }
  assert.ok(lstatSync(fifo).isFIFO(), 'the FIFO was replaced');

  // nobody reading: refused, and it does not wait for a reader
  const r = await check(fifo);
  refused(r, /report\.fifo: cannot write: a FIFO that no process is reading/);
  assert.ok(lstatSync(fifo).isFIFO());
});

test('--report onto a directory: exit 2, one line, before the gate runs, nothing left behind', async () => {
  const d = dir();
  mkdirSync(join(d, 'out'));
  refused(await check(join(d, 'out')), new RegExp(`^upstream-gate check: ${join(d, 'out')}: cannot write: is a directory\n$`));
  symlinkSync('out', join(d, 'to-dir'));
  refused(await check(join(d, 'to-dir')), /to-dir: cannot write: is a symlink to a directory/);
  assert.deepEqual(readdirSync(d).sort(), ['out', 'to-dir']);
  assert.deepEqual(readdirSync(join(d, 'out')), []);
});

test('render --out: a symlink and a device in a file\'s place are written through', { skip: mknodSkip }, async () => {
  const d = dir();
  const out = join(d, 'rendered');
  mkdirSync(out);
  writeFileSync(join(d, 'kept.conf'), 'old\n');
  symlinkSync('../kept.conf', join(out, 'api.nginx.conf'));
  assert.equal(spawnSync('mknod', [join(out, 'api.env'), 'c', '1', '3']).status, 0);
  const r = await runCli(['render', '--spec', spec, '--out', out], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(lstatSync(join(out, 'api.nginx.conf')).isSymbolicLink());
  assert.match(readFileSync(join(d, 'kept.conf'), 'utf8'), /upstream upstream_gate_api \{/);
  assert.ok(lstatSync(join(out, 'api.env')).isCharacterDevice());
  assert.deepEqual(readdirSync(out).sort(), ['api.env', 'api.nginx.conf']);
});

test('render --out: a file as DIR, or a directory in a file\'s place, is exit 2 and nothing is written', async () => {
  const d = dir();
  writeFileSync(join(d, 'plain'), 'x\n');
  refused(await runCli(['render', '--spec', spec, '--out', join(d, 'plain')], { env }), /plain: cannot write into it: not a directory/);
  assert.equal(readFileSync(join(d, 'plain'), 'utf8'), 'x\n');

  const out = join(d, 'rendered');
  mkdirSync(join(out, 'api.env'), { recursive: true });
  refused(await runCli(['render', '--spec', spec, '--out', out], { env }), /api\.env: cannot write: is a directory/);
  assert.deepEqual(readdirSync(out), ['api.env'], 'api.nginx.conf was written although api.env could not be');
});

test('render --check: a FIFO or a device in a rendered file\'s place is exit 2, not a wait', { skip: mknodSkip }, async () => {
  const d = dir();
  const out = join(d, 'rendered');
  mkdirSync(out);
  assert.equal(spawnSync('mkfifo', [join(out, 'api.nginx.conf')]).status, 0);
  refused(await runCli(['render', '--spec', spec, '--check', '--out', out], { env }), /api\.nginx\.conf: cannot read rendered file: is a FIFO, not a regular file/);
  const dev = join(d, 'zero');
  assert.equal(spawnSync('mknod', [join(d, 'zero'), 'c', '1', '5']).status, 0);
  const out2 = join(d, 'rendered2');
  mkdirSync(out2);
  symlinkSync(dev, join(out2, 'api.nginx.conf'));
  refused(await runCli(['render', '--spec', spec, '--check', '--out', out2], { env }), /api\.nginx\.conf: cannot read rendered file: is a character device/);
});
