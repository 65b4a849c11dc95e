// The probe phase: for every service, every address nginx dials (the spec's
// backend and each configured dial that differs, names resolved to every
// address, each probed separately), then the health request, then the same
// path through nginx's front. All services in parallel, one deadline, one
// AbortSignal; every failure classified with its evidence and fix.
import { setMaxListeners } from 'node:events';
import { isIP } from 'node:net';
import { classify, type ClassifyInput } from '../diagnose/classify.js';
import { gatewayLines } from '../diagnose/gateway-lines.js';
import { createHostView, type HostView } from '../host/evidence.js';
import { fileSize, readSince } from '../host/file-tail.js';
import { probeConnect } from '../probe/connect.js';
import { formatEndpoint, type Endpoint } from '../probe/endpoint.js';
import { probeFastcgi } from '../probe/fastcgi.js';
import { probeHttp } from '../probe/http.js';
import { resolveAll } from '../probe/resolve.js';
import type { ProbeResult } from '../probe/result.js';
import type { CheckOutcome, Finding } from '../report/model.js';
import type { ServiceSpec, Spec } from '../spec/load.js';
import type { NginxDial, PhaseContext, ProbePhase } from './phases.js';
import { retryCheck, type AttemptOutcome, type CheckRun, type RetryPolicy } from './retry.js';

interface Target {
  endpoint: Endpoint;
  dial?: NginxDial;
}

interface ServiceRun {
  findings: Finding[];
  checks: CheckOutcome[];
  /** one listener check per address, shared when the backend and a dial resolve to the same one */
  listeners: Map<string, Promise<boolean>>;
  /** check names in the order they started */
  started: string[];
}

interface Shared {
  spec: Spec;
  ctx: PhaseContext;
  host: HostView;
  policy: RetryPolicy;
  started: number;
  /** the error log's size when the phase began */
  errorLogFrom?: number;
}

export const runProbePhase: ProbePhase = async (spec, dials, ctx) => {
  const started = Date.now();
  // every in-flight probe of every service listens on the one signal: thousands at once are no leak
  setMaxListeners(0, ctx.signal);
  const shared: Shared = {
    spec,
    ctx,
    host: createHostView(ctx.runner, ctx.signal),
    policy: {
      intervalMs: spec.gate.intervalMs,
      maxIntervalMs: spec.gate.maxIntervalMs,
      successThreshold: spec.gate.successThreshold,
      deadlineAt: ctx.deadlineAt,
      signal: ctx.signal,
    },
    started,
  };
  if (spec.nginx.front && spec.nginx.errorLog) {
    const size = await fileSize(spec.nginx.errorLog);
    if (size !== undefined) shared.errorLogFrom = size;
  }
  const byService = new Map<string, NginxDial[]>();
  for (const d of dials) {
    const list = byService.get(d.service);
    if (list) list.push(d);
    else byService.set(d.service, [d]);
  }
  const runs = await Promise.all(spec.services.map((s) => runService(s, byService.get(s.name) ?? [], shared)));
  return { findings: dedupe(runs.flatMap((r) => r.findings)), checks: runs.flatMap((r) => r.checks) };
};

/** Equal for the endpoints sameEndpoint() calls the same: one lookup instead of a comparison with each. */
function endpointKey(e: Endpoint): string {
  return e.kind === 'unix' ? `unix:${e.path}` : `${e.port} ${e.host.toLowerCase()}`;
}

/** The spec's backend first, then each static dial that differs from it. */
export function targetsOf(service: ServiceSpec, dials: readonly NginxDial[]): Target[] {
  const backend: Target = { endpoint: service.backend };
  const targets = new Map<string, Target>([[endpointKey(service.backend), backend]]);
  for (const d of dials) {
    if (d.dynamic || !d.endpoint) continue;
    const key = endpointKey(d.endpoint);
    const same = targets.get(key);
    if (same) same.dial ??= d;
    else targets.set(key, { endpoint: d.endpoint, dial: d });
  }
  return [...targets.values()];
}

async function runService(service: ServiceSpec, dials: readonly NginxDial[], sh: Shared): Promise<ServiceRun> {
  const out: ServiceRun = { findings: [], checks: [], listeners: new Map(), started: [] };
  const [backend, ...others] = targetsOf(service, dials);
  const backendChain = async () => {
    if (!backend) return;
    const addresses = await listenerChecks(service, backend, sh, out);
    if (!addresses) return;
    const healthy = await healthChecks(service, backend, addresses, sh, out);
    if (healthy && sh.spec.nginx.front && service.health) await frontCheck(service, sh, out);
  };
  await Promise.all([backendChain(), ...others.map((t) => listenerChecks(service, t, sh, out))]);
  // checks finish in any order: report them in the order they run in, stage by stage
  const order = new Map<string, number>();
  out.started.forEach((name, i) => order.has(name) || order.set(name, i));
  const at = (c: CheckOutcome) => order.get(c.name) ?? -1;
  out.checks.sort((a, b) => stageRank(a.name) - stageRank(b.name) || at(a) - at(b));
  return out;
}

function stageRank(check: string): number {
  if (/^(resolve|tcp|unix) /.test(check)) return 0;
  if (check.startsWith('front ')) return 2;
  return 1;
}

/**
 * Resolves the target's name (retried: DNS may come up late), then probes
 * each address. The addresses when every one passed: for a unix socket, one
 * undefined address (the socket itself).
 */
async function listenerChecks(service: ServiceSpec, target: Target, sh: Shared, out: ServiceRun): Promise<(string | undefined)[] | undefined> {
  const { endpoint } = target;
  const g = sh.spec.gate;
  let addresses: (string | undefined)[] = endpoint.kind === 'tcp' ? [endpoint.host] : [undefined];
  if (endpoint.kind === 'tcp' && !isIP(endpoint.host)) {
    let resolved: string[] = [];
    const name = `resolve ${endpoint.host}`;
    out.started.push(name);
    const run = await retryCheck(
      async (budget, n) => {
        const r = await resolveAll(endpoint.host, { timeoutMs: timeoutFor(n, g.connectTimeoutMs, budget), signal: sh.ctx.signal });
        if (r.ok) resolved = r.addresses;
        const probe: ProbeResult = r.ok
          ? { ok: true, kind: 'tcp', target: endpoint.host, stage: 'resolve', message: r.addresses.join(', '), timings: { totalMs: r.durationMs } }
          : { ok: false, kind: 'tcp', target: endpoint.host, stage: 'resolve', ...(r.code !== undefined && { code: r.code }), message: r.message, timings: { totalMs: r.durationMs } };
        return outcome(service, target, undefined, 'listener', probe, {});
      },
      { ...sh.policy, successThreshold: 1 },
      progress(service, name, sh, 1),
    );
    if (!run.last.ok) {
      record(out, service, name, run, sh);
      return undefined;
    }
    addresses = resolved;
  }
  const runs = await Promise.all(
    addresses.map((address) => {
      const dialed = dialedAt(endpoint, address);
      const name = `${endpoint.kind} ${endpoint.kind === 'unix' ? endpoint.path : formatEndpoint(dialed)}`;
      const shared = out.listeners.get(name);
      if (shared) return shared;
      const check = listenerCheck(service, target, address, dialed, name, sh, out);
      out.listeners.set(name, check);
      return check;
    }),
  );
  return runs.every(Boolean) ? addresses : undefined;
}

/** The endpoint with its name replaced by one resolved address (`undefined`: as it is). */
function dialedAt(endpoint: Endpoint, address: string | undefined): Endpoint {
  return endpoint.kind === 'tcp' && address !== undefined ? { kind: 'tcp', host: address, port: endpoint.port } : endpoint;
}

async function listenerCheck(service: ServiceSpec, target: Target, address: string | undefined, dialed: Endpoint, name: string, sh: Shared, out: ServiceRun): Promise<boolean> {
  const { endpoint } = target;
  const g = sh.spec.gate;
  out.started.push(name);
  const run = await retryCheck(
    async (budget, n) => {
      const timeoutMs = timeoutFor(n, g.connectTimeoutMs, budget);
      const probe = await probeConnect(dialed, { timeoutMs, signal: sh.ctx.signal });
      const o = outcome(service, target, address, 'listener', probe, await sh.host.gather(probe, endpoint, address, service.unit));
      if (o.finding?.code === 'network.rejected' && probe.code === 'ECONNREFUSED') {
        // the listener seen after the refused connect may have only just come up: ask again before blaming a firewall
        const again = await probeConnect(dialed, { timeoutMs, signal: sh.ctx.signal });
        if (again.ok) return { ok: true, probe: again };
      }
      return { ...o, ...saysNothingNew(sh, cutShort(probe, timeoutMs, g.connectTimeoutMs)) };
    },
    sh.policy,
    progress(service, name, sh),
  );
  record(out, service, name, run, sh);
  return run.last.ok;
}

async function healthChecks(service: ServiceSpec, target: Target, list: readonly (string | undefined)[], sh: Shared, out: ServiceRun): Promise<boolean> {
  const path = service.health;
  const kind = service.protocol === 'fastcgi' ? 'fastcgi' : service.protocol === 'https' ? 'https' : service.protocol === 'http' ? 'http' : undefined;
  if (!path) return true;
  if (!kind) {
    out.findings.push({ severity: 'info', service: service.name, message: `health ${path} is not requested over ${service.protocol}: the listener probe is the check` });
    return true;
  }
  const { endpoint } = target;
  const g = sh.spec.gate;
  const runs = await Promise.all(
    list.map(async (address) => {
      const dialed = dialedAt(endpoint, address);
      const verb = kind === 'fastcgi' ? 'fastcgi' : `${kind} GET`;
      const name = `${verb} ${path}${list.length > 1 ? ` ${formatEndpoint(dialed)}` : ''}`;
      out.started.push(name);
      const run = await retryCheck(
        async (budget, n) => {
          const timeouts = { connectTimeoutMs: timeoutFor(n, g.connectTimeoutMs, budget), requestTimeoutMs: timeoutFor(n, g.requestTimeoutMs, budget), signal: sh.ctx.signal };
          // the Host header nginx sends by default (`proxy_set_header Host $proxy_host`): the address as configured
          const host = endpoint.kind === 'tcp' ? { host: formatEndpoint(endpoint) } : {};
          const probe =
            kind === 'fastcgi'
              ? await probeFastcgi({ endpoint: dialed, path, ...timeouts })
              : await probeHttp({ endpoint: dialed, tls: kind === 'https', path, ...host, ...timeouts });
          const o = outcome(service, target, address, 'health', probe, await sh.host.gather(probe, endpoint, address, service.unit));
          return { ...o, ...saysNothingNew(sh, requestCutShort(probe, timeouts, g)) };
        },
        sh.policy,
        progress(service, name, sh),
      );
      record(out, service, name, run, sh);
      return run.last.ok;
    }),
  );
  return runs.every(Boolean);
}

async function frontCheck(service: ServiceSpec, sh: Shared, out: ServiceRun): Promise<void> {
  const front = sh.spec.nginx.front;
  const path = service.health;
  if (!front || !path) return;
  let url: URL;
  try {
    url = new URL(front);
  } catch {
    return;
  }
  const tls = url.protocol === 'https:';
  const port = Number(url.port || (tls ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const endpoint: Endpoint = { kind: 'tcp', host, port };
  const base = url.pathname.replace(/\/$/, '');
  const label = `${url.protocol}//${url.username || url.password ? '***@' : ''}${url.host}${base}${path}`;
  const name = `front GET ${path}`;
  const credentials = url.username || url.password ? { credentials: `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` } : {};
  const g = sh.spec.gate;
  const hostHeader = service.serverNames.find((n) => !/[*~]/.test(n)) ?? url.host;
  out.started.push(name);
  const run = await retryCheck(
    async (budget, n) => {
      const connectTimeoutMs = timeoutFor(n, g.connectTimeoutMs, budget);
      const requestTimeoutMs = timeoutFor(n, g.requestTimeoutMs, budget);
      const probe = await probeHttp({ endpoint, tls, path: `${base}${path}`, host: hostHeader, label, ...credentials, connectTimeoutMs, requestTimeoutMs, signal: sh.ctx.signal });
      let errorLog: string[] | undefined;
      if (!probe.ok && (probe.status === 502 || probe.status === 504)) errorLog = await gatewayEvidence(service, sh);
      const evidence = probe.ok || probe.status !== undefined ? {} : await sh.host.gather(probe, endpoint, undefined, undefined);
      const o = outcome(service, { endpoint }, undefined, 'front', probe, evidence, errorLog);
      return { ...o, ...saysNothingNew(sh, requestCutShort(probe, { connectTimeoutMs, requestTimeoutMs }, g)) };
    },
    sh.policy,
    progress(service, name, sh),
  );
  record(out, service, name, run, sh);
}

async function gatewayEvidence(service: ServiceSpec, sh: Shared): Promise<string[]> {
  const file = sh.spec.nginx.errorLog;
  if (!file) return ['nginx.error_log is not set: the 502 cannot be attributed'];
  if (sh.errorLogFrom === undefined) return [`${file} was not readable when the gate started`];
  const { lines, error } = await readSince(file, sh.errorLogFrom);
  if (error) return [error];
  return gatewayLines(lines, service.serverNames);
}

function outcome(
  service: ServiceSpec,
  target: Target,
  address: string | undefined,
  check: ClassifyInput['check'],
  probe: ProbeResult,
  evidence: ClassifyInput['evidence'],
  errorLog?: string[],
): AttemptOutcome {
  if (probe.ok) return { ok: true, probe };
  const dial = target.dial;
  const finding = classify({
    service,
    check,
    endpoint: target.endpoint,
    ...(address !== undefined && { address }),
    ...(dial && { dial }),
    probe,
    evidence,
    ...(errorLog && { errorLog }),
  });
  return { ok: false, probe, ...(finding && { finding }) };
}

/** One progress event per change of state (waiting with a new reason, pass, fail), not per attempt. */
function progress(service: ServiceSpec, check: string, sh: Shared, threshold = sh.policy.successThreshold): (o: AttemptOutcome, n: number, passes: number) => void {
  let lastKey: string | undefined;
  return (o, n, passes) => {
    const on = sh.ctx.onProgress;
    if (!on) return;
    // passing, but not yet success_threshold times in a row: still waiting
    const passed = o.ok && passes >= threshold;
    const key = passed ? 'pass' : o.ok ? 'waiting:passing' : `waiting:${o.finding?.code ?? ''}`;
    if (key === lastKey) return;
    lastKey = key;
    const now = Date.now();
    on({
      service: service.name,
      check,
      state: passed ? 'pass' : 'waiting',
      ...(o.finding?.code && { code: o.finding.code }),
      message: o.finding?.message ?? (o.ok && !passed ? `passing, ${threshold} in a row needed` : o.probe.message),
      attempt: n,
      elapsedMs: now - sh.started,
      remainingMs: Math.max(0, sh.ctx.deadlineAt - now),
    });
  };
}

function record(out: ServiceRun, service: ServiceSpec, name: string, run: CheckRun, sh: Shared): void {
  const { last } = run;
  const f = last.finding;
  out.checks.push({
    service: service.name,
    name,
    ok: last.ok,
    ...(f?.code && { code: f.code }),
    message: f?.message ?? last.probe.message,
    attempts: run.attempts,
    durationMs: Math.round(run.durationMs),
  });
  if (!last.ok && f) {
    out.findings.push(f);
    const now = Date.now();
    sh.ctx.onProgress?.({
      service: service.name,
      check: name,
      state: 'fail',
      ...(f.code && { code: f.code }),
      message: f.message,
      attempt: run.attempts,
      elapsedMs: now - sh.started,
      remainingMs: Math.max(0, sh.ctx.deadlineAt - now),
    });
  }
}

/**
 * A check's first attempt gets its configured timeout whatever is left of the
 * deadline (the gate's hard stop still bounds it): a timeout cut to a few
 * milliseconds by a busy machine would classify the load, not the endpoint.
 * Later attempts fit in what is left.
 */
function timeoutFor(attempt: number, configuredMs: number, budgetMs: number): number {
  return attempt === 1 ? configuredMs : Math.min(configuredMs, budgetMs);
}

/**
 * An attempt that timed out on a timeout the deadline shortened, or whose
 * evidence the gate's hard stop cut off (the listener and firewall views it
 * lacks would change its reason), says nothing new: the retry loop keeps the
 * previous reason.
 */
function saysNothingNew(sh: Shared, timedOutShort: boolean): { cut?: true } {
  return timedOutShort || sh.ctx.signal.aborted ? { cut: true } : {};
}

/** Timed out on a timeout the deadline shortened: not the endpoint's fault yet. */
function cutShort(probe: ProbeResult, usedMs: number, configuredMs: number): boolean {
  return probe.code === 'ETIMEDOUT' && usedMs < configuredMs;
}

/** cutShort for a request: by the connect timeout or the request timeout, whichever stage it timed out in. */
function requestCutShort(probe: ProbeResult, used: { connectTimeoutMs: number; requestTimeoutMs: number }, g: Spec['gate']): boolean {
  return probe.stage === 'connect' ? cutShort(probe, used.connectTimeoutMs, g.connectTimeoutMs) : cutShort(probe, used.requestTimeoutMs, g.requestTimeoutMs);
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.service}|${f.code}|${f.target}|${f.code ? '' : f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
