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
// that full parse every time. Text is a byte string (latin1, one char per
// byte: no UTF-8 decoding on the hot path); what is kept is decoded once.
// test/diagnose/explain-fast-path.test.ts holds all this to a line-by-line
// full parse.
import type { ReasonCode } from './codes.js';
import { classifyErrorLine } from './error-log-classify.js';
import { parseErrorLine, upstreamAddress } from './error-log.js';
import { eachLine, MAX_LINE } from './error-log-stream.js';
import { SCAN_WASM_BASE64 } from './scan-wasm.js';

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
  /** what was counted so far, to send to another thread */
  state(): ExplainState;
  /** add what another explainer counted over the lines that follow this one's */
  merge(other: ExplainState): void;
  result(): ExplainResult;
}

/** An explainer's counts, as plain data: what a worker thread sends back. */
export interface ExplainState {
  stats: ExplainStats;
  /** in order of first appearance: the order decides which groups fit under MAX_GROUPS */
  groups: { key: string; group: ExplainGroup; servers: string[]; hosts: string[]; first: string; last: string }[];
}

/** what follows the time in every line nginx writes, up to the message (`[error] 4101#4101: *1234 `) */
const PREFIX_TAIL = /\[(?:debug|info|notice|warn|error|crit|alert|emerg)\] \d+#\d+: (?:\*\d+ )?/y;
const TIME = /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d$/;
const SERVER = ', server: ';
const CLIENT = ', client: ';
const UPSTREAM = ', upstream: "';
const HOST = ', host: "';

/**
 * Where `needle` next occurs in one text, remembered. Lines are scanned in
 * order, so each needle's occurrences are searched for once per text rather
 * than once per line: a needle missing from a line would otherwise be
 * searched for far into the following lines, for every such line.
 */
class Cursor {
  private from = 0;
  private at = -2;
  constructor(private readonly needle: string) {}
  /** a new text */
  reset(): void {
    this.at = -2;
  }
  /** The first occurrence at or after `from`, or -1. */
  find(text: string, from: number): number {
    if (this.at !== -2 && from >= this.from && (this.at < 0 || from <= this.at)) return this.at;
    this.from = from;
    this.at = text.indexOf(this.needle, from);
    return this.at;
  }
  /** The first occurrence in [from, end), or -1. */
  within(text: string, from: number, end: number): number {
    const at = this.find(text, from);
    return at < end ? at : -1;
  }
  /** The last occurrence in [from, end), or -1: the last, because a client can put any text into its request line. */
  last(text: string, from: number, end: number): number {
    let at = this.within(text, from, end);
    if (at < 0) return -1;
    for (let next = this.within(text, at + 1, end); next >= 0; next = this.within(text, next + 1, end)) at = next;
    return at;
  }
}

export function createExplainer(window: TimeWindow = {}, opts: { wasm?: boolean } = {}): Explainer {
  const wasm = opts.wasm === false ? undefined : scanner();
  /** slots of the scanner's form ids, while this explainer is the one using its table */
  const scannedSlots: Slot[] = [];
  const groups = new Map<string, Acc>();
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
  const client = new Cursor(CLIENT);
  const server = new Cursor(SERVER);
  const upstreamField = new Cursor(UPSTREAM);
  const hostField = new Cursor(HOST);

  function setSecond(t: string): void {
    second = t;
    outside = (since !== undefined && t < since) || (until !== undefined && t > until);
    if (from === undefined || t < from) from = t;
    if (to === undefined || t > to) to = t;
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
    const text = 2 * d.upstream.length + d.cause.length + d.fix.length + (e.confFile?.length ?? 0);
    if (groups.size >= MAX_GROUPS || groupText + text > MAX_GROUP_TEXT) return 'ungrouped';
    groupText += text;
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
    acc = { group, servers: [], hosts: [], first: '', last: '', second: '', lastServer: '\0', lastHost: '\0' };
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
   * Count one failure of the line t[s, e); `c` is its `, client: `. The
   * server and host values are at [serverV, serverEnd) and [hostV, hostEnd),
   * -1 when absent, or UNKNOWN: not looked for yet, and looked for only now,
   * for a line that counts. nginx writes the host right after the upstream
   * field: `hostAt` is where it would start, or -1 when there is no upstream.
   */
  function tally(slot: Slot, t: string, s: number, e: number, c: number, hostAt: number, serverV: number, serverEnd: number, hostV: number, hostEnd: number): void {
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
    if (c < 0) return;
    if (acc.servers.length < MAX_NAMES) {
      if (serverV === UNKNOWN) {
        const at = server.within(t, c, e);
        serverV = at < 0 ? -1 : at + SERVER.length;
        if (serverV >= 0) {
          serverEnd = t.indexOf(', ', serverV);
          if (serverEnd < 0 || serverEnd > e) serverEnd = e;
        }
      }
      if (serverV >= 0) acc.lastServer = name(acc.servers, acc.lastServer, t, serverV, serverEnd);
    }
    if (acc.hosts.length < MAX_NAMES) {
      if (hostV === UNKNOWN) {
        // with an upstream field, the host is the field right after it or none (HTTP/1.0);
        // without, the first host field (resolver lines)
        const at = hostAt >= 0 ? (holds(t, hostAt, HOST) ? hostAt : -1) : hostField.within(t, c, e);
        hostV = at < 0 ? -1 : at + HOST.length;
        if (hostV >= 0) {
          hostEnd = t.indexOf('"', hostV);
          if (hostEnd < 0 || hostEnd > e) hostEnd = e;
        }
      }
      if (hostV >= 0) acc.lastHost = name(acc.hosts, acc.lastHost, t, hostV, hostEnd);
    }
  }

  /** Syslog-wrapped lines and the like: parsed in full. */
  function slow(line: string): void {
    const e = parseErrorLine(line);
    if (!e) {
      if (line.trim() !== '') stats.unparsed++;
      return;
    }
    if (e.time !== second) setSecond(copy(e.time));
    if (e.level !== 'error' && e.level !== 'crit' && e.level !== 'alert' && e.level !== 'emerg') return;
    // the cursors remember positions in the chunk's text, not in this line
    resetCursors();
    tally(resolve(line), line, 0, line.length, line.indexOf(CLIENT), -1, UNKNOWN, 0, UNKNOWN, 0);
    resetCursors();
  }

  /**
   * A line t[s, e) that starts the way nginx writes lines, its message at
   * `msg`, its fields found (by the scanner or by `scan`): see `tally`.
   */
  function fast(
    t: string,
    s: number,
    e: number,
    msg: number,
    c: number,
    upV: number,
    upClose: number,
    serverV: number,
    serverEnd: number,
    hostV: number,
    hostEnd: number,
    timeKnown = false,
    form = -1,
  ): boolean {
    if (!timeKnown && !sameSecond(t, s, second)) {
      const time = copy(t.slice(s, s + 19));
      if (!TIME.test(time)) {
        slow(t.slice(s, e));
        return false;
      }
      setSecond(time);
    }
    const level = t.charCodeAt(s + 21);
    // info, warn, notice, debug: never a failure (client aborts, `upstream server temporarily disabled`)
    if (level !== 101 && level !== 99 && level !== 97) return true;
    let slot: Slot;
    if (form >= 0) {
      // the scanner knows the form: its slot, or a full parse the first time
      const id = form & (FORM_NEW - 1);
      slot = form & FORM_NEW ? (scannedSlots[id] = resolve(t.slice(s, e))) : (scannedSlots[id] as Slot);
    } else {
      // no request context (config errors, resolver lines): the whole message is the form;
      // the address is the one the classification reads, so one form is one diagnosis
      const up = upV < 0 ? '' : upstreamAddress(t.slice(upV, upClose));
      slot = lookup(t, s, e, level * 256 + t.charCodeAt(s + 22), msg, c < 0 ? e : c, up);
    }
    tally(slot, t, s, e, c, upV < 0 ? -1 : upClose + 1, serverV, serverEnd, hostV, hostEnd);
    return true;
  }

  /** One line, t[s, e), its fields found here in JS. */
  function scan(t: string, s: number, e: number): void {
    stats.lines++;
    if (e - s > MAX_LINE) return;
    if (e > s && t.charCodeAt(e - 1) === 13) e--;
    // `2026/11/24 01:21:58 [error] ...`: anything else takes the slow path
    if (e - s < 24 || t.charCodeAt(s + 4) !== 47 || t.charCodeAt(s + 19) !== 32 || t.charCodeAt(s + 20) !== 91) return slow(t.slice(s, e));
    // `[error] 4101#4101: *1234 `, checked as parseErrorLine checks it, and where the message starts
    PREFIX_TAIL.lastIndex = s + 20;
    if (!PREFIX_TAIL.test(t) || PREFIX_TAIL.lastIndex > e) return slow(t.slice(s, e));
    const msg = PREFIX_TAIL.lastIndex;
    const level = t.charCodeAt(s + 21);
    // not a failure: only its time counts, for the span of the log, and `fast` takes no more
    if (level !== 101 && level !== 99 && level !== 97) return void fast(t, s, e, msg, -1, -1, -1, -1, -1, -1, -1);
    const c = client.within(t, msg, e);
    let upV = -1;
    let upClose = -1;
    const u = c < 0 ? -1 : upstreamField.last(t, c, e);
    if (u >= 0) {
      upV = u + UPSTREAM.length;
      upClose = t.indexOf('"', upV);
      if (upClose < 0 || upClose > e) upClose = e;
    }
    fast(t, s, e, msg, c, upV, upClose, UNKNOWN, 0, UNKNOWN, 0);
  }

  /** The lines of a region, their fields found by the WebAssembly scanner. */
  function scanBytes(wasm: Scanner, t: string, start: number, end: number, bytes: Uint8Array): void {
    // the scanner's forms are one table per thread: whose slots these are, and when to start over
    if (wasmOwner !== scannedSlots || wasm.forms() > MAX_CACHED || wasm.full()) {
      wasm.resetForms();
      scannedSlots.length = 0;
      wasmOwner = scannedSlots;
    }
    const n = wasm.scan(bytes.subarray(start, end));
    const r = wasm.records;
    // `second` holds the previous scanned line's time: a line the scanner saw with the same time needs no look
    let timeKnown = false;
    for (let i = 0, k = 0; i < n; i++, k += RECORD) {
      stats.lines++;
      const s = start + (r[k] as number);
      const e = start + (r[k + 1] as number);
      const msg = r[k + 2] as number;
      if (msg < 0) {
        slow(t.slice(s, e));
        timeKnown = false;
        continue;
      }
      const at = (x: number) => (x < 0 ? -1 : start + x);
      timeKnown = fast(
        t,
        s,
        e,
        start + msg,
        at(r[k + 3] as number),
        at(r[k + 6] as number),
        at(r[k + 7] as number),
        at(r[k + 4] as number),
        at(r[k + 5] as number),
        at(r[k + 8] as number),
        at(r[k + 9] as number),
        timeKnown && r[k + 10] === 1,
        r[k + 11] as number,
      );
    }
  }

  function resetCursors(): void {
    client.reset();
    server.reset();
    upstreamField.reset();
    hostField.reset();
  }

  function addText(text: string, start: number, end: number, bytes?: Uint8Array): void {
    resetCursors();
    if (bytes && wasm && end - start <= wasm.capacity) return scanBytes(wasm, text, start, end, bytes);
    eachLine(text, start, end, (s, e) => scan(text, s, e));
  }

  function state(): ExplainState {
    return {
      stats: { ...stats, ...(from !== undefined && { from }), ...(to !== undefined && { to }) },
      groups: [...groups].map(([key, a]) => ({ key, group: a.group, servers: a.servers, hosts: a.hosts, first: a.first, last: a.last })),
    };
  }

  /** As if this explainer had read the other's lines after its own. */
  function merge(other: ExplainState): void {
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
        groups.set(g.key, { group: { ...g.group }, servers: [...g.servers], hosts: [...g.hosts], first: g.first, last: g.last, second: '', lastServer: '\0', lastHost: '\0' });
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
    add(line) {
      resetCursors();
      scan(line, 0, line.length);
    },
    addText,
    state,
    merge,
    result() {
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

/** A field not looked for yet (the JS path looks for names only on lines that count). */
const UNKNOWN = -2;
/** i32 per line in the scanner's output */
const RECORD = 12;

interface Scanner {
  /** the largest region it takes */
  capacity: number;
  /** scan a region; returns the number of lines, whose fields are in `records` */
  scan(bytes: Uint8Array): number;
  records: Int32Array;
  /** forms it remembers, and the bytes their keys take */
  forms(): number;
  full(): boolean;
  resetForms(): void;
}

/** a form id the scanner saw for the first time carries this bit */
const FORM_NEW = 1 << 30;

/** the little of the WebAssembly API used here (@types/node for Node 20 types none of it) */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}

let instance: Scanner | null | undefined;
/** the explainer whose slots match the scanner's form table now */
let wasmOwner: unknown;

/** Is the WebAssembly scanner available here (for the tests: it must be, on Node 20 and 24)? */
export function hasScanner(): boolean {
  return scanner() !== undefined;
}

/** The WebAssembly scanner, one per thread; null where WebAssembly or its SIMD is not available (node --jitless). */
function scanner(): Scanner | undefined {
  if (instance === undefined) {
    try {
      const wa = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
      const x = new wa.Instance(new wa.Module(Buffer.from(SCAN_WASM_BASE64, 'base64'))).exports as {
        memory: { buffer: ArrayBuffer };
        scan(len: number): number;
        inputCapacity(): number;
        outputOffset(): number;
        recordSize(): number;
        formNewBit(): number;
        formCount(): number;
        arenaBytes(): number;
        arenaCapacity(): number;
        resetForms(): void;
      };
      // the layout JS reads: a scanner built otherwise is not used
      if (x.recordSize() !== RECORD || x.formNewBit() !== FORM_NEW) throw new Error('scanner layout');
      const capacity = x.inputCapacity();
      const input = new Uint8Array(x.memory.buffer, 0, capacity);
      const records = new Int32Array(x.memory.buffer, x.outputOffset(), RECORD * (capacity + 1));
      instance = {
        capacity,
        records,
        scan(bytes) {
          input.set(bytes);
          return x.scan(bytes.length);
        },
        forms: () => x.formCount(),
        full: () => x.arenaBytes() > x.arenaCapacity(),
        resetForms: () => x.resetForms(),
      };
    } catch {
      instance = null;
    }
  }
  return instance ?? undefined;
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

/** Does `t` hold `needle` at `at`? (startsWith with a position is far slower in V8) */
function holds(t: string, at: number, needle: string): boolean {
  if (at + needle.length > t.length) return false;
  for (let i = 0; i < needle.length; i++) if (t.charCodeAt(at + i) !== needle.charCodeAt(i)) return false;
  return true;
}

/** A flat copy: a slice of a 64 KiB chunk would otherwise keep the whole chunk alive. */
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
