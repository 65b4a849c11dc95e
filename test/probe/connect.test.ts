// Listener probes against real sockets: one attempt, never a throw, the same
// shape for success and failure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { localHost } from '../../src/host/local/local-host.js';
import { probeConnect } from '../../src/probe/connect.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tmp.js';

const local = localHost();

const opts = { timeoutMs: 1000 };

test('tcp: a listener passes with its timings', async (t) => {
  const s = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => s.once('listening', r));
  t.after(() => s.close());
  const port = (s.address() as import('node:net').AddressInfo).port;
  const r = await probeConnect(local, { kind: 'tcp', host: '127.0.0.1', port }, opts);
  assert.equal(r.ok, true);
  assert.equal(r.kind, 'tcp');
  assert.equal(r.target, `127.0.0.1:${port}`);
  assert.equal(r.stage, 'connect');
  assert.equal(r.code, undefined);
  assert.ok(r.timings.connectMs !== undefined && r.timings.connectMs >= 0);
  assert.match(r.localAddress ?? '', /^127\.0\.0\.1:\d+$/);
});

test('tcp: nothing listening is ECONNREFUSED 111, not a throw', async () => {
  const port = await freePort();
  const r = await probeConnect(local, { kind: 'tcp', host: '127.0.0.1', port }, opts);
  assert.equal(r.ok, false);
  assert.equal(r.code, 'ECONNREFUSED');
  assert.equal(r.errno, 111);
  assert.equal(r.stage, 'connect');
});

test('tcp: IPv6 literal targets are printed with brackets', async () => {
  const port = await freePort('::1');
  const r = await probeConnect(local, { kind: 'tcp', host: '::1', port }, opts);
  assert.equal(r.target, `[::1]:${port}`);
  assert.equal(r.code, 'ECONNREFUSED');
});

test('an aborted signal ends the attempt with ABORT_ERR', async () => {
  const port = await freePort();
  const r = await probeConnect(local, { kind: 'tcp', host: '127.0.0.1', port }, { timeoutMs: 1000, signal: AbortSignal.abort() });
  assert.equal(r.ok, false);
  assert.equal(r.code, 'ABORT_ERR');
});

test('unix: a listening socket passes; a missing one is ENOENT 2; a plain file is refused', async (t) => {
  const { dir, remove } = tempDir('ugate-probe-');
  t.after(remove);
  const path = join(dir, 'app.sock');
  const s = createServer().listen(path);
  await new Promise((r) => s.once('listening', r));
  t.after(() => s.close());
  const ok = await probeConnect(local, { kind: 'unix', path }, opts);
  assert.equal(ok.ok, true);
  assert.equal(ok.kind, 'unix');
  assert.equal(ok.target, `unix:${path}`);
  const missing = await probeConnect(local, { kind: 'unix', path: join(dir, 'nope.sock') }, opts);
  assert.equal(missing.code, 'ENOENT');
  assert.equal(missing.errno, 2);
  const file = join(dir, 'plain');
  (await import('node:fs')).writeFileSync(file, '');
  const notSocket = await probeConnect(local, { kind: 'unix', path: file }, opts);
  assert.equal(notSocket.ok, false);
  assert.equal(notSocket.code, 'ECONNREFUSED');
});
