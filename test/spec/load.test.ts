import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSpecFile, parseSpec } from '../../src/spec/load.js';
import { isUserError } from '../../src/user-error.js';
import { tempDir } from '../helpers/tmp.js';

const FILE = join(process.cwd(), 'upstream-gate.yml');

function errorOf(text: string): string {
  try {
    parseSpec(text, FILE);
  } catch (e) {
    assert.ok(isUserError(e), `expected a UserError, got ${String(e)}`);
    return e.message;
  }
  assert.fail('expected the spec to be rejected');
}

test('a full spec is normalised: defaults, durations in ms, paths relative to the spec file', () => {
  const spec = parseSpec(
    `version: 1
services:
  api:
    backend: 127.0.0.1:8000
    health: /healthz
    server_name: api.example.com
  php:
    backend: unix:/run/php/php8.2-fpm.sock
    protocol: fastcgi
    server_name: [a.example, b.example]
  v6:
    backend: "[::1]:9000"
nginx:
  config: conf/nginx.conf
  front: http://127.0.0.1:80
gate:
  deadline: 1.5m
  interval: 250ms
`,
    '/srv/deploy/upstream-gate.yml',
  );
  assert.deepEqual(spec.services.map((s) => [s.name, s.backend, s.protocol, s.serverNames]), [
    ['api', { kind: 'tcp', host: '127.0.0.1', port: 8000 }, 'http', ['api.example.com']],
    ['php', { kind: 'unix', path: '/run/php/php8.2-fpm.sock' }, 'fastcgi', ['a.example', 'b.example']],
    ['v6', { kind: 'tcp', host: '::1', port: 9000 }, 'http', []],
  ]);
  assert.equal(spec.services[0]?.health, '/healthz');
  assert.deepEqual(spec.nginx, { config: '/srv/deploy/conf/nginx.conf', configRelative: 'conf/nginx.conf', binary: 'nginx', front: 'http://127.0.0.1:80' });
  assert.deepEqual(spec.gate, {
    deadlineMs: 90_000,
    intervalMs: 250,
    maxIntervalMs: 2000,
    connectTimeoutMs: 2000,
    requestTimeoutMs: 5000,
    successThreshold: 1,
  });
});

test('JSON specs load too', () => {
  const spec = parseSpec('{"version": 1, "services": {"api": {"backend": "localhost:8000"}}}', FILE);
  assert.deepEqual(spec.services[0]?.backend, { kind: 'tcp', host: 'localhost', port: 8000 });
  assert.equal(spec.nginx.config, '/etc/nginx/nginx.conf');
});

test('a list of backends is a pool: every member, in order; `backend` stays the first', () => {
  const spec = parseSpec('version: 1\nservices:\n  api:\n    backend:\n      - 127.0.0.1:8001\n      - "[::1]:8002"\n      - unix:/run/app.sock\n', FILE);
  const api = spec.services[0]!;
  assert.deepEqual(api.pool, [
    { kind: 'tcp', host: '127.0.0.1', port: 8001 },
    { kind: 'tcp', host: '::1', port: 8002 },
    { kind: 'unix', path: '/run/app.sock' },
  ]);
  assert.deepEqual(api.poolTexts, ['127.0.0.1:8001', '[::1]:8002', 'unix:/run/app.sock']);
  assert.deepEqual(api.backend, { kind: 'tcp', host: '127.0.0.1', port: 8001 });
  assert.deepEqual(parseSpec('version: 1\nservices:\n  api: { backend: 127.0.0.1:8000 }\n', FILE).services[0]!.pool, [{ kind: 'tcp', host: '127.0.0.1', port: 8000 }]);
});

const bad: [string, string, string][] = [
  ['port out of range', 'version: 1\nservices:\n  api:\n    backend: 127.0.0.1:99999\n', 'upstream-gate.yml:4: services.api.backend: port 99999 is outside 1-65535'],
  ['port zero', 'version: 1\nservices:\n  api:\n    backend: 127.0.0.1:0\n', 'upstream-gate.yml:4: services.api.backend: port 0 is outside 1-65535'],
  ['no port', 'version: 1\nservices:\n  api:\n    backend: 127.0.0.1\n', 'upstream-gate.yml:4: services.api.backend: expected HOST:PORT, [IPv6]:PORT or unix:/path.sock, got "127.0.0.1"'],
  ['IPv6 without brackets', 'version: 1\nservices:\n  api:\n    backend: "::1:8000"\n', 'upstream-gate.yml:4: services.api.backend: an IPv6 address needs brackets: [::1]:8000'],
  ['relative socket', 'version: 1\nservices:\n  api:\n    backend: unix:run/x.sock\n', 'upstream-gate.yml:4: services.api.backend: a unix socket needs an absolute path: unix:/run/app.sock, got "unix:run/x.sock"'],
  ['unknown key', 'version: 1\nservices:\n  api:\n    backend: 127.0.0.1:8000\n    helth: /x\n', 'upstream-gate.yml:5: services.api.helth: unknown key (expected one of backend, protocol, health, server_name, location, process, unit, expect)'],
  ['unknown top-level key', 'version: 1\nservices:\n  api:\n    backend: 127.0.0.1:8000\nngnix: {}\n', 'upstream-gate.yml:5: ngnix: unknown key (expected one of version, services, nginx, gate)'],
  ['bad duration', 'version: 1\nservices:\n  api:\n    backend: 127.0.0.1:8000\ngate:\n  deadline: 5x\n', 'upstream-gate.yml:6: gate.deadline: "5x" is not a duration: write 250ms, 2s or 1m'],
  ['number for a duration', 'version: 1\nservices:\n  api:\n    backend: 127.0.0.1:8000\ngate:\n  interval: 100\n', 'upstream-gate.yml:6: gate.interval: expected a duration such as 250ms, 2s or 1m'],
  ['missing backend', 'version: 1\nservices:\n  api:\n    protocol: http\n', 'upstream-gate.yml:3: services.api.backend: missing required key (HOST:PORT, [IPv6]:PORT or unix:/path.sock)'],
  ['bad protocol', 'version: 1\nservices:\n  api:\n    backend: 127.0.0.1:8000\n    protocol: ftp\n', 'upstream-gate.yml:5: services.api.protocol: expected one of http, https, fastcgi, uwsgi, scgi, grpc, got "ftp"'],
  ['bad service name', 'version: 1\nservices:\n  "a b":\n    backend: 127.0.0.1:8000\n', 'upstream-gate.yml:3: services.a b: a service name has only letters, digits, - and _'],
  ['YAML syntax', 'version: 1\nservices:\n  api: {backend: 127.0.0.1:8000\n', 'upstream-gate.yml:4: Flow map in block collection must be sufficiently indented and end with a }'],
  ['duplicate key', 'version: 1\nservices:\n  api:\n    backend: 127.0.0.1:8000\n    backend: 127.0.0.1:8001\n', 'upstream-gate.yml:5: Map keys must be unique'],
  ['a pool member that is not an address', 'version: 1\nservices:\n  api:\n    backend:\n      - 127.0.0.1:8000\n      - 127.0.0.1\n', 'upstream-gate.yml:6: services.api.backend.1: expected HOST:PORT, [IPv6]:PORT or unix:/path.sock, got "127.0.0.1"'],
  ['a pool member that is a number', 'version: 1\nservices:\n  api:\n    backend: [127.0.0.1:8000, 8001]\n', 'upstream-gate.yml:4: services.api.backend.1: 8001 is a number, not an address: write HOST:PORT, e.g. 127.0.0.1:8001'],
  ['an empty pool', 'version: 1\nservices:\n  api:\n    backend: []\n', 'upstream-gate.yml:4: services.api.backend: a pool lists at least one backend'],
  ['a pool member listed twice', 'version: 1\nservices:\n  api:\n    backend:\n      - 127.0.0.1:8000\n      - 127.0.0.1:8001\n      - 127.0.0.1:8000\n', 'upstream-gate.yml:7: services.api.backend.2: 127.0.0.1:8000 is listed twice (also backend.0)'],
  ['not a mapping', '- 1\n- 2\n', 'upstream-gate.yml:1: the spec must be a mapping with `version` and `services`'],
  ['no services', 'version: 1\nservices: {}\n', 'upstream-gate.yml:2: services: at least one service is needed'],
  ['health without slash', 'version: 1\nservices:\n  api:\n    backend: 127.0.0.1:8000\n    health: healthz\n', 'upstream-gate.yml:5: services.api.health: the health path starts with /'],
  ['front not a URL', 'version: 1\nservices:\n  api:\n    backend: 127.0.0.1:8000\nnginx:\n  front: 127.0.0.1:80\n', 'upstream-gate.yml:6: nginx.front: expected an http:// or https:// URL, or off'],
];

for (const [name, text, message] of bad) {
  test(`rejected with key path and line: ${name}`, () => {
    assert.equal(errorOf(text), message);
  });
}

test('a missing spec file is a UserError naming the path', async () => {
  const { dir, remove } = tempDir();
  try {
    await assert.rejects(loadSpecFile(join(dir, 'nope.yml')), (e: unknown) => isUserError(e) && e.message === `${join(dir, 'nope.yml')}: cannot read spec: no such file`);
    writeFileSync(join(dir, 'ok.yml'), 'version: 1\nservices:\n  a:\n    backend: 127.0.0.1:1\n');
    const spec = await loadSpecFile(join(dir, 'ok.yml'));
    assert.equal(spec.file, join(dir, 'ok.yml'));
  } finally {
    remove();
  }
});

const SERVICE = 'version: 1\nservices:\n  api:\n    backend: 127.0.0.1:8000\n';

test('YAML aliases: one without its anchor, more than 100, or a bomb is one line naming where', () => {
  assert.equal(errorOf('version: 1\nservices:\n  api:\n    backend: *nope\n'), 'upstream-gate.yml:4: YAML alias *nope has no anchor &nope before it');
  // the anchor after the alias does not count
  assert.equal(errorOf('version: 1\nservices:\n  api:\n    backend: *b\n  web:\n    backend: &b 127.0.0.1:8000\n'), 'upstream-gate.yml:4: YAML alias *b has no anchor &b before it');
  const many = `${SERVICE}    server_name: &n [a.test]\n${Array.from({ length: 101 }, (_, i) => `  s${i}:\n    backend: 127.0.0.1:8000\n    server_name: *n\n`).join('')}`;
  assert.equal(errorOf(many), `upstream-gate.yml:${5 + 101 * 3}: more than 100 YAML aliases`);
  // a billion laughs: ten aliases of ten aliases of ... nine levels deep
  const levels = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 9; i++) levels.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
  const bomb = `${SERVICE}x:\n${levels.map((l) => `  ${l}`).join('\n')}\n`;
  assert.match(errorOf(bomb), /^upstream-gate\.yml:7: YAML aliases expand too far \(.*; at most 100 nodes through aliases\)$/);
  // aliases within the bounds still work
  const ok = parseSpec(`version: 1\nservices:\n  api:\n    backend: &be 127.0.0.1:8000\n    server_name: &names [a.test, b.test]\n  web:\n    backend: *be\n    server_name: *names\n`, FILE);
  assert.deepEqual(ok.services.map((s) => s.serverNames), [['a.test', 'b.test'], ['a.test', 'b.test']]);
});

test('durations run from 1ms to a day: no timer overflows', () => {
  const gate = (k: string, v: string) => `${SERVICE}gate:\n  ${k}: ${v}\n`;
  // 2^31 ms fired the deadline at once; 2^32 ms threw from AbortSignal.timeout
  assert.equal(errorOf(gate('deadline', '2147483648ms')), 'upstream-gate.yml:6: gate.deadline: "2147483648ms" is longer than a day (1440m), the longest duration allowed');
  assert.equal(errorOf(gate('deadline', '4294967296ms')), 'upstream-gate.yml:6: gate.deadline: "4294967296ms" is longer than a day (1440m), the longest duration allowed');
  assert.equal(errorOf(gate('request_timeout', '1441m')), 'upstream-gate.yml:6: gate.request_timeout: "1441m" is longer than a day (1440m), the longest duration allowed');
  assert.equal(errorOf(gate('interval', '0ms')), 'upstream-gate.yml:6: gate.interval: "0ms" is shorter than 1ms');
  assert.equal(errorOf(gate('connect_timeout', '0.4ms')), 'upstream-gate.yml:6: gate.connect_timeout: "0.4ms" is shorter than 1ms');
  assert.equal(parseSpec(gate('deadline', '1440m'), FILE).gate.deadlineMs, 86_400_000);
  assert.equal(parseSpec(gate('interval', '1ms'), FILE).gate.intervalMs, 1);
});

test('duplicate keys are found at their line among many, in one pass', () => {
  const keys = Array.from({ length: 50_000 }, (_, i) => `    k${i}: 1\n`).join('');
  assert.equal(errorOf(`version: 1\nservices:\n  api:\n    backend: 127.0.0.1:8000\n${keys}    k7: 2\n`), `upstream-gate.yml:${5 + 50_000}: Map keys must be unique`);
  // keys that only look alike are different keys
  assert.match(errorOf('version: 1\nservices:\n  api:\n    backend: 127.0.0.1:8000\n    "1": a\n    1: b\n'), /^upstream-gate\.yml:5: services\.api\.1: unknown key/);
});

test('50,000 unknown keys are rejected at the first, and 10,000 services load', () => {
  // Both took 13 s and more when the YAML library compared every key with every other
  const unknown = `${SERVICE}${Array.from({ length: 50_000 }, (_, i) => `k${i}: 1\n`).join('')}`;
  assert.equal(errorOf(unknown), 'upstream-gate.yml:5: k0: unknown key (expected one of version, services, nginx, gate)');
  const services = `version: 1\nservices:\n${Array.from({ length: 10_000 }, (_, i) => `  s${i}:\n    backend: 127.0.0.1:${(i % 60_000) + 1}\n    health: /healthz\n    server_name: s${i}.example.com\n`).join('')}`;
  const spec = parseSpec(services, FILE);
  assert.equal(spec.services.length, 10_000);
  assert.deepEqual(spec.services[9_999]?.serverNames, ['s9999.example.com']);
});

test('a few services and many: the same normalised services and the same first error, whichever way zod validates them', () => {
  const service = (i: number) => `  s${i}:\n    backend: [127.0.0.1:${8000 + i}, "[::1]:${8000 + i}"]\n    health: /healthz\n    server_name: [s${i}.example.com, "*.s${i}.example.com"]\n    expect: { status: 200, body: ok }\n`;
  const specOf = (n: number) => `version: 1\nservices:\n${Array.from({ length: n }, (_, i) => service(i)).join('')}gate: { deadline: 30s }\n`;
  const few = parseSpec(specOf(3), FILE);
  const many = parseSpec(specOf(300), FILE);
  assert.equal(many.services.length, 300);
  assert.deepEqual(many.services.slice(0, 3), few.services);
  assert.deepEqual(many.gate, few.gate);
  for (const [bad, message] of [
    ['    health: /healthz\n', '    health: 42\n'],
    ['    expect: { status: 200, body: ok }\n', '    expect: { status: 200, body: ok, colour: red }\n'],
    ['    backend: [127.0.0.1:8002, "[::1]:8002"]\n', '    backend: 127.0.0.1\n'],
  ] as const) {
    const broken = (n: number) => specOf(n).replace(`  s2:\n${service(2).split('\n').slice(1).join('\n')}`, service(2).replace(bad, message));
    const a = errorOf(broken(3));
    const b = errorOf(broken(300));
    assert.match(a, /^upstream-gate\.yml:\d+: services\.s2\./);
    assert.equal(b, a);
  }
});
