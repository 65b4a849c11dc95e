// The direct health request is the request nginx makes: a backend that checks
// the Host header (Django's ALLOWED_HOSTS, Rails host authorization) answers
// the gate as it answers nginx. Real nginx in front, checked through it too.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { startHttpBackend, type Handler } from '../helpers/backend.js';
import { runCli } from '../helpers/cli.js';
import { appDeployment, hasNginx, NGINX_BINARY } from '../helpers/nginx.js';
import { freePort } from '../helpers/ports.js';
import type { Finding, Report } from '../../src/model/finding.js';

const skip = !hasNginx && 'nginx not installed';

/** 200 only for the one Host it serves, 404 (Django's DisallowedHost answer) otherwise; every request's headers kept. */
async function hostChecking(t: TestContext, allowed: string) {
  const seen: IncomingHttpHeaders[] = [];
  const handler: Handler = (req, res) => {
    seen.push(req.headers);
    const ok = req.headers.host === allowed;
    res.writeHead(ok ? 200 : 404, { 'content-type': 'text/plain' });
    res.end(ok ? 'ok\n' : `Invalid HTTP_HOST header: '${req.headers.host}'\n`);
  };
  const b = await startHttpBackend({ handler });
  t.after(() => b.close());
  return { port: b.port, seen };
}

/**
 * nginx running `http` (with LISTEN for its port), the spec of service app, and the CLI's JSON report.
 * A passing gate ends at its pass, so the deadline is generous (nginx -t on a loaded machine); a failing one
 * waits for its deadline, so it skips nginx -t instead (`extra`), which is not what it is about.
 */
async function gate(t: TestContext, http: (listen: number) => string, backendPort: number, opts: { deadline: string; extra?: string } = { deadline: '60s' }) {
  const listen = await freePort();
  const { spec } = await appDeployment(
    t,
    http(listen),
    `version: 1
services:
  app:
    backend: 127.0.0.1:${backendPort}
    health: /healthz
    server_name: app.example.test
nginx:
  config: nginx.conf
  binary: ${NGINX_BINARY}
  front: http://127.0.0.1:${listen}
${opts.extra ?? ''}gate:
  deadline: ${opts.deadline}
  interval: 50ms
`,
  );
  const r = await runCli(['check', '--spec', spec, '--format', 'json']);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  return JSON.parse(r.stdout) as Report;
}

const checks = (r: Report) => (r.checks ?? []).map((c) => [c.name, c.ok]);

test('proxy_set_header Host $host to a Host-checking backend: the gate sends the server_name, and passes as nginx does', { skip }, async (t) => {
  const b = await hostChecking(t, 'app.example.test');
  const r = await gate(
    t,
    (listen) => `server {
    listen 127.0.0.1:${listen};
    server_name app.example.test;
    location / {
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_pass http://127.0.0.1:${b.port};
    }
}
`,
    b.port,
  );
  assert.equal(r.verdict, 'pass', JSON.stringify(r.findings));
  assert.deepEqual(checks(r), [
    ['config', true],
    [`tcp 127.0.0.1:${b.port}`, true],
    ['http GET /healthz', true],
    ['front GET /healthz', true],
  ]);
  // the direct request and nginx's carry the same headers
  const [direct, viaNginx] = b.seen;
  assert.equal(direct?.host, 'app.example.test');
  assert.equal(direct?.['x-forwarded-for'], '127.0.0.1');
  assert.equal(direct?.['x-forwarded-proto'], 'http');
  assert.equal(viaNginx?.host, 'app.example.test');
  assert.equal(viaNginx?.['x-forwarded-for'], '127.0.0.1');
});

test('no proxy_set_header: the gate sends Host $proxy_host, the upstream name, as nginx does', { skip }, async (t) => {
  const b = await hostChecking(t, 'app_pool');
  const r = await gate(
    t,
    (listen) => `upstream app_pool { server 127.0.0.1:${b.port}; }
server {
    listen 127.0.0.1:${listen};
    server_name app.example.test;
    location / { proxy_pass http://app_pool; }
}
`,
    b.port,
  );
  assert.equal(r.verdict, 'pass', JSON.stringify(r.findings));
  assert.deepEqual(
    b.seen.map((h) => h.host),
    ['app_pool', 'app_pool'],
  );
});

test('nginx sends a Host the backend refuses: the gate fails with the headers it sent, as nginx gets 404 too', { skip }, async (t) => {
  const b = await hostChecking(t, 'app.example.test');
  const r = await gate(
    t,
    (listen) => `upstream app_pool { server 127.0.0.1:${b.port}; }
server {
    listen 127.0.0.1:${listen};
    server_name app.example.test;
    location / {
        proxy_set_header X-Request-Id $request_id;
        proxy_pass http://app_pool;
    }
}
`,
    b.port,
    { deadline: '4s', extra: '  test: off\n' },
  );
  assert.equal(r.verdict, 'fail');
  assert.equal(r.reason, 'health.status');
  const f = r.findings.find((x) => x.code === 'health.status') as Finding;
  assert.equal(f.target, `127.0.0.1:${b.port}`);
  const ev = f.evidence?.join('\n') ?? '';
  assert.match(ev, /request headers as nginx sends them, from proxy_set_header \(conf\.d\/app\.conf:6\): Host: app_pool; Connection: close/);
  assert.match(ev, /not sent: X-Request-Id \$request_id \(not evaluated: \$request_id\)/);
  // retried until the deadline, always with nginx's Host
  assert.ok(b.seen.length > 0);
  assert.deepEqual(new Set(b.seen.map((h) => h.host)), new Set(['app_pool']));
});
