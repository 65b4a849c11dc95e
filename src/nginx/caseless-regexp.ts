// nginx matches `~*` locations and regex server_names without regard to case.
// JavaScript's `i` flag would say the same, but V8's linear-time engine, the
// one a config's regex falls back to when it backtracks without end (see
// src/regexp-guard.ts), cannot run `i` expressions: a config from a pull
// request could then hang the gate. So the pattern is rewritten to match
// both cases of each ASCII letter itself (`a` -> `[aA]`, `[a-f]` ->
// `[a-fA-F]`), which is what `i` means for the ASCII names and paths
// matched here, and run without the flag.

const isUpper = (c: number) => c >= 0x41 && c <= 0x5a;
const isLower = (c: number) => c >= 0x61 && c <= 0x7a;

/**
 * The pattern as a case-insensitive RegExp. A backreference compares without
 * regard to case only under `i` (and the linear-time engine runs no
 * backreference anyway): such a pattern keeps the flag. Throws as `new
 * RegExp` does on a pattern JavaScript cannot read.
 */
export function caselessRegExp(pattern: string): RegExp {
  if (/\\(k<|[1-9])/.test(pattern.replace(/\\\\/g, ''))) return new RegExp(pattern, 'i');
  return new RegExp(caselessSource(pattern));
}

/** The pattern's source, case-insensitive for ASCII letters without the `i` flag. */
export function caselessSource(pattern: string): string {
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i] as string;
    if (ch === '\\') {
      const end = escapeEnd(pattern, i);
      const c = escapedChar(pattern.slice(i, end));
      out += c !== undefined && (isUpper(c) || isLower(c)) ? bothCases(String.fromCharCode(c)) : pattern.slice(i, end);
      i = end;
    } else if (ch === '[') {
      const end = classEnd(pattern, i);
      out += caselessClass(pattern.slice(i, end));
      i = end;
    } else if (ch === '(' && pattern.startsWith('(?<', i) && pattern[i + 3] !== '=' && pattern[i + 3] !== '!') {
      // a group's name is a name, not text to match
      const close = pattern.indexOf('>', i);
      const end = close === -1 ? pattern.length : close + 1;
      out += pattern.slice(i, end);
      i = end;
    } else {
      const c = ch.charCodeAt(0);
      out += isUpper(c) || isLower(c) ? bothCases(ch) : ch;
      i++;
    }
  }
  return out;
}

const bothCases = (letter: string) => `[${letter.toLowerCase()}${letter.toUpperCase()}]`;

/** The one character an escape such as `\x41` or `\u0041` stands for; undefined for any other escape. */
function escapedChar(escape: string): number | undefined {
  const m = /^\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4}))$/.exec(escape);
  const hex = m?.[1] ?? m?.[2];
  return hex === undefined ? undefined : Number.parseInt(hex, 16);
}

/** Where the escape at `at` (a backslash) ends: `\x41`, `\u{1F600}`, `\p{L}`, `\k<name>`, `\cA` and `\12` whole. */
function escapeEnd(p: string, at: number): number {
  const next = p[at + 1];
  if (next === undefined) return at + 1;
  const braced = (open: string, close: string) => {
    if (p[at + 2] !== open) return at + 2;
    const end = p.indexOf(close, at + 3);
    return end === -1 ? p.length : end + 1;
  };
  if (next === 'x') return Math.min(p.length, at + 4);
  if (next === 'u') return p[at + 2] === '{' ? braced('{', '}') : Math.min(p.length, at + 6);
  if (next === 'p' || next === 'P') return braced('{', '}');
  if (next === 'k') return braced('<', '>');
  if (next === 'c') return Math.min(p.length, at + 3);
  if (next >= '0' && next <= '9') {
    let end = at + 2;
    while (end < p.length && (p[end] as string) >= '0' && (p[end] as string) <= '9') end++;
    return end;
  }
  return at + 2;
}

function classEnd(p: string, at: number): number {
  let i = at + 1;
  while (i < p.length) {
    if (p[i] === '\\') i = escapeEnd(p, i);
    else if (p[i] === ']') return i + 1;
    else i++;
  }
  return p.length;
}

/** `[...]` with the other case of every ASCII letter it holds, as single letters or ranges, added before its `]`. */
function caselessClass(cls: string): string {
  if (!cls.endsWith(']') || cls.length < 2) return cls;
  const body = cls.slice(cls.startsWith('[^') ? 2 : 1, -1);
  const items: [number, number][] = [];
  let i = 0;
  while (i < body.length) {
    let lo: number | undefined;
    let next: number;
    if (body[i] === '\\') {
      next = escapeEnd(body, i);
      // an escape names a set (\d, \w), left as it is, or one character
      lo = escapedChar(body.slice(i, next));
    } else {
      lo = body.charCodeAt(i);
      next = i + 1;
    }
    const hiEnd = lo !== undefined && body[next] === '-' && next + 1 < body.length ? (body[next + 1] === '\\' ? escapeEnd(body, next + 1) : next + 2) : undefined;
    const hi = hiEnd === undefined ? undefined : body[next + 1] === '\\' ? escapedChar(body.slice(next + 1, hiEnd)) : body.charCodeAt(next + 1);
    if (lo !== undefined && hi !== undefined && hiEnd !== undefined) {
      items.push([lo, hi]);
      i = hiEnd;
    } else {
      if (lo !== undefined) items.push([lo, lo]);
      i = next;
    }
  }
  let extra = '';
  for (const [lo, hi] of items) {
    // the part of [lo, hi] within A-Z, lowered; the part within a-z, raised
    const up = [Math.max(lo, 0x41), Math.min(hi, 0x5a)];
    const low = [Math.max(lo, 0x61), Math.min(hi, 0x7a)];
    if ((up[0] as number) <= (up[1] as number)) extra += range((up[0] as number) + 32, (up[1] as number) + 32);
    if ((low[0] as number) <= (low[1] as number)) extra += range((low[0] as number) - 32, (low[1] as number) - 32);
  }
  return `${cls.slice(0, -1)}${extra}]`;
}

function range(lo: number, hi: number): string {
  return lo === hi ? String.fromCharCode(lo) : `${String.fromCharCode(lo)}-${String.fromCharCode(hi)}`;
}
