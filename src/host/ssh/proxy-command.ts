// `--ssh-proxy 'ip netns exec NS nc %h %p'`: the stream the SSH connection
// runs over, as OpenSSH's ProxyCommand. It is split into argv here and run
// without a shell: quotes group words, a backslash escapes the next
// character, and %h, %p, %r, %% are the target's host, port, user and a %.
import { shellWords } from '../../shell-words.js';

/** The words of a command line, or why it cannot be split (one line). */
export function splitCommand(text: string): string[] | string {
  const words = shellWords(text, { refuse: '|&;<>()`$' });
  if (!Array.isArray(words)) {
    if (words.problem === 'lone-backslash') return 'ends with a lone backslash';
    if (words.problem === 'unterminated') return `unterminated ${words.quote} quote`;
    return `"${words.char}" would need a shell, and the command runs without one: wrap it in a script`;
  }
  if (words.length === 0) return 'is empty';
  return words;
}

/** %h, %p, %r and %% in each word; another %X is an error, as in OpenSSH. */
export function substitute(argv: readonly string[], values: { host: string; port: number; user: string }): string[] | string {
  const out: string[] = [];
  for (const word of argv) {
    let bad: string | undefined;
    out.push(
      word.replace(/%(.?)/g, (m, k: string) => {
        if (k === 'h') return values.host;
        if (k === 'p') return String(values.port);
        if (k === 'r') return values.user;
        if (k === '%') return '%';
        bad ??= m;
        return m;
      }),
    );
    if (bad !== undefined) return `unknown escape "${bad}" (only %h, %p, %r and %%)`;
  }
  return out;
}
