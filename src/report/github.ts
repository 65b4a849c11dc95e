// What the Action shows on the run page: a step summary (markdown: verdict,
// a findings table, then each fix in full) and annotations that point at the
// nginx line at fault. Pure: src/action/ hands these to @actions/core.
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { append } from '../append.js';
import { formatDuration } from '../spec/duration.js';
import { byService, counts, decidingFinding, isNote, location, plural } from './by-service.js';
import { maskCredentials } from './mask.js';
import type { Finding, Report, Severity } from './model.js';

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
  const ordered = [...report.findings].sort((a, b) => RANK[a.severity] - RANK[b.severity]);
  return ordered.map((f) => {
    const title = `upstream-gate: ${[f.code ?? f.severity, f.service && `(${f.service})`].filter(Boolean).join(' ')}`;
    const parts = [maskCredentials(f.message)];
    if (f.target !== undefined && !f.message.includes(f.target)) parts.push(`target: ${maskCredentials(f.target)}`);
    if (f.fix) parts.push(`fix: ${maskCredentials(f.fix)}`);
    const a: Annotation = { level: LEVEL[f.severity], title, message: '' };
    const file = f.file === undefined ? undefined : inWorkspace(f.file, workspace);
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

function inWorkspace(file: string, workspace: string | undefined): string | undefined {
  if (workspace === undefined) return file;
  const abs = isAbsolute(file) ? file : resolve(workspace, file);
  const rel = relative(resolve(workspace), abs);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

const ICON = { pass: ':white_check_mark:', warn: ':warning:', fail: ':x:' } as const;
const SEVERITY_ICON: Record<Severity, string> = { error: ':x:', warning: ':warning:', info: ':information_source:' };

export function stepSummary(report: Report): string {
  const c = counts(report);
  const out: string[] = [];
  const deciding = decidingFinding(report);
  const reason = report.reason ?? deciding?.code;
  out.push(
    report.verdict === 'pass'
      ? `## ${ICON.pass} upstream-gate: pass`
      : `## ${ICON.fail} upstream-gate: fail${reason ? ` (\`${reason}\`)` : ''}`,
  );
  out.push('');
  const stats = [plural(c.errors, 'error'), plural(c.warnings, 'warning'), `${c.checks - c.failedChecks}/${c.checks} checks passed`];
  if (report.durationMs !== undefined) stats.push(formatDuration(report.durationMs));
  if (deciding) out.push(`${deciding.service ? `**${cell(deciding.service)}**: ` : ''}${inline(deciding.message)}`, '');
  out.push(stats.join(' · '), '');

  const services = byService(report).filter((v) => v.service !== undefined);
  if (services.length) {
    out.push('| Service | Result | Checks |', '|---|---|---|');
    for (const v of services) {
      const checks = v.checks.map((ch) => `${ch.ok ? '✓' : '✗'} ${cell(ch.name)}${ch.attempts ? ` (${plural(ch.attempts, 'attempt')})` : ''}`);
      out.push(`| ${cell(v.service as string)} | ${ICON[v.status]} ${v.status} | ${checks.join('<br>') || '–'} |`);
    }
    out.push('');
  }

  const shown = report.findings.filter((f) => !isNote(f));
  if (shown.length) {
    out.push('### Findings', '', '| | Code | Service | Target | Diagnosis | Where |', '|---|---|---|---|---|---|');
    for (const f of shown) {
      const where = location(f);
      out.push(
        `| ${SEVERITY_ICON[f.severity]} | ${f.code ? `\`${f.code}\`` : f.severity} | ${cell(f.service ?? '')} | ${f.target ? codeCell(f.target) : ''} | ${cell(f.message)} | ${where ? codeCell(where) : ''} |`,
      );
    }
    out.push('');
    for (const f of shown) append(out, details(f));
  }
  const notes = report.findings.filter(isNote);
  if (notes.length) {
    out.push('### Notes', '');
    for (const n of notes) out.push(`- ${n.service ? `${cell(n.service)}: ` : ''}${inline(n.message)}`);
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function details(f: Finding): string[] {
  const out = [`#### ${f.code ?? f.severity}${f.service ? ` · ${f.service}` : ''}${f.target ? ` · \`${inlineCode(f.target)}\`` : ''}`, ''];
  out.push(inline(f.message), '');
  if (f.errno !== undefined) out.push(`errno ${f.errno}${f.errno_name ? ` (${f.errno_name})` : ''}`, '');
  if (f.evidence?.length) {
    out.push('Evidence:', '');
    for (const e of f.evidence) out.push(`- \`${inlineCode(e)}\``);
    out.push('');
  }
  if (f.fix) out.push('**Fix:**', '', fence(f.fix), '');
  const where = location(f);
  if (where) out.push(`At \`${inlineCode(where)}\``, '');
  return out;
}

/** A table cell: credentials masked, pipes escaped, newlines as <br>, HTML not interpreted. */
function cell(s: string): string {
  return escapeHtml(maskCredentials(s)).replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

function inline(s: string): string {
  return escapeHtml(maskCredentials(s)).replace(/\r?\n/g, '  \n');
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Inline code in a table cell: entities would show literally, but a pipe still ends the cell. */
function codeCell(s: string): string {
  return `\`${inlineCode(s).replace(/\|/g, '\\|')}\``;
}

/** Inline code cannot hold a backtick; a newline would end the table row. */
function inlineCode(s: string): string {
  return maskCredentials(s).replace(/`/g, "'").replace(/\r?\n/g, ' ');
}

/** A fence longer than any backtick run inside, so a fix holding ``` stays one block. */
function fence(raw: string): string {
  const s = maskCredentials(raw);
  let longest = 2;
  for (const m of s.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const f = '`'.repeat(longest + 1);
  return `${f}\n${s}\n${f}`;
}
