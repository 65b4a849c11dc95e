// `explain`: error-log lines -> groups of upstream failures, one per upstream
// address (URI dropped), errno and failure form, most frequent first.
//
// Built for a 1 GB log during an incident: text goes in a chunk at a time and
// only the groups are kept (counters, a bounded set of names, one sample
// line), so memory does not grow with the log. The hot path does not parse a
// line in full, nor even cut it out of its chunk: the diagnosis of a line
// depends only on its level, its message (errno and phase included) and its
// upstream address, so that triple is found by position in the chunk and
// looked up in a bounded cache, and the full parse + classification runs once
// per distinct triple. Lines that do not start the way nginx writes them take
// that full parse every time.
//
// Where WebAssembly is available (everywhere but node --jitless), the lines
// are bytes and never become strings: the WebAssembly scanner
// (wasm-scanner.ts, wasm/scan.ts) finds the fields, keeps the triples and
// counts each line into its group itself, down to the group's times and
// names, and stops only for what this file decides (a new triple, a line in
// another format, a group's new sample). Its counts are taken into the
// groups here (flush) when a result or state is asked for. Elsewhere, text
// is a byte string (latin1, one char per byte) read by js-scanner.ts (its
// records: record.ts) and counted here. What is kept is decoded once.
// test/explain/fast-path.test.ts holds both to a line-by-line full parse.
import type { ReasonCode } from '../model/codes.js';
import { parseErrorLine, upstreamAddress, type ErrorLogEntry } from '../diagnose/error-log.js';
import { classifyForm, describeForm, type LogDiagnosis } from './error-log-classify.js';
import { eachLine } from './error-log-stream.js';
import { CLIENT, createJsScanner } from './js-scanner.js';
import { R_CLIENT, R_END, R_HOST, R_HOST_END, R_MSG, R_SERVER, R_SERVER_END, R_START, R_UP, R_UP_CLOSE, RECORD } from './record.js';
import { CODE_NOT_COUNTED, CODE_UNGROUPED, createWasmScanner, EV_FORM, EV_SAMPLE, EV_SLOW, type WasmScanner } from './wasm-scanner.js';

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
  /** failures in groups beyond MAX_GROUPS or MAX_GROUP_TEXT, counted but not shown */
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
/** A server or host name is kept to this many bytes (a DNS name has at most 253): a 60 KB Host header is cut. */
export const MAX_NAME_BYTES = 255;
/** A group's sample line is kept to this many bytes: nginx writes at most 2048 a line, a crafted log more. */
export const MAX_SAMPLE_BYTES = 4096;
/** At most this many groups (distinct upstream, errno, failure); the rest are counted in `ungrouped`. */
export const MAX_GROUPS = 1000;
/**
 * And at most this much text in them (upstream, cause, fix, file): a crafted
 * log of 60 KB upstream names would otherwise keep 180 MB in 1000 groups.
 */
export const MAX_GROUP_TEXT = 8 * 1024 * 1024;
/** Distinct (level, message, upstream) forms remembered; the cache is emptied when full. */
const MAX_CACHED = 20_000;
/** Nor more than this many bytes of them: 20,000 forms of 60 KB messages would be 1.2 GB. */
const MAX_CACHED_BYTES = 4 * 1024 * 1024;
/** Buckets of the form cache (a power of two). */
const BUCKETS = 4096;

interface Acc {
  group: ExplainGroup;
  /** at most MAX_NAMES each, in order of appearance; flat copies */
  servers: string[];
  hosts: string[];
  /** times as logged (the format sorts as text); '' before the first line */
  first: string;
  last: string;
  /** the second this group last saw: the times need a look only when it changes */
  second: string;
  /** the previous line's names, to skip the search for runs of one server */
  lastServer: string;
  lastHost: string;
  /** its index among the WebAssembly scanner's groups, -1 before it has one */
  index: number;
  /** the sample of the scanner's earliest line of it, not yet taken into the group */
  pendingSample: string;
}

/** A line that is not a failure, or a failure whose group could not be kept. */
const NOT_COUNTED = null;
type Slot = Acc | typeof NOT_COUNTED | 'ungrouped';

/** One remembered (level, message, upstream address) form of line and where it is counted. */
interface Form {
  level: number;
  message: string;
  upstream: string;
  slot: Slot;
}

export interface Explainer {
  /** one line as a byte string (latin1), without its newline */
  add(line: string): void;
  /**
   * The lines of `text[start, end)`, a byte string (latin1), separated by
   * `\n`. The hot path: a line is cut out of the text only when something of
   * it is kept or its form is new. With `bytes` (the same region as bytes,
   * byte i = char i), the fields are found by the WebAssembly scanner.
   */
  addText(text: string, start: number, end: number, bytes?: Uint8Array): void;
  /** The lines of a region of bytes, separated by `\n`: the same, without a string made of it. */
  addBytes(bytes: Uint8Array): void;
  /** what was counted so far, to send to another thread */
  state(): ExplainState;
  /** add what another explainer counted over the lines that follow this one's */
  merge(other: ExplainState): void;
  result(): ExplainResult;
  /** lines parsed in full so far: new forms and lines not in nginx's format (the rest take the fast path) */
  parses(): number;
}

/** An explainer's counts, as plain data: what a worker thread sends back. */
export interface ExplainState {
  stats: ExplainStats;
  /** in order of first appearance: the order decides which groups fit under MAX_GROUPS */
  groups: { key: string; group: ExplainGroup; servers: string[]; hosts: string[]; first: string; last: string }[];
}

/** the time at the start of every line nginx writes */
const TIME = /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d$/;

export function createExplainer(window: TimeWindow = {}, opts: { wasm?: boolean } = {}): Explainer {
  // the scanner compares times as numbers, which only times in the log's format are
  const useWasm = opts.wasm !== false && [window.since, window.until].every((t) => t === undefined || TIME.test(t));
  /** made on the first region: an explainer that only merges (the threads' main one) needs none */
  let wasm: WasmScanner | undefined | null;
  const js = createJsScanner();
  /** the JS scanner's record of the line at hand (positions in its text: base 0) */
  const line = new Int32Array(RECORD);
  const groups = new Map<string, Acc>();
  /** the groups by their index in the scanner */
  const indexed: Acc[] = [];
  /** bytes of text held by the groups, against MAX_GROUP_TEXT */
  let groupText = 0;
  let buckets: (Form[] | undefined)[] = new Array<Form[] | undefined>(BUCKETS);
  let forms = 0;
  let formBytes = 0;
  const stats: ExplainStats = { lines: 0, unparsed: 0, failures: 0, outside: 0, ungrouped: 0 };
  const since = window.since;
  const until = window.until;
  // Times as logged (`2026/11/24 01:21:58`) sort as text. The current second
  // is kept as one flat string and all that depends on the time alone (the
  // span of the log, the window, a group's first and last) is looked at
  // again only when the second changes: about once per 150 lines in a storm.
  let from: string | undefined;
  let to: string | undefined;
  let second = '';
  let outside = false;

  function setSecond(t: string): void {
    second = t;
    outside = (since !== undefined && t < since) || (until !== undefined && t > until);
    if (from === undefined || t < from) from = t;
    if (to === undefined || t > to) to = t;
  }

  let parses = 0;

  /** Full parse and classification of a line not seen in this form before. */
  function resolve(line: string): Slot {
    parses++;
    const e = parseErrorLine(line);
    if (!e) return NOT_COUNTED;
    const form = classifyForm(e);
    if (!form) return NOT_COUNTED;
    const key = groupKey(form);
    let acc = groups.get(key);
    if (acc) return acc;
    // the cause and fix are written only for a group that may be kept: not for each of a million upstreams beyond it
    if (groups.size >= MAX_GROUPS) return 'ungrouped';
    const d = describeForm(form);
    const text = groupTextBytes(d, e);
    if (groupText + text > MAX_GROUP_TEXT) return 'ungrouped';
    groupText += text;
    const group = newGroup(d, e);
    // times and sample come from the first line counted: this one may lie outside --since/--until
    acc = newAcc(group, [], [], '', '');
    groups.set(key, acc);
    return acc;
  }

  /** The slot of a line's form: (level, message, upstream), looked up without building a key. */
  function lookup(t: string, s: number, e: number, level: number, msg: number, msgEnd: number, up: string): Slot {
    const len = msgEnd - msg;
    const h = (len * 31 + up.length * 131 + t.charCodeAt(msgEnd - 1) + t.charCodeAt(msg + (len >> 1)) * 7 + level * 17 + (up.length ? up.charCodeAt(up.length - 1) : 0)) & (BUCKETS - 1);
    let bucket = buckets[h];
    if (bucket) {
      for (let i = 0; i < bucket.length; i++) {
        const f = bucket[i] as Form;
        if (f.level === level && f.message.length === len && f.upstream === up && t.slice(msg, msgEnd) === f.message) return f.slot;
      }
    }
    const slot = resolve(t.slice(s, e));
    formBytes += len + up.length;
    if (++forms > MAX_CACHED || formBytes > MAX_CACHED_BYTES) {
      buckets = new Array<Form[] | undefined>(BUCKETS);
      forms = 1;
      formBytes = len + up.length;
      bucket = undefined;
    }
    if (!bucket) buckets[h] = bucket = [];
    bucket.push({ level, message: copy(t.slice(msg, msgEnd)), upstream: copy(up), slot });
    return slot;
  }

  /**
   * Count one failure: the line t[s, e) of the JS scanner's record (`line`).
   * Server and host are looked for only now, for a line that counts.
   */
  function tally(slot: Slot, t: string, s: number, e: number): void {
    if (slot === NOT_COUNTED) return;
    if (outside) {
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
    if (acc.second !== second) {
      acc.second = second;
      if (acc.first === '' || second < acc.first) {
        acc.first = second;
        acc.group.sample = utf8(t.slice(s, Math.min(e, s + MAX_SAMPLE_BYTES)));
      }
      if (second > acc.last) acc.last = second;
    }
    const c = line[R_CLIENT] as number;
    if (c < 0) return;
    if (acc.servers.length < MAX_NAMES) {
      js.findServer(t, c, e, line);
      const v = line[R_SERVER] as number;
      if (v >= 0) acc.lastServer = name(acc.servers, acc.lastServer, t, v, line[R_SERVER_END] as number);
    }
    if (acc.hosts.length < MAX_NAMES) {
      // nginx writes the host right after the upstream field, when there is one
      const up = line[R_UP] as number;
      js.findHost(t, c, e, up < 0 ? -1 : (line[R_UP_CLOSE] as number) + 1, line);
      const v = line[R_HOST] as number;
      if (v >= 0) acc.lastHost = name(acc.hosts, acc.lastHost, t, v, line[R_HOST_END] as number);
    }
  }

  /** Syslog-wrapped lines and the like: parsed in full. */
  function slow(text: string): void {
    parses++;
    const e = parseErrorLine(text);
    if (!e) {
      if (text.trim() !== '') stats.unparsed++;
      return;
    }
    if (e.time !== second) setSecond(copy(e.time));
    if (e.level !== 'error' && e.level !== 'crit' && e.level !== 'alert' && e.level !== 'emerg') return;
    // the JS scanner's cursors remember positions in the chunk's text, not in this line
    js.reset();
    line[R_CLIENT] = text.indexOf(CLIENT);
    line[R_UP] = -1;
    tally(resolve(text), text, 0, text.length);
    js.reset();
  }

  /** Count the line of the JS scanner's record, positions in `t`. */
  function count(t: string): void {
    const s = line[R_START] as number;
    const e = line[R_END] as number;
    const m = line[R_MSG] as number;
    if (m < 0) return slow(t.slice(s, e));
    if (!sameSecond(t, s, second)) {
      const time = copy(t.slice(s, s + 19));
      if (!TIME.test(time)) return slow(t.slice(s, e));
      setSecond(time);
    }
    const level = t.charCodeAt(s + 21);
    // info, warn, notice, debug: never a failure (client aborts, `upstream server temporarily disabled`)
    if (level !== 101 && level !== 99 && level !== 97) return;
    // the message up to the request context is the form (without one, as in config errors and
    // resolver lines, the whole message); the address is the one the classification reads, so one
    // form is one diagnosis
    const c = line[R_CLIENT] as number;
    const upV = line[R_UP] as number;
    const up = upV < 0 ? '' : upstreamAddress(t.slice(upV, line[R_UP_CLOSE]));
    tally(lookup(t, s, e, level * 256 + t.charCodeAt(s + 22), m, c < 0 ? e : c, up), t, s, e);
  }

  /** One line, t[s, e), its record written by the JS scanner. */
  function scanLine(t: string, s: number, e: number): void {
    stats.lines++;
    if (js.line(t, s, e, line)) count(t);
  }

  function scanner(): WasmScanner | undefined {
    if (wasm === undefined) {
      wasm = useWasm ? (createWasmScanner() ?? null) : null;
      if (wasm) {
        const key = (t: string | undefined, none: number) => (t === undefined ? none : timeKey(t));
        wasm.x.setWindow(key(since, -Infinity), key(until, Infinity));
      }
    }
    return wasm ?? undefined;
  }

  /** Where the scanner counts a form: a group's index, or not at all. */
  function code(slot: Slot): number {
    if (slot === NOT_COUNTED) return CODE_NOT_COUNTED;
    if (slot === 'ungrouped') return CODE_UNGROUPED;
    if (slot.index < 0) {
      slot.index = indexed.length;
      indexed.push(slot);
    }
    return slot.index;
  }

  /** A line the scanner handed over as not in nginx's format: parsed in full, counted by the scanner. */
  function slowBytes(w: WasmScanner, s: number, e: number): void {
    const text = w.mem.toString('latin1', s, e);
    parses++;
    const p = parseErrorLine(text);
    if (!p) {
      if (text.trim() !== '') stats.unparsed++;
      return;
    }
    w.x.setTime(timeKey(p.time));
    if (p.level !== 'error' && p.level !== 'crit' && p.level !== 'alert' && p.level !== 'emerg') return;
    const slot = resolve(text);
    if (slot === NOT_COUNTED) return;
    // the names as the JS scanner finds them in a line of its own
    let sv = -1;
    let se = -1;
    let hv = -1;
    let he = -1;
    const c = text.indexOf(CLIENT);
    if (c >= 0) {
      js.reset();
      js.findServer(text, c, text.length, line);
      js.findHost(text, c, text.length, -1, line);
      js.reset();
      if ((line[R_SERVER] as number) >= 0) {
        sv = s + (line[R_SERVER] as number);
        se = s + (line[R_SERVER_END] as number);
      }
      if ((line[R_HOST] as number) >= 0) {
        hv = s + (line[R_HOST] as number);
        he = s + (line[R_HOST_END] as number);
      }
    }
    if (w.x.tally(code(slot), sv, se, hv, he)) (slot as Acc).pendingSample = sampleOf(w, s, e);
  }

  function sampleOf(w: WasmScanner, s: number, e: number): string {
    return w.mem.toString('utf8', s, Math.min(e, s + MAX_SAMPLE_BYTES));
  }

  /** Lines of at most the scanner's capacity, copied into it and read there. */
  function scanRegion(w: WasmScanner, bytes: Uint8Array): void {
    w.mem.set(bytes, 0);
    const x = w.x;
    for (let ev = x.begin(bytes.length); ev !== 0; ev = x.run()) {
      const s = x.evStart();
      const e = x.evEnd();
      if (ev === EV_FORM) x.setForm(x.evForm(), code(resolve(w.mem.toString('latin1', s, e))));
      else if (ev === EV_SAMPLE) (indexed[x.evGroupIndex()] as Acc).pendingSample = sampleOf(w, s, e);
      else if (ev === EV_SLOW) slowBytes(w, s, e);
    }
    stats.lines += x.takeLines();
    stats.failures += x.takeFailures();
    stats.outside += x.takeOutside();
    stats.ungrouped += x.takeUngrouped();
  }

  function addBytes(bytes: Uint8Array): void {
    const w = scanner();
    if (!w) {
      const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
      return addText(text, 0, text.length);
    }
    // regions larger than the scanner takes are cut at newlines
    for (let at = 0; at < bytes.length; ) {
      if (bytes.length - at <= w.capacity) return scanRegion(w, at === 0 ? bytes : bytes.subarray(at));
      let cut = bytes.lastIndexOf(10, at + w.capacity - 1);
      if (cut < at) {
        // a line longer than the scanner takes is longer than a log line: counted, not read
        cut = bytes.indexOf(10, at + w.capacity);
        stats.lines++;
        at = cut < 0 ? bytes.length : cut + 1;
        continue;
      }
      scanRegion(w, bytes.subarray(at, cut + 1));
      at = cut + 1;
    }
  }

  /**
   * The scanner's counts taken into the groups, as merge() takes another
   * explainer's: they are of the lines after those counted here before.
   */
  function flush(): void {
    const x = wasm?.x;
    if (!x) return;
    const f = x.spanFrom();
    const l = x.spanTo();
    if (f !== Infinity) {
      const ft = keyTime(f);
      const lt = keyTime(l);
      if (from === undefined || ft < from) from = ft;
      if (to === undefined || lt > to) to = lt;
    }
    for (const acc of indexed) {
      const i = acc.index;
      const n = x.groupCount(i);
      if (n === 0) continue;
      acc.group.count += n;
      const first = keyTime(x.groupFirst(i));
      const last = keyTime(x.groupLast(i));
      if (acc.first === '' || first < acc.first) {
        acc.first = first;
        acc.group.sample = acc.pendingSample;
      }
      if (last > acc.last) acc.last = last;
      acc.second = '';
      for (const [kind, names] of [
        [0, acc.servers],
        [1, acc.hosts],
      ] as const) {
        for (let j = 0, n = x.groupNames(i, kind); j < n && names.length < MAX_NAMES; j++) {
          const at = x.groupNameAt(i, kind, j);
          const v = (wasm as WasmScanner).mem.toString('latin1', at, at + x.groupNameLength(i, kind, j));
          if (!names.includes(v)) names.push(v);
        }
      }
    }
    x.resetGroups();
  }

  function addText(text: string, start: number, end: number, bytes?: Uint8Array): void {
    if (scanner()) return addBytes(bytes ? bytes.subarray(start, end) : Buffer.from(text.slice(start, end), 'latin1'));
    js.reset();
    eachLine(text, start, end, (s, e) => scanLine(text, s, e));
  }

  function state(): ExplainState {
    flush();
    return {
      stats: { ...stats, ...(from !== undefined && { from }), ...(to !== undefined && { to }) },
      groups: [...groups].map(([key, a]) => ({ key, group: a.group, servers: a.servers, hosts: a.hosts, first: a.first, last: a.last })),
    };
  }

  /** As if this explainer had read the other's lines after its own. */
  function merge(other: ExplainState): void {
    flush();
    const o = other.stats;
    stats.lines += o.lines;
    stats.unparsed += o.unparsed;
    stats.failures += o.failures;
    stats.outside += o.outside;
    stats.ungrouped += o.ungrouped;
    if (o.from !== undefined && (from === undefined || o.from < from)) from = o.from;
    if (o.to !== undefined && (to === undefined || o.to > to)) to = o.to;
    for (const g of other.groups) {
      const acc = groups.get(g.key);
      if (!acc) {
        const text = 2 * g.group.upstream.length + g.group.cause.length + g.group.fix.length + (g.group.file?.length ?? 0);
        if (groups.size >= MAX_GROUPS || groupText + text > MAX_GROUP_TEXT) {
          stats.ungrouped += g.group.count;
          continue;
        }
        groupText += text;
        groups.set(g.key, newAcc({ ...g.group }, [...g.servers], [...g.hosts], g.first, g.last));
        continue;
      }
      acc.group.count += g.group.count;
      acc.second = '';
      if (g.first !== '' && (acc.first === '' || g.first < acc.first)) {
        acc.first = g.first;
        acc.group.sample = g.group.sample;
      }
      if (g.last > acc.last) acc.last = g.last;
      for (const n of g.servers) if (acc.servers.length < MAX_NAMES && !acc.servers.includes(n)) acc.servers.push(n);
      for (const n of g.hosts) if (acc.hosts.length < MAX_NAMES && !acc.hosts.includes(n)) acc.hosts.push(n);
    }
  }

  return {
    add(text) {
      if (scanner()) return addBytes(Buffer.from(`${text}\n`, 'latin1'));
      js.reset();
      scanLine(text, 0, text.length);
    },
    addText,
    addBytes,
    state,
    merge,
    parses: () => parses,
    result() {
      flush();
      const out = [...groups.values()]
        .filter((a) => a.group.count > 0)
        .map((a) => ({
          ...a.group,
          first: isoTime(a.first),
          last: isoTime(a.last),
          servers: a.servers.map(utf8).sort(),
          hosts: a.hosts.map(utf8).sort(),
        }));
      out.sort((a, b) => b.count - a.count || (a.first < b.first ? -1 : a.first > b.first ? 1 : 0) || a.upstream.localeCompare(b.upstream));
      return { ...stats, ...(from !== undefined && { from }), ...(to !== undefined && { to }), groups: out };
    },
  };
}

function newAcc(group: ExplainGroup, servers: string[], hosts: string[], first: string, last: string): Acc {
  return { group, servers, hosts, first, last, second: '', lastServer: '\0', lastHost: '\0', index: -1, pendingSample: '' };
}

/** `2026/11/24 01:21:58` -> 20261124012158, as the scanner compares times */
function timeKey(t: string): number {
  return Number(t.slice(0, 4) + t.slice(5, 7) + t.slice(8, 10) + t.slice(11, 13) + t.slice(14, 16) + t.slice(17, 19));
}

/** 20261124012158 -> `2026/11/24 01:21:58` */
function keyTime(k: number): string {
  const d = String(k).padStart(14, '0');
  return `${d.slice(0, 4)}/${d.slice(4, 6)}/${d.slice(6, 8)} ${d.slice(8, 10)}:${d.slice(10, 12)}:${d.slice(12, 14)}`;
}

/** Does t[s, s + 19) hold the time `second`? The units of the seconds first: that is where times differ. */
function sameSecond(t: string, s: number, second: string): boolean {
  return t.charCodeAt(s + 18) === second.charCodeAt(18) && t.slice(s, s + 19) === second;
}

/**
 * A name (server or host) at t[v, end), its first MAX_NAME_BYTES, among
 * `names`: the previous line's name is checked first, then the list, and a
 * new name is copied in while there is room. Returns the name to check first
 * next time.
 */
function name(names: string[], previous: string, t: string, v: number, end: number): string {
  end = Math.min(end, v + MAX_NAME_BYTES);
  if (end - v === previous.length && t.slice(v, end) === previous) return previous;
  if (end === v) return previous;
  const value = t.slice(v, end);
  for (let i = 0; i < names.length; i++) if (names[i] === value) return names[i] as string;
  if (names.length >= MAX_NAMES) return previous;
  const kept = copy(value);
  names.push(kept);
  return kept;
}

/** A flat copy: a slice of a 64 KiB chunk would otherwise keep the whole chunk alive. */
function copy(s: string): string {
  return Buffer.from(s, 'latin1').toString('latin1');
}

/** A line's group: its upstream, errno and kind of failure. */
export function groupKey(d: Pick<LogDiagnosis, 'upstream' | 'errno' | 'kind'>): string {
  return `${d.upstream}\0${d.errno ?? ''}\0${d.kind}`;
}

/** The bytes of text a new group keeps, counted against MAX_GROUP_TEXT. */
export function groupTextBytes(d: LogDiagnosis, e: ErrorLogEntry): number {
  return 2 * d.upstream.length + d.cause.length + d.fix.length + (e.confFile?.length ?? 0);
}

/** A new group for a line's diagnosis, nothing counted yet. */
export function newGroup(d: LogDiagnosis, e: ErrorLogEntry): ExplainGroup {
  return {
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
