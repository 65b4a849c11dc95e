// `explain` for a terminal: the groups, most frequent first, each with its
// cause and fix in full and one original line as evidence.
import { append } from '../append.js';
import { isoTime, MAX_GROUP_TEXT, MAX_GROUPS, type ExplainGroup, type ExplainResult } from '../explain/explain.js';
import { paint, type Paint } from './color.js';
import type { ExplainMeta } from './explain-json.js';
import { forTerminal } from '../model/mask.js';
import { plural } from './by-service.js';

export function explainText(r: ExplainResult, meta: ExplainMeta, opts: { color: boolean }): string {
  const p = paint(opts.color);
  const out: string[] = [];
  const read = `${plural(r.lines, 'line')} of ${meta.files.map(forTerminal).join(', ')}`;
  const span = r.from !== undefined && r.to !== undefined ? `, ${isoTime(r.from)} .. ${isoTime(r.to)}` : '';
  const window = meta.since !== undefined || meta.until !== undefined ? `; window ${meta.since !== undefined ? isoTime(meta.since) : '...'} .. ${meta.until !== undefined ? isoTime(meta.until) : 'now'}, ${plural(r.outside, 'failure')} outside it` : '';
  if (r.groups.length === 0) out.push(`${p.green('no upstream failures')} in ${read}${span}${window}`);
  else {
    out.push(`${p.bold(plural(r.failures, 'upstream failure'))} in ${plural(r.groups.length, 'group')} (${read}${span}${window})`, '');
    r.groups.forEach((g, i) => append(out, groupLines(g, i + 1, p)).push(''));
  }
  if (meta.truncated?.length) out.push(p.yellow(`${meta.truncated.map(forTerminal).join(', ')}: the gzip data ends early (still being compressed?): read as far as it goes`));
  for (const t of meta.trailing ?? []) out.push(p.yellow(`${forTerminal(t.file)}: ${plural(t.bytes, 'byte')} after the gzip data ignored (trailing garbage)`));
  if (meta.dropped) out.push(p.yellow(`${plural(meta.dropped, 'run')} of more than 64 KiB without a newline skipped: not error-log lines`));
  if (meta.interrupted) out.push(p.yellow(`interrupted: these are the first ${plural(r.lines, 'line')} only`));
  if (r.ungrouped > 0) {
    const bound = `at most ${MAX_GROUPS} groups (distinct upstreams, errnos and failures) and ${MAX_GROUP_TEXT / 1048576} MiB of their text are kept`;
    out.push(p.yellow(`${plural(r.ungrouped, 'more failure')} in further groups are counted but not shown: ${bound}`));
  }
  // most lines not from nginx's error log: an access log, or a log format explain does not know
  if (r.unparsed > 0 && r.unparsed * 2 >= r.lines) out.push(p.yellow(`${r.unparsed} of ${plural(r.lines, 'line')} are not nginx error-log lines: is this the access log? nginx writes upstream failures to the error_log file`));
  return `${out.join('\n').trimEnd()}\n`;
}

const PAD = '   ';

function groupLines(g: ExplainGroup, n: number, p: Paint): string[] {
  const errno = g.errno !== undefined ? `  ${p.dim(`(${g.errno_name ?? 'errno'} ${g.errno})`)}` : '';
  const when = g.first === g.last ? g.first : `${g.first} .. ${g.last}`;
  const lines = [`${n}. ${p.cyan(g.code ?? g.kind)}  ${p.bold(forTerminal(g.upstream))}${errno}  ${p.bold(`x${g.count}`)}  ${p.dim(when)}`];
  const names = [g.servers.length && `servers: ${g.servers.map(forTerminal).join(', ')}`, g.hosts.length && `hosts: ${g.hosts.map(forTerminal).join(', ')}`].filter(Boolean);
  if (names.length) lines.push(`${PAD}${names.join('   ')}`);
  if (g.file !== undefined) lines.push(`${PAD}at:      ${forTerminal(g.file)}${g.line !== undefined ? `:${g.line}` : ''}`);
  lines.push(`${PAD}cause:   ${forTerminal(g.cause)}`);
  lines.push(`${PAD}${p.bold('fix:')}     ${forTerminal(g.fix)}`);
  if (g.spec) lines.push(`${PAD}spec:    ${g.spec.match === 'mismatch' ? p.red(forTerminal(g.spec.note)) : forTerminal(g.spec.note)}`);
  lines.push(`${PAD}sample:  ${p.dim(forTerminal(g.sample))}`);
  return lines;
}
