// `explain`: error-log lines -> groups of upstream failures, one per upstream
// address (URI dropped), errno and failure form, most frequent first.
//
// Built for a 1 GB log during an incident: lines go in one at a time and only
// the groups are kept (counters, a bounded set of names, one sample line), so
// memory does not grow with the log. The hot path does not parse a line in
// full: the diagnosis of a line depends only on its level, its message (errno
// and phase included) and its upstream address, so that triple is looked up
// in a bounded cache and the full parse + classification runs once per
// distinct triple. Lines arrive as byte strings (latin1, one char per byte:
// no UTF-8 decoding on the hot path); what is kept is decoded as UTF-8 once.
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
  /** non-empty lines that are not nginx error-log lines */
  unparsed: number;
  /** upstream failures counted in groups */
  failures: number;
  /** failures outside --since / --until */
  outside: number;
  /** failures in groups beyond MAX_GROUPS, counted but not shown */
  ungrouped: number;
  /** time span of the log lines read, as logged */
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

/** At most this many distinct server and host names per group: hostile Host headers cannot grow a group. */
export const MAX_NAMES = 20;
/** At most this many groups (distinct upstream, errno, failure); the rest are counted in `ungrouped`. */
export const MAX_GROUPS = 1000;
/** Distinct (level, message, upstream) triples remembered; the cache is emptied when full. */
const MAX_CACHED = 20_000;

interface Acc {
  group: ExplainGroup;
  servers: Set<string>;
  hosts: Set<string>;
  /** as logged; the format sorts as text */
  firstRaw: string;
  /** the last time, with the \uffff sentinel */
  lastS: string;
  /** the previous line's names, to skip the set for runs of one server */
  lastServer: string;
  lastHost: string;
}

/** A line that is not a failure, or a failure whose group could not be kept. */
const NOT_COUNTED = null;
type Slot = Acc | typeof NOT_COUNTED | 'ungrouped';

export interface Explainer {
  /** one line as a byte string (latin1), without its newline */
  add(line: string): void;
  result(): ExplainResult;
}

const SERVER = ', server: ';
const CLIENT = ', client: ';
const UPSTREAM = ', upstream: "';
const HOST = ', host: "';

export function createExplainer(window: TimeWindow = {}): Explainer {
  const groups = new Map<string, Acc>();
  const cache = new Map<string, Slot>();
  const stats: ExplainStats = { lines: 0, unparsed: 0, failures: 0, outside: 0, ungrouped: 0 };
  // Times are compared as text, either a whole line (it starts with its time)
  // or a 19-char time. A longer string with the same prefix sorts higher, so
  // upper bounds carry a \uffff sentinel: a line of the same second compares
  // lower and nothing is sliced for it.
  let from: string | undefined;
  let toS: string | undefined;
  const since = window.since;
  const untilS = window.until === undefined ? undefined : `${window.until}\uffff`;

  function seen(t: string): void {
    if (from === undefined || t < from) from = copy(t.slice(0, 19));
    if (toS === undefined || t > toS) toS = `${copy(t.slice(0, 19))}\uffff`;
  }

  /** Full parse and classification of a line not seen in this form before. */
  function resolve(line: string): Slot {
    const e = parseErrorLine(line);
    if (!e) return NOT_COUNTED;
    const d = classifyErrorLine(e);
    if (!d) return NOT_COUNTED;
    const key = `${d.upstream}\0${d.errno ?? ''}\0${d.kind}`;
    let acc = groups.get(key);
    if (acc) return acc;
    if (groups.size >= MAX_GROUPS) return 'ungrouped';
    const group: ExplainGroup = {
      upstream: utf8(d.upstream),
      ...(d.errno !== undefined && { errno: d.errno }),
      ...(d.errnoName !== undefined && { errno_name: d.errnoName }),
      ...(d.code !== undefined && { code: d.code }),
      count: 0,
      first: '',
      last: '',
      servers: [],
      hosts: [],
      sample: '',
      cause: utf8(d.cause),
      fix: utf8(d.fix),
      kind: d.kind,
      ...(e.confFile !== undefined && { file: utf8(e.confFile) }),
      ...(e.confLine !== undefined && { line: e.confLine }),
    };
    // times and sample come from the first line counted: this one may lie outside --since/--until
    acc = { group, servers: new Set(), hosts: new Set(), firstRaw: '\uffff', lastS: '', lastServer: '\0', lastHost: '\0' };
    groups.set(key, acc);
    return acc;
  }

  function lookup(key: string, line: string): Slot {
    let slot = cache.get(key);
    if (slot === undefined) {
      slot = resolve(line);
      if (cache.size >= MAX_CACHED) cache.clear();
      cache.set(copy(key), slot);
    }
    return slot;
  }

  /** Count one failure. `t` starts with the line's time; names are searched from `client` on. */
  function tally(slot: Slot, line: string, t: string, client: number): void {
    if (slot === NOT_COUNTED) return;
    if ((since !== undefined && t < since) || (untilS !== undefined && t > untilS)) {
      stats.outside++;
      return;
    }
    stats.failures++;
    if (slot === 'ungrouped') {
      stats.ungrouped++;
      return;
    }
    const acc = slot;
    acc.group.count++;
    if (t > acc.lastS) acc.lastS = `${copy(t.slice(0, 19))}\uffff`;
    if (t < acc.firstRaw) {
      acc.firstRaw = copy(t.slice(0, 19));
      acc.group.sample = utf8(line);
    }
    if (client < 0) return;
    const s = line.indexOf(SERVER, client);
    if (s >= 0 && acc.servers.size < MAX_NAMES && !nameAt(line, s + SERVER.length, acc.lastServer, ',')) {
      const end = line.indexOf(', ', s + SERVER.length);
      acc.lastServer = copy(line.slice(s + SERVER.length, end < 0 ? line.length : end));
      if (acc.lastServer) acc.servers.add(acc.lastServer);
    }
    const h = lastOf(line, HOST, client);
    if (h >= 0 && acc.hosts.size < MAX_NAMES && !nameAt(line, h + HOST.length, acc.lastHost, '"')) {
      const end = line.indexOf('"', h + HOST.length);
      acc.lastHost = copy(line.slice(h + HOST.length, end < 0 ? line.length : end));
      if (acc.lastHost) acc.hosts.add(acc.lastHost);
    }
  }

  /** Syslog-wrapped lines: parsed in full. */
  function slow(line: string): void {
    const e = parseErrorLine(line);
    if (!e) {
      if (line.trim() !== '') stats.unparsed++;
      return;
    }
    seen(e.time);
    if (e.level !== 'error' && e.level !== 'crit' && e.level !== 'alert' && e.level !== 'emerg') return;
    tally(resolve(line), line, e.time, line.indexOf(CLIENT));
  }

  return {
    add(line) {
      stats.lines++;
      // `2026/11/24 01:21:58 [error] ...`: anything else takes the slow path
      if (line.charCodeAt(4) !== 47 || line.charCodeAt(19) !== 32 || line.charCodeAt(20) !== 91) return slow(line);
      seen(line);
      const level = line.charCodeAt(21);
      // info, warn, notice, debug: never a failure (client aborts, `upstream server temporarily disabled`)
      if (level !== 101 && level !== 99 && level !== 97) return;
      const pidEnd = line.indexOf(': ', 22);
      if (pidEnd < 0) return slow(line);
      let msg = pidEnd + 2;
      if (line.charCodeAt(msg) === 42) msg = line.indexOf(' ', msg) + 1;
      if (msg <= 0) return slow(line);
      const client = line.indexOf(CLIENT, msg);
      // no request context (config errors, resolver lines): the whole message is the key
      const key = `${line.slice(21, 23)}${client < 0 ? line.slice(msg) : line.slice(msg, client)}\0${client < 0 ? '' : upstreamKey(line, client)}`;
      tally(lookup(key, line), line, line, client);
    },
    result() {
      const out = [...groups.values()]
        .filter((a) => a.group.count > 0)
        .map((a) => ({
          ...a.group,
          first: isoTime(a.firstRaw),
          last: isoTime(a.lastS.slice(0, -1)),
          servers: [...a.servers].map(utf8).sort(),
          hosts: [...a.hosts].map(utf8).sort(),
        }));
      out.sort((a, b) => b.count - a.count || (a.first < b.first ? -1 : a.first > b.first ? 1 : 0) || a.upstream.localeCompare(b.upstream));
      return {
        ...stats,
        ...(from !== undefined && { from }),
        ...(toS !== undefined && { to: toS.slice(0, -1) }),
        groups: out,
      };
    },
  };
}

/**
 * The part of the `upstream:` field that can change a diagnosis: scheme and
 * address, without the URI (which differs per request and would defeat the
 * cache). Unix socket values are kept whole: their path holds slashes.
 */
function upstreamKey(line: string, from: number): string {
  const at = lastOf(line, UPSTREAM, from);
  if (at < 0) return '';
  const start = at + UPSTREAM.length;
  const close = line.indexOf('"', start);
  const end = close < 0 ? line.length : close;
  const scheme = line.indexOf('://', start);
  const host = scheme >= 0 && scheme < end ? scheme + 3 : start;
  if (line.startsWith('unix:', host)) return line.slice(start, end);
  const slash = line.indexOf('/', host);
  return line.slice(start, slash >= 0 && slash < end ? slash : end);
}

/**
 * The last `needle` at or after `from`, or -1. The last one, because a client
 * can put any text into its request line; found with forward searches, which
 * V8 runs far faster than lastIndexOf.
 */
function lastOf(line: string, needle: string, from: number): number {
  let at = line.indexOf(needle, from);
  if (at < 0) return -1;
  for (let next = line.indexOf(needle, at + 1); next >= 0; next = line.indexOf(needle, next + 1)) at = next;
  return at;
}

/** Does `line` hold `name` at `at`, followed by `stop` (or the end)? */
function nameAt(line: string, at: number, name: string, stop: string): boolean {
  return line.startsWith(name, at) && (at + name.length === line.length || line[at + name.length] === stop);
}

/** A flat copy: a slice of a 1 MiB chunk would otherwise keep the whole chunk alive. */
function copy(s: string): string {
  return Buffer.from(s, 'latin1').toString('latin1');
}

/** Byte string -> text; bytes that are not UTF-8 become U+FFFD. */
function utf8(s: string): string {
  return Buffer.from(s, 'latin1').toString('utf8');
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
