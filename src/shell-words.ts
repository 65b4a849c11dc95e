// A command line split into words as a POSIX shell splits them, without a
// shell: single quotes keep everything, double quotes keep all but `\"`,
// `\\`, `\$`, `` \` `` and a backslash-newline, and a backslash outside quotes
// escapes the next character. The Ansible INI inventory's host lines (read as
// Python's shlex reads them) and `--ssh-proxy` use it; each says its own
// errors in its own words.

export type WordsProblem = { problem: 'lone-backslash' } | { problem: 'unterminated'; quote: '"' | "'" } | { problem: 'needs-shell'; char: string };

export interface WordsOptions {
  /** `#` outside quotes ends the line (shlex with comments) */
  comments?: boolean;
  /** characters outside quotes that only a shell would give a meaning: refused */
  refuse?: string;
}

export function shellWords(text: string, o: WordsOptions = {}): string[] | WordsProblem {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word = (word ?? '') + c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < text.length && '\\"$`\n'.includes(text[i + 1] as string)) word = (word ?? '') + text[++i];
      else word = (word ?? '') + c;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= '';
    } else if (c === '\\') {
      if (i + 1 >= text.length) return { problem: 'lone-backslash' };
      word = (word ?? '') + text[++i];
    } else if (o.comments && c === '#') {
      break;
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (o.refuse?.includes(c)) {
      return { problem: 'needs-shell', char: c };
    } else {
      word = (word ?? '') + c;
    }
  }
  if (quote) return { problem: 'unterminated', quote };
  if (word !== undefined) words.push(word);
  return words;
}
