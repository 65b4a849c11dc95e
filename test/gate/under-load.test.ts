// What a busy machine does to the gate, made to happen on purpose: a config
// phase that outlasts the deadline, probes that start with almost no time
// left, a backend too stalled to accept connections. The verdict must stay
// the endpoint's, never an artefact of the load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runProbePhase } from '../../src/gate/probe-phase.js';
import { runGate } from '../../src/gate/run.js';
import type { ConfigPhase } from '../../src/gate/phases.js';
import { localHost } from '../../src/host/local/local-host.js';
import { parseSpec } from '../../src/spec/load.js';
import { startHttpBackend } from '../helpers/backend.js';
import { freePort } from '../helpers/ports.js';
import { stopper } from '../helpers/process.js';

const spec = (yaml: string) => parseSpec(`version: 1\n${yaml}`, join(process.cwd(), 'upstream-gate.yml'));

/** A config phase that finds nothing wrong and returns only once `until` resolves (a slow disk, a slow nginx -t). */
const slowConfig =
  (until: (ctx: Parameters<ConfigPhase>[1]) => Promise<unknown>): ConfigPhase =>
  async (_spec, ctx) => {
    await until(ctx);
    return { findings: [], dials: [] };
  };

// A config phase that uses up the deadline fails the gate as config.timeout (test/gate/run.test.ts):
// whether it ends after the hard stop or just after the deadline, no probe is cut to a few ms and
// blames the backend, and the verdict is never a pass unprobed.
for (const [name, until] of [
  ['outlasts the deadline and its grace', async (ctx: Parameters<ConfigPhase>[1]) => {
    while (!ctx.signal.aborted) await sleep(20);
  }],
  ['ends just after the deadline', (ctx: Parameters<ConfigPhase>[1]) => sleep(ctx.deadlineAt - Date.now() + 20)],
] as const) {
  test(`a config phase that ${name}: config.timeout, never a backend blamed on a cut timeout nor a pass unprobed`, async () => {
    const port = await freePort();
    const s = spec(`services:\n  api: { backend: "127.0.0.1:${port}" }\ngate: { deadline: 200ms, connect_timeout: 300ms }\n`);
    const report = await runGate(s, { host: localHost(), configPhase: slowConfig(until), probePhase: runProbePhase });
    assert.equal(report.verdict, 'fail');
    assert.equal(report.reason, 'config.timeout', JSON.stringify(report.findings));
    assert.ok(!report.findings.some((f) => f.code?.startsWith('backend.') || f.code?.startsWith('network.')), JSON.stringify(report.findings));
  });
}

test('the first attempt of a check gets its configured timeouts even when little of the deadline is left', async (t) => {
  const b = await startHttpBackend({
    handler: (_req, res) => {
      setTimeout(() => res.end('ok\n'), 300);
    },
  });
  t.after(() => b.close());
  const s = spec(`services:\n  api: { backend: "127.0.0.1:${b.port}", health: /healthz }\ngate: { deadline: 60s, connect_timeout: 5s, request_timeout: 5s }\n`);
  // the probe phase starts with 20 ms of the deadline left; the gate's hard stop is one connect timeout later
  const r = await runProbePhase(s, [], { signal: AbortSignal.timeout(20 + 5000), deadlineAt: Date.now() + 20, host: localHost() });
  assert.deepEqual(r.findings, []);
  assert.deepEqual(
    r.checks.map((c) => [c.name, c.ok]),
    [
      [`tcp 127.0.0.1:${b.port}`, true],
      ['http GET /healthz', true],
    ],
  );
});

test('a backend too stalled to accept (its accept queue full): backend.not_accepting names the listener and its stopped process, not a firewall DROP', async (t) => {
  // a real listener whose process is stopped: the kernel completes `backlog + 1` handshakes, then drops SYNs
  const child = spawn(process.execPath, ['-e', "const s=require('net').createServer().listen({host:'127.0.0.1',port:0,backlog:1},()=>console.log(s.address().port))"], { stdio: ['ignore', 'pipe', 'inherit'] });
  const stop = stopper(child);
  t.after(async () => {
    child.kill('SIGCONT');
    await stop();
  });
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  const port = Number(line.toString().trim());
  child.kill('SIGSTOP');
  const fillers: Socket[] = [];
  t.after(() => fillers.forEach((f) => f.destroy()));
  for (let i = 0; i < 4; i++) {
    const f = connect({ host: '127.0.0.1', port });
    f.on('error', () => {});
    fillers.push(f);
  }
  await sleep(100);
  const s = spec(`services:\n  api: { backend: "127.0.0.1:${port}" }\ngate: { deadline: 1s, connect_timeout: 300ms }\n`);
  // a hard stop far away: what is tested is the reason, so the last attempt's evidence is never cut off
  const r = await runProbePhase(s, [], { signal: AbortSignal.timeout(30_000), deadlineAt: Date.now() + 1000, host: localHost() });
  const f = r.findings[0];
  assert.equal(f?.code, 'backend.not_accepting', JSON.stringify(r.findings));
  assert.equal(f.errno, 110);
  assert.ok(f.evidence?.some((l) => l.startsWith(`listener 127.0.0.1:${port} (node, pid ${child.pid})`)), f.evidence?.join('\n'));
  assert.ok(f.evidence?.some((l) => /^accept queue of 127\.0\.0\.1:\d+: Recv-Q \d+ >= Send-Q 1/.test(l)), f.evidence?.join('\n'));
  assert.doesNotMatch(f.message, /packets are dropped|firewall/);
  assert.match(f.message, new RegExp(`127\\.0\\.0\\.1:${port} listens, but node \\(pid ${child.pid}\\), stopped \\(SIGSTOP, or a debugger\\), does not accept`));
  assert.equal(f.fix, `resume it (kill -CONT ${child.pid}) or restart the service`);
});
