// HTTP(S) GET with curl -f semantics against real servers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createHttps } from 'node:https';
import { createServer as createTcp, type Socket } from 'node:net';
import { join } from 'node:path';
import { localHost } from '../../src/host/local/local-host.js';
import { MAX_BODY_BYTES, probeHttp } from '../../src/probe/http.js';
import { startHttpBackend, status } from '../helpers/backend.js';
import { tempDir } from '../helpers/tmp.js';

const local = localHost();

const timeouts = { connectTimeoutMs: 1000, requestTimeoutMs: 1000 };
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

function selfSigned(): { key: Buffer; cert: Buffer; remove: () => void } {
  const { dir, remove } = tempDir('ugate-tls-');
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=api.test'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return { key: readFileSync(key), cert: readFileSync(cert), remove };
}

async function raw(onConnection: (s: Socket) => void) {
  const server = createTcp((s) => {
    s.on('error', () => {});
    onConnection(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as import('node:net').AddressInfo).port, close: () => server.close() };
}

test('200 passes with status, body and timings; the Host header is sent', async (t) => {
  let host: string | undefined;
  const b = await startHttpBackend({
    handler: (req, res) => {
      host = req.headers.host;
      res.end('ok\n');
    },
  });
  t.after(() => b.close());
  const r = await probeHttp(local, { endpoint: { kind: 'tcp', host: '127.0.0.1', port: b.port }, tls: false, path: '/healthz', hostHeader: 'api.test', ...timeouts });
  assert.equal(r.ok, true);
  assert.equal(r.status, 200);
  assert.equal(r.body, 'ok\\n');
  assert.equal(host, 'api.test');
  assert.ok((r.timings.firstByteMs ?? -1) >= (r.timings.connectMs ?? 0));
});

test('>= 400 fails like curl -f; 3xx passes (not followed)', async (t) => {
  const b = await startHttpBackend({ handler: (req, res) => (req.url === '/moved' ? (res.writeHead(302, { location: '/x' }), res.end()) : status(500, 'boom')(req, res)) });
  t.after(() => b.close());
  const failed = await probeHttp(local, { endpoint: { kind: 'tcp', host: '127.0.0.1', port: b.port }, tls: false, path: '/healthz', ...timeouts });
  assert.equal(failed.ok, false);
  assert.equal(failed.code, 'HTTP_STATUS');
  assert.equal(failed.status, 500);
  assert.equal(failed.body, 'boom');
  const moved = await probeHttp(local, { endpoint: { kind: 'tcp', host: '127.0.0.1', port: b.port }, tls: false, path: '/moved', ...timeouts });
  assert.equal(moved.ok, true);
  assert.equal(moved.status, 302);
});

test('over a unix socket', async (t) => {
  const { dir, remove } = tempDir('ugate-http-');
  t.after(remove);
  const path = join(dir, 'app.sock');
  const b = await startHttpBackend({ path });
  t.after(() => b.close());
  const r = await probeHttp(local, { endpoint: { kind: 'unix', path }, tls: false, path: '/healthz', ...timeouts });
  assert.equal(r.ok, true);
  assert.equal(r.target, `http://unix:${path}/healthz`);
});

test('at most 64 KiB of an endless body is read', async (t) => {
  const b = await startHttpBackend({
    handler: (_req, res) => {
      res.writeHead(200);
      const chunk = Buffer.alloc(16 * 1024, 'a');
      const pump = () => {
        while (res.write(chunk));
        res.once('drain', pump);
      };
      pump();
    },
  });
  t.after(() => b.close());
  const r = await probeHttp(local, { endpoint: { kind: 'tcp', host: '127.0.0.1', port: b.port }, tls: false, path: '/', ...timeouts });
  assert.equal(r.ok, true);
  assert.ok((r.bytesRead ?? 0) >= MAX_BODY_BYTES);
  assert.ok((r.bytesRead ?? 0) < MAX_BODY_BYTES + 64 * 1024, `read ${r.bytesRead}`);
});

test('silence after connect is a request timeout (110), with the stage reached', async (t) => {
  const s = await raw(() => {});
  t.after(s.close);
  const r = await probeHttp(local, { endpoint: { kind: 'tcp', host: '127.0.0.1', port: s.port }, tls: false, path: '/', connectTimeoutMs: 1000, requestTimeoutMs: 150 });
  assert.equal(r.ok, false);
  assert.equal(r.code, 'ETIMEDOUT');
  assert.equal(r.errno, 110);
  assert.equal(r.stage, 'request');
  assert.match(r.message, /nothing received/);
});

test('headers then silence: still a timeout, at the response stage, with the first bytes', async (t) => {
  const s = await raw((sock) => sock.once('data', () => sock.write('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc')));
  t.after(s.close);
  const r = await probeHttp(local, { endpoint: { kind: 'tcp', host: '127.0.0.1', port: s.port }, tls: false, path: '/', connectTimeoutMs: 1000, requestTimeoutMs: 200 });
  assert.equal(r.code, 'ETIMEDOUT');
  assert.equal(r.stage, 'response');
  assert.match(r.firstBytes ?? '', /^HTTP\/1\.1 200 OK/);
});

test('closed without answering: ECONNRESET 104', async (t) => {
  const s = await raw((sock) => sock.once('data', () => sock.end()));
  t.after(s.close);
  const r = await probeHttp(local, { endpoint: { kind: 'tcp', host: '127.0.0.1', port: s.port }, tls: false, path: '/', ...timeouts });
  assert.equal(r.code, 'ECONNRESET');
  assert.equal(r.errno, 104);
});

test('https against a TLS backend passes (self-signed accepted); plain HTTP against it is a protocol error', { skip: !hasOpenssl && 'openssl not installed' }, async (t) => {
  const tls = selfSigned();
  t.after(tls.remove);
  const server = createHttps({ key: tls.key, cert: tls.cert }, (_req, res) => res.end('secure\n'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const port = (server.address() as import('node:net').AddressInfo).port;
  const ok = await probeHttp(local, { endpoint: { kind: 'tcp', host: '127.0.0.1', port }, tls: true, path: '/healthz', hostHeader: 'api.test', ...timeouts });
  assert.equal(ok.ok, true, ok.message);
  assert.equal(ok.kind, 'https');
  assert.equal(ok.body, 'secure\\n');
  const plain = await probeHttp(local, { endpoint: { kind: 'tcp', host: '127.0.0.1', port }, tls: false, path: '/healthz', ...timeouts });
  assert.equal(plain.ok, false);
  assert.equal(plain.code, 'BAD_PROTOCOL');
  assert.match(plain.message, /answered TLS/);
});

test('https against plain HTTP fails in the TLS stage', async (t) => {
  const b = await startHttpBackend({});
  t.after(() => b.close());
  const r = await probeHttp(local, { endpoint: { kind: 'tcp', host: '127.0.0.1', port: b.port }, tls: true, path: '/', ...timeouts });
  assert.equal(r.ok, false);
  assert.equal(r.stage, 'tls');
  assert.match(r.code ?? '', /^ERR_SSL_|^EPROTO$/);
});

/** A server that answers 200 with `count` extra header lines of `length` bytes each, line end included. */
async function bigHeaders(count: number, length: number) {
  return raw((sock) =>
    sock.once('data', () => {
      let head = 'HTTP/1.1 200 OK\r\ncontent-length: 3\r\nconnection: close\r\n';
      for (let i = 0; i < count; i++) {
        const name = `x-big-${i}: `;
        head += `${name}${'a'.repeat(length - name.length - 2)}\r\n`;
      }
      sock.end(`${head}\r\nok\n`);
    }),
  );
}

const hasCurl = spawnSync('curl', ['--version']).status === 0;

/** What `curl -f` makes of the same answer (curl 7.84 and later cap header lines and blocks alike). */
function curlAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = spawn('curl', ['-sSf', '-o', '/dev/null', `http://127.0.0.1:${port}/`], { stdio: 'ignore' });
    c.on('close', (code) => resolve(code === 0));
  });
}

test('response headers as large as curl takes pass: a 20 KB header, a 100 KiB line, 300 KiB in all', async (t) => {
  for (const [count, length] of [
    [1, 20_000],
    [1, 100 * 1024 - 1],
    [4, 76_000],
  ] as const) {
    const s = await bigHeaders(count, length);
    t.after(s.close);
    const r = await probeHttp(local, { endpoint: { kind: 'tcp', host: '127.0.0.1', port: s.port }, tls: false, path: '/', ...timeouts });
    assert.equal(r.ok, true, `${count} x ${length}: ${r.code} ${r.message}`);
    assert.equal(r.status, 200);
    if (hasCurl) assert.equal(await curlAccepts(s.port), true, `curl, ${count} x ${length}`);
  }
});

test('response headers larger than curl takes are health.protocol: a line of 100 KiB with its line end, more than 300 KiB in all', async (t) => {
  for (const [count, length, why] of [
    [1, 100 * 1024, /header line of 102400 bytes/],
    [1, 1024 * 1024, /header line of \d+\+? bytes/],
    [4, 77_000, /response headers of 308055 bytes/],
    [5000, 100, /response headers of \d+ bytes/],
  ] as const) {
    const s = await bigHeaders(count, length);
    t.after(s.close);
    const r = await probeHttp(local, { endpoint: { kind: 'tcp', host: '127.0.0.1', port: s.port }, tls: false, path: '/', ...timeouts });
    assert.equal(r.ok, false, `${count} x ${length}`);
    assert.equal(r.stage, 'response');
    assert.match(r.code ?? '', /^HPE_/);
    assert.match(r.message, why);
    if (hasCurl) assert.equal(await curlAccepts(s.port), false, `curl, ${count} x ${length}`);
  }
});
