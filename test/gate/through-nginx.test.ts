// The health path requested through nginx by default, against real nginx:
// the server block that serves the service gives the address, scheme and
// name; a 502 is attributed from the error_log the config gives that block;
// nginx not running, and an address nginx resolved at start that a name no
// longer has, are findings of their own.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runGate } from '../../src/gate/run.js';
import { runProbePhase } from '../../src/gate/probe-phase.js';
import { configPhase } from '../../src/nginx/check.js';
import { findNginx } from '../../src/host/nginx-process.js';
import { localHost } from '../../src/host/local/local-host.js';
import type { Finding, Report } from '../../src/model/finding.js';
import { parseSpec } from '../../src/spec/load.js';
import { startHttpBackend, type Handler } from '../helpers/backend.js';
import { hasNginx, startNginx } from '../helpers/nginx.js';
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
      http: `server { listen 127.0.0.1:${port}; server_name api.test; location / { proxy_set_header X-Through nginx; proxy_set_header X-Host $host; proxy_pass http://127.0.0.1:${b.port}; } }`,
    });
    t.after(() => nginx.stop());
    const r = await gate(`services:\n  api: { backend: "127.0.0.1:${b.port}", health: /healthz, server_name: api.test }\ngate: { deadline: 5s }`, nginx.conf);
    assert.equal(r.verdict, 'pass', JSON.stringify(r.findings, null, 1));
    const front = r.checks?.find((c) => c.name === 'front GET /healthz');
    assert.ok(front?.ok, JSON.stringify(r.checks));
    const through = rec.seen.filter((h) => h['x-through'] === 'nginx');
    assert.equal(through.length, 1, 'one request came through nginx');
    assert.equal(through[0]?.['x-host'], 'api.test');
  });

  test('proxy_pass with a URI under a prefix location: the location prefix plus the health path is asked', async (t) => {
    const paths: string[] = [];
    const b = await startHttpBackend({
      handler: (req, res) => {
        paths.push(`${req.headers['x-through'] ?? 'direct'} ${req.url}`);
        res.end(req.url === '/healthz' ? 'ok\n' : '');
      },
    });
    t.after(() => b.close());
    const port = await freePort();
    const nginx = await startNginx({
      http: `server { listen 127.0.0.1:${port}; server_name api.test; location /api/ { proxy_set_header X-Through nginx; proxy_pass http://127.0.0.1:${b.port}/; } location / { return 404; } }`,
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
      http: `server { listen 127.0.0.1:${port}; server_name api.test; location / { proxy_set_header X-Through nginx; proxy_pass http://127.0.0.1:${b.port}; } }`,
    });
    t.after(() => nginx.stop());
    const r = await runGate(specFor(`services:\n  api: { backend: "127.0.0.1:${b.port}", health: /healthz, server_name: api.test }\ngate: { deadline: 5s }`, nginx.conf, 'front: off'), {});
    assert.equal(r.verdict, 'pass', JSON.stringify(r.findings, null, 1));
    assert.deepEqual(r.checks?.map((c) => c.name), ['config', `tcp 127.0.0.1:${b.port}`, 'http GET /healthz']);
    assert.equal(rec.seen.filter((h) => h['x-through'] === 'nginx').length, 0);
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
    const r = await probeThrough(`services:\n  api: { backend: "127.0.0.1:${b.port}", health: /healthz, server_name: api.test }\ngate: { deadline: 1500ms }`, nginx.conf);
    // the dial nginx makes is probed too, and is down
    assert.ok(r.findings.some((x) => x.code === 'backend.down' && x.target === `127.0.0.1:${dead}`));
    const f = findingOf(r, 'proxy.bad_gateway');
    assert.equal(f.errno, 111);
    assert.match(f.message, new RegExp(`nginx cannot reach http://127\\.0\\.0\\.1:${dead}/healthz`));
    assert.ok(f.evidence?.some((l) => l.includes('connect() failed (111: Connection refused)')), f.evidence?.join('\n'));
    assert.ok(f.evidence?.includes(`error log read: ${blockLog} (the error_log of the server block)`), f.evidence?.join('\n'));
  });
});
