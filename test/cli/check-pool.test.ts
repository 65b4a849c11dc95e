// A service with several backends (a pool) against real nginx and real
// backends: the upstream group is compared as a set, and every member is
// probed as a single backend is.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHttpBackend, status, type Handler } from '../helpers/backend.js';
import { runCli } from '../helpers/cli.js';
import { appDeployment, hasNginx, NGINX_BINARY } from '../helpers/nginx.js';
import { freePort } from '../helpers/ports.js';

const skip = !hasNginx && 'nginx not installed';

/** nginx running an upstream group of `members` for app.test, and a spec whose backend is `spec`. */
async function deployment(t: TestContext, members: number[], spec: number[], deadline = '10s') {
  const listen = await freePort();
  const app = `upstream app {
    ${members.map((p) => `server 127.0.0.1:${p};`).join('\n    ')}
}
server {
    listen 127.0.0.1:${listen};
    server_name app.test;
    location / { proxy_pass http://app; }
}
`;
  const { nginx, spec: file } = await appDeployment(
    t,
    app,
    `version: 1
services:
  app:
    backend:
${spec.map((p) => `      - 127.0.0.1:${p}\n`).join('')}    health: /healthz
    server_name: app.test
nginx:
  config: nginx.conf
  binary: ${NGINX_BINARY}
gate:
  deadline: ${deadline}
  interval: 50ms
`,
  );
  return { dir: nginx.prefix, spec: file, conf: join(nginx.prefix, 'conf.d', 'app.conf') };
}

async function backend(t: TestContext, handler?: Handler) {
  const b = await startHttpBackend({ ...(handler && { handler }) });
  t.after(() => b.close());
  return b;
}

interface Report {
  verdict: string;
  reason?: string;
  findings: Record<string, unknown>[];
  checks?: { name: string; status: string }[];
}

test('a pool nginx balances over in full, every member healthy: pass, each member requested', { skip }, async (t) => {
  const [a, b] = [await backend(t), await backend(t)];
  const d = await deployment(t, [a.port, b.port], [a.port, b.port]);
  const r = await runCli(['check', '--spec', d.spec, '--format', 'json'], { cwd: d.dir });
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const rep = JSON.parse(r.stdout) as Report;
  assert.equal(rep.verdict, 'pass');
  const names = JSON.stringify(rep);
  assert.ok(names.includes(`http GET /healthz 127.0.0.1:${a.port}`) && names.includes(`http GET /healthz 127.0.0.1:${b.port}`), names);
});

test('one member of the pool answers 503: health.status names that member, exit 1', { skip }, async (t) => {
  const a = await backend(t);
  const b = await backend(t, status(503, 'draining\n'));
  const d = await deployment(t, [a.port, b.port], [a.port, b.port], '10s');
  const r = await runCli(['check', '--spec', d.spec, '--format', 'json'], { cwd: d.dir });
  assert.equal(r.code, 1, r.stderr + r.stdout);
  const rep = JSON.parse(r.stdout) as Report;
  assert.equal(rep.reason, 'health.status');
  const failed = rep.findings.filter((f) => f.severity === 'error');
  assert.deepEqual(
    failed.map((f) => [f.code, f.target]),
    [['health.status', `127.0.0.1:${b.port}`]],
  );
});

test('one member of the pool is down: backend.down for that member only', { skip }, async (t) => {
  const a = await backend(t);
  const down = await freePort();
  const d = await deployment(t, [a.port, down], [a.port, down], '10s');
  const r = await runCli(['check', '--spec', d.spec, '--format', 'json'], { cwd: d.dir });
  assert.equal(r.code, 1, r.stderr + r.stdout);
  const rep = JSON.parse(r.stdout) as Report;
  assert.equal(rep.reason, 'backend.down');
  assert.deepEqual(
    rep.findings.filter((f) => f.severity === 'error').map((f) => [f.code, f.target]),
    [['backend.down', `127.0.0.1:${down}`]],
  );
});

test("nginx's group has a member the spec does not name: config.pool_mismatch on that member's line, the other member's line untouched", { skip }, async (t) => {
  const [a, b] = [await backend(t), await backend(t)];
  const d = await deployment(t, [a.port, b.port], [a.port]);
  const before = readFileSync(d.conf, 'utf8');
  const r = await runCli(['check', '--spec', d.spec, '--format', 'json'], { cwd: d.dir });
  assert.equal(r.code, 1, r.stderr + r.stdout);
  const rep = JSON.parse(r.stdout) as Report;
  assert.equal(rep.reason, 'config.pool_mismatch');
  const errors = rep.findings.filter((f) => f.severity === 'error');
  assert.deepEqual(
    errors.map((f) => [f.code, f.target, f.line]),
    [['config.pool_mismatch', `127.0.0.1:${b.port}`, 3]],
  );
  assert.equal(errors[0]?.fix, `remove \`server 127.0.0.1:${b.port};\` from upstream app (conf.d/app.conf:3), or add 127.0.0.1:${b.port} to the spec's backend list`);
  assert.equal(String(errors[0]?.fix).includes(`127.0.0.1:${a.port}`), false, "the fix never names the other member's address");
  assert.equal(readFileSync(d.conf, 'utf8'), before);
});

test('the spec names a member nginx lacks: config.pool_mismatch with the one line to add to the group', { skip }, async (t) => {
  const a = await backend(t);
  const missing = await freePort();
  const d = await deployment(t, [a.port], [a.port, missing]);
  const r = await runCli(['check', '--spec', d.spec, '--format', 'json'], { cwd: d.dir });
  assert.equal(r.code, 1, r.stderr + r.stdout);
  const rep = JSON.parse(r.stdout) as Report;
  assert.equal(rep.reason, 'config.pool_mismatch');
  const f = rep.findings.find((x) => x.code === 'config.pool_mismatch');
  assert.equal(f?.target, `127.0.0.1:${missing}`);
  assert.equal(f?.fix, `server 127.0.0.1:${missing};  (add to upstream app, conf.d/app.conf:1)`);
});
