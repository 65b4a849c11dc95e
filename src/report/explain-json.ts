// `explain --format json`: the DESIGN.md shape, `{"groups": [...]}` with each
// group's contract fields first, in contract order; the rest are additions.
import type { ExplainGroup, ExplainResult } from '../explain/explain.js';
import { isoTime } from '../explain/explain.js';
import { maskCredentials } from '../model/mask.js';

export interface ExplainMeta {
  files: string[];
  /** stopped by a signal: the result covers the lines read until then */
  interrupted?: boolean;
  /** gzip files that ended early (still being compressed): read as far as they go */
  truncated?: string[];
  /** gzip files followed by bytes that are not gzip data: those bytes were ignored */
  trailing?: { file: string; bytes: number }[];
  /** runs of more than 64 KiB without a newline, skipped */
  dropped?: number;
  /** the time window applied, as logged */
  since?: string;
  until?: string;
}

export function explainJson(r: ExplainResult, meta: ExplainMeta): string {
  const out: Record<string, unknown> = {
    groups: r.groups.map(groupJson),
    files: meta.files,
    lines: r.lines,
    failures: r.failures,
    unparsed: r.unparsed,
  };
  if (r.ungrouped > 0) out.ungrouped = r.ungrouped;
  if (meta.interrupted) out.interrupted = true;
  if (meta.truncated?.length) out.truncated_gzip = meta.truncated;
  if (meta.trailing?.length) out.gzip_trailing_garbage = meta.trailing;
  if (meta.dropped) out.dropped_lines = meta.dropped;
  if (meta.since !== undefined || meta.until !== undefined) {
    out.outside_window = r.outside;
    if (meta.since !== undefined) out.since = isoTime(meta.since);
    if (meta.until !== undefined) out.until = isoTime(meta.until);
  }
  if (r.from !== undefined) out.from = isoTime(r.from);
  if (r.to !== undefined) out.to = isoTime(r.to);
  return `${JSON.stringify(out, null, 2)}\n`;
}

function groupJson(g: ExplainGroup): Record<string, unknown> {
  const o: Record<string, unknown> = { upstream: maskCredentials(g.upstream) };
  if (g.errno !== undefined) o.errno = g.errno;
  if (g.errno_name !== undefined) o.errno_name = g.errno_name;
  if (g.code !== undefined) o.code = g.code;
  o.count = g.count;
  o.first = g.first;
  o.last = g.last;
  o.servers = g.servers;
  o.sample = maskCredentials(g.sample);
  o.cause = maskCredentials(g.cause);
  o.fix = g.fix;
  o.kind = g.kind;
  o.hosts = g.hosts;
  if (g.file !== undefined) o.file = g.file;
  if (g.line !== undefined) o.line = g.line;
  if (g.spec !== undefined) o.spec = g.spec;
  return o;
}
