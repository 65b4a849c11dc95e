// The headers nginx sends a proxy_pass backend: proxy_set_header inheritance
// and the variables the gate evaluates (src/nginx/request-headers.ts), on
// small configs, through the config phase's own evaluation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateConfig } from '../helpers/small-config.js';
import { evaluate as evaluateValue, proxyHostOf } from '../../src/nginx/request-headers.js';
import { parsePassTarget } from '../../src/nginx/pass-target.js';
import { expandAll } from '../../src/nginx/dials.js';
import { prepareEvaluation } from '../../src/nginx/evaluate.js';
import { buildModel } from '../../src/nginx/model.js';
import type { NginxRequest } from '../../src/model/dial.js';

/** The request of the service's first dial, for an `http {}` body and a spec service line. */
function requestOf(http: string, service = '  app: { backend: 127.0.0.1:8000, server_name: app.example.test }\n'): NginxRequest | undefined {
  const [e] = evaluateConfig(`http {\n${http}\n}\n`, service).results;
  assert.ok(e && e.dials.length > 0, 'the service has a dial');
  return e.dials[0]!.request;
}

const headers = (r: NginxRequest | undefined) => r?.headers.map((h) => `${h.name}: ${h.value}`);

test('no proxy_set_header anywhere: nginx defaults, Host is $proxy_host (the upstream name)', () => {
  const r = requestOf(`upstream app_pool { server 127.0.0.1:8000; }
server { listen 80; server_name app.example.test; location / { proxy_pass http://app_pool; } }`);
  assert.deepEqual(headers(r), ['Host: app_pool', 'Connection: close']);
  assert.deepEqual(r?.skipped, []);
  assert.equal(r?.source, "nginx's defaults (no proxy_set_header applies)");
});

test('$proxy_host: the port only when it is not the scheme default; a unix socket is localhost', () => {
  const t = (arg: string) => proxyHostOf(parsePassTarget('proxy_pass', arg, 'http'));
  assert.equal(t('http://127.0.0.1:8000'), '127.0.0.1:8000');
  assert.equal(t('http://127.0.0.1:80/x/'), '127.0.0.1');
  assert.equal(t('https://backend.internal:443'), 'backend.internal');
  assert.equal(t('https://backend.internal:8443'), 'backend.internal:8443');
  assert.equal(t('http://[::1]:8000'), '[::1]:8000');
  assert.equal(t('http://unix:/run/app.sock:/'), 'localhost');
  assert.equal(t('http://$backend'), undefined);
});

test('Host $host: the serving block first host name (not a wildcard, regex or _)', () => {
  const r = requestOf(`server { listen 80; server_name ~^www\\. *.example.test _ App.Example.Test; proxy_set_header Host $host;
location / { proxy_pass http://127.0.0.1:8000; } }`);
  assert.deepEqual(headers(r), ['Host: app.example.test', 'Connection: close']);
  assert.equal(r?.source, 'proxy_set_header (nginx.conf:2)');
});

test('$host with no host name in the block: the spec server_name', () => {
  const r = requestOf(
    `server { listen 80 default_server; server_name _; location / { proxy_set_header Host $host; proxy_pass http://127.0.0.1:8000; } }`,
    '  app: { backend: 127.0.0.1:8000, server_name: [ "*.example.test", api.example.test ] }\n',
  );
  assert.deepEqual(headers(r), ['Host: api.example.test', 'Connection: close']);
});

test('a location with its own proxy_set_header replaces every inherited one; Host falls back to the default', () => {
  const r = requestOf(`proxy_set_header X-From-Http yes;
server { listen 80; server_name app.example.test; proxy_set_header Host $host; proxy_set_header X-Server on;
location / { proxy_set_header X-Real-IP $remote_addr; proxy_pass http://127.0.0.1:8000; } }`);
  assert.deepEqual(headers(r), ['X-Real-IP: 127.0.0.1', 'Host: 127.0.0.1:8000', 'Connection: close']);
});

test('no proxy_set_header in the location: the server level; none there: the http level', () => {
  const server = requestOf(`proxy_set_header X-From-Http yes;
server { listen 80; server_name app.example.test; proxy_set_header Host $http_host;
location / { location /api { proxy_pass http://127.0.0.1:8000; } } }`);
  assert.deepEqual(headers(server), ['Host: app.example.test', 'Connection: close']);
  const http = requestOf(`proxy_set_header X-From-Http yes;
server { listen 80; server_name app.example.test; location / { proxy_pass http://127.0.0.1:8000; } }`);
  assert.deepEqual(headers(http), ['X-From-Http: yes', 'Host: 127.0.0.1:8000', 'Connection: close']);
});

test('an if block is a level of its own', () => {
  const r = requestOf(`server { listen 80; server_name app.example.test; location / { proxy_set_header Host $host;
if ($request_method = POST) { proxy_set_header X-Post 1; proxy_pass http://127.0.0.1:8000; } } }`);
  assert.deepEqual(headers(r), ['X-Post: 1', 'Host: 127.0.0.1:8000', 'Connection: close']);
});

test('the common reverse-proxy set: concatenations, $scheme, X-Forwarded-For; Connection "" is not sent', () => {
  const r = requestOf(`server { listen 80; server_name app.example.test;
location / {
  proxy_set_header Host $host:8080;
  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
  proxy_set_header X-Forwarded-Proto $scheme;
  proxy_set_header X-Forwarded-Host "\${http_host}";
  proxy_set_header X-Server $server_name;
  proxy_set_header Connection "";
  proxy_pass http://127.0.0.1:8000;
} }`);
  assert.deepEqual(headers(r), [
    'Host: app.example.test:8080',
    'X-Forwarded-For: 127.0.0.1',
    'X-Forwarded-Proto: http',
    'X-Forwarded-Host: app.example.test',
    'X-Server: app.example.test',
  ]);
  assert.deepEqual(r?.skipped, []);
});

test('$scheme: https when every listen is ssl; not evaluated when the block listens both ways', () => {
  const tls = requestOf(`server { listen 443 ssl; server_name app.example.test; proxy_set_header X-Proto $scheme; location / { proxy_pass http://127.0.0.1:8000; } }`);
  assert.deepEqual(headers(tls)?.[0], 'X-Proto: https');
  const both = requestOf(`server { listen 80; listen 443 ssl; server_name app.example.test; proxy_set_header X-Proto $scheme; location / { proxy_pass http://127.0.0.1:8000; } }`);
  assert.deepEqual(both?.skipped, [{ name: 'X-Proto', value: '$scheme', why: 'not evaluated: $scheme' }]);
});

test('a variable the gate cannot know: the header is not sent, and the variables are named', () => {
  const r = requestOf(`map $http_upgrade $connection_upgrade { default upgrade; '' close; }
server { listen 80; server_name app.example.test; location / {
  proxy_set_header Host $host;
  proxy_set_header Connection $connection_upgrade;
  proxy_set_header X-Id "$request_id-$HTTP_X_TRACE";
  proxy_pass http://127.0.0.1:8000/v1/;
} }`);
  assert.deepEqual(headers(r), ['Host: app.example.test']);
  assert.deepEqual(r?.skipped, [
    { name: 'Connection', value: '$connection_upgrade', why: 'not evaluated: $connection_upgrade' },
    { name: 'X-Id', value: '$request_id-$HTTP_X_TRACE', why: 'not evaluated: $request_id, $http_x_trace' },
  ]);
  assert.equal(r?.uri, '/v1/');
});

test('a dynamic proxy_pass: $proxy_host is unknown, so the default Host is not evaluated', () => {
  const r = requestOf(
    `server { listen 80; server_name app.example.test; location / { set $b 127.0.0.1:8000; proxy_pass http://$b; } }`,
  );
  assert.deepEqual(headers(r), ['Connection: close']);
  assert.deepEqual(r?.skipped, [{ name: 'Host', value: '$proxy_host', why: 'not evaluated: $proxy_host' }]);
});

test('fastcgi_pass and stream proxy_pass carry no request headers', () => {
  const r = requestOf(
    `server { listen 80; server_name app.example.test; proxy_set_header Host $host; location / { fastcgi_pass 127.0.0.1:9000; } }`,
    '  app: { backend: 127.0.0.1:9000, protocol: fastcgi, server_name: app.example.test }\n',
  );
  assert.equal(r, undefined);
});

test('value evaluation: braces, case-insensitive names, a bare $', () => {
  const vars = new Map([['host', 'a.test']]);
  assert.deepEqual(evaluateValue('${HOST}x$host', vars), { value: 'a.testxa.test', missing: [] });
  assert.deepEqual(evaluateValue('cost: 5$', vars), { value: 'cost: 5', missing: [''] });
  assert.deepEqual(evaluateValue('$1-$host', vars), { value: '-a.test', missing: ['1'] });
});

test('services evaluated one after another through the same block: each its own $host, whatever the service before asked', () => {
  const text = `http {\nserver { listen 80 default_server; server_name _; location / { proxy_set_header Host $host; proxy_pass http://127.0.0.1:8000; } }\n}\n`;
  const services = ['x.example.test', 'y.example.test', 'x.example.test', 'y.example.test'].map((n, i) => `  s${i}: { backend: 127.0.0.1:8000, server_name: ${n} }\n`).join('');
  // the whole spec through one prepared evaluation, as the config phase runs it
  const { parse, spec } = evaluateConfig(text, services);
  const model = buildModel(parse);
  const evaluate = prepareEvaluation({ services: spec.services, model, expansions: expandAll(model), addresses: new Map(), display: (f) => f, lineText: () => '' });
  const hosts = spec.services.map((s) => headers(evaluate(s).dials[0]?.request));
  assert.deepEqual(hosts, [
    ['Host: x.example.test', 'Connection: close'],
    ['Host: y.example.test', 'Connection: close'],
    ['Host: x.example.test', 'Connection: close'],
    ['Host: y.example.test', 'Connection: close'],
  ]);
});
