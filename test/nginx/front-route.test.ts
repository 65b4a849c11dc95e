// How a client reaches each service through nginx, read from small configs:
// the block, its listen address and scheme, the name, the routed path, the
// error_log that applies, and the names nginx resolves only at start.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateConfig } from '../helpers/small-config.js';
import { frontRoutes, listenEndpoint, type FrontRoute } from '../../src/nginx/front-route.js';

function routes(main: string, services: string, addresses: Record<string, string[]> = {}): FrontRoute[] {
  const { parse, model, expansions, spec, results } = evaluateConfig(`${main}\n`, services, addresses);
  return frontRoutes({ parse, model, expansions, services: spec.services, dials: results.flatMap((r) => r.dials) });
}

test('the block whose pass dials the service, among others: its listen, name and error_log', () => {
  const [r] = routes(
    `error_log /var/log/main.log;
http {
  error_log /var/log/http.log;
  server { listen 127.0.0.1:8081; server_name other.test; location / { proxy_pass http://127.0.0.1:9000; } }
  server { listen 8080; server_name _ api.test; error_log /var/log/a.log; error_log /var/log/api.log warn; location / { proxy_pass http://127.0.0.1:8000; } }
}`,
    '  api: { backend: 127.0.0.1:8000, health: /healthz }\n',
  );
  assert.deepEqual(r?.endpoint, { kind: 'tcp', host: '127.0.0.1', port: 8080 });
  assert.equal(r?.tls, false);
  assert.equal(r?.hostName, 'api.test');
  assert.equal(r?.path, '/healthz');
  assert.equal(r?.listen, 'listen 8080;');
  assert.deepEqual(r?.errorLog, { path: '/var/log/api.log', where: 'the server block' });
  assert.deepEqual(r?.server, { file: '/e/nginx.conf', line: 5 });
});

test('error_log: the narrowest level that has one; stderr, syslog and relative paths cannot be read back', () => {
  const log = (main: string, http: string, server: string) =>
    routes(`${main}\nhttp { ${http} server { listen 80; ${server} location / { proxy_pass http://127.0.0.1:8000; } } }`, '  api: { backend: 127.0.0.1:8000, health: /h }\n')[0]?.errorLog;
  assert.deepEqual(log('error_log /m.log;', 'error_log /h.log;', ''), { path: '/h.log', where: 'the http block' });
  assert.deepEqual(log('error_log /m.log;', '', ''), { path: '/m.log', where: 'the main context' });
  assert.deepEqual(log('', '', ''), { path: '/var/log/nginx/error.log', where: "nginx's default (no error_log in the config)" });
  assert.match((log('', '', 'error_log stderr;') as { unreadable: string }).unreadable, /standard error/);
  assert.match((log('', 'error_log syslog:server=unix:/dev/log;', '') as { unreadable: string }).unreadable, /syslog/);
  assert.match((log('error_log logs/error.log;', '', '') as { unreadable: string }).unreadable, /relative to nginx's prefix/);
});

test('TLS: listen ssl (or ssl on), the spec name as SNI; a wildcard listen is the loopback of its family', () => {
  const [r] = routes(
    `http { server { listen [::]:8443 ssl; server_name *.example.test; location / { proxy_pass http://127.0.0.1:8000; } } }`,
    '  api: { backend: 127.0.0.1:8000, health: /healthz, server_name: api.example.test }\n',
  );
  assert.equal(r?.tls, true);
  assert.deepEqual(r?.endpoint, { kind: 'tcp', host: '::1', port: 8443 });
  assert.equal(r?.hostName, 'api.example.test');
  assert.deepEqual(listenEndpoint('*:80'), { kind: 'tcp', host: '127.0.0.1', port: 80 });
  assert.deepEqual(listenEndpoint('0.0.0.0:81'), { kind: 'tcp', host: '127.0.0.1', port: 81 });
  assert.deepEqual(listenEndpoint('127.0.0.5'), { kind: 'tcp', host: '127.0.0.5', port: 80 });
  assert.deepEqual(listenEndpoint('unix:/run/n.sock'), { kind: 'unix', path: '/run/n.sock' });
});

test('the path: a proxy_pass URI replaces the location prefix, so the prefix plus the rest of the health path is asked', () => {
  const path = (location: string, pass: string, health: string) =>
    routes(`http { server { listen 80; location ${location} { proxy_pass http://127.0.0.1:8000${pass}; } } }`, `  api: { backend: 127.0.0.1:8000, health: ${health} }\n`)[0];
  assert.equal(path('/api/', '/', '/healthz')?.path, '/api/healthz');
  assert.equal(path('/api', '/v1', '/v1/healthz')?.path, '/api/healthz');
  assert.equal(path('/', '', '/healthz')?.path, '/healthz');
  const off = path('/api/', '/v2/', '/healthz');
  assert.equal(off?.path, '/healthz');
  assert.match(off?.pathNote ?? '', /does not start with/);
  const elsewhere = path('/api/', '', '/healthz');
  assert.equal(elsewhere?.path, '/healthz');
  assert.match(elsewhere?.pathNote ?? '', /is not routed to location \/api\//);
});

test('names nginx resolves only at start: a name in proxy_pass or an upstream server, not one with resolve, not an address', () => {
  const [r] = routes(
    `http { upstream pool { zone pool 64k; server app:8000; server cache:8000 resolve; server 127.0.0.1:8000; }
  server { listen 80; location / { proxy_pass http://pool; } } }`,
    '  api: { backend: "app:8000", health: /healthz }\n',
    { app: ['127.0.0.2'], cache: ['127.0.0.3'] },
  );
  assert.deepEqual(
    r?.startNames.map((n) => `${n.name}:${n.port}`),
    ['app:8000'],
  );
});

test('no health path, or no block that serves the service: no route', () => {
  assert.deepEqual(routes(`http { server { listen 80; location / { proxy_pass http://127.0.0.1:8000; } } }`, '  api: { backend: 127.0.0.1:8000 }\n'), []);
  assert.deepEqual(routes(`http { server { listen 80; location / { proxy_pass http://unix:/run/other.sock; } } }`, '  api: { backend: 127.0.0.1:8000, health: /h }\n  other: { backend: "unix:/run/other.sock" }\n'), []);
});
