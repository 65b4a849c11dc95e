// Which dials belong to a service, and what is wrong with them: the rules of
// src/nginx/evaluate.ts on small configs, names resolved from a fixed table.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateConfig } from '../helpers/small-config.js';

function run(http: string, services: string, addresses: Record<string, string[]> = {}) {
  return evaluateConfig(`http {\n${http}\n}\n`, services, addresses).results;
}

const codes = (e: ReturnType<typeof run>[number]) => e.findings.map((f) => [f.code, f.target, f.line]);

test('no server_name: a dial that is the backend passes; the other apps are left alone', () => {
  const [api] = run(
    `server { listen 80; location / { proxy_pass http://127.0.0.1:8000; } location /auth { proxy_pass http://10.0.0.5:9000; } }`,
    '  api: { backend: 127.0.0.1:8000 }\n',
  );
  assert.deepEqual(codes(api!), []);
  assert.deepEqual(api!.dials.map((d) => d.line), [2]);
});

test('no server_name, no dial is the backend: those sharing its port or host are the mismatches', () => {
  const [api] = run(
    `server { listen 80; location / { proxy_pass http://[::1]:8000; } location /auth { proxy_pass http://10.0.0.5:9000; } }`,
    '  api: { backend: 127.0.0.1:8000 }\n',
  );
  assert.deepEqual(codes(api!), [['config.host_mismatch', '[::1]:8000', 2]]);
});

test('no server_name, nothing related: no_target, naming what nginx dials instead', () => {
  const [api] = run(`server { listen 80; location / { proxy_pass http://10.0.0.5:9000; } }`, '  api: { backend: 127.0.0.1:8000 }\n');
  assert.equal(api!.findings.length, 1);
  assert.equal(api!.findings[0]?.code, 'config.no_target');
  assert.equal(api!.findings[0]?.message, 'nothing in the nginx config dials 127.0.0.1:8000; it dials 10.0.0.5:9000 (nginx.conf:2)');
  assert.equal(api!.findings[0]?.fix, 'proxy_pass http://127.0.0.1:8000;  (in the location that serves the service)');
  assert.deepEqual(api!.dials, []);
});

test('a config with no *_pass at all: no_target', () => {
  const [api] = run(`server { listen 80; root /var/www/html; }`, '  api: { backend: 127.0.0.1:8000 }\n');
  assert.equal(api!.findings[0]?.message, 'the nginx config has no proxy_pass, fastcgi_pass, uwsgi_pass, scgi_pass or grpc_pass for 127.0.0.1:8000');
});

test("another service's backend is that service's dial, not this one's mismatch", () => {
  const [api, worker] = run(
    `server { listen 80; location / { proxy_pass http://127.0.0.1:8001; } location /jobs { proxy_pass http://127.0.0.1:8002; } }`,
    '  api: { backend: 127.0.0.1:8000 }\n  worker: { backend: 127.0.0.1:8002 }\n',
  );
  assert.deepEqual(codes(api!), [['config.port_mismatch', '127.0.0.1:8001', 2]]);
  assert.deepEqual(codes(worker!), []);
});

test('location given: every dial there must be the backend, and other locations do not count', () => {
  const [api] = run(
    `server { listen 80; server_name api.example.com;
  location /v1/ { proxy_pass http://127.0.0.1:8000; }
  location /v2/ { proxy_pass http://127.0.0.1:8000; proxy_pass http://127.0.0.1:9999; }
}`,
    '  api: { backend: 127.0.0.1:8000, server_name: api.example.com, location: /v2/users }\n',
  );
  assert.deepEqual(codes(api!), [['config.port_mismatch', '127.0.0.1:9999', 4]]);
});

test('location given but matched by nothing: no_target names the server blocks', () => {
  const [api] = run(`server { listen 80; server_name api.example.com; location = /only { proxy_pass http://127.0.0.1:8000; } }`, '  api: { backend: 127.0.0.1:8000, server_name: api.example.com, location: /v2 }\n');
  assert.deepEqual(codes(api!), [['config.no_target', '127.0.0.1:8000', 2]]);
  assert.equal(api!.findings[0]?.message, 'no location matches /v2 in server_name api.example.com (nginx.conf:2)');
});

test('https spec, http dial: protocol mismatch with the https line as the fix', () => {
  const [api] = run(`server { listen 80; server_name a; location / { proxy_pass http://127.0.0.1:8443/app/; } }`, '  api: { backend: 127.0.0.1:8443, protocol: https, server_name: a }\n');
  assert.deepEqual(api!.findings.map((f) => [f.code, f.fix]), [['config.protocol_mismatch', 'proxy_pass https://127.0.0.1:8443/app/;  (nginx.conf:2)']]);
});

test('grpc: grpc_pass through an upstream group; a group member on another port is one the spec does not name', () => {
  const [svc] = run(
    `upstream grpc_backend { server 127.0.0.1:50051; server 127.0.0.1:50052; }
server { listen 80 http2; server_name g; location / { grpc_pass grpc://grpc_backend; } }`,
    '  svc: { backend: 127.0.0.1:50051, protocol: grpc, server_name: g }\n',
  );
  assert.deepEqual(codes(svc!), [['config.pool_mismatch', '127.0.0.1:50052', 2]]);
  assert.equal(svc!.findings[0]?.fix, "remove `server 127.0.0.1:50052;` from upstream grpc_backend (nginx.conf:2), or add 127.0.0.1:50052 to the spec's backend list");
});

test('unix socket dialed through proxy_pass: the fix keeps the URI after the socket path', () => {
  const [app] = run(`server { listen 80; server_name a; location / { proxy_pass http://unix:/run/app/old.sock:/api/; } }`, '  app: { backend: unix:/run/app/new.sock, server_name: a }\n');
  assert.deepEqual(app!.findings.map((f) => [f.code, f.target, f.fix]), [
    ['config.socket_mismatch', 'unix:/run/app/old.sock', 'proxy_pass http://unix:/run/app/new.sock:/api/;  (nginx.conf:2)'],
  ]);
});

test('a name resolving to the backend address is the backend; one resolving to both families is ambiguous', () => {
  const [one] = run(`server { listen 80; location / { proxy_pass http://app.internal:8000; } }`, '  api: { backend: 127.0.0.1:8000 }\n', { 'app.internal': ['127.0.0.1'] });
  assert.deepEqual(codes(one!), []);
  const [both] = run(`server { listen 80; location / { proxy_pass http://localhost:8000; } }`, '  api: { backend: 127.0.0.1:8000 }\n', { localhost: ['::1', '127.0.0.1'] });
  assert.deepEqual(both!.findings.map((f) => [f.code, f.severity, f.fix]), [['config.localhost_ambiguous', 'warning', 'proxy_pass http://127.0.0.1:8000;  (nginx.conf:2)']]);
});

test('a protocol mismatch through an upstream group is one finding on the *_pass line', () => {
  const [php] = run(
    `upstream php_pool { server 127.0.0.1:9000; server 127.0.0.1:9000 backup; }
server { listen 80; server_name p; location ~ \\.php$ { proxy_pass http://php_pool; } }`,
    '  php: { backend: 127.0.0.1:9000, protocol: fastcgi, server_name: p }\n',
  );
  assert.deepEqual(php!.findings.map((f) => [f.code, f.message, f.fix]), [
    ['config.protocol_mismatch', 'nginx talks http to upstream php_pool (proxy_pass) but the spec says fastcgi', 'fastcgi_pass php_pool;  (nginx.conf:3)'],
  ]);
});

test('an upstream group with a member the spec does not name: the extra member is reported, and no fix writes over another member', () => {
  const [app] = run(
    `upstream app {
  server 127.0.0.1:8001;
  server 127.0.0.1:8002;
}
server { listen 80; server_name a; location / { proxy_pass http://app; } }`,
    '  app: { backend: 127.0.0.1:8001, server_name: a }\n',
  );
  assert.deepEqual(app!.findings.map((f) => [f.code, f.target, f.line, f.fix]), [
    ['config.pool_mismatch', '127.0.0.1:8002', 4, 'remove `server 127.0.0.1:8002;` from upstream app (nginx.conf:4), or add 127.0.0.1:8002 to the spec\'s backend list'],
  ]);
  assert.equal(app!.findings[0]?.message, 'upstream app has 127.0.0.1:8002, which is not in the spec\'s backend (127.0.0.1:8001)');
});

test('a pool: the group is compared as a set; a missing member gets one line to add, a down member its own line without `down`', () => {
  const [app] = run(
    `upstream app {
  server 127.0.0.1:8001;
  server 127.0.0.1:8002 down;
  server 127.0.0.1:8009 weight=2;
}
server { listen 80; server_name a; location / { proxy_pass http://app; } }`,
    '  app:\n    backend: [127.0.0.1:8001, 127.0.0.1:8002, 127.0.0.1:8003]\n    server_name: a\n',
  );
  assert.deepEqual(app!.findings.map((f) => [f.code, f.severity, f.target, f.line, f.fix]), [
    ['config.pool_mismatch', 'error', '127.0.0.1:8009', 5, 'remove `server 127.0.0.1:8009 weight=2;` from upstream app (nginx.conf:5), or add 127.0.0.1:8009 to the spec\'s backend list'],
    ['config.pool_mismatch', 'warning', '127.0.0.1:8002', 4, 'server 127.0.0.1:8002;  (nginx.conf:4)'],
    ['config.pool_mismatch', 'error', '127.0.0.1:8003', 2, 'server 127.0.0.1:8003;  (add to upstream app, nginx.conf:2)'],
  ]);
  assert.deepEqual(app!.dials.map((d) => d.line), [3, 5]);
});

test('a pool nginx dials in full passes, whatever the members\' order and parameters', () => {
  const [app] = run(
    `upstream app { server 127.0.0.1:8002 max_fails=3; server 127.0.0.1:8001; }
server { listen 80; server_name a; location / { proxy_pass http://app; } }`,
    '  app: { backend: [127.0.0.1:8001, 127.0.0.1:8002], server_name: a }\n',
  );
  assert.deepEqual(codes(app!), []);
});

test('a pool dialed by one address only, without an upstream group: the members nginx never dials are reported', () => {
  const [app] = run(`server { listen 80; server_name a; location / { proxy_pass http://127.0.0.1:8001; } }`, '  app: { backend: [127.0.0.1:8001, 127.0.0.1:8002], server_name: a }\n');
  assert.deepEqual(app!.findings.map((f) => [f.code, f.target, f.line]), [['config.pool_mismatch', '127.0.0.1:8002', 2]]);
  assert.match(app!.findings[0]!.message, /nginx dials only 127\.0\.0\.1:8001 .*not 127\.0\.0\.1:8002/);
});
