// What may reach an output. Credentials never do: the whole userinfo of a
// URL, up to the last `@` before the host, whatever the password holds
// (`https://u:p@ss w'rd<x@host/` -> `https://***@host/`), and the quoted
// `"user:pass@host"` nginx prints for a dial target it cannot parse. A
// masked credential may take some neighbouring text with it; a leaked one
// cannot be taken back. On a terminal, control bytes from a backend's answer
// (an ESC sequence in a health body) must not act on the screen.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F]/g;
const SCHEME_CHAR = /[A-Za-z0-9+.-]/;
const SCHEME_START = /[A-Za-z]/;
const HOST_START = /[\p{L}\p{N}[_-]/u;
/** A URL written between these ends at the closing one: `"http://host" ... "a:b@c"` is two strings. */
const CLOSER: Record<string, string> = { '"': '"', "'": "'", '<': '>' };

interface Span {
  start: number;
  end: number;
}

export function maskCredentials(s: string): string {
  // every span masked ends at an `@`: most text (a config's every argument) has none
  if (!s.includes('@')) return s;
  const urls = replaceSpans(s, urlUserinfo(s));
  return replaceSpans(urls, quotedUserinfo(urls));
}

/**
 * The credentials maskCredentials hides in `s`: each whole userinfo and,
 * after its first `:`, the password (for a secret masker that matches text
 * wherever it appears, such as the Actions runner's).
 */
export function credentialsIn(s: string): string[] {
  const urls = replaceSpans(s, urlUserinfo(s));
  const found = [...urlUserinfo(s).map((x) => s.slice(x.start, x.end)), ...quotedUserinfo(urls).map((x) => urls.slice(x.start, x.end))];
  return found.flatMap((u) => {
    const colon = u.indexOf(':');
    return colon >= 0 && colon < u.length - 1 ? [u, u.slice(colon + 1)] : [u];
  });
}

/**
 * A dial target as written in a config argument (`fastcgi_pass`, an upstream
 * `server`), where nginx also takes `user:pass@host:port` without a scheme.
 */
export function maskDialTarget(arg: string): string {
  const masked = maskCredentials(arg);
  const span = bareUserinfo(masked, 0, masked.length);
  return span ? replaceSpans(masked, [span]) : masked;
}

/** Masked, and control characters other than newline and tab shown as `\xNN`. */
export function forTerminal(s: string): string {
  return maskCredentials(s).replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * `scheme://USERINFO@host`: the authority runs to the first `/ ? #` or line
 * end (or the closing quote of a quoted URL), spaces and quotes included, and
 * the userinfo to its last `@` followed by a host. One pass: each scan stops
 * at a `/`, and every `://` holds one, so no character is scanned twice.
 */
function urlUserinfo(s: string): Span[] {
  const spans: Span[] = [];
  let from = 0;
  for (;;) {
    const sep = s.indexOf('://', from);
    if (sep < 0) return spans;
    let schemeStart = sep;
    while (schemeStart > 0 && SCHEME_CHAR.test(s[schemeStart - 1] as string)) schemeStart--;
    const start = sep + 3;
    const end = authorityEnd(s, start, CLOSER[s[schemeStart - 1] ?? '']);
    if (schemeStart < sep && SCHEME_START.test(s[schemeStart] as string)) {
      const at = lastHostAt(s, start, end);
      if (at > start) spans.push({ start, end: at });
    }
    from = end;
  }
}

/** `"user:pass@host:80"`: a double-quoted authority, as nginx quotes a dial target it cannot parse. */
function quotedUserinfo(s: string): Span[] {
  const spans: Span[] = [];
  let from = 0;
  for (;;) {
    const open = s.indexOf('"', from);
    if (open < 0) return spans;
    let close = open + 1;
    while (close < s.length && s[close] !== '"' && s[close] !== '\n' && s[close] !== '\r') close++;
    const span = bareUserinfo(s, open + 1, close);
    if (span) spans.push(span);
    from = s[close] === '"' ? close + 1 : close;
  }
}

/**
 * The userinfo of an authority written without a scheme in [start, limit):
 * only when it holds a `:` or an `@`, as `user:pass@host` does and an e-mail
 * address does not.
 */
function bareUserinfo(s: string, start: number, limit: number): Span | undefined {
  const at = lastHostAt(s, start, authorityEnd(s, start, undefined, limit));
  return at > start && /[:@]/.test(s.slice(start, at)) ? { start, end: at } : undefined;
}

function authorityEnd(s: string, start: number, closer: string | undefined, limit = s.length): number {
  let i = start;
  while (i < limit) {
    const c = s[i];
    if (c === '/' || c === '?' || c === '#' || c === '\n' || c === '\r' || c === closer) break;
    i++;
  }
  return i;
}

/** The last `@` in [start, end) that a host follows, or -1. */
function lastHostAt(s: string, start: number, end: number): number {
  for (let i = end - 1; i >= start; i--) {
    if (s[i] === '@' && i + 1 < end && HOST_START.test(s[i + 1] as string)) return i;
  }
  return -1;
}

function replaceSpans(s: string, spans: Span[]): string {
  if (spans.length === 0) return s;
  let out = '';
  let at = 0;
  for (const x of spans) {
    out += `${s.slice(at, x.start)}***`;
    at = x.end;
  }
  return out + s.slice(at);
}
