// The probe phase against a Host held in memory (no socket, no DNS, no
// command): everything it asks of the machine goes through the Host port,
// so another machine is one more implementation of it. The names and
// addresses below exist only in the script.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runProbePhase } from '../../src/gate/probe-phase.js';
import type { Host } from '../../src/host/host.js';
import type { Finding } from '../../src/model/finding.js';
import { parseSpec } from '../../src/spec/load.js';
import { httpAnswer, memoryHost } from '../helpers/memory-host.js';

function phase(host: Host, yaml: string) {
  const spec = parseSpec(`version: 1\n${yaml}`, join(process.cwd(), 'upstream-gate.yml'));
  const deadlineAt = Date.now() + spec.gate.deadlineMs;
  return runProbePhase(spec, [], { signal: AbortSignal.timeout(spec.gate.deadlineMs + 500), deadlineAt, host });
}

test('a name whose IPv6 address nothing listens on: family mismatch, from the host\'s own resolver and listeners', async () => {
  const host = memoryHost({
    names: { 'app.internal': ['127.0.0.2', '::1'] },
    listening: { '127.0.0.2:8000': httpAnswer(200, 'OK', 'ok\n') },
    listeners: { listeners: [{ kind: 'tcp', family: 4, address: '127.0.0.2', port: 8000, processes: [{ name: 'gunicorn', pid: 4242 }] }], source: 'the script', notes: [] },
  });
  const r = await phase(host, 'services:\n  api: { backend: "app.internal:8000", health: /healthz }\ngate: { deadline: 20s, interval: 10ms }\n');
  assert.equal(r.findings.length, 1, JSON.stringify(r.findings, null, 1));
  const f = r.findings[0] as Finding;
  assert.equal(f.code, 'backend.family_mismatch');
  assert.equal(f.target, '[::1]:8000');
  assert.equal(f.message, 'nginx dials [::1]:8000 (app.internal) but the backend listens only on 127.0.0.2:8000');
  assert.ok(f.evidence?.includes('listener 127.0.0.2:8000 (gunicorn, pid 4242)'), f.evidence?.join('\n'));
  // the firewall was asked through the host too: its commands are not there
  assert.ok(f.evidence?.includes('note: ip6tables not installed'), f.evidence?.join('\n'));
  assert.deepEqual(
    r.checks.map((c) => [c.name, c.ok, c.attempts]),
    [
      ['tcp 127.0.0.2:8000', true, 1],
      ['tcp [::1]:8000', false, 2],
    ],
  );
  assert.deepEqual(r.notRun, [{ service: 'api', name: 'http GET /healthz', why: 'tcp [::1]:8000 failed' }]);
  assert.ok(host.calls.includes('resolve app.internal'));
  assert.ok(host.calls.includes('listListeners'));
});

test('health over the streams the host dials: each address asked apart, with the Host header nginx sends', async () => {
  const requests: string[] = [];
  const host = memoryHost({
    names: { 'app.internal': ['127.0.0.2', '::1'] },
    listening: {
      '127.0.0.2:8000': (req) => (requests.push(req), httpAnswer(200, 'OK', 'ok\n')(req)),
      '[::1]:8000': httpAnswer(503, 'Service Unavailable', 'warming up\n'),
    },
  });
  const r = await phase(host, 'services:\n  api: { backend: "app.internal:8000", health: /healthz }\ngate: { deadline: 300ms, interval: 10ms, max_interval: 20ms }\n');
  assert.deepEqual(
    r.checks.map((c) => [c.name, c.ok, c.code]),
    [
      ['tcp 127.0.0.2:8000', true, undefined],
      ['tcp [::1]:8000', true, undefined],
      ['http GET /healthz 127.0.0.2:8000', true, undefined],
      ['http GET /healthz [::1]:8000', false, 'health.status'],
    ],
  );
  const f = r.findings[0] as Finding;
  assert.equal(f.message, 'http://[::1]:8000/healthz answered 503 (a status >= 400 fails the check)');
  assert.ok(f.evidence?.includes('body: warming up\\n'), f.evidence?.join('\n'));
  assert.match(requests[0] ?? '', /^GET \/healthz HTTP\/1\.1\r\n/);
  assert.match(requests[0] ?? '', /\r\nhost: app\.internal:8000\r\n/i);
});
