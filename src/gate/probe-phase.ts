// The probe phase: for every service, the checks its plan gives
// (probe-plan.ts), each run by the generic runner (check-runner.ts) once the
// checks it waits for have passed, and listed as not run when one of them
// failed. All services in parallel, one deadline, one AbortSignal; every
// failure classified with its evidence and fix.
import { evidenceCollector } from '../host/evidence.js';
import { fileSize } from '../host/file-tail.js';
import type { CheckOutcome, Finding, NotRunCheck } from '../report/model.js';
import type { ServiceSpec, Spec } from '../spec/load.js';
import { runCheck, type PhaseEnv } from './check-runner.js';
import type { NginxDial, PhaseContext, ProbePhase, ProbePhaseResult } from './phases.js';
import { STAGE_ORDER, type Check } from './probe-kind.js';
import { dialsByService, firstChecks, planService } from './probe-plan.js';

export const runProbePhase: ProbePhase = Object.assign(
  async (spec: Spec, dials: readonly NginxDial[], ctx: PhaseContext): Promise<ProbePhaseResult> => {
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
      ...(ctx.onProgress && { onProgress: ctx.onProgress }),
    };
    if (spec.nginx.front && spec.nginx.errorLog) {
      const size = await fileSize(ctx.host, spec.nginx.errorLog, { signal: ctx.signal });
      if (size !== undefined) env.errorLogFrom = size;
    }
    const byService = dialsByService(dials);
    const runs = await Promise.all(spec.services.map((s) => runService(s, byService.get(s.name) ?? [], env)));
    return { findings: dedupe(runs.flatMap((r) => r.findings)), checks: runs.flatMap((r) => r.checks), notRun: runs.flatMap((r) => r.notRun) };
  },
  { plan: firstChecks },
);

type State = 'running' | 'passed' | 'failed' | 'not run';

/**
 * Runs a service's plan to its end: starts each check whose dependencies
 * passed (in plan order), lists as not run each whose dependency failed, and
 * plans again with what each settled check taught (a name's addresses, a
 * pass).
 */
async function runService(service: ServiceSpec, dials: readonly NginxDial[], env: PhaseEnv): Promise<Required<ProbePhaseResult>> {
  const out = { findings: [] as Finding[], checks: [] as CheckOutcome[], notRun: [] as NotRunCheck[] };
  const resolved = new Map<string, readonly string[]>();
  const passed = new Set<string>();
  const state = new Map<string, State>();
  /** every check planned, as it was when it started or was found not to run */
  const planned = new Map<string, Check>();
  const noted = new Set<string>();
  /** each report row's check, and when it started */
  const rows = new Map<CheckOutcome, { check: Check; seq: number }>();
  const running = new Map<string, Promise<string>>();
  let seq = 0;

  const start = (check: Check) => {
    state.set(check.id, 'running');
    const at = seq++;
    const settled = runCheck(check, env, out).then((run) => {
      state.set(check.id, run.last.ok ? 'passed' : 'failed');
      if (run.last.ok) passed.add(check.id);
      if (run.last.ok && run.last.probe.addresses) resolved.set(check.id, run.last.probe.addresses);
      if (run.row) rows.set(run.row, { check, seq: at });
      return check.id;
    });
    running.set(check.id, settled);
  };

  for (;;) {
    const plan = planService(env.spec, service, dials, { resolved, passed });
    for (const note of plan.notes) {
      if (noted.has(note.id) || !note.after.every((id) => passed.has(id))) continue;
      noted.add(note.id);
      out.findings.push(note.finding);
    }
    for (const check of plan.checks) {
      if (state.has(check.id)) continue;
      planned.set(check.id, check);
      const deps = check.after.map((id) => state.get(id));
      if (deps.some((s) => s === 'failed' || s === 'not run')) {
        state.set(check.id, 'not run');
        out.notRun.push({ service: service.name, name: check.name, why: why(check) });
      } else if (deps.every((s) => s === 'passed')) start(check);
    }
    if (running.size === 0) break;
    running.delete(await Promise.race(running.values()));
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
