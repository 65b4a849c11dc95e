// One nginx error-log line -> its parts. nginx builds every line the same way
// (ngx_log_error_core + the http/stream/resolver context handlers), so one
// scanner covers them all. Context fields are found by their fixed `, key: "`
// separators, not by splitting on commas: the request line is logged raw and
// may hold commas and quotes. Lines are cut at 2048 bytes by nginx, and the
// last line of a live log may be cut anywhere: every field after the message
// is optional and an unterminated quote takes the rest of the line.

export type ErrorLogLevel = 'debug' | 'info' | 'notice' | 'warn' | 'error' | 'crit' | 'alert' | 'emerg';

export interface ErrorLogEntry {
  /** as logged: `2026/11/24 01:21:58`, server local time, no zone */
  time: string;
  level: ErrorLogLevel;
  pid: number;
  tid: number;
  /** connection serial `*N`: every retry of one request shares it */
  cid?: number;
  /** the message without the errno suffix and without ` while ...` */
  message: string;
  errno?: number;
  /** libc's words for errno; they differ between glibc and musl, so match on `errno` */
  errnoText?: string;
  /** the phase after `while`: `connecting to upstream`, `reading response header from upstream` ... */
  action?: string;
  /** resolver lines: `while resolving, resolver: 127.0.0.1:53` */
  resolver?: string;
  client?: string;
  /** http: the matched server{} block's server_name (may be empty); stream: the listen address */
  server?: string;
  request?: string;
  subrequest?: string;
  /** as logged: scheme, peer and URI (`http://127.0.0.1:8000/path`), or a group name */
  upstream?: string;
  host?: string;
  referrer?: string;
  /** configuration errors (`... in /etc/nginx/conf.d/app.conf:12`) */
  confFile?: string;
  confLine?: number;
}

const PREFIX = /(\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d) \[(debug|info|notice|warn|error|crit|alert|emerg)\] (\d+)#(\d+): (?:\*(\d+) )?/y;
/** the nginx timestamp anywhere in a line, for syslog-wrapped lines (`<PRI>Mmm dd HH:MM:SS host nginx: 2026/...`) */
const EMBEDDED = /\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[/;
const ERRNO_SUFFIX = / \((\d+): ([^)]*)\)$/;
const CONF_SUFFIX = / in (\/[^\s]*|[A-Za-z]:[^\s]*):(\d+)$/;
const ACTION = /^[A-Za-z][A-Za-z ]*$/;

/** The quoted fields in the order nginx writes them; each may be absent. */
const QUOTED = ['request', 'subrequest', 'upstream', 'host', 'referrer'] as const;
type QuotedField = (typeof QUOTED)[number];
const OPENERS: Record<QuotedField, string> = {
  request: ', request: "',
  subrequest: ', subrequest: "',
  upstream: ', upstream: "',
  host: ', host: "',
  referrer: ', referrer: "',
};
const STREAM_BYTES = ', bytes from/to client:';

/** Parse one line (without its newline); undefined when it is not an nginx error-log line. */
export function parseErrorLine(line: string): ErrorLogEntry | undefined {
  let start = 0;
  if (!(line.charCodeAt(0) >= 48 && line.charCodeAt(0) <= 57)) {
    const m = EMBEDDED.exec(line);
    if (!m) return undefined;
    start = m.index;
  }
  PREFIX.lastIndex = start;
  const p = PREFIX.exec(line);
  if (!p) return undefined;
  const entry: ErrorLogEntry = {
    time: p[1] as string,
    level: p[2] as ErrorLogLevel,
    pid: Number(p[3]),
    tid: Number(p[4]),
    message: '',
  };
  if (p[5] !== undefined) entry.cid = Number(p[5]);

  let rest = line.slice(PREFIX.lastIndex);
  if (rest.endsWith('\r')) rest = rest.slice(0, -1);
  let head = rest;
  let fields = '';
  const clientAt = findClient(rest);
  if (clientAt >= 0) {
    head = rest.slice(0, clientAt);
    fields = rest.slice(clientAt);
  }
  splitHead(head, entry);
  if (fields) parseFields(fields, entry);
  return entry;
}

/** `, client: ` or `, udp client: ` (stream); -1 when the line has no request context. */
function findClient(rest: string): number {
  const at = rest.indexOf(', client: ');
  if (at >= 0) return at;
  return rest.indexOf(', udp client: ');
}

/** MESSAGE[ (ERRNO: TEXT)][ while ACTION[, resolver: ADDR]] or MESSAGE in FILE:LINE */
function splitHead(head: string, entry: ErrorLogEntry): void {
  let msg = head;
  const resolverAt = msg.lastIndexOf(', resolver: ');
  if (resolverAt >= 0 && msg.lastIndexOf(' while ', resolverAt) >= 0) {
    entry.resolver = msg.slice(resolverAt + 12);
    msg = msg.slice(0, resolverAt);
  }
  const whileAt = msg.lastIndexOf(' while ');
  if (whileAt >= 0) {
    let action = msg.slice(whileAt + 7);
    // a line cut inside its context fields: `... while connecting to upstream, cli`
    const comma = action.indexOf(', ');
    if (comma >= 0 && !action.startsWith('resolving')) action = action.slice(0, comma);
    if (ACTION.test(action)) {
      entry.action = action;
      msg = msg.slice(0, whileAt);
    }
  }
  const e = ERRNO_SUFFIX.exec(msg);
  if (e) {
    entry.errno = Number(e[1]);
    entry.errnoText = e[2] as string;
    msg = msg.slice(0, e.index);
  } else if (entry.level === 'emerg' || entry.level === 'alert' || entry.level === 'crit') {
    const c = CONF_SUFFIX.exec(msg);
    if (c) {
      entry.confFile = c[1] as string;
      entry.confLine = Number(c[2]);
      msg = msg.slice(0, c.index);
    }
  }
  entry.message = msg;
}

function parseFields(fields: string, entry: ErrorLogEntry): void {
  // fields starts with `, client: ` or `, udp client: `
  let i = fields.indexOf('client: ') + 8;
  let end = fields.indexOf(', server: ', i);
  if (end < 0) {
    entry.client = untilComma(fields, i);
    return;
  }
  entry.client = fields.slice(i, end);
  i = end + 10;
  end = fields.indexOf(', ', i);
  entry.server = fields.slice(i, end < 0 ? fields.length : end);
  if (end < 0) return;
  i = end;
  for (let k = 0; k < QUOTED.length; k++) {
    const key = QUOTED[k] as QuotedField;
    const opener = OPENERS[key];
    if (!fields.startsWith(opener, i)) continue;
    const valueAt = i + opener.length;
    const close = closingQuote(fields, valueAt, k);
    entry[key] = fields.slice(valueAt, close);
    i = close + 1;
    if (i >= fields.length) return;
  }
}

/**
 * End of a quoted value starting at `from`: the quote followed by the next
 * field's opener (or the end of the line). Raw request lines and referrers
 * may contain `"`, so the first quote is not enough. A client controls its
 * request line, so the request ends at the last upstream opener: the field
 * explain groups by cannot be spoofed from the request. A line cut short has
 * no closing quote: the value runs to the end.
 */
function closingQuote(s: string, from: number, field: number): number {
  if (QUOTED[field] === 'request') {
    const at = s.lastIndexOf(`"${OPENERS.upstream}`);
    if (at >= from) return at;
  }
  let best = -1;
  for (let k = field + 1; k < QUOTED.length; k++) {
    const at = s.indexOf(`"${OPENERS[QUOTED[k] as QuotedField]}`, from);
    if (at >= 0 && (best < 0 || at < best)) best = at;
  }
  const bytes = s.indexOf(`"${STREAM_BYTES}`, from);
  if (bytes >= 0 && (best < 0 || bytes < best)) best = bytes;
  if (best >= 0) return best;
  if (s.endsWith('"') && s.length - 1 >= from) return s.length - 1;
  return s.length;
}

function untilComma(s: string, from: number): string {
  const end = s.indexOf(', ', from);
  return s.slice(from, end < 0 ? s.length : end);
}

/**
 * The address part of a logged upstream: scheme, host, port or socket path;
 * the URI dropped. `http://127.0.0.1:8000/api` -> `http://127.0.0.1:8000`,
 * `fastcgi://unix:/run/php/php8.2-fpm.sock:` -> `fastcgi://unix:/run/php/php8.2-fpm.sock`.
 * nginx drops the `:` after a socket path once it moved to the next peer
 * (`http://unix:/run/app.sock/`), so a path is then cut after its `.sock` segment.
 */
export function upstreamAddress(upstream: string): string {
  // no address holds a quote: one here ends the value of a line cut short (`upstream: "127.0.0.1:8000", by`)
  const quote = upstream.indexOf('"');
  if (quote >= 0) upstream = upstream.slice(0, quote);
  const schemeEnd = upstream.indexOf('://');
  const scheme = schemeEnd >= 0 ? upstream.slice(0, schemeEnd + 3) : '';
  const rest = schemeEnd >= 0 ? upstream.slice(schemeEnd + 3) : upstream;
  if (rest.startsWith('unix:')) return scheme + unixPart(rest);
  const slash = rest.indexOf('/');
  return scheme + (slash < 0 ? rest : rest.slice(0, slash));
}

function unixPart(rest: string): string {
  const sep = rest.indexOf(':', 5);
  if (sep >= 0) return rest.slice(0, sep);
  const sock = /^unix:.*?\.sock(?:et)?(?=\/|$)/.exec(rest);
  if (sock) return sock[0];
  return rest.endsWith('/') && rest.length > 6 ? rest.slice(0, -1) : rest;
}
