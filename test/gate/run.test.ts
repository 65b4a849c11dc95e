// The gate's own decisions, around whatever phases it is given: a config
// phase that uses the whole deadline fails the gate (config.timeout) instead
// of handing probes no time; an interruption is said and decides the verdict.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ConfigPhase, ProbePhase } from '../../src/gate/phases.js';
import { runGate } from '../../src/gate/run.js';
import { parseSpec } from '../../src/spec/load.js';

const spec = parseSpec('version: 1\nservices:\n  app: { backend: 127.0.0.1:8000 }\ngate: { deadline: 200ms }\n', '/tmp/upstream-gate.yml');

test('a config phase that outlasts the deadline: config.timeout, and no probe is started with no time left', async () => {
  let probed = false;
  const slowConfig: ConfigPhase = async (_s, ctx) => {
    // waits as nginx -t does on a resolver that never answers: until past the deadline
    while (Date.now() < ctx.deadlineAt) await sleep(20);
    return { findings: [{ severity: 'info', message: 'nginx -t -c /etc/nginx/nginx.conf did not finish within 100 ms' }], dials: [] };
  };
  const probe: ProbePhase = async () => {
    probed = true;
    return { findings: [], checks: [] };
  };
  const r = await runGate(spec, { configPhase: slowConfig, probePhase: probe });
  assert.equal(probed, false);
  assert.equal(r.verdict, 'fail');
  assert.equal(r.reason, 'config.timeout');
  const f = r.findings.find((x) => x.code === 'config.timeout');
  assert.match(f?.message ?? '', /^the deadline passed before any probe ran: the config phase took \d+ ms$/);
  assert.deepEqual(f?.evidence, ['nginx -t -c /etc/nginx/nginx.conf did not finish within 100 ms']);
});

test('interrupted during the config phase: no probe, the verdict fails and says it was interrupted', async () => {
  let probed = false;
  const c = new AbortController();
  const config: ConfigPhase = async () => {
    c.abort(new Error('interrupted by SIGTERM'));
    return { findings: [], dials: [] };
  };
  const probe: ProbePhase = async () => {
    probed = true;
    return { findings: [], checks: [] };
  };
  const r = await runGate({ ...spec, gate: { ...spec.gate, deadlineMs: 60_000 } }, { configPhase: config, probePhase: probe, signal: c.signal });
  assert.equal(probed, false);
  assert.equal(r.verdict, 'fail');
  assert.equal(r.reason, undefined);
  assert.deepEqual(r.findings.map((f) => f.message), ['interrupted before the gate finished: the verdict covers only what ran']);
});
