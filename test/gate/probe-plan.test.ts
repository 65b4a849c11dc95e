// The probe phase's plan is data: each check's id, stage and the checks it
// waits for come from the spec, the dials and what the run has learnt,
// never from how a check is named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { NginxDial } from '../../src/model/dial.js';
import { firstChecks, NOTHING_LEARNT, planService, type Learnt } from '../../src/gate/probe-plan.js';
import { parseSpec, type Spec } from '../../src/spec/load.js';

function spec(yaml: string): Spec {
  return parseSpec(`version: 1\n${yaml}`, join(process.cwd(), 'upstream-gate.yml'));
}

function plan(s: Spec, learnt: Learnt = NOTHING_LEARNT, dials: NginxDial[] = []) {
  const service = s.services[0];
  assert.ok(service);
  return planService(s, service, dials, learnt);
}

/** [name, stage, names of the checks it waits for] */
function shape(p: ReturnType<typeof plan>) {
  const nameOf = new Map(p.checks.map((c) => [c.id, c.name]));
  return p.checks.map((c) => [c.name, c.stage, c.after.map((id) => nameOf.get(id) ?? id)]);
}

const dial = (host: string, port: number, line: number): NginxDial => ({
  service: 'api',
  directive: 'proxy_pass',
  scheme: 'http',
  endpoint: { kind: 'tcp', host, port },
  file: '/etc/nginx/conf.d/app.conf',
  line,
  text: `proxy_pass http://${host}:${port};`,
});

test('an address: its listener, then health after it, then the front after health', () => {
  const p = plan(spec('services:\n  api: { backend: "127.0.0.1:8000", health: /healthz }\nnginx: { front: "http://127.0.0.1:8080" }\n'));
  assert.deepEqual(shape(p), [
    ['tcp 127.0.0.1:8000', 'listener', []],
    ['http GET /healthz', 'health', ['tcp 127.0.0.1:8000']],
    ['front GET /healthz', 'front', ['http GET /healthz']],
  ]);
  assert.equal(new Set(p.checks.map((c) => c.id)).size, 3);
});

test('a name: resolved first; until it is, one health check stands for its addresses', () => {
  const s = spec('services:\n  api: { backend: "app.internal:8000", health: /healthz }\nnginx: { front: "http://127.0.0.1:8080" }\n');
  const before = plan(s);
  assert.deepEqual(shape(before), [
    ['resolve app.internal', 'listener', []],
    ['http GET /healthz', 'health', ['resolve app.internal']],
    ['front GET /healthz', 'front', ['http GET /healthz']],
  ]);
  const resolve = before.checks[0]?.id ?? '';
  const resolved = new Map([[resolve, ['127.0.0.2', '::1']]]);
  const listening = plan(s, { resolved, passed: new Set([resolve]) });
  assert.deepEqual(shape(listening), [
    ['resolve app.internal', 'listener', []],
    ['tcp 127.0.0.2:8000', 'listener', ['resolve app.internal']],
    ['tcp [::1]:8000', 'listener', ['resolve app.internal']],
    ['http GET /healthz', 'health', ['resolve app.internal', 'tcp 127.0.0.2:8000', 'tcp [::1]:8000']],
    ['front GET /healthz', 'front', ['http GET /healthz']],
  ]);
  const passed = new Set(listening.checks.filter((c) => c.stage === 'listener').map((c) => c.id));
  assert.deepEqual(shape(plan(s, { resolved, passed })).slice(3), [
    ['http GET /healthz 127.0.0.2:8000', 'health', ['resolve app.internal', 'tcp 127.0.0.2:8000', 'tcp [::1]:8000']],
    ['http GET /healthz [::1]:8000', 'health', ['resolve app.internal', 'tcp 127.0.0.2:8000', 'tcp [::1]:8000']],
    ['front GET /healthz', 'front', ['http GET /healthz 127.0.0.2:8000', 'http GET /healthz [::1]:8000']],
  ]);
});

test('a dial that reaches the backend shares its check; one that differs gets its own, which health does not wait for', () => {
  const p = plan(spec('services:\n  api: { backend: "127.0.0.1:8000", health: /healthz }\n'), NOTHING_LEARNT, [dial('127.0.0.1', 8000, 3), dial('127.0.0.1', 8001, 4)]);
  assert.deepEqual(shape(p), [
    ['tcp 127.0.0.1:8000', 'listener', []],
    ['tcp 127.0.0.1:8001', 'listener', []],
    ['http GET /healthz', 'health', ['tcp 127.0.0.1:8000']],
  ]);
  assert.equal(p.checks[0]?.target.dial?.line, 3, 'the shared check classifies with the nginx line that dials it');
});

test('identity is data: two checks shown alike are two checks', () => {
  const p = plan(spec('services:\n  api: { backend: "app.internal:8000" }\n'), NOTHING_LEARNT, [dial('app.internal', 8001, 3)]);
  assert.deepEqual(p.checks.map((c) => c.name), ['resolve app.internal', 'resolve app.internal']);
  assert.notEqual(p.checks[0]?.id, p.checks[1]?.id);
});

test('a protocol no probe kind speaks: a note once the listeners pass, and the front right after them', () => {
  const p = plan(spec('services:\n  rpc: { backend: "127.0.0.1:9000", protocol: grpc, health: /grpc.health.v1.Health/Check }\nnginx: { front: "http://127.0.0.1:8080" }\n'));
  assert.deepEqual(shape(p), [
    ['tcp 127.0.0.1:9000', 'listener', []],
    ['front GET /grpc.health.v1.Health/Check', 'front', ['tcp 127.0.0.1:9000']],
  ]);
  assert.deepEqual(p.notes.map((n) => [n.after, n.finding.message]), [[[p.checks[0]?.id], 'health /grpc.health.v1.Health/Check is not requested over grpc: the listener probe is the check']]);
});

test('the first checks, each named once: what the phase would have run', () => {
  const s = spec('services:\n  api: { backend: "app.internal:8000", health: /ping, protocol: fastcgi }\n  web: { backend: "unix:/run/web.sock" }\n');
  assert.deepEqual(firstChecks(s, [dial('app.internal', 8001, 3)]), [
    { service: 'api', name: 'resolve app.internal' },
    { service: 'api', name: 'fastcgi /ping' },
    { service: 'web', name: 'unix /run/web.sock' },
  ]);
});

test('a pool: every member gets its listener and its own health request, and the front waits for them all', () => {
  const p = plan(spec('services:\n  api: { backend: ["127.0.0.1:8001", "unix:/run/app.sock"], health: /healthz }\nnginx: { front: "http://127.0.0.1:8080" }\n'));
  assert.deepEqual(shape(p), [
    ['tcp 127.0.0.1:8001', 'listener', []],
    ['unix /run/app.sock', 'listener', []],
    ['http GET /healthz 127.0.0.1:8001', 'health', ['tcp 127.0.0.1:8001']],
    ['http GET /healthz unix:/run/app.sock', 'health', ['unix /run/app.sock']],
    ['front GET /healthz', 'front', ['http GET /healthz 127.0.0.1:8001', 'http GET /healthz unix:/run/app.sock']],
  ]);
});
