// Include patterns the way nginx expands them: glob(3) with no flags, matches
// sorted in byte order (nginx never calls setlocale, so the C locale's
// strcmp), a pattern without `*?[` is a plain file, and a pattern that matches
// nothing is not an error.

export function hasMagic(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

type Piece = { kind: 'star' } | { kind: 'any' } | { kind: 'char'; c: string } | { kind: 'set'; negate: boolean; ranges: [string, string][] };

function compile(component: string): Piece[] {
  const out: Piece[] = [];
  for (let i = 0; i < component.length; i++) {
    const c = component[i] as string;
    if (c === '*') {
      if (out[out.length - 1]?.kind !== 'star') out.push({ kind: 'star' });
    } else if (c === '?') out.push({ kind: 'any' });
    else if (c === '\\' && i + 1 < component.length) out.push({ kind: 'char', c: component[++i] as string });
    else if (c === '[') {
      // `]` right after `[` (or `[!`) is a member, as in glob(3)
      const start = component[i + 1] === '!' || component[i + 1] === '^' ? i + 2 : i + 1;
      const close = component.indexOf(']', start + 1);
      if (close < 0) {
        out.push({ kind: 'char', c });
        continue;
      }
      const body = component.slice(start, close);
      const ranges: [string, string][] = [];
      for (let k = 0; k < body.length; k++) {
        const a = body[k] as string;
        if (body[k + 1] === '-' && k + 2 < body.length) {
          ranges.push([a, body[k + 2] as string]);
          k += 2;
        } else ranges.push([a, a]);
      }
      out.push({ kind: 'set', negate: start === i + 2, ranges });
      i = close;
    } else out.push({ kind: 'char', c });
  }
  return out;
}

function one(p: Piece, ch: string): boolean {
  switch (p.kind) {
    case 'any':
      return true;
    case 'char':
      return p.c === ch;
    case 'set':
      return p.ranges.some(([lo, hi]) => ch >= lo && ch <= hi) !== p.negate;
    default:
      return false;
  }
}

/**
 * A matcher for one glob component (no `/`). Wildcards never match a leading
 * dot. Matching walks the name once per `*` retry, never backtracking
 * exponentially as a RegExp would on `*a*a*a*a*b`.
 */
export function componentMatcher(component: string): (name: string) => boolean {
  const pieces = compile(component);
  const dotOk = component.startsWith('.');
  return (name) => {
    if (!dotOk && name.startsWith('.')) return false;
    let p = 0;
    let i = 0;
    let starP = -1;
    let starI = 0;
    while (i < name.length) {
      const piece = pieces[p];
      if (piece?.kind === 'star') {
        starP = p++;
        starI = i;
      } else if (piece && one(piece, name[i] as string)) {
        p++;
        i++;
      } else if (starP >= 0) {
        p = starP + 1;
        i = ++starI;
      } else return false;
    }
    while (pieces[p]?.kind === 'star') p++;
    return p === pieces.length;
  };
}

/** strcmp on the UTF-8 bytes. UTF-16 order is the same except around surrogates. */
export function byteOrder(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if ((x >= 0xd800 && x <= 0xdfff) || (y >= 0xd800 && y <= 0xdfff)) return Buffer.compare(Buffer.from(a), Buffer.from(b));
    return x - y;
  }
  return a.length - b.length;
}

/** A matcher of absolute paths against an absolute pattern, component by component. */
export function globMatcher(pattern: string): (path: string) => boolean {
  const parts = pattern.split('/').map((c) => (hasMagic(c) ? componentMatcher(c) : c));
  return (path) => {
    const s = path.split('/');
    return s.length === parts.length && parts.every((c, i) => (typeof c === 'string' ? c === s[i] : c(s[i] as string)));
  };
}
