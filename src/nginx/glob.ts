// Include patterns the way nginx expands them: glob(3) with no flags, matches
// sorted in byte order (nginx never calls setlocale, so the C locale's
// strcmp), a pattern without `*?[` is a plain file, and a pattern that matches
// nothing is not an error.

export function hasMagic(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

/** A glob component (no `/`) as a RegExp; a leading dot must be matched literally. */
export function componentRegExp(component: string): RegExp {
  let re = '';
  for (let i = 0; i < component.length; i++) {
    const c = component[i] as string;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\' && i + 1 < component.length) re += escapeRe(component[++i] as string);
    else if (c === '[') {
      const close = component.indexOf(']', i + 2);
      if (close < 0) {
        re += '\\[';
        continue;
      }
      let body = component.slice(i + 1, close);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      re += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, (m) => `\\${m}`)}]`;
      i = close;
    } else re += escapeRe(c);
  }
  return new RegExp(`^${component.startsWith('.') ? '' : '(?!\\.)'}${re}$`, 's');
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
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
  const parts = pattern.split('/').map((c) => (hasMagic(c) ? componentRegExp(c) : c));
  return (path) => {
    const s = path.split('/');
    return s.length === parts.length && parts.every((c, i) => (typeof c === 'string' ? c === s[i] : c.test(s[i] as string)));
  };
}
