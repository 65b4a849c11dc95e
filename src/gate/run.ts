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
import type { ProgressEvent } from '../model/events.js';
import { runConfigPhase, type NginxFacts } from '../nginx/check.js';
import { DEFAULT_PID_FILE, findNginx } from '../host/nginx-process.js';
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
  };

  // lookups the resolver never answered are abandoned when the gate ends, not waited for
  const endLookups = useLookups();
  try {
    return await phases(spec, opts, ctx, started);
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

  if (phase !== 'probe') {
    const config = await configPhase(spec, ctx);
    append(findings, config.findings);
    dials = config.dials;
    facts = config.nginx;
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
      const nginx = await findNginx(ctx.host, {
        ...(phase === 'probe' ? { pidFile: DEFAULT_PID_FILE } : facts?.pidFile !== undefined && { pidFile: facts.pidFile }),
        config: spec.nginx.config,
        signal,
      });
      const probe = await probePhase(spec, dials, { ...ctx, nginx, ...(facts && { nginxFacts: facts }) });
      append(findings, probe.findings);
      append(checks, probe.checks);
      append(notRun, probe.notRun ?? []);
    }
  } else if (phase !== 'config') {
    const failed = checks.filter((c) => !c.ok).map((c) => c.service);
    planned((service) =>
      !configFailed ? (interrupted() ? 'the gate was interrupted' : 'the deadline passed') : failed.includes(service) ? 'the config check failed' : `the config check of ${failed.join(', ')} failed`,
    );
  }

  if (interrupted()) {
    findings.push({ severity: 'info', message: 'interrupted before the gate finished: the verdict covers only what ran' });
  }
  const report = verdictOf(findings, checks, spec, Date.now() - started, interrupted());
  return notRun.length ? { ...report, notRun } : report;
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
