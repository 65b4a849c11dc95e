// Lines wrapped to the terminal, as a reader needs them: broken only at
// spaces, never inside an address, path or code (a terminal's own wrap cuts
// `127.0.0.` from `1:39001`), each continuation line aligned under the text
// it continues. Piped output without COLUMNS is not wrapped: one line stays
// one line for grep and for CI logs, which wrap by themselves.

type Terminal = { isTTY?: boolean; columns?: number };

/** Below this, wrapping leaves too little room for any text: lines are not wrapped. */
const MIN_WIDTH = 20;

/** The width to wrap to: the terminal's on a TTY, else COLUMNS; undefined: do not wrap. */
export function terminalWidth(stream: Terminal, env: NodeJS.ProcessEnv): number | undefined {
  const tty = stream.isTTY === true && typeof stream.columns === 'number' && stream.columns > 0 ? stream.columns : undefined;
  const columns = /^\d+$/.test(env.COLUMNS?.trim() ?? '') ? Number(env.COLUMNS) : undefined;
  const width = tty ?? columns;
  return width !== undefined && width >= MIN_WIDTH ? width : undefined;
}

const SGR = /\x1b\[[0-9;]*m/g;

/** Columns a string takes: colour sequences take none. */
export function visibleLength(s: string): number {
  let n = 0;
  for (const _ of s.replace(SGR, '')) n++;
  return n;
}

/**
 * `lead` (a prefix kept whole: indentation, a label) then `text`, in lines of
 * at most `width` columns where the words allow. Breaks fall on runs of spaces,
 * which the break removes; a word longer than a line is kept whole on a line of
 * its own. Continuation lines start at column `indent`: by default under the
 * first character of `text`.
 */
export function wrap(lead: string, text: string, width: number | undefined, indent?: number): string[] {
  const one = lead + text;
  if (width === undefined || visibleLength(one) <= width) return [one];
  const leading = /^ */.exec(text)?.[0] ?? '';
  const pad = ' '.repeat(indent ?? visibleLength(lead) + leading.length);
  const lines: string[] = [];
  let line = lead + leading;
  let column = visibleLength(line);
  // a line holds at least one word, whatever its length
  let empty = true;
  let gap = '';
  for (const [, word, spaces] of text.slice(leading.length).matchAll(/([^ ]+)( *)/g)) {
    const w = visibleLength(word as string);
    if (!empty && column + gap.length + w > width) {
      lines.push(line);
      line = pad + (word as string);
      column = pad.length + w;
    } else {
      line += gap + (word as string);
      column += gap.length + w;
    }
    empty = false;
    gap = spaces as string;
  }
  lines.push(line);
  return lines;
}
