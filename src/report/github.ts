// What the Action shows on the run page: a step summary (markdown: verdict,
// a findings table, then each fix in full) and annotations that point at the
// nginx line at fault. Pure: src/action/ hands these to @actions/core. Text
// from the config, a backend or the host is escaped for markdown and HTML, so
// it cannot break the table, open a block that hides what follows, or add a
// link or an image.
import { append } from '../append.js';
import { formatDuration } from '../spec/duration.js';
import { byService, counts, decidingFinding, isNote, location, plural } from './by-service.js';
import { maskCredentials } from '../model/mask.js';
import type { Finding, Report, Severity } from '../model/finding.js';
import { relativeInside } from './paths.js';

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  title: string;
  message: string;
  file?: string;
  line?: number;
}

const LEVEL: Record<Severity, Annotation['level']> = { error: 'error', warning: 'warning', info: 'notice' };

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * One annotation per finding, errors first: GitHub shows only the first few
 * of each step. `file` is made relative to `workspace` when the nginx config
 * lives in the repository, so GitHub links the line in the diff; a file
 * outside the repository (/etc/nginx/...) cannot be linked, so its path:line
 * goes into the message instead.
 */
export function annotations(report: Report, workspace?: string): Annotation[] {
  return bySeverity(report.findings).map((f) => {
    const title = `upstream-gate: ${[f.code ?? f.severity, f.service && `(${f.service})`].filter(Boolean).join(' ')}`;
    const parts = [maskCredentials(f.message)];
    if (f.target !== undefined && !f.message.includes(f.target)) parts.push(`target: ${maskCredentials(f.target)}`);
    if (f.fix) parts.push(`fix: ${maskCredentials(f.fix)}`);
    const a: Annotation = { level: LEVEL[f.severity], title, message: '' };
    const file = f.file === undefined ? undefined : workspace === undefined ? f.file : relativeInside(f.file, workspace);
    if (file !== undefined) {
      a.file = file;
      if (f.line !== undefined) a.line = f.line;
    } else if (f.file !== undefined) {
      parts.push(`at: ${location(f)}`);
    }
    a.message = parts.join('\n');
    return a;
  });
}

/** Errors first, then warnings, then notices; in report order within each. */
function bySeverity(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) => RANK[a.severity] - RANK[b.severity]);
}

const ICON = { pass: ':white_check_mark:', warn: ':warning:', fail: ':x:' } as const;
const SEVERITY_ICON: Record<Severity, string> = { error: ':x:', warning: ':warning:', info: ':information_source:' };

export interface SummaryOptions {
  /** paths inside it are shown relative to it */
  workspace?: string;
}

export function stepSummary(report: Report, opts: SummaryOptions = {}): string {
  const c = counts(report);
  const out: string[] = [];
  const deciding = decidingFinding(report);
  const reason = report.reason ?? deciding?.code;
  out.push(
    report.verdict === 'pass'
      ? `## ${ICON.pass} upstream-gate: pass`
      : `## ${ICON.fail} upstream-gate: fail${reason ? ` (${codeSpan(reason)})` : ''}`,
  );
  out.push('');
  const notRun = report.notRun ?? [];
  const stats = [plural(c.errors, 'error'), plural(c.warnings, 'warning'), `${c.checks - c.failedChecks}/${c.checks} checks passed`];
  if (notRun.length) stats.push(`${notRun.length} not run`);
  if (report.durationMs !== undefined) stats.push(formatDuration(report.durationMs));
  if (deciding) out.push(`${deciding.service ? `**${text(deciding.service)}**: ` : ''}${paragraph(deciding.message)}`, '');
  out.push(stats.join(' · '), '');

  const services = byService(report).filter((v) => v.service !== undefined);
  if (services.length) {
    out.push('| Service | Result | Checks |', '|---|---|---|');
    for (const v of services) {
      const checks = v.checks.map((ch) => `${ch.ok ? '✓' : '✗'} ${cell(ch.name)}${ch.attempts ? ` (${plural(ch.attempts, 'attempt')})` : ''}`);
      for (const n of notRun.filter((x) => x.service === v.service)) checks.push(`– ${cell(n.name)} (not run: ${cell(n.why)})`);
      out.push(`| ${cell(v.service as string)} | ${ICON[v.status]} ${v.status} | ${checks.join('<br>') || '–'} |`);
    }
    out.push('');
  }

  const shown = bySeverity(report.findings.filter((f) => !isNote(f)));
  if (shown.length) {
    out.push('### Findings', '', '| | Code | Service | Target | Diagnosis | Where |', '|---|---|---|---|---|---|');
    for (const f of shown) {
      const where = whereOf(f, opts.workspace);
      out.push(
        `| ${SEVERITY_ICON[f.severity]} | ${f.code ? codeSpan(f.code) : f.severity} | ${cell(f.service ?? '')} | ${f.target ? codeCell(f.target) : ''} | ${cell(f.message)} | ${where ? codeCell(where) : ''} |`,
      );
    }
    out.push('');
    for (const f of shown) append(out, details(f, opts.workspace));
  }
  const notes = report.findings.filter(isNote);
  if (notes.length) {
    out.push('### Notes', '');
    for (const n of notes) out.push(`- ${n.service ? `${text(n.service)}: ` : ''}${paragraph(n.message)}`);
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/**
 * The summary when the gate could not run: `reason` is `input.invalid` (a bad
 * spec or input) or `internal.error` (a bug); the error itself is shown as it
 * is, in a code block.
 */
export function errorSummary(reason: string, message: string): string {
  const what = reason === 'input.invalid' ? 'The gate could not run: the input is not valid.' : 'The gate stopped on an internal error (a bug in upstream-gate).';
  return `## ${ICON.fail} upstream-gate: error (${codeSpan(reason)})\n\n${what}\n\n${fence(message)}\n`;
}

function details(f: Finding, workspace: string | undefined): string[] {
  const out = [`#### ${f.code ?? f.severity}${f.service ? ` · ${text(f.service)}` : ''}${f.target ? ` · ${codeSpan(f.target)}` : ''}`, ''];
  out.push(paragraph(f.message), '');
  if (f.errno !== undefined) out.push(`errno ${f.errno}${f.errno_name ? ` (${text(f.errno_name)})` : ''}`, '');
  if (f.evidence?.length) {
    out.push('Evidence:', '');
    for (const e of f.evidence) out.push(`- ${codeSpan(e)}`);
    out.push('');
  }
  if (f.fix) {
    const { paste, place } = splitFix(maskCredentials(f.fix));
    out.push(place ? `**Fix** (${text(place)}):` : '**Fix:**', '', fence(paste), '');
  }
  const where = whereOf(f, workspace);
  if (where) out.push(`At ${codeSpan(where)}`, '');
  return out;
}

/** `file:line`, the file relative to the workspace when it lies inside it. */
function whereOf(f: Finding, workspace: string | undefined): string | undefined {
  if (f.file === undefined) return undefined;
  return location({ file: relativeInside(f.file, workspace) ?? f.file, ...(f.line !== undefined && { line: f.line }) });
}

/**
 * A fix says what to write and, after two spaces in parentheses, where:
 * `proxy_pass http://127.0.0.1:8000;  (conf.d/app.conf:12)`, `(upstream api,
 * ...)`, `(in location /api, ...)`. The code block holds only what to write,
 * so it pastes as it is; other parentheses (an alternative) stay in it.
 */
function splitFix(fix: string): { paste: string; place?: string } {
  const m = /^([\s\S]*\S) {2}\(((?:in |upstream )[^()\n]*|[^\s()]+:\d+)\)$/.exec(fix);
  return m ? { paste: m[1] as string, place: m[2] as string } : { paste: fix };
}

/** Characters that start inline markdown anywhere (emphasis, code, links, strikethrough, table cells) or HTML. */
const INLINE = /[\\`*_[\]|~<>&]/g;
const ENTITY: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;' };
/** What makes a line a block (heading, quote, list, rule, setext underline) when it starts it; a fence or HTML is escaped anywhere. */
const LINE_START = /^(\d*)([#+\-=.)])/;

/** One line of text: credentials masked, markdown and HTML shown as written. */
export function text(s: string): string {
  return maskCredentials(s).replace(INLINE, (c) => ENTITY[c] ?? `\\${c}`);
}

/** Lines of text in a paragraph: each kept on its own line, none able to start a block or a code block. */
export function paragraph(s: string): string {
  return s
    .split(/\r\n|\r|\n/)
    .map((line) => {
      // indentation kept visible, but never four spaces that would start a code block
      const indent = /^[ \t]*/.exec(line)?.[0] ?? '';
      return `${'&nbsp;'.repeat(indent.length)}${text(line.slice(indent.length)).replace(LINE_START, '$1\\$2')}`;
    })
    .join('  \n');
}

/** A table cell: text, its lines joined with <br> (a newline would end the row). */
export function cell(s: string): string {
  return s
    .split(/\r\n|\r|\n/)
    .map(text)
    .join('<br>');
}

/** Inline code: a backtick fence longer than any run inside, so none can close it; newlines as spaces. */
export function codeSpan(raw: string): string {
  const s = maskCredentials(raw).replace(/\r\n|\r|\n/g, ' ');
  const ticks = '`'.repeat(longestRun(s) + 1);
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${s}${pad}${ticks}`;
}

/** Inline code in a table cell: a pipe would still end the cell. */
export function codeCell(s: string): string {
  return codeSpan(s).replace(/\|/g, '\\|');
}

/** A fence longer than any backtick run inside, so a fix holding ``` stays one block. */
export function fence(raw: string): string {
  const s = maskCredentials(raw);
  const f = '`'.repeat(Math.max(3, longestRun(s) + 1));
  return `${f}\n${s}\n${f}`;
}

function longestRun(s: string): number {
  let longest = 0;
  for (const m of s.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return longest;
}
