// JUnit XML as GitLab's test report widget and the GitHub test-reporter
// actions read it: one <testsuite> per service, one <testcase> per check
// (config, each probe); a failed check carries <failure type="REASON_CODE"
// message="the one-line diagnosis"> with the evidence and fix in its body.
// Findings no check accounts for become test cases of their own, so nothing
// that failed the gate is missing from the widget.
import { byService, location, type ServiceView } from './by-service.js';
import { maskCredentials } from './mask.js';
import type { CheckOutcome, Finding, Report } from './model.js';
import { xmlAttr, xmlText } from './xml.js';

interface Case {
  classname: string;
  name: string;
  timeS?: number;
  failure?: Finding;
  file?: string;
  out?: string;
}

export function toJunit(report: Report): string {
  const suites = byService(report).map((v) => ({ name: v.service ?? 'upstream-gate', cases: casesOf(v) }));
  if (suites.length === 0) suites.push({ name: 'upstream-gate', cases: [{ classname: 'upstream-gate', name: 'gate' }] });
  const all = suites.flatMap((s) => s.cases);
  const time = report.durationMs !== undefined ? ` time="${seconds(report.durationMs / 1000)}"` : '';
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="upstream-gate" tests="${all.length}" failures="${all.filter((c) => c.failure).length}" errors="0"${time}>`,
  ];
  for (const s of suites) {
    const failures = s.cases.filter((c) => c.failure).length;
    const t = s.cases.reduce((sum, c) => sum + (c.timeS ?? 0), 0);
    lines.push(`  <testsuite name="${xmlAttr(s.name)}" tests="${s.cases.length}" failures="${failures}" errors="0" skipped="0" time="${seconds(t)}">`);
    for (const c of s.cases) lines.push(...caseXml(c));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

function casesOf(v: ServiceView): Case[] {
  const classname = v.service ?? 'upstream-gate';
  const used = new Set<Finding>();
  const cases: Case[] = v.checks.map((c) => {
    const failure = c.ok ? undefined : explain(c, v.findings, used);
    return {
      classname,
      name: maskCredentials(c.name),
      ...(c.durationMs !== undefined && { timeS: c.durationMs / 1000 }),
      ...(failure && { failure }),
      ...(failure?.file !== undefined && { file: failure.file }),
    };
  });
  for (const f of v.findings) {
    if (used.has(f)) continue;
    const name = [f.code ?? f.severity, f.target].filter(Boolean).map((s) => maskCredentials(s as string)).join(' ');
    if (f.severity === 'error') cases.push({ classname, name, failure: f, ...(f.file !== undefined && { file: f.file }) });
    else cases.push({ classname, name, out: detail(f) });
  }
  return cases;
}

/** The finding behind a failed check: same code first, then any error of the service. */
function explain(c: CheckOutcome, findings: Finding[], used: Set<Finding>): Finding {
  const f =
    findings.find((x) => !used.has(x) && x.severity === 'error' && c.code !== undefined && x.code === c.code) ??
    findings.find((x) => !used.has(x) && x.severity === 'error' && c.code === undefined);
  if (f) {
    used.add(f);
    return f;
  }
  return { ...(c.code !== undefined && { code: c.code }), severity: 'error', service: c.service, message: c.message ?? 'failed' };
}

function caseXml(c: Case): string[] {
  const attrs = [`name="${xmlAttr(c.name)}"`, `classname="${xmlAttr(c.classname)}"`];
  if (c.file !== undefined) attrs.push(`file="${xmlAttr(c.file)}"`);
  attrs.push(`time="${seconds(c.timeS ?? 0)}"`);
  const open = `    <testcase ${attrs.join(' ')}`;
  if (!c.failure && c.out === undefined) return [`${open}/>`];
  const lines = [`${open}>`];
  if (c.failure) {
    const type = c.failure.code ?? 'failed';
    const message = firstLine(maskCredentials(c.failure.message));
    lines.push(`      <failure type="${xmlAttr(type)}" message="${xmlAttr(message)}">${xmlText(detail(c.failure))}</failure>`);
  }
  if (c.out !== undefined) lines.push(`      <system-out>${xmlText(c.out)}</system-out>`);
  lines.push('    </testcase>');
  return lines;
}

/** The failure body: everything a reader needs without opening the JSON report. */
function detail(f: Finding): string {
  const out = [[f.code, f.target].filter(Boolean).join(' '), f.message];
  if (f.errno !== undefined) out.push(`errno: ${f.errno}${f.errno_name ? ` ${f.errno_name}` : ''}`);
  for (const e of f.evidence ?? []) out.push(`evidence: ${e}`);
  if (f.fix) out.push(`fix: ${f.fix}`);
  const at = location(f);
  if (at) out.push(`at: ${at}`);
  return maskCredentials(out.filter(Boolean).join('\n'));
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i < 0 ? s : s.slice(0, i);
}

function seconds(s: number): string {
  return s.toFixed(3);
}
