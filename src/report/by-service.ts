// The report regrouped the way every renderer presents it: per service, in
// the order services first appear, with findings that name no service
// (a config that does not parse, notes) in a group of their own, first.
import type { CheckOutcome, Finding, Report } from '../model/finding.js';

export type Status = 'pass' | 'warn' | 'fail';

export interface ServiceView {
  /** undefined: findings about the whole gate */
  service?: string;
  checks: CheckOutcome[];
  findings: Finding[];
  status: Status;
}

export function byService(report: Report): ServiceView[] {
  const views = new Map<string | undefined, ServiceView>();
  const view = (service: string | undefined) => {
    let v = views.get(service);
    if (!v) {
      v = { ...(service !== undefined && { service }), checks: [], findings: [], status: 'pass' };
      views.set(service, v);
    }
    return v;
  };
  if (report.findings.some((f) => f.service === undefined)) view(undefined);
  for (const c of report.checks ?? []) view(c.service).checks.push(c);
  for (const f of report.findings) view(f.service).findings.push(f);
  for (const v of views.values()) v.status = statusOf(v);
  return [...views.values()];
}

function statusOf(v: ServiceView): Status {
  if (v.findings.some((f) => f.severity === 'error') || v.checks.some((c) => !c.ok)) return 'fail';
  if (v.findings.some((f) => f.severity === 'warning')) return 'warn';
  return 'pass';
}

/** A note (severity info, no code), such as "nginx binary not installed": context, not a finding to act on. */
export function isNote(f: Finding): boolean {
  return f.severity === 'info' && f.code === undefined;
}

/** `file:line`, `file`, or undefined */
export function location(f: Pick<Finding, 'file' | 'line'>): string | undefined {
  if (f.file === undefined) return undefined;
  return f.line === undefined ? f.file : `${f.file}:${f.line}`;
}

/** The finding that decided the verdict: the first error with the report's reason. */
export function decidingFinding(report: Report): Finding | undefined {
  const errors = report.findings.filter((f) => f.severity === 'error');
  return errors.find((f) => f.code === report.reason) ?? errors[0];
}

export function counts(report: Report): { errors: number; warnings: number; checks: number; failedChecks: number } {
  const checks = report.checks ?? [];
  return {
    errors: report.findings.filter((f) => f.severity === 'error').length,
    warnings: report.findings.filter((f) => f.severity === 'warning').length,
    checks: checks.length,
    failedChecks: checks.filter((c) => !c.ok).length,
  };
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
