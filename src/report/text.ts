// The terminal report: per service a summary line, then each finding with
// its code, target, message, evidence, fix (in full) and file:line; the
// verdict last, so it is what a scrolled-to-the-bottom terminal shows.
// Lines are wrapped to the terminal's width when there is one (src/report/wrap.ts).
import { append } from '../append.js';
import { formatDuration } from '../spec/duration.js';
import { byService, counts, decidingFinding, isNote, location, plural, type ServiceView } from './by-service.js';
import { paint, type Paint } from './color.js';
import { forTerminal } from '../model/mask.js';
import type { Finding, Report } from '../model/finding.js';
import { wrap } from './wrap.js';

export interface TextOptions {
  color: boolean;
  /** only the verdict line */
  quiet?: boolean;
  /** wrap lines to this many columns (a terminal's width); undefined: never wrap */
  width?: number;
}

export function toText(report: Report, opts: TextOptions): string {
  const p = paint(opts.color);
  const w = opts.width;
  if (opts.quiet) return `${verdictLine(report, p, w).join('\n')}\n`;
  const out: string[] = [];
  for (const v of byService(report)) {
    if (v.service !== undefined || v.status !== 'pass') append(out, summaryLine(v, p, w));
    for (const f of v.findings) append(out, isNote(f) ? wrap(`  ${p.dim('note:')} `, forTerminal(f.message), w) : findingLines(f, p, w));
  }
  if (out.length) out.push('');
  append(out, verdictLine(report, p, w));
  return `${out.join('\n')}\n`;
}

const LABEL = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' } as const;

function statusLabel(status: ServiceView['status'], p: Paint): string {
  const s = LABEL[status];
  return status === 'fail' ? p.bold(p.red(s)) : status === 'warn' ? p.yellow(s) : p.green(s);
}

function summaryLine(v: ServiceView, p: Paint, width: number | undefined): string[] {
  const name = v.service === undefined ? p.dim('(gate)') : p.bold(v.service);
  const failed = v.checks.filter((c) => !c.ok);
  const errors = v.findings.filter((f) => f.severity === 'error');
  const warnings = v.findings.filter((f) => f.severity === 'warning');
  let detail: string;
  if (v.status === 'fail') {
    const first = errors[0] ?? failed[0];
    const code = first?.code ? `${first.code}: ` : '';
    const of = v.checks.length ? `${failed.length} of ${plural(v.checks.length, 'check')} failed; ` : '';
    detail = `${of}${code}${forTerminal(first?.message ?? 'failed')}`;
  } else {
    const parts = [v.checks.length > 0 && `${plural(v.checks.length, 'check')} passed`, warnings.length > 0 && plural(warnings.length, 'warning')];
    detail = parts.filter(Boolean).join(', ') || 'no checks ran';
  }
  return wrap(`${statusLabel(v.status, p)}  ${name}  `, detail, width);
}

function findingLines(f: Finding, p: Paint, width: number | undefined): string[] {
  const mark = f.severity === 'error' ? p.red('x') : f.severity === 'warning' ? p.yellow('!') : p.dim('i');
  const head = [f.code && p.cyan(f.code), f.target && forTerminal(f.target), f.errno !== undefined && p.dim(`(${f.errno_name ?? 'errno'} ${f.errno})`)]
    .filter(Boolean)
    .join('  ');
  const lines = wrap(`  ${mark} `, head || p.dim(f.severity), width);
  append(lines, block('', forTerminal(f.message), width));
  if (f.evidence?.length) append(lines, block('evidence:', f.evidence.map(forTerminal).join('\n'), width));
  // where it was seen from, when not the gate's own process (the vantage finding's message says it already)
  if (f.vantage && f.code) {
    const v = f.vantage;
    append(lines, block('from:', forTerminal([v.host, v.netns && `netns ${v.netns}`, v.user && `as ${v.user}`].filter(Boolean).join(', ')), width));
  }
  if (f.fix) append(lines, block(p.bold('fix:'), forTerminal(f.fix), width, 'fix:'.length));
  const at = location(f);
  if (at) append(lines, block('at:', forTerminal(at), width));
  return lines;
}

const INDENT = 4;
const LABEL_WIDTH = 10;

/** `label` in a column, then the text; continuation lines, of a multi-line text or wrapped, keep the column. */
function block(label: string, text: string, width: number | undefined, visibleLabelLength = label.length): string[] {
  const pad = ' '.repeat(INDENT);
  const gap = label ? ' '.repeat(Math.max(1, LABEL_WIDTH - visibleLabelLength)) : '';
  const column = label ? ' '.repeat(LABEL_WIDTH) : '';
  return text.split('\n').flatMap((t, i) => wrap(i === 0 ? `${pad}${label}${gap}` : `${pad}${column}`, t, width));
}

function verdictLine(report: Report, p: Paint, width: number | undefined): string[] {
  const c = counts(report);
  const stats = [plural(c.errors, 'error'), plural(c.warnings, 'warning')];
  if (c.checks) stats.push(`${plural(c.checks, 'check')}${report.durationMs !== undefined ? ` in ${formatDuration(report.durationMs)}` : ''}`);
  else if (report.durationMs !== undefined) stats.push(formatDuration(report.durationMs));
  if (report.verdict === 'pass') return wrap(`${p.bold(p.green('PASS'))}  `, `(${stats.join(', ')})`, width);
  const f = decidingFinding(report);
  const who = f?.service ? `[${f.service}] ` : '';
  const reason = report.reason ?? f?.code;
  const what = f ? `: ${forTerminal(f.message)}` : '';
  return wrap(`${p.bold(p.red('FAIL'))}  `, `${who}${reason ? p.cyan(reason) : 'failed'}${what}  (${stats.join(', ')})`, width);
}
