// Prove the release: a service's expect: against real HTTP backends that
// answer the previous release for a number of requests (never a time), or
// for good, directly and through real nginx, and through the CLI with the
// release passed in the environment.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { runProbePhase } from '../../src/gate/probe-phase.js';
import { localHost } from '../../src/host/local/local-host.js';
import type { Finding } from '../../src/model/finding.js';
import { parseSpec } from '../../src/spec/load.js';
import { startHttpBackend } from '../helpers/backend.js';
import { runCli } from '../helpers/cli.js';
import { hasNginx, startNginx } from '../helpers/nginx.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tmp.js';

const OLD = '3f2a9c1';
const NEW = '8d41e07';

async function phase(yaml: string, env: Record<string, string> = { RELEASE_SHA: NEW }) {
  const spec = parseSpec(`version: 1\n${yaml}`, join(process.cwd(), 'upstream-gate.yml'), undefined, env);
  const deadlineAt = Date.now() + spec.gate.deadlineMs;
  const signal = AbortSignal.timeout(spec.gate.deadlineMs + Math.min(spec.gate.connectTimeoutMs, 5000));
  return runProbePhase(spec, [], { signal, deadlineAt, host: localHost() });
}

/** Answers release `OLD` to the first `oldFor` health requests, then `NEW`; counts them. */
function releases(oldFor: number) {
  let served = 0;
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    if (req.url !== '/healthz') {
      res.writeHead(404);
      res.end();
      return;
    }
    served += 1;
    const release = served <= oldFor ? OLD : NEW;
    res.writeHead(200, { 'content-type': 'application/json', 'x-release': release });
    res.end(JSON.stringify({ status: 'ok', build: { commit: release } }));
  };
  return { handler, served: () => served };
}

function only(r: { findings: Finding[] }): Finding {
  assert.equal(r.findings.length, 1, JSON.stringify(r.findings, null, 1));
  return r.findings[0] as Finding;
}

describe('prove the release: the backend directly', () => {
  test('the previous release answers 3 requests, then the new one: a pass after 4 attempts, the lag in the report', async (t) => {
    const r3 = releases(3);
    const b = await startHttpBackend({ handler: r3.handler });
    t.after(() => b.close());
    const r = await phase(`services:\n  api:\n    backend: "127.0.0.1:${b.port}"\n    health: /healthz\n    expect:\n      headers:\n        X-Release: \${RELEASE_SHA}\ngate: { deadline: 30s, interval: 20ms, max_interval: 100ms }\n`);
    assert.deepEqual(r.findings, []);
    const health = r.checks.find((c) => c.name === 'http GET /healthz');
    assert.equal(health?.ok, true);
    assert.equal(health?.attempts, 4);
    assert.equal(r3.served(), 4);
  });

  test('the previous release keeps answering: health.unexpected at the deadline, the observed release beside the expected one, never a pass', async (t) => {
    const stuck = releases(Number.POSITIVE_INFINITY);
    const b = await startHttpBackend({ handler: stuck.handler });
    t.after(() => b.close());
    const r = await phase(
      `services:\n  api:\n    backend: "127.0.0.1:${b.port}"\n    health: /healthz\n    expect:\n      headers:\n        X-Release: \${RELEASE_SHA}\n      json:\n        build.commit: \${RELEASE_SHA}\ngate: { deadline: 1500ms, interval: 20ms, max_interval: 100ms }\n`,
    );
    const f = only(r);
    assert.equal(f.code, 'health.unexpected');
    assert.equal(f.message, `http://127.0.0.1:${b.port}/healthz answered 200, but X-Release is ${OLD} (the previous release?), expected ${NEW}`);
    assert.ok(f.evidence?.includes(`also: JSON field build.commit is ${OLD} (the previous release?), expected ${NEW}`), f.evidence?.join('\n'));
    const health = r.checks.find((c) => c.name === 'http GET /healthz');
    assert.equal(health?.ok, false);
    assert.equal(health?.code, 'health.unexpected');
    // retried while the old release answered, as a draining process may
    assert.ok((health?.attempts ?? 0) > 1, String(health?.attempts));
    // an attempt the deadline cut short is not counted, so the backend may have served one more
    assert.ok(stuck.served() >= (health?.attempts ?? 0));
  });

  test('a JSON field expected of a body that is not JSON: health.unexpected says the body is not JSON', async (t) => {
    const b = await startHttpBackend({ handler: (_req, res) => res.end('<html>maintenance</html>') });
    t.after(() => b.close());
    const f = only(await phase(`services:\n  api:\n    backend: "127.0.0.1:${b.port}"\n    health: /healthz\n    expect:\n      json:\n        version: 1.4.2\ngate: { deadline: 500ms, interval: 20ms, max_interval: 100ms }\n`));
    assert.equal(f.code, 'health.unexpected');
    assert.match(f.message, /answered 200, but the body is not JSON: Unexpected token .*, expected JSON field version 1\.4\.2$/);
    assert.ok(f.evidence?.some((l) => l === 'body: <html>maintenance</html>'), f.evidence?.join('\n'));
  });
});

describe('prove the release: through nginx', { skip: !hasNginx && 'nginx not installed' }, () => {
  test('the new release answers directly, but nginx still proxies to the old instance: health.unexpected on the front check', async (t) => {
    const fresh = await startHttpBackend({ handler: releases(0).handler });
    t.after(() => fresh.close());
    const stale = await startHttpBackend({ handler: releases(Number.POSITIVE_INFINITY).handler });
    t.after(() => stale.close());
    const port = await freePort();
    const nginx = await startNginx({ http: `server { listen 127.0.0.1:${port}; server_name api.test; location / { proxy_pass http://127.0.0.1:${stale.port}; } }` });
    t.after(() => nginx.stop());
    const r = await phase(
      `services:\n  api:\n    backend: "127.0.0.1:${fresh.port}"\n    health: /healthz\n    server_name: api.test\n    expect:\n      headers:\n        X-Release: \${RELEASE_SHA}\nnginx: { front: "http://127.0.0.1:${port}", error_log: ${nginx.errorLog} }\ngate: { deadline: 1500ms, interval: 20ms, max_interval: 100ms }\n`,
    );
    const f = only(r);
    assert.equal(f.code, 'health.unexpected');
    assert.equal(f.message, `through nginx, http://127.0.0.1:${port}/healthz answered 200, but X-Release is ${OLD} (the previous release?), expected ${NEW}`);
    assert.match(f.fix ?? '', /stale upstream/);
    assert.deepEqual(
      r.checks.map((c) => [c.name, c.ok, c.code]),
      [
        [`tcp 127.0.0.1:${fresh.port}`, true, undefined],
        ['http GET /healthz', true, undefined],
        ['front GET /healthz', false, 'health.unexpected'],
      ],
    );
  });

  test('nginx serves the previous release for 2 requests, then the new one: the front check passes after 3 attempts', async (t) => {
    const fresh = await startHttpBackend({ handler: releases(0).handler });
    t.after(() => fresh.close());
    const lagging = releases(2);
    const upstream = await startHttpBackend({ handler: lagging.handler });
    t.after(() => upstream.close());
    const port = await freePort();
    const nginx = await startNginx({ http: `server { listen 127.0.0.1:${port}; server_name api.test; location / { proxy_pass http://127.0.0.1:${upstream.port}; } }` });
    t.after(() => nginx.stop());
    const r = await phase(
      `services:\n  api:\n    backend: "127.0.0.1:${fresh.port}"\n    health: /healthz\n    server_name: api.test\n    expect:\n      json:\n        build.commit: \${RELEASE_SHA}\nnginx: { front: "http://127.0.0.1:${port}", error_log: ${nginx.errorLog} }\ngate: { deadline: 30s, interval: 20ms, max_interval: 100ms }\n`,
    );
    assert.deepEqual(r.findings, []);
    assert.equal(r.checks.find((c) => c.name === 'front GET /healthz')?.attempts, 3);
    assert.equal(lagging.served(), 3);
  });
});

describe('prove the release: the CLI', () => {
  test('the release comes from the environment; the JSON report carries health.unexpected and exit 1; unset, it is exit 2 naming the variable', async (t) => {
    const b = await startHttpBackend({ handler: releases(Number.POSITIVE_INFINITY).handler });
    t.after(() => b.close());
    const { dir, remove } = tempDir();
    t.after(remove);
    const spec = join(dir, 'upstream-gate.yml');
    writeFileSync(spec, `version: 1\nservices:\n  api:\n    backend: "127.0.0.1:${b.port}"\n    health: /healthz\n    expect:\n      headers:\n        X-Release: \${GITHUB_SHA}\ngate: { deadline: 800ms, interval: 20ms, max_interval: 100ms }\n`);
    const env = { PATH: process.env.PATH ?? '', HOME: dir };
    const failed = await runCli(['check', '--spec', spec, '--phase', 'probe', '--format', 'json'], { env: { ...env, GITHUB_SHA: NEW } });
    assert.equal(failed.code, 1, failed.stderr);
    const report = JSON.parse(failed.stdout) as { verdict: string; reason: string; findings: Finding[] };
    assert.equal(report.verdict, 'fail');
    assert.equal(report.reason, 'health.unexpected');
    assert.match(report.findings[0]?.message ?? '', new RegExp(`X-Release is ${OLD} \\(the previous release\\?\\), expected ${NEW}$`));
    const unset = await runCli(['check', '--spec', spec, '--phase', 'probe'], { env });
    assert.equal(unset.code, 2);
    assert.equal(unset.stdout, '');
    assert.equal(unset.stderr.trim().split('\n').length, 1, unset.stderr);
    assert.match(unset.stderr, new RegExp(`${spec.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:8: services\\.api\\.expect\\.headers\\.X-Release: environment variable GITHUB_SHA is not set`));
  });
});
