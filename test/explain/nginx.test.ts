// explain on lines the local nginx writes: each backend is broken on purpose,
// a request goes through nginx with fetch, and the error log nginx wrote is
// what explain reads.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { createExplainer, type ExplainGroup } from '../../src/explain/explain.js';
import { readLogLines } from '../../src/explain/error-log-stream.js';
import { startHttpBackend, type Backend } from '../helpers/backend.js';
import { hasNginx, NGINX_BINARY, startNginx, type NginxInstance } from '../helpers/nginx.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tmp.js';

const skip = !hasNginx && 'nginx not installed';

interface Scenario {
  path: string;
  /** the upstream address explain should group by */
  upstream: string;
  kind: string;
  code?: string;
  errno?: number;
  /** requests to send (no live upstreams needs two) */
  requests?: number;
}

const servers: Server[] = [];
const backends: Backend[] = [];
const killers: (() => void)[] = [];
let nginx: NginxInstance | undefined;
const tmp = tempDir(`ugate-explain-nginx-${process.pid}-`);
const scenarios: Scenario[] = [];
let front = 0;

/** A raw TCP server that does `onConnect` with each connection. */
async function rawServer(onConnect: (s: Socket) => void): Promise<number> {
  const srv = createServer(onConnect);
  servers.push(srv);
  await new Promise<void>((r) => srv.listen({ host: '127.0.0.1', port: 0 }, r));
  return (srv.address() as { port: number }).port;
}

/** A socket file nobody listens on: a child listens, then is killed before it can unlink it. */
async function staleSocket(path: string): Promise<void> {
  const child = spawn(process.execPath, ['-e', 'require("net").createServer().listen(process.argv[1], () => console.log("up"))', path], { stdio: ['ignore', 'pipe', 'ignore'] });
  killers.push(() => child.kill('SIGKILL'));
  await new Promise<void>((r) => child.stdout.once('data', () => r()));
  child.kill('SIGKILL');
  await new Promise<void>((r) => child.once('exit', () => r()));
}

before(async () => {
  if (skip) return;
  const down = await freePort();
  const down2 = await freePort();
  const http = await startHttpBackend({});
  backends.push(http);
  const bigHeader = await startHttpBackend({
    handler: (_req, res) => {
      res.writeHead(200, { 'set-cookie': `s=${'x'.repeat(16 * 1024)}` });
      res.end('ok');
    },
  });
  backends.push(bigHeader);
  const hang = await rawServer(() => {});
  const close = await rawServer((s) => s.once('data', () => s.end()));
  const reset = await rawServer((s) => s.once('data', () => s.resetAndDestroy()));
  const ssh = await rawServer((s) => {
    s.on('error', () => {});
    s.end('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n');
  });
  const shortBody = await rawServer((s) =>
    s.once('data', () => {
      s.write('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial');
      setTimeout(() => s.end(), 50);
    }),
  );
  const sockets = join(tmp.dir, 'run');
  mkdirSync(sockets);
  chmodSync(sockets, 0o755);
  const missing = join(sockets, 'missing.sock');
  const stale = join(sockets, 'stale.sock');
  await staleSocket(stale);
  chmodSync(stale, 0o666);
  const privateSock = join(sockets, 'private.sock');
  const priv = await startHttpBackend({ path: privateSock });
  backends.push(priv);
  chmodSync(privateSock, 0o600);

  const h = `127.0.0.1:${http.port}`;
  scenarios.push(
    { path: '/refused', upstream: `http://127.0.0.1:${down}`, kind: 'refused', code: 'backend.down', errno: 111 },
    { path: '/ipv6', upstream: `http://[::1]:${http.port}`, kind: 'refused', code: 'backend.down', errno: 111 },
    { path: '/missing', upstream: `http://unix:${missing}`, kind: 'socket_missing', code: 'socket.missing', errno: 2 },
    { path: '/stale', upstream: `http://unix:${stale}`, kind: 'socket_refused', code: 'socket.refused', errno: 111 },
    { path: '/private', upstream: `http://unix:${privateSock}`, kind: 'socket_permission', code: 'socket.permission', errno: 13 },
    { path: '/hang', upstream: `http://127.0.0.1:${hang}`, kind: 'read_timeout', code: 'health.timeout', errno: 110 },
    { path: '/close', upstream: `http://127.0.0.1:${close}`, kind: 'premature_close', code: 'health.reset' },
    { path: '/reset', upstream: `http://127.0.0.1:${reset}`, kind: 'reset', code: 'health.reset', errno: 104 },
    { path: '/bighdr', upstream: `http://127.0.0.1:${bigHeader.port}`, kind: 'too_big_header' },
    { path: '/ssh', upstream: `http://127.0.0.1:${ssh}`, kind: 'not_http', code: 'health.protocol' },
    { path: '/tls', upstream: `https://${h}`, kind: 'tls_plain', code: 'health.protocol' },
    { path: '/fcgi', upstream: `fastcgi://${h}`, kind: 'fastcgi_protocol', code: 'health.protocol' },
    { path: '/body', upstream: `http://127.0.0.1:${shortBody}`, kind: 'body_closed', code: 'health.reset' },
    { path: '/pool', upstream: 'http://pool', kind: 'no_live_upstreams', requests: 2 },
  );
  front = await freePort();
  nginx = await startNginx({
    user: 'nobody nogroup',
    http: `
upstream pool { server 127.0.0.1:${down} max_fails=1 fail_timeout=30s; server 127.0.0.1:${down2} max_fails=1 fail_timeout=30s; }
server {
  listen 127.0.0.1:${front};
  server_name explain.test;
  proxy_read_timeout 1s;
  location /refused { proxy_pass http://127.0.0.1:${down}; }
  location /ipv6 { proxy_pass http://[::1]:${http.port}; }
  location /missing { proxy_pass http://unix:${missing}:/; }
  location /stale { proxy_pass http://unix:${stale}:/; }
  location /private { proxy_pass http://unix:${privateSock}:/; }
  location /hang { proxy_pass http://127.0.0.1:${hang}; }
  location /close { proxy_pass http://127.0.0.1:${close}; }
  location /reset { proxy_pass http://127.0.0.1:${reset}; }
  location /bighdr { proxy_buffer_size 4k; proxy_pass http://127.0.0.1:${bigHeader.port}; }
  location /ssh { proxy_pass http://127.0.0.1:${ssh}; }
  location /tls { proxy_pass https://${h}; }
  location /fcgi { fastcgi_pass ${h}; }
  location /body { proxy_pass http://127.0.0.1:${shortBody}; }
  location /pool { proxy_pass http://pool; }
}`,
  });
  for (const s of scenarios) {
    for (let i = 0; i < (s.requests ?? 1); i++) {
      const res = await fetch(`http://127.0.0.1:${front}${s.path}`).catch(() => undefined);
      await res?.arrayBuffer().catch(() => undefined);
    }
  }
});

after(async () => {
  await nginx?.stop();
  for (const k of killers) k();
  for (const b of backends) await b.close();
  for (const s of servers) s.close();
  tmp.remove();
});

async function explainLog(path: string): Promise<ExplainGroup[]> {
  const ex = createExplainer();
  await readLogLines(path, ex.add);
  return ex.result().groups;
}

test('each broken backend becomes its own group with the right failure, code and errno', { skip }, async () => {
  const groups = await explainLog(nginx!.errorLog);
  for (const s of scenarios) {
    const g = groups.find((x) => x.upstream === s.upstream && x.kind === s.kind);
    assert.ok(g, `${s.path}: no ${s.kind} group for ${s.upstream}\n${nginx!.readErrorLog()}`);
    assert.equal(g.code, s.code, s.path);
    assert.equal(g.errno, s.errno, s.path);
    assert.deepEqual(g.servers, ['explain.test'], s.path);
    assert.deepEqual(g.hosts, [`127.0.0.1:${front}`], s.path);
    assert.ok(g.sample.includes(`GET ${s.path}`), `${s.path}: sample ${g.sample}`);
  }
  // the pool's servers failed first: their refusals are groups of their own, and the pool line points at them
  const pool = groups.find((g) => g.kind === 'no_live_upstreams');
  assert.match(pool?.cause ?? '', /marked failed/);
});

test('nginx -t on an unresolvable upstream: the config error is a dns.unresolved group with file and line', { skip }, async () => {
  const bad = await startNginx({ writeOnly: true, http: 'server { listen 127.0.0.1:1; location / { proxy_pass http://no-such-host.invalid; } }' });
  try {
    const log = join(bad.prefix, 'logs', 'test-error.log');
    writeFileSync(log, '');
    const r = spawnSync(NGINX_BINARY, ['-t', '-p', bad.prefix, '-c', bad.conf, '-e', log], { encoding: 'utf8' });
    assert.notEqual(r.status, 0);
    const groups = await explainLog(log);
    const g = groups.find((x) => x.kind === 'host_not_found');
    assert.ok(g, `no host_not_found group in:\n${bad.readErrorLog()}`);
    assert.equal(g.code, 'dns.unresolved');
    assert.equal(g.upstream, 'no-such-host.invalid');
    assert.equal(g.file, bad.conf);
    assert.ok(g.line !== undefined && g.line > 1);
  } finally {
    await bad.stop();
  }
});
