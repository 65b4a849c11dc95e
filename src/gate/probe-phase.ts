// The probe phase: for every service, the checks its plan gives
// (probe-plan.ts), each run by the generic runner (check-runner.ts) once the
// checks it waits for have passed, and listed as not run when one of them
// failed. All services in parallel, one deadline, one AbortSignal; every
// failure classified with its evidence and fix.
import { setMaxListeners } from 'node:events';
import { evidenceCollector } from '../host/evidence.js';
import { fileSize } from '../host/file-tail.js';
import type { CheckOutcome, Finding, NotRunCheck } from '../model/finding.js';
import type { ServiceSpec, Spec } from '../spec/load.js';
import { runCheck, type PhaseEnv, type Settled } from './check-runner.js';
import { probePool } from './probe-pool.js';
import { mark, type Timings } from '../timings.js';
import type { NginxDial } from '../model/dial.js';
import type { PhaseContext, ProbePhase, ProbePhaseResult } from './phases.js';
import { STAGE_ORDER, type Check, type FrontTarget } from './probe-kind.js';
import { frontTargets, staleNotes } from './through-nginx.js';
import { dialsByService, firstChecks, planService, type PlannedNote } from './probe-plan.js';

export const runProbePhase: ProbePhase = Object.assign(
  async (spec: Spec, dials: readonly NginxDial[], ctx: PhaseContext): Promise<ProbePhaseResult> => {
    // every in-flight probe of every service listens on the one signal: thousands at once are no leak
    setMaxListeners(0, ctx.signal);
    const env: PhaseEnv = {
      spec,
      host: ctx.host,
      signal: ctx.signal,
      evidence: evidenceCollector(ctx.host, ctx.signal),
      policy: {
        intervalMs: spec.gate.intervalMs,
        maxIntervalMs: spec.gate.maxIntervalMs,
        successThreshold: spec.gate.successThreshold,
        deadlineAt: ctx.deadlineAt,
        signal: ctx.signal,
      },
      started: Date.now(),
      deadlineAt: ctx.deadlineAt,
      pool: probePool(),
      ...(ctx.onProgress && { onProgress: ctx.onProgress }),
    };
    if (spec.nginx.front && spec.nginx.errorLog) {
      const size = await fileSize(ctx.host, spec.nginx.errorLog, { signal: ctx.signal });
      if (size !== undefined) env.errorLogFrom = size;
    }
    const byService = dialsByService(dials);
    const fronts = await frontTargets(spec, ctx);
    const runs = await Promise.all(spec.services.map((s) => runService(s, byService.get(s.name) ?? [], env, fronts.targets.get(s.name), ctx.timings)));
    const found = runs.flatMap((r) => r.findings);
    const stale = await staleNotes(spec, ctx, fronts.targets, found);
    return { findings: dedupe([...found, ...stale, ...fronts.notes]), checks: runs.flatMap((r) => r.checks), notRun: runs.flatMap((r) => r.notRun) };
  },
  { plan: firstChecks },
);

type State = 'running' | 'passed' | 'failed' | 'not run';

/**
 * Runs a service's plan to its end: starts each check whose dependencies
 * passed (in plan order), lists as not run each whose dependency failed, and
 * plans again when what the plan depends on changed (a name resolved, a
 * check that others wait for settled).
 */
async function runService(service: ServiceSpec, dials: readonly NginxDial[], env: PhaseEnv, front?: FrontTarget, timings?: Timings): Promise<Required<ProbePhaseResult>> {
  const out = { findings: [] as Finding[], checks: [] as CheckOutcome[], notRun: [] as NotRunCheck[] };
  const learnt = { resolved: new Map<string, readonly string[]>(), passed: new Set<string>() };
  const state = new Map<string, State>();
  /** every check planned, as it was when it started or was found not to run */
  const planned = new Map<string, Check>();
  /** a check not yet started -> how many of its dependencies have yet to pass; and who waits for each check */
  let pending = new Map<string, number>();
  let waitingFor = new Map<string, string[]>();
  let notes: readonly PlannedNote[] = [];
  const noted = new Set<string>();
  /** each report row's check, and when it started */
  const rows = new Map<CheckOutcome, { check: Check; seq: number }>();
  const settled: { check: Check; run: Settled }[] = [];
  let wake: (() => void) | undefined;
  /** a check that threw: a bug, not an endpoint's failure */
  let broken: { error: unknown } | undefined;
  let running = 0;
  let seq = 0;

  const start = (check: Check) => {
    state.set(check.id, 'running');
    running++;
    const at = seq++;
    const startedAt = performance.now();
    runCheck(check, env, out).then(
      (run) => {
        mark(timings, `probe ${service.name}: ${check.name}`, startedAt);
        if (run.row) rows.set(run.row, { check, seq: at });
        settled.push({ check, run });
        wake?.();
      },
      (error: unknown) => {
        broken ??= { error };
        wake?.();
      },
    );
  };

  const plan = () => {
    const p = planService(env.spec, service, dials, learnt, front);
    notes = p.notes;
    pending = new Map();
    waitingFor = new Map();
    const ready: Check[] = [];
    for (const check of p.checks) {
      if (state.has(check.id)) continue;
      planned.set(check.id, check);
      const deps = check.after.map((id) => state.get(id));
      if (deps.some((s) => s === 'failed' || s === 'not run')) {
        state.set(check.id, 'not run');
        out.notRun.push({ service: service.name, name: check.name, why: why(check) });
        continue;
      }
      const waiting = check.after.filter((id) => state.get(id) !== 'passed');
      if (waiting.length === 0) ready.push(check);
      pending.set(check.id, waiting.length);
      for (const id of waiting) {
        const list = waitingFor.get(id);
        if (list) list.push(check.id);
        else waitingFor.set(id, [check.id]);
      }
    }
    for (const check of ready) start(check);
  };

  plan();
  while (running > 0) {
    if (settled.length === 0 && !broken) await new Promise<void>((r) => (wake = r));
    if (broken) throw broken.error;
    const next = settled.shift();
    if (!next) continue;
    running--;
    const { check, run } = next;
    const { ok, probe } = run.last;
    state.set(check.id, ok ? 'passed' : 'failed');
    if (ok) learnt.passed.add(check.id);
    if (ok && probe.addresses) learnt.resolved.set(check.id, probe.addresses);
    // a check that others wait for settled: those that can now run (or never will) may plan differently
    const waiters = waitingFor.get(check.id) ?? [];
    let unblocked = false;
    for (const id of waiters) {
      const left = (pending.get(id) ?? 0) - 1;
      pending.set(id, left);
      unblocked ||= left === 0;
    }
    if ((ok && probe.addresses) || (!ok && waiters.length > 0) || unblocked) plan();
    for (const note of notes) {
      if (noted.has(note.id) || !note.after.every((id) => learnt.passed.has(id))) continue;
      noted.add(note.id);
      out.findings.push(note.finding);
    }
  }

  // checks finish in any order: report them in the order they started in, stage by stage
  const stage = (c: CheckOutcome) => STAGE_ORDER[rows.get(c)?.check.stage ?? 'listener'];
  const started = (c: CheckOutcome) => rows.get(c)?.seq ?? 0;
  out.checks.sort((a, b) => stage(a) - stage(b) || started(a) - started(b));
  return out;

  /** The failed checks that kept `check` from running, directly or through others, in the order they failed. */
  function why(check: Check): string {
    const failed = new Set<string>();
    const seen = new Set<string>();
    const visit = (id: string) => {
      if (seen.has(id)) return;
      seen.add(id);
      if (state.get(id) === 'failed') failed.add(id);
      for (const dep of planned.get(id)?.after ?? []) visit(dep);
    };
    for (const id of check.after) visit(id);
    const names = out.checks.filter((c) => failed.has(rows.get(c)?.check.id ?? '')).map((c) => c.name);
    return names.length ? `${names.join(', ')} failed` : 'the gate stopped before it';
  }
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
