// The gate: config phase, then probe phase, under one deadline and one
// AbortSignal, then the verdict. A config error fails the gate at once: there
// is no point waiting for probes of an address nginx does not dial.
import { setMaxListeners } from 'node:events';
import { append } from '../append.js';
import type { ReasonCode } from '../model/codes.js';
import type { Host } from '../host/host.js';
import { localHost } from '../host/local/local-host.js';
import { useLookups } from '../host/name-lookup.js';
import type { Finding, Report } from '../model/finding.js';
import type { Spec } from '../spec/load.js';
import type { NginxDial } from '../model/dial.js';
import { timed, type Timings } from '../timings.js';
import type { ProgressEvent } from '../model/events.js';
import { runConfigPhase, type NginxFacts } from '../nginx/check.js';
import { DEFAULT_PID_FILE, findNginx, type NginxLookup } from '../host/nginx-process.js';
import { vantageHost } from '../host/vantage/vantage-host.js';
import type { ConfigPhase, PhaseContext, ProbePhase } from './phases.js';
import { runProbePhase } from './probe-phase.js';

export type PhaseSelection = 'config' | 'probe' | 'all';

export interface GateOptions {
  phase?: PhaseSelection;
  /** overrides the spec's gate.deadline */
  deadlineMs?: number;
  /** the machine to check; default: this one, seen from the gate's own process */
  host?: Host;
  /** SIGINT / SIGTERM from the caller */
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
  /** the gate's own decisions under test: phases that stand in for the real ones (nginx/check.ts, probe-phase.ts) */
  configPhase?: ConfigPhase;
  probePhase?: ProbePhase;
  /** record each stage's time here, and give them with the report (`timings`) */
  timings?: Timings;
}

/**
 * Grace past the deadline for in-flight I/O to notice the abort and settle
 * (the evidence of a last failed attempt, a command stopping): short enough
 * that the whole process ends within a second of the deadline.
 */
export const MAX_GRACE_MS = 500;

export function graceMs(spec: Spec): number {
  return Math.min(spec.gate.connectTimeoutMs, MAX_GRACE_MS);
}

export async function runGate(spec: Spec, opts: GateOptions): Promise<Report> {
  const started = Date.now();
  const deadlineMs = opts.deadlineMs ?? spec.gate.deadlineMs;
  const deadlineAt = started + deadlineMs;
  const hardStop = AbortSignal.timeout(deadlineMs + graceMs(spec));
  const signal = opts.signal ? AbortSignal.any([opts.signal, hardStop]) : hardStop;
  // every socket, read and child in flight listens to it: thousands at once are the normal case, not a leak
  setMaxListeners(0, signal);
  const ctx: PhaseContext = {
    signal,
    deadlineAt,
    host: opts.host ?? localHost(),
    ...(opts.onProgress && { onProgress: opts.onProgress }),
    ...(opts.timings && { timings: opts.timings }),
  };

  // lookups the resolver never answered are abandoned when the gate ends, not waited for
  const endLookups = useLookups();
  try {
    const report = await phases(spec, opts, ctx, started);
    return opts.timings ? { ...report, timings: opts.timings } : report;
  } finally {
    endLookups();
  }
}

async function phases(spec: Spec, opts: GateOptions, ctx: PhaseContext, started: number): Promise<Report> {
  const phase = opts.phase ?? 'all';
  const configPhase = opts.configPhase ?? runConfigPhase;
  const probePhase = opts.probePhase ?? runProbePhase;
  const { signal } = ctx;
  const findings: Finding[] = [];
  const checks: NonNullable<Report['checks']> = [];
  const notRun: NonNullable<Report['notRun']> = [];
  let dials: NginxDial[] = [];
  let facts: NginxFacts | undefined;
  let fronts: PhaseContext['fronts'];

  // the running nginx is looked up beside the config phase, as soon as it knows the pid file: only a probe phase uses it
  const early = phase === 'all' ? earlyLookup(spec, ctx) : undefined;
  if (phase !== 'probe') {
    const config = await timed(ctx.timings, 'config phase', () => configPhase(spec, early ? { ...ctx, onFacts: early.start } : ctx)).catch((e: unknown) => {
      early?.abandon();
      throw e;
    });
    append(findings, config.findings);
    dials = config.dials;
    facts = config.nginx;
    fronts = config.fronts;
    // each service's first error, else the first error about no one service (nginx -t failed)
    const firstError = new Map<string | undefined, Finding>();
    for (const f of config.findings) if (f.severity === 'error' && !firstError.has(f.service)) firstError.set(f.service, f);
    for (const s of spec.services) {
      const own = firstError.get(s.name) ?? firstError.get(undefined);
      checks.push({
        service: s.name,
        name: 'config',
        ok: !own,
        ...(own?.code && { code: own.code }),
        ...(own && { message: own.message }),
      });
    }
  }

  const configFailed = findings.some((f) => f.severity === 'error');
  const interrupted = () => opts.signal?.aborted === true;
  if (configFailed || interrupted() || signal.aborted || Date.now() >= ctx.deadlineAt) early?.abandon();
  const planned = (why: (service: string) => string) =>
    append(notRun, (probePhase.plan?.(spec, dials) ?? []).map((c) => ({ ...c, why: why(c.service) })));
  if (phase !== 'config' && !configFailed && !interrupted()) {
    if (signal.aborted || Date.now() >= ctx.deadlineAt) {
      // a probe with no time left would only time out at once, and blame the backend for it
      const waits = findings.filter((f) => f.severity === 'info' && /did not finish within|was stopped before it finished/.test(f.message)).map((f) => f.message);
      findings.push({
        code: 'config.timeout',
        severity: 'error',
        message: `the deadline passed before any probe ran: the config phase took ${Date.now() - started} ms`,
        ...(waits.length > 0 && { evidence: waits }),
        fix: 'raise gate.deadline (or --deadline); nginx -t and the name lookups wait on the resolver',
      });
      planned(() => 'the deadline passed');
    } else {
      const nginx = await (early?.result() ??
        timed(ctx.timings, 'nginx process lookup', () =>
          findNginx(ctx.host, {
            ...(phase === 'probe' ? { pidFile: DEFAULT_PID_FILE } : facts?.pidFile !== undefined && { pidFile: facts.pidFile }),
            config: spec.nginx.config,
            signal,
          }),
        ));
      // nginx's vantage: as its workers, from its network namespace
      const view = await timed(ctx.timings, 'vantage', () => vantageHost(ctx.host, nginx, facts?.user, { signal }));
      try {
        if (view.blocked) {
          append(findings, view.findings());
          findings.push(view.blocked);
          planned(() => 'nginx runs in another network namespace the gate cannot enter');
        } else {
          // nginx's namespace is entered before the phase; whether the worker user was taken is known only after its dials
          const entered = view.vantage();
          const probe = await timed(ctx.timings, 'probe phase', () =>
            probePhase(spec, dials, { ...ctx, host: view.host, nginx, ...(facts && { nginxFacts: facts }), ...(fronts && { fronts }), ...(entered && { vantage: entered }) }),
          );
          const vantage = view.vantage();
          append(findings, view.findings());
          append(findings, vantage ? probe.findings.map((f) => ({ ...f, vantage })) : probe.findings);
          append(checks, probe.checks);
          append(notRun, probe.notRun ?? []);
        }
      } finally {
        view.close();
      }
    }
  } else if (phase !== 'config') {
    const failed = checks.filter((c) => !c.ok).map((c) => c.service);
    const failedSet = new Set(failed);
    const othersFailed = `the config check of ${failed.join(', ')} failed`;
    planned((service) => (!configFailed ? (interrupted() ? 'the gate was interrupted' : 'the deadline passed') : failedSet.has(service) ? 'the config check failed' : othersFailed));
  }

  if (interrupted()) {
    findings.push({ severity: 'info', message: 'interrupted before the gate finished: the verdict covers only what ran' });
  }
  const report = verdictOf(findings, checks, spec, Date.now() - started, interrupted());
  return notRun.length ? { ...report, notRun } : report;
}

/**
 * The running nginx's lookup, started by the config phase once it knows the
 * pid file (`start`), while nginx -t and the name lookups run. `result` is
 * its answer, its stage recorded only then; undefined when it never started
 * (a config phase that does not tell its facts), and the lookup is then made
 * after the phase as before. `abandon` stops one no probe phase will use.
 */
function earlyLookup(spec: Spec, ctx: PhaseContext): { start: (facts: NginxFacts) => void; result: () => Promise<NginxLookup> | undefined; abandon: () => void } {
  const stop = new AbortController();
  let started: { at: number; answer: Promise<{ lookup: NginxLookup; end: number }> } | undefined;
  return {
    start(facts) {
      if (started) return;
      const at = performance.now();
      const signal = AbortSignal.any([ctx.signal, stop.signal]);
      // every read of the process list listens to it
      setMaxListeners(0, signal);
      const answer = findNginx(ctx.host, {
        ...(facts.pidFile !== undefined && { pidFile: facts.pidFile }),
        config: spec.nginx.config,
        signal,
      }).then((lookup) => ({ lookup, end: performance.now() }));
      started = { at, answer };
    },
    result() {
      if (!started) return undefined;
      const { at, answer } = started;
      return answer.then(({ lookup, end }) => {
        ctx.timings?.stages.push({ stage: 'nginx process lookup', startMs: at, ms: end - at });
        return lookup;
      });
    },
    abandon() {
      stop.abort();
      void started?.answer.catch(() => {});
    },
  };
}

export function verdictOf(findings: Finding[], checks: Report['checks'], spec: Spec, durationMs: number, interrupted = false): Report {
  const deciding = findings.find((f) => f.severity === 'error');
  const fail = deciding !== undefined || interrupted;
  const reason: ReasonCode | undefined = deciding?.code;
  return {
    verdict: fail ? 'fail' : 'pass',
    ...(fail && reason && { reason }),
    findings,
    ...(checks && { checks }),
    spec: spec.file,
    durationMs,
  };
}
