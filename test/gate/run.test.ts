// The gate's own decisions, around whatever phases it is given: a config
// phase that uses the whole deadline fails the gate (config.timeout) instead
// of handing probes no time; an interruption is said and decides the verdict;
// the running nginx is looked up beside the config phase, never changing what
// a failing config phase reports.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ConfigPhase, PhaseContext, ProbePhase } from '../../src/gate/phases.js';
import { runGate } from '../../src/gate/run.js';
import type { Finding } from '../../src/model/finding.js';
import { parseSpec } from '../../src/spec/load.js';
import { newTimings } from '../../src/timings.js';
import { memoryHost } from '../helpers/memory-host.js';

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

/** A host with a running nginx's pid file and no process list, recording the files the gate read. */
function pidFileHost(pidFile: string) {
  const host = memoryHost({ files: { [pidFile]: '4242\n' } });
  const read: string[] = [];
  const readFile: typeof host.readFile = (path, options) => {
    read.push(path);
    return host.readFile(path, options);
  };
  return { host: { ...host, readFile }, read };
}

test('the running nginx is looked up while the config phase still runs, from the pid file the parse named', async () => {
  const { host, read } = pidFileHost('/srv/nginx.pid');
  let seenBeforeEnd = false;
  const config: ConfigPhase = async (_s, ctx) => {
    ctx.onFacts?.({ pidFile: '/srv/nginx.pid' });
    // nginx -t and the name lookups still run: the lookup has been asked for meanwhile, else this waits out the deadline
    while (!read.includes('/srv/nginx.pid') && Date.now() < ctx.deadlineAt) await sleep(5);
    seenBeforeEnd = read.includes('/srv/nginx.pid');
    return { findings: [], dials: [], nginx: { pidFile: '/srv/nginx.pid' } };
  };
  let given: PhaseContext['nginx'];
  const probe: ProbePhase = async (_s, _d, ctx) => {
    given = ctx.nginx;
    return { findings: [], checks: [] };
  };
  const timings = newTimings();
  const r = await runGate({ ...spec, gate: { ...spec.gate, deadlineMs: 60_000 } }, { configPhase: config, probePhase: probe, host, timings });
  assert.equal(seenBeforeEnd, true);
  assert.equal(r.verdict, 'pass');
  // one lookup, not a second one after the phase; its answer (pid 4242 is no nginx master in this host) reaches the probe phase
  assert.deepEqual(read.filter((p) => p === '/srv/nginx.pid'), ['/srv/nginx.pid']);
  assert.deepEqual(given, { running: false, notes: ['/srv/nginx.pid names pid 4242, which is not an nginx master here', 'the process list (/proc) cannot be read: ENOENT: /proc'] });
  assert.deepEqual(timings.stages.map((s) => s.stage).filter((s) => s === 'nginx process lookup'), ['nginx process lookup']);
});

test('a config phase that tells no facts: the lookup runs after it, from the pid file of its result', async () => {
  const { host, read } = pidFileHost('/srv/nginx.pid');
  let readDuringPhase = true;
  const config: ConfigPhase = async () => {
    await sleep(20);
    readDuringPhase = read.length > 0;
    return { findings: [], dials: [], nginx: { pidFile: '/srv/nginx.pid' } };
  };
  const r = await runGate({ ...spec, gate: { ...spec.gate, deadlineMs: 60_000 } }, { configPhase: config, probePhase: async () => ({ findings: [], checks: [] }), host });
  assert.equal(r.verdict, 'pass');
  assert.equal(readDuringPhase, false);
  assert.deepEqual(read.filter((p) => p === '/srv/nginx.pid'), ['/srv/nginx.pid']);
});

test('a config error after the lookup began: the same findings in the same order, no probe, and no lookup stage', async () => {
  const { host } = pidFileHost('/srv/nginx.pid');
  const findings: Finding[] = [
    { code: 'config.invalid', severity: 'error', message: 'unknown directive "proxy_pas"', file: '/srv/nginx.conf', line: 3 },
    { code: 'config.no_target', severity: 'error', service: 'app', message: 'no server block proxies to app' },
    { severity: 'info', message: 'nginx -t: [warn] a warning' },
  ];
  const config: ConfigPhase = async (_s, ctx) => {
    ctx.onFacts?.({ pidFile: '/srv/nginx.pid' });
    await sleep(10);
    return { findings, dials: [] };
  };
  let probed = false;
  const probe: ProbePhase = Object.assign(
    async () => {
      probed = true;
      return { findings: [], checks: [] };
    },
    { plan: () => [{ service: 'app', name: 'tcp 127.0.0.1:8000' }] },
  );
  const timings = newTimings();
  const r = await runGate({ ...spec, gate: { ...spec.gate, deadlineMs: 60_000 } }, { configPhase: config, probePhase: probe, host, timings });
  assert.equal(probed, false);
  assert.deepEqual([r.verdict, r.reason], ['fail', 'config.invalid']);
  assert.deepEqual(r.findings, findings);
  assert.deepEqual(r.checks, [{ service: 'app', name: 'config', ok: false, code: 'config.no_target', message: 'no server block proxies to app' }]);
  assert.deepEqual(r.notRun, [{ service: 'app', name: 'tcp 127.0.0.1:8000', why: 'the config check failed' }]);
  await sleep(20);
  assert.deepEqual(timings.stages.map((s) => s.stage), ['config phase']);
});
