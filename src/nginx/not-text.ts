// Whether what a config file holds is text at all: the parser reports a
// binary or secret file as not config instead of a screen of syntax errors.

const SNIFF_CHARS = 4096;

/**
 * Why a file's start says it is no text, or undefined: NUL bytes, or many C0
 * control characters among characters that are not UTF-8. Control characters
 * are asked for because a config in Latin-1 or cp1251 (Russian comments) is
 * mostly not UTF-8 either, and nginx reads it well.
 */
export function notText(text: string): string | undefined {
  const n = Math.min(text.length, SNIFF_CHARS);
  let controls = 0;
  let undecoded = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return 'it holds NUL bytes';
    if ((c < 32 && c !== 9 && c !== 10 && c !== 11 && c !== 12 && c !== 13) || c === 127) controls++;
    else if (c === 0xfffd) undecoded++;
  }
  return controls * 100 >= n && (controls + undecoded) * 10 >= n * 3 ? 'its first bytes are not text' : undefined;
}
