// `explain`: error-log lines -> groups of upstream failures, one per upstream
// address (URI dropped), errno and failure form, most frequent first.
// Lines go in one at a time and only the groups are kept, so memory does not
// grow with the log: a group holds counters, a bounded set of server and
// host names and one sample line.
import type { ReasonCode } from './codes.js';
import { classifyErrorLine } from './error-log-classify.js';
import { parseErrorLine } from './error-log.js';

export interface ExplainGroup {
  upstream: string;
  errno?: number;
  errno_name?: string;
  code?: ReasonCode;
  count: number;
  /** ISO local time as logged (no zone): `2026-11-24T01:21:58` */
  first: string;
  last: string;
  /** server_name of the server{} blocks that saw the failure (stream: listen addresses) */
  servers: string[];
  /** Host headers of the failed requests */
  hosts: string[];
  /** the earliest original line */
  sample: string;
  cause: string;
  fix: string;
  /** the failure form: `refused`, `socket_missing`, `read_timeout`... */
  kind: string;
  /** the config file and line of a configuration error */
  file?: string;
  line?: number;
  /** set when a spec was given: how this upstream relates to it */
  spec?: SpecMatch;
}

export interface SpecMatch {
  /** `backend`: the spec's backend of `service`; `mismatch`: a server of `service` dialed something else; `unknown`: no service claims it */
  match: 'backend' | 'mismatch' | 'unknown';
  service?: string;
  /** the spec's backend, as written */
  backend?: string;
  /** the config.* code this mismatch would be in `check` */
  code?: ReasonCode;
  note: string;
}

export interface ExplainStats {
  /** lines read */
  lines: number;
  /** lines that are not nginx error-log lines (or were cut beyond recognition) */
  unparsed: number;
  /** upstream failures counted in groups */
  failures: number;
  /** failures outside --since / --until */
  outside: number;
  /** time span of every parsed line, as logged */
  from?: string;
  to?: string;
}

export interface ExplainResult extends ExplainStats {
  groups: ExplainGroup[];
}

export interface TimeWindow {
  /** inclusive bounds in the log's own format, `YYYY/MM/DD HH:MM:SS` (server local time) */
  since?: string;
  until?: string;
}

/** At most this many distinct server and host names per group: a scan of hostile Host headers stays small. */
export const MAX_NAMES = 20;

interface Acc {
  group: ExplainGroup;
  servers: Set<string>;
  hosts: Set<string>;
  /** first/last as logged, compared as strings (the format sorts) */
  firstRaw: string;
  lastRaw: string;
}

export interface Explainer {
  add(line: string): void;
  result(): ExplainResult;
}

export function createExplainer(window: TimeWindow = {}): Explainer {
  const groups = new Map<string, Acc>();
  const stats: ExplainStats = { lines: 0, unparsed: 0, failures: 0, outside: 0 };
  return {
    add(line) {
      stats.lines++;
      const e = parseErrorLine(line);
      if (!e) {
        if (line.trim() !== '') stats.unparsed++;
        return;
      }
      if (stats.from === undefined || e.time < stats.from) stats.from = e.time;
      if (stats.to === undefined || e.time > stats.to) stats.to = e.time;
      const d = classifyErrorLine(e);
      if (!d) return;
      if ((window.since !== undefined && e.time < window.since) || (window.until !== undefined && e.time > window.until)) {
        stats.outside++;
        return;
      }
      stats.failures++;
      const key = `${d.upstream}\0${d.errno ?? ''}\0${d.kind}`;
      let acc = groups.get(key);
      if (!acc) {
        const group: ExplainGroup = {
          upstream: d.upstream,
          ...(d.errno !== undefined && { errno: d.errno }),
          ...(d.errnoName !== undefined && { errno_name: d.errnoName }),
          ...(d.code !== undefined && { code: d.code }),
          count: 0,
          first: '',
          last: '',
          servers: [],
          hosts: [],
          sample: line,
          cause: d.cause,
          fix: d.fix,
          kind: d.kind,
          ...(e.confFile !== undefined && { file: e.confFile }),
          ...(e.confLine !== undefined && { line: e.confLine }),
        };
        acc = { group, servers: new Set(), hosts: new Set(), firstRaw: e.time, lastRaw: e.time };
        groups.set(key, acc);
      }
      acc.group.count++;
      if (e.time < acc.firstRaw) {
        acc.firstRaw = e.time;
        acc.group.sample = line;
      }
      if (e.time > acc.lastRaw) acc.lastRaw = e.time;
      if (e.server !== undefined && e.server !== '' && acc.servers.size < MAX_NAMES) acc.servers.add(e.server);
      if (e.host !== undefined && e.host !== '' && acc.hosts.size < MAX_NAMES) acc.hosts.add(e.host);
    },
    result() {
      const out = [...groups.values()].map((a) => ({
        ...a.group,
        first: isoTime(a.firstRaw),
        last: isoTime(a.lastRaw),
        servers: [...a.servers].sort(),
        hosts: [...a.hosts].sort(),
      }));
      out.sort((a, b) => b.count - a.count || (a.first < b.first ? -1 : a.first > b.first ? 1 : 0) || a.upstream.localeCompare(b.upstream));
      return { ...stats, groups: out };
    },
  };
}

/** `2026/11/24 01:21:58` -> `2026-11-24T01:21:58` */
export function isoTime(logTime: string): string {
  return `${logTime.slice(0, 10).replace(/\//g, '-')}T${logTime.slice(11)}`;
}

/** A Date in the log's own format and zone (nginx logs server local time). */
export function logTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}/${p(d.getMonth() + 1)}/${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
