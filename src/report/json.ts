// The JSON report of DESIGN.md: `verdict`, `reason` (absent on pass) and the
// findings with only the contract's fields, in the contract's order. Extra
// top-level fields (`checks`, `not_run`, `spec`, `duration_ms`, `timings`) are allowed by
// the contract.
import { maskCredentials } from '../model/mask.js';
import type { CheckOutcome, Finding, NotRunCheck, Report } from '../model/finding.js';

export function toJson(report: Report): string {
  const out: Record<string, unknown> = { verdict: report.verdict };
  if (report.verdict === 'fail' && report.reason !== undefined) out.reason = report.reason;
  out.findings = report.findings.map(findingJson);
  if (report.checks !== undefined) out.checks = report.checks.map(checkJson);
  if (report.notRun?.length) out.not_run = report.notRun.map(notRunJson);
  if (report.spec !== undefined) out.spec = report.spec;
  if (report.durationMs !== undefined) out.duration_ms = Math.round(report.durationMs);
  if (report.timings !== undefined) out.timings = { stages: report.timings.stages.map((t) => ({ stage: t.stage, start_ms: round1(t.startMs), ms: round1(t.ms) })) };
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** Stages last a fraction of a millisecond: one decimal keeps them apart. */
function round1(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** Contract order; a field that does not apply is omitted, never null. */
export function findingJson(f: Finding): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (f.code !== undefined) o.code = f.code;
  o.severity = f.severity;
  if (f.service !== undefined) o.service = f.service;
  if (f.target !== undefined) o.target = maskCredentials(f.target);
  if (f.errno !== undefined) o.errno = f.errno;
  if (f.errno_name !== undefined) o.errno_name = f.errno_name;
  o.message = maskCredentials(f.message);
  if (f.evidence !== undefined) o.evidence = f.evidence.map(maskCredentials);
  if (f.fix !== undefined) o.fix = maskCredentials(f.fix);
  if (f.file !== undefined) o.file = f.file;
  if (f.line !== undefined) o.line = f.line;
  // DESIGN.md's vantage rule: where it was observed from, when not the gate's own process
  if (f.vantage !== undefined) o.vantage = { ...f.vantage };
  return o;
}

function checkJson(c: CheckOutcome): Record<string, unknown> {
  const o: Record<string, unknown> = { service: c.service, name: maskCredentials(c.name), ok: c.ok };
  if (c.code !== undefined) o.code = c.code;
  if (c.message !== undefined) o.message = maskCredentials(c.message);
  if (c.attempts !== undefined) o.attempts = c.attempts;
  if (c.durationMs !== undefined) o.duration_ms = Math.round(c.durationMs);
  return o;
}

function notRunJson(c: NotRunCheck): Record<string, unknown> {
  return { service: c.service, name: maskCredentials(c.name), why: maskCredentials(c.why) };
}
