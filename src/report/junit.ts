// JUnit XML as GitLab's test report widget and the GitHub test-reporter
// actions read it: one <testsuite> per service, one <testcase> per check
// (config, each probe); a failed check carries <failure type="REASON_CODE"
// message="the one-line diagnosis"> with the evidence and fix in its body.
// Findings no check accounts for become test cases of their own, so nothing
// that failed the gate is missing from the widget; checks that never ran are
// <skipped> with why; notes go to <system-out>.
import { append } from '../append.js';
import { byService, isNote, location, type ServiceView } from './by-service.js';
import { maskCredentials } from '../model/mask.js';
import type { CheckOutcome, Finding, NotRunCheck, Report } from '../model/finding.js';
import { relativeInside } from './paths.js';
import { xmlAttr, xmlText } from './xml.js';

export interface JunitOptions {
  /** file paths under it are written relative to it: GitLab links `file` from the repository root, the job's working directory */
  cwd?: string;
}

export interface JunitSuite {
  name: string;
  cases: JunitCase[];
  notes: string[];
}

export interface JunitCase {
  classname: string;
  name: string;
  timeS?: number;
  failure?: Finding;
  /** why the check never ran */
  skipped?: string;
  /** where the finding points: GitLab shows `file`, GitHub JUnit reporters annotate `file` and `line` */
  file?: string;
  line?: number;
  out?: string;
}

export function toJunit(report: Report, opts: JunitOptions = {}): string {
  const suites = junitSuites(report, opts);
  const all = suites.flatMap((s) => s.cases);
  const totalS = report.durationMs !== undefined ? report.durationMs / 1000 : undefined;
  const time = totalS !== undefined ? ` time="${seconds(totalS)}"` : '';
  const skipped = all.filter((c) => c.skipped !== undefined).length;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="upstream-gate" tests="${all.length}" failures="${all.filter((c) => c.failure).length}" errors="0" skipped="${skipped}"${time}>`,
  ];
  for (const s of suites) append(lines, suiteXml(s, totalS));
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

/** One <testsuite>: its cases' times summed, never more than the gate's wall time (`totalS`). */
export function suiteXml(s: JunitSuite, totalS: number | undefined): string[] {
  const failures = s.cases.filter((c) => c.failure).length;
  // a service's checks run side by side: their sum may exceed the wall time, never the gate's
  const sum = s.cases.reduce((t, c) => t + (c.timeS ?? 0), 0);
  const t = totalS === undefined ? sum : Math.min(sum, totalS);
  const lines = [
    `  <testsuite name="${xmlAttr(s.name)}" tests="${s.cases.length}" failures="${failures}" errors="0" skipped="${s.cases.filter((c) => c.skipped !== undefined).length}" time="${seconds(t)}">`,
  ];
  for (const c of s.cases) append(lines, caseXml(c));
  if (s.notes.length) lines.push(`    <system-out>${xmlText(maskCredentials(s.notes.join('\n')))}</system-out>`);
  lines.push('  </testsuite>');
  return lines;
}

/** The suites of one report: one per service, and one for what no service accounts for. */
export function junitSuites(report: Report, opts: JunitOptions = {}): JunitSuite[] {
  const shown: Report = { ...report, findings: report.findings.map((f) => (f.file === undefined ? f : { ...f, file: relativeInside(f.file, opts.cwd) ?? f.file })) };
  // a finding about the whole gate (nginx -t failed) explains every service's failed config check
  const general = shown.findings.filter((f) => f.service === undefined);
  const used = new Set<Finding>();
  const notRun = shown.notRun ?? [];
  const suites: JunitSuite[] = byService(shown)
    .filter((v) => v.service !== undefined)
    .map((v) => ({ name: v.service as string, cases: casesOf(v, general, used, notRun), notes: notesOf(v.findings) }));
  for (const n of notRun) {
    if (!suites.some((s) => s.name === n.service)) suites.push({ name: n.service, cases: casesOf({ service: n.service, checks: [], findings: [], status: 'fail' }, [], used, notRun), notes: [] });
  }
  const rest = general.filter((f) => !used.has(f));
  const restCases = casesOf({ checks: [], findings: rest, status: 'pass' }, [], used, []);
  // gate-wide notes ride along with the first suite rather than make an empty one
  if (restCases.length || !suites[0]) suites.unshift({ name: 'upstream-gate', cases: restCases, notes: notesOf(rest) });
  else suites[0].notes = [...notesOf(rest), ...suites[0].notes];
  if (suites.every((s) => s.cases.length === 0)) {
    const failure: Finding = { severity: 'error', message: 'the gate failed', ...(report.reason !== undefined && { code: report.reason }) };
    suites.push({ name: 'upstream-gate', cases: [{ classname: 'upstream-gate', name: 'gate', ...(report.verdict === 'fail' && { failure }) }], notes: [] });
  }
  return suites;
}

function casesOf(v: ServiceView, general: Finding[], used: Set<Finding>, notRun: NotRunCheck[]): JunitCase[] {
  const classname = v.service ?? 'upstream-gate';
  const cases: JunitCase[] = v.checks.map((c) => {
    const failure = c.ok ? undefined : explain(c, v.findings, general, used);
    return {
      classname,
      name: maskCredentials(c.name),
      ...(c.durationMs !== undefined && { timeS: c.durationMs / 1000 }),
      ...(failure && { failure }),
      ...(failure && at(failure)),
    };
  });
  for (const n of notRun) if (n.service === v.service) cases.push({ classname, name: maskCredentials(n.name), skipped: maskCredentials(n.why) });
  for (const f of v.findings) {
    if (used.has(f) || isNote(f)) continue;
    const name = [f.code ?? f.severity, f.target].filter(Boolean).map((s) => maskCredentials(s as string)).join(' ');
    if (f.severity === 'error') cases.push({ classname, name, failure: f, ...at(f) });
    else cases.push({ classname, name, out: detail(f), ...at(f) });
  }
  return cases;
}

function at(f: Finding): Pick<JunitCase, 'file' | 'line'> {
  return { ...(f.file !== undefined && { file: f.file }), ...(f.file !== undefined && f.line !== undefined && { line: f.line }) };
}

/** Notes are not test cases: they go to the suite's output. */
function notesOf(findings: Finding[]): string[] {
  return findings.filter(isNote).map((f) => `note: ${f.message}`);
}

/**
 * The finding behind a failed check: the service's own finding with the same
 * code, then a gate-wide one with that code (it may explain several checks).
 */
function explain(c: CheckOutcome, findings: Finding[], general: Finding[], used: Set<Finding>): Finding {
  const same = (x: Finding) => x.severity === 'error' && (c.code === undefined || x.code === c.code);
  const f = findings.find((x) => !used.has(x) && same(x)) ?? general.find(same);
  if (f) {
    used.add(f);
    return f;
  }
  return { ...(c.code !== undefined && { code: c.code }), severity: 'error', service: c.service, message: c.message ?? 'failed' };
}

function caseXml(c: JunitCase): string[] {
  const attrs = [`name="${xmlAttr(c.name)}"`, `classname="${xmlAttr(c.classname)}"`];
  if (c.file !== undefined) attrs.push(`file="${xmlAttr(c.file)}"`);
  if (c.line !== undefined) attrs.push(`line="${c.line}"`);
  attrs.push(`time="${seconds(c.timeS ?? 0)}"`);
  const open = `    <testcase ${attrs.join(' ')}`;
  if (!c.failure && c.out === undefined && c.skipped === undefined) return [`${open}/>`];
  const lines = [`${open}>`];
  if (c.skipped !== undefined) lines.push(`      <skipped message="${xmlAttr(`not run: ${c.skipped}`)}"/>`);
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

/**
 * The report of a gate that could not start (a bad spec, a missing file): one
 * test case in error, so GitLab shows why instead of an unreadable file.
 */
export function inputErrorJunit(message: string): string {
  const text = maskCredentials(message);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<testsuites name="upstream-gate" tests="1" failures="0" errors="1" skipped="0">',
    '  <testsuite name="upstream-gate" tests="1" failures="0" errors="1" skipped="0" time="0.000">',
    '    <testcase name="input" classname="upstream-gate" time="0.000">',
    `      <error type="input.invalid" message="${xmlAttr(firstLine(text))}">${xmlText(text)}</error>`,
    '    </testcase>',
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i < 0 ? s : s.slice(0, i);
}

function seconds(s: number): string {
  return s.toFixed(3);
}
