// The one way a command reaches a remote shell. An SSH exec channel carries a
// string that the login shell reads, so every word is single-quoted: within
// '...' a POSIX shell gives no character a meaning, and a ' itself is written
// as '\'' (close, an escaped quote, reopen). Nothing from the config or the
// spec reaches the remote shell unquoted.

/** One word, safe for any POSIX shell (sh, dash, bash, zsh, ksh). */
export function quoteWord(word: string): string {
  if (word.includes('\0')) throw new TypeError('a shell word cannot hold a NUL byte');
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** argv -> one shell command line that runs exactly this argv. */
export function quoteCommand(argv: readonly string[]): string {
  if (argv.length === 0) throw new TypeError('an empty command');
  return argv.map(quoteWord).join(' ');
}
