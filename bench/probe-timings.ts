// Two timings of the probe phase, on demand (not a test: machines are noisy).
//   npx tsx bench/probe-timings.ts [runs]
// 1. A family mismatch (nginx dials [::1], the backend listens on 127.0.0.1)
//    under a 60 s deadline: how long until the gate fails. Target: < 5 s.
// 2. A backend whose listener and health come up together mid-gate: how long
//    after it starts listening the gate passes. Target: a few hundred ms.
// 3. A backend that accepts and never answers, request_timeout 5 s, deadline
//    1 s: how far past the deadline the phase ends (bounded by one timeout).
import { createServer, type Server } from 'node:http';
import { createServer as createTcp, type AddressInfo, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { runProbePhase } from '../src/gate/probe-phase.js';
import { graceMs } from '../src/gate/run.js';
import { localHost } from '../src/host/local/local-host.js';
import { parseSpec } from '../src/spec/load.js';

const runs = Number(process.argv[2] ?? 5);

function listen(port = 0): Promise<Server> {
  const s = createServer((_req, res) => res.end('ok\n'));
  return new Promise((resolve, reject) => {
    s.once('error', reject);
    s.listen({ host: '127.0.0.1', port }, () => resolve(s));
  });
}

async function phase(yaml: string) {
  const spec = parseSpec(`version: 1\n${yaml}`, `${process.cwd()}/upstream-gate.yml`);
  const signal = AbortSignal.timeout(spec.gate.deadlineMs + graceMs(spec));
  return runProbePhase(spec, [], { signal, deadlineAt: Date.now() + spec.gate.deadlineMs, host: localHost() });
}

function stats(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const median = s[Math.floor(s.length / 2)] ?? NaN;
  return `median ${median.toFixed(0)} ms, min ${(s[0] ?? NaN).toFixed(0)} ms, max ${(s.at(-1) ?? NaN).toFixed(0)} ms (${s.length} runs)`;
}

async function familyMismatch(): Promise<number> {
  const backend = await listen();
  const port = (backend.address() as AddressInfo).port;
  const started = performance.now();
  const r = await phase(`services:\n  api: { backend: "[::1]:${port}", health: /healthz }\ngate: { deadline: 60s }\n`);
  const ms = performance.now() - started;
  backend.close();
  if (r.findings[0]?.code !== 'backend.family_mismatch') throw new Error(`expected a family mismatch, got ${JSON.stringify(r.findings)}`);
  return ms;
}

async function lateBackend(delayMs: number): Promise<number> {
  const probe = await listen();
  const port = (probe.address() as AddressInfo).port;
  await new Promise((r) => probe.close(r));
  const gate = phase(`services:\n  api: { backend: "127.0.0.1:${port}", health: /healthz }\ngate: { deadline: 60s }\n`);
  await sleep(delayMs);
  const backend = await listen(port);
  const listeningAt = performance.now();
  const r = await gate;
  const ms = performance.now() - listeningAt;
  backend.close();
  if (r.findings.length) throw new Error(`expected a pass, got ${JSON.stringify(r.findings)}`);
  return ms;
}

async function hangingOvershoot(): Promise<number> {
  const held = new Set<Socket>();
  const silent = createTcp((s) => held.add(s));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const port = (silent.address() as AddressInfo).port;
  const started = performance.now();
  const r = await phase(`services:\n  api: { backend: "127.0.0.1:${port}", health: /healthz }\ngate: { deadline: 1s, request_timeout: 5s }\n`);
  const ms = performance.now() - started - 1000;
  for (const s of held) s.destroy();
  silent.close();
  if (r.findings[0]?.code !== 'health.timeout') throw new Error(`expected health.timeout, got ${JSON.stringify(r.findings)}`);
  return ms;
}

const mismatch: number[] = [];
for (let i = 0; i < runs; i++) mismatch.push(await familyMismatch());
console.log(`family mismatch under a 60 s deadline, time to fail: ${stats(mismatch)}`);

const late: number[] = [];
for (let i = 0; i < runs; i++) late.push(await lateBackend(1000 + i * 137));
console.log(`backend up mid-gate (listener and health together), readiness -> pass: ${stats(late)}`);

const overshoot: number[] = [];
for (let i = 0; i < runs; i++) overshoot.push(await hangingOvershoot());
console.log(`hanging backend, deadline 1 s, request_timeout 5 s, phase end past the deadline: ${stats(overshoot)}`);
