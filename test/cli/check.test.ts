// The gate end to end, as users run it: the CLI against real nginx configs,
// real nginx, and real backends on loopback.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startHttpBackend, status, type Handler } from '../helpers/backend.js';
import { runCli } from '../helpers/cli.js';
import { appDeployment, hasNginx, NGINX_BINARY, startNginx } from '../helpers/nginx.js';
import { freePort } from '../helpers/ports.js';

const skip = !hasNginx && 'nginx not installed';

interface Deployment {
  dir: string;
  spec: string;
  backendPort: number;
}

/**
 * A deployment: nginx (running) whose conf.d/app.conf proxies app.test to
 * `dialPort`, and a spec that says the backend is 127.0.0.1:`backendPort`.
 */
async function deployment(t: TestContext, opts: { backendPort: number; dialPort?: number; deadline?: string; health?: string }): Promise<Deployment> {
  const listen = await freePort();
  const app = `server {
    listen 127.0.0.1:${listen};
    server_name app.test;

    location / {
        proxy_set_header Host $host;
        proxy_pass http://127.0.0.1:${opts.dialPort ?? opts.backendPort};
    }
}
`;
  const { nginx, spec } = await appDeployment(
    t,
    app,
    `version: 1
services:
  app:
    backend: 127.0.0.1:${opts.backendPort}
    health: ${opts.health ?? '/healthz'}
    server_name: app.test
nginx:
  config: nginx.conf
  binary: ${NGINX_BINARY}
gate:
  deadline: ${opts.deadline ?? '10s'}
  interval: 50ms
`,
  );
  return { dir: nginx.prefix, spec, backendPort: opts.backendPort };
}

async function backend(t: TestContext, handler?: Handler, port?: number) {
  const b = await startHttpBackend({ ...(handler && { handler }), ...(port && { port }) });
  t.after(() => b.close());
  return b;
}

function report(stdout: string) {
  return JSON.parse(stdout) as { verdict: string; reason?: string; findings: Record<string, unknown>[] };
}

test('a healthy deployment passes: exit 0, verdict pass, no error finding', { skip }, async (t) => {
  const b = await backend(t);
  const d = await deployment(t, { backendPort: b.port });
  const r = await runCli(['check', '--spec', d.spec, '--format', 'json'], { cwd: d.dir });
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const rep = report(r.stdout);
  assert.equal(rep.verdict, 'pass');
  assert.equal(rep.reason, undefined);
  assert.deepEqual(rep.findings.filter((f) => f.severity === 'error'), []);
});

test('the backend is down: backend.down with errno 111, exit 1', { skip }, async (t) => {
  const port = await freePort();
  // long enough for the config phase on a busy machine: the probes get the rest
  const d = await deployment(t, { backendPort: port, deadline: '3s' });
  const r = await runCli(['check', '--spec', d.spec, '--format', 'json'], { cwd: d.dir });
  assert.equal(r.code, 1, r.stderr + r.stdout);
  const rep = report(r.stdout);
  assert.equal(rep.verdict, 'fail');
  assert.equal(rep.reason, 'backend.down', JSON.stringify(rep.findings));
  const f = rep.findings.find((x) => x.code === 'backend.down');
  assert.ok(f, JSON.stringify(rep.findings));
  assert.equal(f.errno, 111);
  assert.equal(f.errno_name, 'ECONNREFUSED');
  assert.equal(f.service, 'app');
  assert.equal(f.target, `127.0.0.1:${port}`);
  assert.equal(typeof f.fix, 'string');
});

test('nginx dials the wrong port: config.port_mismatch names the included file and line, no probe waits', { skip }, async (t) => {
  const b = await backend(t);
  const d = await deployment(t, { backendPort: b.port, dialPort: b.port === 65535 ? b.port - 1 : b.port + 1, deadline: '30s' });
  const r = await runCli(['check', '--spec', d.spec, '--format', 'json'], { cwd: d.dir });
  assert.equal(r.code, 1, r.stderr + r.stdout);
  const rep = report(r.stdout);
  assert.equal(rep.reason, 'config.port_mismatch');
  const f = rep.findings.find((x) => x.code === 'config.port_mismatch');
  assert.ok(f, JSON.stringify(rep.findings));
  assert.equal(f.file, join(d.dir, 'conf.d', 'app.conf'));
  assert.equal(f.line, 7);
  assert.match(String(f.fix), new RegExp(`proxy_pass http://127\\.0\\.0\\.1:${b.port};`));
  assert.equal(rep.findings.some((x) => String(x.code).startsWith('backend.')), false, 'the probe phase does not run after a config error');
});

test('the health endpoint answers 500: health.status (curl -f semantics), exit 1', { skip }, async (t) => {
  const b = await backend(t, status(500, 'database unavailable\n'));
  const d = await deployment(t, { backendPort: b.port, deadline: '3s' });
  const r = await runCli(['check', '--spec', d.spec, '--format', 'json'], { cwd: d.dir });
  assert.equal(r.code, 1, r.stderr + r.stdout);
  const rep = report(r.stdout);
  assert.equal(rep.reason, 'health.status');
  const f = rep.findings.find((x) => x.code === 'health.status');
  assert.ok(f);
  assert.match(String(f.message), /500/);
});

test('a backend that comes up 2 s into the gate passes within the deadline', { skip }, async (t) => {
  const port = await freePort();
  const d = await deployment(t, { backendPort: port, deadline: '15s' });
  const gate = runCli(['check', '--spec', d.spec, '--format', 'json'], { cwd: d.dir });
  await sleep(2000);
  await backend(t, undefined, port);
  const r = await gate;
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.equal(report(r.stdout).verdict, 'pass');
});

test('a malformed spec: exit 2, one line naming file and line, no stack trace', async (t) => {
  const d = await startNginx({ writeOnly: true });
  t.after(() => d.stop());
  const spec = join(d.prefix, 'bad.yml');
  writeFileSync(spec, 'version: 1\nservices:\n  app:\n    backend: 127.0.0.1:70000\n');
  const r = await runCli(['check', '--spec', 'bad.yml'], { cwd: d.prefix });
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, 'upstream-gate check: bad.yml:4: services.app.backend: port 70000 is outside 1-65535\n');

  const missing = await runCli(['check', '--spec', 'nope.yml'], { cwd: d.prefix });
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr, 'upstream-gate check: nope.yml: cannot read spec: no such file\n');

  const flag = await runCli(['check', '--bogus'], { cwd: d.prefix });
  assert.equal(flag.code, 2);
  assert.doesNotMatch(flag.stderr, /\n\s+at /);
  assert.match(flag.stderr, /^upstream-gate check: Unknown option '--bogus' \(see upstream-gate check --help\)\n$/);
});

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  test(`${sig} stops the gate long before its deadline and exits non-zero`, { skip }, async (t) => {
    const port = await freePort();
    const d = await deployment(t, { backendPort: port, deadline: '60s' });
    let pid = 0;
    let waiting: () => void = () => {};
    const probing = new Promise<void>((r) => (waiting = r));
    // Signal once the probe phase is under way (its first progress line), not at a guessed moment.
    const gate = runCli(['check', '--spec', d.spec], { cwd: d.dir, onSpawn: (p) => (pid = p), onStderr: (all) => /waiting backend\.down/.test(all) && waiting() });
    await probing;
    const sentAt = Date.now();
    process.kill(pid, sig);
    const r = await gate;
    assert.equal(r.code, sig === 'SIGINT' ? 130 : 143, r.stderr);
    assert.match(r.stderr, new RegExp(`upstream-gate: ${sig}: stopping every probe and child process`));
    // Bounded by the 1 s exit timer, not by the 60 s deadline; generous for a loaded machine.
    assert.ok(Date.now() - sentAt < 10_000, `exited ${Date.now() - sentAt} ms after ${sig}`);
  });
}
