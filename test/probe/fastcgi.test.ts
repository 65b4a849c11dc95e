// FastCGI requests against real php-fpm and against servers that misbehave.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { localHost } from '../../src/host/local/local-host.js';
import { fastcgiRequest, probeFastcgi } from '../../src/probe/fastcgi.js';
import { hasPhpFpm, startPhpFpm } from '../helpers/php-fpm.js';

const local = localHost();

const timeouts = { connectTimeoutMs: 1000, requestTimeoutMs: 2000 };

async function raw(onConnection: (s: Socket) => void) {
  const server = createServer((s) => {
    s.on('error', () => {});
    onConnection(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as import('node:net').AddressInfo).port, close: () => server.close() };
}

test('the request is BEGIN_REQUEST (responder), PARAMS, empty PARAMS, empty STDIN', () => {
  const b = fastcgiRequest('/ping?full');
  assert.deepEqual([...b.subarray(0, 8)], [1, 1, 0, 1, 0, 8, 0, 0]);
  assert.equal(b.readUInt16BE(8), 1, 'role RESPONDER');
  assert.equal(b[17], 4, 'PARAMS');
  const text = b.toString('latin1');
  assert.ok(text.includes('SCRIPT_NAME/ping'));
  assert.ok(text.includes('QUERY_STRINGfull'));
  assert.deepEqual([...b.subarray(-16)], [1, 4, 0, 1, 0, 0, 0, 0, 1, 5, 0, 1, 0, 0, 0, 0]);
});

test('php-fpm ping.path answers pong; a missing script is 404 with its stderr', { skip: !hasPhpFpm && 'php-fpm not installed' }, async (t) => {
  const fpm = await startPhpFpm();
  t.after(() => fpm.stop());
  const ok = await probeFastcgi(local, { endpoint: { kind: 'unix', path: fpm.socket }, path: '/ping', ...timeouts });
  assert.equal(ok.ok, true, ok.message);
  assert.equal(ok.status, 200);
  assert.equal(ok.body, 'pong');
  const missing = await probeFastcgi(local, { endpoint: { kind: 'unix', path: fpm.socket }, path: '/missing.php', ...timeouts });
  assert.equal(missing.ok, false);
  assert.equal(missing.code, 'HTTP_STATUS');
  assert.equal(missing.status, 404);
  assert.match(missing.message, /Primary script unknown/);
});

test('an HTTP server on a fastcgi_pass port: not FastCGI', async (t) => {
  const s = await raw((sock) => sock.once('data', () => sock.end('HTTP/1.1 400 Bad Request\r\n\r\n')));
  t.after(s.close);
  const r = await probeFastcgi(local, { endpoint: { kind: 'tcp', host: '127.0.0.1', port: s.port }, path: '/ping', ...timeouts });
  assert.equal(r.ok, false);
  assert.equal(r.code, 'BAD_PROTOCOL');
  assert.match(r.firstBytes ?? '', /^HTTP\/1\.1 400/);
});

test('closed before answering: ECONNRESET 104; silence: ETIMEDOUT 110', async (t) => {
  const closing = await raw((sock) => sock.once('data', () => sock.end()));
  t.after(closing.close);
  const reset = await probeFastcgi(local, { endpoint: { kind: 'tcp', host: '127.0.0.1', port: closing.port }, path: '/ping', ...timeouts });
  assert.equal(reset.code, 'ECONNRESET');
  assert.equal(reset.errno, 104);
  const silent = await raw(() => {});
  t.after(silent.close);
  const timeout = await probeFastcgi(local, { endpoint: { kind: 'tcp', host: '127.0.0.1', port: silent.port }, path: '/ping', connectTimeoutMs: 1000, requestTimeoutMs: 150 });
  assert.equal(timeout.code, 'ETIMEDOUT');
  assert.equal(timeout.errno, 110);
});
