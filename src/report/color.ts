// The one place that decides whether output is coloured: NO_COLOR (any
// non-empty value) wins, then FORCE_COLOR, then "is it a terminal".
// https://no-color.org/ and the FORCE_COLOR convention of Node and chalk.

export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  return stream.isTTY === true && env.TERM !== 'dumb';
}

export interface Paint {
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

function sgr(open: number, close: number): (s: string) => string {
  return (s) => `\x1b[${open}m${s}\x1b[${close}m`;
}

const identity = (s: string) => s;

export function paint(color: boolean): Paint {
  if (!color) return { red: identity, green: identity, yellow: identity, cyan: identity, bold: identity, dim: identity };
  return { red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39), cyan: sgr(36, 39), bold: sgr(1, 22), dim: sgr(2, 22) };
}
