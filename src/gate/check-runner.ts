// One check, whatever its kind: retried under the gate's deadline (retry.ts),
// each attempt probed with the time left, its failure classified with the
// host's evidence, the outcome recorded for the report and every change of
// state sent as a progress event.
import { classify } from '../diagnose/classify.js';
import type { EvidenceCollector } from '../host/evidence.js';
import type { Host } from '../host/host.js';
import type { ProbeResult } from '../model/probe-result.js';
import type { CheckOutcome, Finding } from '../model/finding.js';
import type { Spec } from '../spec/load.js';
import type { ProgressEvent } from '../model/events.js';
import type { AttemptContext, Check } from './probe-kind.js';
import type { ProbePool } from './probe-pool.js';
import { retryCheck, type Attempt, type RetryPolicy, type RetryResult } from './retry.js';

/** What every check of one probe phase shares. */
export interface PhaseEnv {
  spec: Spec;
  host: Host;
  signal: AbortSignal;
  evidence: EvidenceCollector;
  policy: RetryPolicy;
  /** epoch ms: when the phase began, and by when it must be settled */
  started: number;
  deadlineAt: number;
  onProgress?: (event: ProgressEvent) => void;
  /** the error log's size when the phase began */
  errorLogFrom?: number;
  /** bounds the probes in flight (probe-pool.ts) */
  pool?: ProbePool;
}

/** Where a settled check goes: its row (none for a silent pass) and its finding. */
export interface CheckSink {
  checks: CheckOutcome[];
  findings: Finding[];
}

/** A check run to its end, with the row it added to the report (none for a silent pass). */
export interface Settled extends RetryResult {
  row?: CheckOutcome;
}

export async function runCheck(check: Check, env: PhaseEnv, sink: CheckSink): Promise<Settled> {
  const threshold = check.kind.successThreshold ?? env.policy.successThreshold;
  const run = await retryCheck((budget, n) => attempt(check, env, budget, n), { ...env.policy, successThreshold: threshold }, progress(check, env, threshold));
  if (run.last.ok && check.kind.silentPass) return run;
  return { ...run, row: record(check, run, env, sink) };
}

async function attempt(check: Check, env: PhaseEnv, budgetMs: number, n: number): Promise<Attempt> {
  const g = env.spec.gate;
  const a: AttemptContext = {
    host: env.host,
    spec: env.spec,
    signal: env.signal,
    evidence: env.evidence,
    connectTimeoutMs: timeoutFor(n, g.connectTimeoutMs, budgetMs),
    requestTimeoutMs: timeoutFor(n, g.requestTimeoutMs, budgetMs),
    deadlineAt: env.deadlineAt,
    ...(env.errorLogFrom !== undefined && { errorLogFrom: env.errorLogFrom }),
  };
  const { kind, service, stage, target } = check;
  const probe = env.pool ? await env.pool.run(() => kind.probe(check, a)) : await kind.probe(check, a);
  const seen = kind.evidence ? await kind.evidence(probe, check, a) : { evidence: await env.evidence.gather(probe, target.endpoint, target.address, service.unit) };
  let outcome: Attempt = { ok: true, probe };
  if (!probe.ok) {
    const finding = classify({
      service,
      check: stage,
      endpoint: target.endpoint,
      ...(target.address !== undefined && { address: target.address }),
      ...(target.dial && { dial: target.dial }),
      probe,
      evidence: seen.evidence,
      ...(seen.errorLog && { errorLog: seen.errorLog }),
      ...('gateway' in seen && seen.gateway && { gateway: seen.gateway }),
    });
    outcome = { ok: false, probe, ...(finding && { finding }) };
    if (kind.recheck) outcome = await kind.recheck(outcome, check, a);
  }
  // an attempt whose evidence the gate's hard stop cut off (the listener and firewall views it
  // lacks would change its reason) says nothing new either: the retry loop keeps the previous reason
  return cutShort(outcome.probe, a, g) || env.signal.aborted ? { ...outcome, cut: true } : outcome;
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
 * Timed out on a timeout the deadline shortened: not the endpoint's fault
 * yet. By the connect timeout or the request timeout, whichever stage it
 * timed out in.
 */
function cutShort(probe: ProbeResult, used: Pick<AttemptContext, 'connectTimeoutMs' | 'requestTimeoutMs'>, g: Spec['gate']): boolean {
  if (probe.code !== 'ETIMEDOUT') return false;
  return probe.stage === 'connect' ? used.connectTimeoutMs < g.connectTimeoutMs : used.requestTimeoutMs < g.requestTimeoutMs;
}

/** One progress event per change of state (waiting with a new reason, pass, fail), not per attempt. */
function progress(check: Check, env: PhaseEnv, threshold: number): (o: Attempt, n: number, passes: number) => void {
  let lastKey: string | undefined;
  return (o, n, passes) => {
    const on = env.onProgress;
    if (!on) return;
    // passing, but not yet success_threshold times in a row: still waiting
    const passed = o.ok && passes >= threshold;
    const key = passed ? 'pass' : o.ok ? 'waiting:passing' : `waiting:${o.finding?.code ?? ''}`;
    if (key === lastKey) return;
    lastKey = key;
    const now = Date.now();
    on({
      service: check.service.name,
      check: check.name,
      state: passed ? 'pass' : 'waiting',
      ...(o.finding?.code && { code: o.finding.code }),
      message: o.finding?.message ?? (o.ok && !passed ? `passing, ${threshold} in a row needed` : o.probe.message),
      attempt: n,
      elapsedMs: now - env.started,
      remainingMs: Math.max(0, env.deadlineAt - now),
    });
  };
}

function record(check: Check, run: RetryResult, env: PhaseEnv, sink: CheckSink): CheckOutcome {
  const { last } = run;
  const f = last.finding;
  const row: CheckOutcome = {
    service: check.service.name,
    name: check.name,
    ok: last.ok,
    ...(f?.code && { code: f.code }),
    message: f?.message ?? last.probe.message,
    attempts: run.attempts,
    durationMs: Math.round(run.durationMs),
  };
  sink.checks.push(row);
  if (last.ok || !f) return row;
  sink.findings.push(f);
  const now = Date.now();
  env.onProgress?.({
    service: check.service.name,
    check: check.name,
    state: 'fail',
    ...(f.code && { code: f.code }),
    message: f.message,
    attempt: run.attempts,
    elapsedMs: now - env.started,
    remainingMs: Math.max(0, env.deadlineAt - now),
  });
  return row;
}
