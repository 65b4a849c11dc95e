// The JS path of explain's scanner, for where WebAssembly is not available
// (node --jitless): it writes the record (record.ts) of one line, with the
// fields the WebAssembly scanner finds, except that the server and host
// fields are UNKNOWN, looked for only when the line counts (findServer,
// findHost). Text is a byte string (latin1, one char per byte).
import { MAX_LINE } from './error-log-stream.js';
import { R_CLIENT, R_END, R_HOST, R_HOST_END, R_MSG, R_SERVER, R_SERVER_END, R_START, R_UP, R_UP_CLOSE, UNKNOWN } from './record.js';

/** what follows the time in every line nginx writes, up to the message (`[error] 4101#4101: *1234 `) */
const PREFIX_TAIL = /\[(?:debug|info|notice|warn|error|crit|alert|emerg)\] \d+#\d+: (?:\*\d+ )?/y;
export const CLIENT = ', client: ';
const SERVER = ', server: ';
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

export interface JsScanner {
  /** a new text: the cursors forget their positions */
  reset(): void;
  /**
   * The record of line t[s, e) into `rec` at 0, positions in `t`; false for
   * a line too long to be a log line (nothing is written). Only the fields a
   * line's kind needs are written: start, end and message for every line,
   * the rest for lines at a failure level.
   */
  line(t: string, s: number, e: number, rec: Int32Array): boolean;
  /** Fill in the server field of a record at 0 whose client field is at `c`, for line t[., e). */
  findServer(t: string, c: number, e: number, rec: Int32Array): void;
  /** Fill in the host field; `hostAt` is where it must start after an upstream field, else -1. */
  findHost(t: string, c: number, e: number, hostAt: number, rec: Int32Array): void;
}

export function createJsScanner(): JsScanner {
  const client = new Cursor(CLIENT);
  const server = new Cursor(SERVER);
  const upstream = new Cursor(UPSTREAM);
  const host = new Cursor(HOST);
  return {
    reset() {
      client.reset();
      server.reset();
      upstream.reset();
      host.reset();
    },
    line(t, s, e, rec) {
      if (e - s > MAX_LINE) return false;
      if (e > s && t.charCodeAt(e - 1) === 13) e--;
      rec[R_START] = s;
      rec[R_END] = e;
      // `2026/11/24 01:21:58 [error] ...`, then `[error] 4101#4101: *1234 ` checked as
      // parseErrorLine checks it: anything else takes the full parse
      rec[R_MSG] = -1;
      if (e - s < 24 || t.charCodeAt(s + 4) !== 47 || t.charCodeAt(s + 19) !== 32 || t.charCodeAt(s + 20) !== 91) return true;
      PREFIX_TAIL.lastIndex = s + 20;
      if (!PREFIX_TAIL.test(t) || PREFIX_TAIL.lastIndex > e) return true;
      const msg = PREFIX_TAIL.lastIndex;
      rec[R_MSG] = msg;
      const level = t.charCodeAt(s + 21);
      // not a failure: only its time counts, and no other field is read
      if (level !== 101 && level !== 99 && level !== 97) return true;
      rec[R_SERVER] = UNKNOWN;
      rec[R_HOST] = UNKNOWN;
      const c = client.within(t, msg, e);
      rec[R_CLIENT] = c;
      const u = c < 0 ? -1 : upstream.last(t, c, e);
      let v = -1;
      let close = -1;
      if (u >= 0) {
        v = u + UPSTREAM.length;
        close = t.indexOf('"', v);
        if (close < 0 || close > e) close = e;
      }
      rec[R_UP] = v;
      rec[R_UP_CLOSE] = close;
      return true;
    },
    findServer(t, c, e, rec) {
      const at = server.within(t, c, e);
      const v = at < 0 ? -1 : at + SERVER.length;
      let end = 0;
      if (v >= 0) {
        end = t.indexOf(', ', v);
        if (end < 0 || end > e) end = e;
      }
      rec[R_SERVER] = v;
      rec[R_SERVER_END] = end;
    },
    findHost(t, c, e, hostAt, rec) {
      // with an upstream field, the host is the field right after it or none (HTTP/1.0);
      // without, the first host field (resolver lines)
      const at = hostAt >= 0 ? (holds(t, hostAt, HOST) ? hostAt : -1) : host.within(t, c, e);
      const v = at < 0 ? -1 : at + HOST.length;
      let end = 0;
      if (v >= 0) {
        end = t.indexOf('"', v);
        if (end < 0 || end > e) end = e;
      }
      rec[R_HOST] = v;
      rec[R_HOST_END] = end;
    },
  };
}

/** Does `t` hold `needle` at `at`? (startsWith with a position is far slower in V8) */
function holds(t: string, at: number, needle: string): boolean {
  if (at + needle.length > t.length) return false;
  for (let i = 0; i < needle.length; i++) if (t.charCodeAt(at + i) !== needle.charCodeAt(i)) return false;
  return true;
}
