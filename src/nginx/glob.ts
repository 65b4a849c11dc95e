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

export function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** Does an absolute path match an absolute pattern, component by component? */
export function globMatch(pattern: string, path: string): boolean {
  const p = pattern.split('/');
  const s = path.split('/');
  if (p.length !== s.length) return false;
  return p.every((c, i) => (hasMagic(c) ? componentRegExp(c).test(s[i] as string) : c === s[i]));
}
