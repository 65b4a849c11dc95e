// The gate: config phase, then probe phase, under one deadline and one
// AbortSignal, then the verdict. A config error fails the gate at once: there
// is no point waiting for probes of an address nginx does not dial.
import { append } from '../append.js';
import type { ReasonCode } from '../diagnose/codes.js';
import { execaRunner, type Runner } from '../host/run.js';
import type { Finding, Report } from '../report/model.js';
import type { Spec } from '../spec/load.js';
import type { ConfigPhase, NginxDial, PhaseContext, ProbePhase, ProgressEvent } from './phases.js';

export type PhaseSelection = 'config' | 'probe' | 'all';

export interface GateOptions {
  phase?: PhaseSelection;
  /** overrides the spec's gate.deadline */
  deadlineMs?: number;
  runner?: Runner;
  /** SIGINT / SIGTERM from the caller */
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
  configPhase: ConfigPhase;
  probePhase: ProbePhase;
}

/**
 * Grace past the deadline for in-flight I/O to notice the abort and settle:
 * a hanging endpoint cannot push the gate further than one connect timeout.
 */
export function graceMs(spec: Spec): number {
  return Math.min(spec.gate.connectTimeoutMs, 5000);
}

export async function runGate(spec: Spec, opts: GateOptions): Promise<Report> {
  const started = Date.now();
  const phase = opts.phase ?? 'all';
  const deadlineMs = opts.deadlineMs ?? spec.gate.deadlineMs;
  const deadlineAt = started + deadlineMs;
  const hardStop = AbortSignal.timeout(deadlineMs + graceMs(spec));
  const signal = opts.signal ? AbortSignal.any([opts.signal, hardStop]) : hardStop;
  const ctx: PhaseContext = {
    signal,
    deadlineAt,
    runner: opts.runner ?? execaRunner(),
    ...(opts.onProgress && { onProgress: opts.onProgress }),
  };

  const findings: Finding[] = [];
  const checks: NonNullable<Report['checks']> = [];
  let dials: NginxDial[] = [];

  if (phase !== 'probe') {
    const config = await opts.configPhase(spec, ctx);
    append(findings, config.findings);
    dials = config.dials;
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
  if (phase !== 'config' && !configFailed && !opts.signal?.aborted) {
    // A config phase that used up the deadline (a slow nginx -t on a busy machine) still leaves every
    // check one attempt, bounded as in-flight I/O is: a verdict never passes what it did not probe.
    const probeStop = AbortSignal.timeout(Math.max(0, deadlineAt - Date.now()) + graceMs(spec));
    const probeSignal = opts.signal ? AbortSignal.any([opts.signal, probeStop]) : probeStop;
    const probe = await opts.probePhase(spec, dials, { ...ctx, signal: probeSignal });
    append(findings, probe.findings);
    append(checks, probe.checks);
  }

  if (opts.signal?.aborted) {
    findings.push({ severity: 'info', message: 'interrupted before the gate finished: the verdict covers only what ran' });
  }
  return verdictOf(findings, checks, spec, Date.now() - started, opts.signal?.aborted === true);
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
