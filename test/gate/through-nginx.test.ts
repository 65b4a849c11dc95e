// The health path requested through nginx by default, against real nginx:
// the server block that serves the service gives the address, scheme and
// name; a 502 is attributed from the error_log the config gives that block;
// nginx not running, and an address nginx resolved at start that a name no
// longer has, are findings of their own.
import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { runGate } from '../../src/gate/run.js';
import { runProbePhase } from '../../src/gate/probe-phase.js';
import { configPhase } from '../../src/nginx/check.js';
import { findNginx } from '../../src/host/nginx-process.js';
import { localHost } from '../../src/host/local/local-host.js';
import type { Finding, Report } from '../../src/model/finding.js';
import { parseSpec } from '../../src/spec/load.js';
import { startHttpBackend, type Handler } from '../helpers/backend.js';
import { hasNginx, NGINX_BINARY, startNginx } from '../helpers/nginx.js';
import { canNetns, createNetns } from '../helpers/netns.js';
import { stopper } from '../helpers/process.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tmp.js';

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

/** A spec over `services` and `gate`, reading nginx's config `conf`; `nginx` adds keys to the nginx mapping. */
function specFor(yaml: string, conf: string, nginx = '') {
  return parseSpec(`version: 1\n${yaml}\nnginx: { config: ${conf}, test: off${nginx ? `, ${nginx}` : ''} }\n`, join(process.cwd(), 'upstream-gate.yml'));
}

function gate(yaml: string, conf: string): Promise<Report> {
  return runGate(specFor(yaml, conf), {});
}

/** The probe phase as runGate runs it, on a config whose dial the config phase would reject (the backend nginx dials is down). */
async function probeThrough(yaml: string, conf: string, nginxKeys = '') {
  const spec = specFor(yaml, conf, nginxKeys);
  const deadlineAt = Date.now() + spec.gate.deadlineMs;
  const ctx = { signal: AbortSignal.timeout(spec.gate.deadlineMs + 2000), deadlineAt, host: localHost() };
  const config = await configPhase(spec, ctx);
  const nginx = await findNginx(ctx.host, { ...(config.nginx?.pidFile !== undefined && { pidFile: config.nginx.pidFile }), config: spec.nginx.config, signal: ctx.signal });
  return runProbePhase(spec, config.dials, { ...ctx, nginx, ...(config.nginx && { nginxFacts: config.nginx }), ...(config.fronts && { fronts: config.fronts }) });
}

function findingOf(r: { findings: Finding[] }, code: string): Finding {
  const f = r.findings.find((x) => x.code === code);
  assert.ok(f, JSON.stringify(r.findings, null, 1));
  return f;
}

function selfSigned(cn: string): { key: string; cert: string; remove: () => void } {
  const { dir, remove } = tempDir('ugate-tls-');
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', `/CN=${cn}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return { key, cert, remove };
}

/** A backend that records the headers of each request. */
function recording(): { handler: Handler; seen: Record<string, string | string[] | undefined>[] } {
  const seen: Record<string, string | string[] | undefined>[] = [];
  return {
    seen,
    handler: (req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok\n');
    },
  };
}

describe('through nginx by default', { skip: !hasNginx && 'nginx not installed' }, () => {
  test('nginx runs: the health path is requested through the server block that serves the service, with its server_name', async (t) => {
    const rec = recording();
    const b = await startHttpBackend({ handler: rec.handler });
    t.after(() => b.close());
    const port = await freePort();
    const nginx = await startNginx({
      http: `server { listen 127.0.0.1:${port}; server_name api.test; location / { proxy_set_header X-Through nginx/$nginx_version; proxy_set_header X-Host $host; proxy_pass http://127.0.0.1:${b.port}; } }`,
    });
    t.after(() => nginx.stop());
    const r = await gate(`services:\n  api: { backend: "127.0.0.1:${b.port}", health: /healthz, server_name: api.test }\ngate: { deadline: 5s }`, nginx.conf);
    assert.equal(r.verdict, 'pass', JSON.stringify(r.findings, null, 1));
    const front = r.checks?.find((c) => c.name === 'front GET /healthz');
    assert.ok(front?.ok, JSON.stringify(r.checks));
    const through = rec.seen.filter((h) => String(h['x-through']).startsWith('nginx/'));
    assert.equal(through.length, 1, 'one request came through nginx');
    assert.equal(through[0]?.['x-host'], 'api.test');
  });

  test('proxy_pass with a URI under a prefix location: the location prefix plus the health path is asked', async (t) => {
    const paths: string[] = [];
    const b = await startHttpBackend({
      handler: (req, res) => {
        paths.push(`${req.headers['x-through'] === undefined ? 'direct' : 'nginx'} ${req.url}`);
        res.end(req.url === '/healthz' ? 'ok\n' : '');
      },
    });
    t.after(() => b.close());
    const port = await freePort();
    const nginx = await startNginx({
      http: `server { listen 127.0.0.1:${port}; server_name api.test; location /api/ { proxy_set_header X-Through nginx/$nginx_version; proxy_pass http://127.0.0.1:${b.port}/; } location / { return 404; } }`,
    });
    t.after(() => nginx.stop());
    const r = await gate(`services:\n  api: { backend: "127.0.0.1:${b.port}", health: /healthz, server_name: api.test }\ngate: { deadline: 5s }`, nginx.conf);
    assert.equal(r.verdict, 'pass', JSON.stringify(r.findings, null, 1));
    assert.ok(r.checks?.some((c) => c.name === 'front GET /api/healthz' && c.ok), JSON.stringify(r.checks));
    assert.deepEqual(paths, ['direct /healthz', 'nginx /healthz']);
  });

  test('nginx.front: off: no request through nginx', async (t) => {
    const rec = recording();
    const b = await startHttpBackend({ handler: rec.handler });
    t.after(() => b.close());
    const port = await freePort();
    const nginx = await startNginx({
      http: `server { listen 127.0.0.1:${port}; server_name api.test; location / { proxy_set_header X-Through nginx/$nginx_version; proxy_pass http://127.0.0.1:${b.port}; } }`,
    });
    t.after(() => nginx.stop());
    const r = await runGate(specFor(`services:\n  api: { backend: "127.0.0.1:${b.port}", health: /healthz, server_name: api.test }\ngate: { deadline: 5s }`, nginx.conf, 'front: off'), {});
    assert.equal(r.verdict, 'pass', JSON.stringify(r.findings, null, 1));
    assert.deepEqual(r.checks?.map((c) => c.name), ['config', `tcp 127.0.0.1:${b.port}`, 'http GET /healthz']);
    assert.equal(rec.seen.filter((h) => String(h['x-through']).startsWith('nginx/')).length, 0);
  });

  test('the backend nginx dials is down: 502 attributed with the line of the error_log the config gives the block', async (t) => {
    const b = await startHttpBackend({});
    t.after(() => b.close());
    const dead = await freePort();
    const port = await freePort();
    const logs = tempDir('ugate-logs-');
    t.after(() => logs.remove());
    const blockLog = join(logs.dir, 'api-error.log');
    // the block's own error_log, not the main one: the narrowest level wins
    const nginx = await startNginx({
      http: `server { listen 127.0.0.1:${port}; server_name api.test; error_log ${blockLog}; location / { proxy_pass http://127.0.0.1:${dead}; } }`,
    });
    t.after(() => nginx.stop());
    const r = await probeThrough(`services:\n  api: { backend: "127.0.0.1:${b.port}", health: /healthz, server_name: api.test }\ngate: { deadline: 5s }`, nginx.conf);
    // the dial nginx makes is probed too, and is down
    assert.ok(r.findings.some((x) => x.code === 'backend.down' && x.target === `127.0.0.1:${dead}`));
    const f = findingOf(r, 'proxy.bad_gateway');
    assert.equal(f.errno, 111);
    assert.match(f.message, new RegExp(`nginx cannot reach http://127\\.0\\.0\\.1:${dead}/healthz`));
    assert.ok(f.evidence?.some((l) => l.includes('connect() failed (111: Connection refused)')), f.evidence?.join('\n'));
    assert.ok(f.evidence?.includes(`error log read: ${blockLog} (the error_log of the server block)`), f.evidence?.join('\n'));
  });

  test('TLS listen: the request through nginx uses TLS with the server_name as SNI', { skip: !hasOpenssl && 'openssl not installed' }, async (t) => {
    const tls = selfSigned('api.test');
    t.after(() => tls.remove());
    const rec = recording();
    const b = await startHttpBackend({ handler: rec.handler });
    t.after(() => b.close());
    const port = await freePort();
    const nginx = await startNginx({
      http: `server { listen 127.0.0.1:${port} ssl; server_name api.test; ssl_certificate ${tls.cert}; ssl_certificate_key ${tls.key}; location / { proxy_set_header X-Sni $ssl_server_name; proxy_set_header X-Scheme $scheme; proxy_pass http://127.0.0.1:${b.port}; } }`,
    });
    t.after(() => nginx.stop());
    const r = await gate(`services:\n  api: { backend: "127.0.0.1:${b.port}", health: /healthz, server_name: api.test }\ngate: { deadline: 5s }`, nginx.conf);
    assert.equal(r.verdict, 'pass', JSON.stringify(r.findings, null, 1));
    assert.ok(r.checks?.some((c) => c.name === 'front GET /healthz' && c.ok), JSON.stringify(r.checks));
    // the direct request carries nginx's headers too, but not $ssl_server_name, which only a request through nginx has
    const through = rec.seen.filter((h) => h['x-sni'] !== undefined);
    assert.deepEqual(
      through.map((h) => [h['x-scheme'], h['x-sni']]),
      [['https', 'api.test']],
    );
  });

  test('an https upstream with proxy_ssl_verify on and a self-signed certificate: the certificate-verify line, its cause and fix', { skip: !hasOpenssl && 'openssl not installed' }, async (t) => {
    const tls = selfSigned('backend.test');
    t.after(() => tls.remove());
    const server = createHttps({ key: readFileSync(tls.key), cert: readFileSync(tls.cert) }, (_req, res) => res.end('ok\n'));
    await new Promise<void>((r) => server.listen({ host: '127.0.0.1', port: 0 }, r));
    t.after(() => new Promise<void>((r) => server.close(() => r())));
    const bport = (server.address() as AddressInfo).port;
    const port = await freePort();
    const nginx = await startNginx({
      http: `server { listen 127.0.0.1:${port}; server_name api.test; location / { proxy_ssl_verify on; proxy_ssl_trusted_certificate /etc/ssl/certs/ca-certificates.crt; proxy_pass https://127.0.0.1:${bport}; } }`,
    });
    t.after(() => nginx.stop());
    const r = await gate(`services:\n  api: { backend: "127.0.0.1:${bport}", protocol: https, health: /healthz, server_name: api.test }\ngate: { deadline: 5s }`, nginx.conf);
    assert.equal(r.verdict, 'fail');
    assert.equal(r.reason, 'proxy.bad_gateway');
    const f = findingOf(r, 'proxy.bad_gateway');
    assert.ok(f.evidence?.some((l) => /upstream SSL certificate verify error: \(18:self.signed certificate\)/.test(l)), f.evidence?.join('\n'));
    assert.match(f.message, /nginx does not trust the backend's certificate/);
    assert.match(f.fix ?? '', /proxy_ssl_trusted_certificate/);
    assert.ok(f.evidence?.includes(`error log read: ${nginx.errorLog} (the error_log of the main context)`), f.evidence?.join('\n'));
  });

  test('nginx not running while the spec expects it to serve: nginx.not_running with the pid file looked at', async (t) => {
    const b = await startHttpBackend({});
    t.after(() => b.close());
    const port = await freePort();
    const nginx = await startNginx({ writeOnly: true, http: `server { listen 127.0.0.1:${port}; server_name api.test; location / { proxy_pass http://127.0.0.1:${b.port}; } }` });
    t.after(() => nginx.stop());
    const r = await gate(`services:\n  api: { backend: "127.0.0.1:${b.port}", health: /healthz, server_name: api.test }\ngate: { deadline: 5s }`, nginx.conf);
    assert.equal(r.verdict, 'fail');
    assert.equal(r.reason, 'nginx.not_running');
    const f = findingOf(r, 'nginx.not_running');
    assert.ok(f.evidence?.includes(`pid file: ${join(nginx.prefix, 'nginx.pid')}`), f.evidence?.join('\n'));
    assert.ok(f.evidence?.some((l) => l.includes(`listen 127.0.0.1:${port};`)), f.evidence?.join('\n'));
    assert.match(f.fix ?? '', /start nginx/);
  });

  test('nginx not running and no server_name: the spec does not expect nginx, the gate passes on the backend', async (t) => {
    const b = await startHttpBackend({});
    t.after(() => b.close());
    const port = await freePort();
    const nginx = await startNginx({ writeOnly: true, http: `server { listen 127.0.0.1:${port}; location / { proxy_pass http://127.0.0.1:${b.port}; } }` });
    t.after(() => nginx.stop());
    const r = await gate(`services:\n  api: { backend: "127.0.0.1:${b.port}", health: /healthz }\ngate: { deadline: 5s }`, nginx.conf);
    assert.equal(r.verdict, 'pass', JSON.stringify(r.findings, null, 1));
    assert.ok(!r.checks?.some((c) => c.name.startsWith('front')));
  });
});

describe("nginx's addresses", { skip: (!hasNginx && 'nginx not installed') || (!canNetns && 'needs root and ip netns') }, () => {
  const DRIVER = fileURLToPath(new URL('./run-gate-driver.ts', import.meta.url));
  const port = 18080;
  const bport = 18000;

  /**
   * In a namespace standing for the host (its own loopback and hosts file, shared by nginx and the gate):
   * nginx starts while app is 127.0.0.2, then the hosts file says 127.0.0.3, then the gate runs with
   * backends of its own on `listen`.
   */
  async function movedName(t: TestContext, listen: string[]): Promise<Report> {
    const ns = createNetns({ hosts: '127.0.0.2 app\n' });
    t.after(() => ns.remove());
    const nginx = await startNginx({
      writeOnly: true,
      http: `server { listen 127.0.0.1:${port}; server_name api.test; location / { proxy_pass http://app:${bport}; } }`,
    });
    t.after(() => nginx.stop());
    const child = spawn('ip', ['netns', 'exec', ns.name, NGINX_BINARY, '-p', nginx.prefix, '-c', nginx.conf, '-e', nginx.errorLog], { stdio: 'ignore' });
    t.after(stopper(child));
    const pidFile = join(nginx.prefix, 'nginx.pid');
    for (let i = 0; i < 250 && !existsSync(pidFile) && child.exitCode === null; i++) await sleep(20);
    assert.ok(existsSync(pidFile), `nginx did not start: ${nginx.readErrorLog()}`);
    // nginx's start time is known to the second it booted in (btime): a change must come later than that
    await sleep(1100);
    // rewritten in place: the bind mount nginx's namespace sees is this same file
    writeFileSync(`/etc/netns/${ns.name}/hosts`, '127.0.0.3 app\n');
    const spec = `version: 1\nservices:\n  api: { backend: "app:${bport}", health: /healthz, server_name: api.test }\nnginx: { config: ${nginx.conf}, test: off }\ngate: { deadline: 20s }\n`;
    const r = await ns.run([process.execPath, '--import', 'tsx', DRIVER], {
      env: { UGATE_DRIVER: JSON.stringify({ spec, file: join(nginx.prefix, 'upstream-gate.yml'), listen: listen.map((host) => ({ host, port: bport })) }) },
    });
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as Report;
  }

  test('nginx resolved app at start; the hosts file moved it since: nginx.stale_address with the logged address and the reload fix', async (t) => {
    const report = await movedName(t, ['127.0.0.3']);
    assert.equal(report.verdict, 'fail', JSON.stringify(report.findings, null, 1));
    assert.equal(report.reason, 'nginx.stale_address');
    const f = findingOf(report, 'nginx.stale_address');
    assert.equal(f.severity, 'error');
    assert.match(f.message, new RegExp(`nginx dials 127\\.0\\.0\\.2:${bport} for app, which it resolved when it started; app now resolves to 127\\.0\\.0\\.3`));
    assert.ok(f.evidence?.some((l) => l.includes(`upstream: "http://127.0.0.2:${bport}/healthz"`)), f.evidence?.join('\n'));
    assert.ok(f.evidence?.some((l) => /etc\/hosts modified .*, after nginx started$/.test(l)), f.evidence?.join('\n'));
    assert.match(f.fix ?? '', /^reload nginx/);
    assert.match(f.file ?? '', /nginx\.conf$/);
    // the gate's own checks of app pass: only nginx holds the old address
    assert.deepEqual(
      report.checks?.map((c) => [c.name, c.ok]),
      [
        ['config', true],
        [`tcp 127.0.0.3:${bport}`, true],
        ['http GET /healthz', true],
        ['front GET /healthz', false],
      ],
    );
  });

  test('the old address still answers: the request through nginx passes, the hosts file changed after nginx started is a warning', async (t) => {
    const report = await movedName(t, ['127.0.0.2', '127.0.0.3']);
    assert.equal(report.verdict, 'pass', JSON.stringify(report.findings, null, 1));
    const f = findingOf(report, 'nginx.stale_address');
    assert.equal(f.severity, 'warning');
    assert.equal(f.target, `app:${bport}`);
    assert.match(f.message, /^nginx resolved app when it started \(.*\); \/proc\/\d+\/root\/etc\/hosts changed after that/);
    assert.ok(f.evidence?.includes('app resolves now to 127.0.0.3'), f.evidence?.join('\n'));
    assert.match(f.fix ?? '', /^reload nginx/);
  });
});
