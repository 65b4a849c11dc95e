// The fleet's GitHub step summary and annotations: the fleet at a glance
// (a row per host), each failed host's deciding finding with its fix, and
// annotations titled by host; text from a host cannot break the markdown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FleetReport } from '../../src/fleet/run-fleet.js';
import { fleetAnnotations, fleetStepSummary } from '../../src/report/fleet-github.js';
import { toFleetText } from '../../src/report/fleet-text.js';

const fleet: FleetReport = {
  verdict: 'fail',
  durationMs: 2400,
  hosts: [
    { host: 'web1', target: { name: 'web1', address: '127.0.0.1', user: 'deploy' }, report: { verdict: 'pass', findings: [], checks: [{ service: 'api', name: 'tcp 127.0.0.1:8000', ok: true }], durationMs: 300 } },
    {
      host: 'web2',
      target: { name: 'web2', address: '127.0.0.2', port: 2222 },
      report: {
        verdict: 'fail',
        reason: 'backend.down',
        findings: [{ code: 'backend.down', severity: 'error', service: 'api', target: '127.0.0.1:8000', errno: 111, message: 'nothing listens on 127.0.0.1:8000 | <b>x</b>', evidence: ['connect 127.0.0.1:8000 -> ECONNREFUSED'], fix: 'start the backend' }],
        checks: [{ service: 'api', name: 'tcp 127.0.0.1:8000', ok: false, code: 'backend.down' }],
        durationMs: 2000,
      },
    },
    {
      host: 'web3',
      target: { name: 'web3', address: '::1', port: 22 },
      report: { verdict: 'fail', reason: 'host.unreachable', findings: [{ code: 'host.unreachable', severity: 'error', target: '[::1]:22', message: 'web3: ssh [::1]:22: ECONNREFUSED' }], durationMs: 5 },
    },
  ],
};

test('the step summary: the fleet at a glance, then each failed host with its fix; host text is escaped', () => {
  const md = fleetStepSummary(fleet);
  const lines = md.split('\n');
  assert.equal(lines[0], '## :x: upstream-gate: fail (2 of 3 hosts)');
  assert.ok(lines.includes('| web1 `deploy@127.0.0.1` | :white_check_mark: pass |  |  |'), md);
  assert.ok(lines.includes('| web2 `127.0.0.2:2222` | :x: fail | `backend.down` | nothing listens on 127.0.0.1:8000 \\| &lt;b&gt;x&lt;/b&gt; |'), md);
  assert.ok(lines.includes('| web3 `[::1]:22` | :x: fail | `host.unreachable` | web3: ssh \\[::1\\]:22: ECONNREFUSED |'), md);
  assert.ok(lines.includes('### web2 · `backend.down`'), md);
  assert.ok(lines.includes('- `connect 127.0.0.1:8000 -> ECONNREFUSED`'), md);
  assert.ok(md.includes('**Fix:**\n\n```\nstart the backend\n```'), md);
  assert.ok(!lines.includes('### web1'), 'a passing host has no section');
});

test('annotations name the host, errors first', () => {
  const a = fleetAnnotations(fleet);
  assert.deepEqual(
    a.map((x) => [x.level, x.title]),
    [
      ['error', 'upstream-gate [web2]: backend.down (api)'],
      ['error', 'upstream-gate [web3]: host.unreachable'],
    ],
  );
  assert.match(a[0]?.message ?? '', /^web2: nothing listens/);
});

test('the text report ends with the fleet at a glance and the verdict naming the failed hosts', () => {
  const text = toFleetText(fleet, { color: false });
  const tail = text.trimEnd().split('\n').slice(-6);
  assert.deepEqual(tail, [
    'Fleet:',
    '  PASS  web1',
    '  FAIL  web2  backend.down: nothing listens on 127.0.0.1:8000 | <b>x</b>',
    '  FAIL  web3  host.unreachable: web3: ssh [::1]:22: ECONNREFUSED',
    '',
    'FAIL  fleet: web2 (backend.down), web3 (host.unreachable)  (3 hosts, 2 failed, 2.4s)',
  ]);
  assert.match(text, /^== web1 \(deploy@127\.0\.0\.1\) ==$/m);
  assert.equal(toFleetText(fleet, { color: false, quiet: true }), 'FAIL  fleet: web2 (backend.down), web3 (host.unreachable)  (3 hosts, 2 failed, 2.4s)\n');
});
