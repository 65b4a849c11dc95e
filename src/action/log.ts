// The runner reads every line of the step's output as a possible workflow
// command: `::name::` after leading whitespace, `##[name]` anywhere in a line.
// Text the gate does not write itself (the checked config, a backend's answer,
// a host command's output) goes between `::stop-commands::TOKEN` and
// `::TOKEN::`, with a fresh unguessable token each time, so the runner shows
// it and runs none of it. The gate's own commands (annotations, groups, masks)
// are issued outside these regions, through @actions/core, which escapes them.
import { randomBytes } from 'node:crypto';

export interface Out {
  write(text: string): unknown;
}

/** `text` inside a stop-commands region of its own. */
export function neutralised(text: string): string {
  let token = newToken();
  while (text.includes(token)) token = newToken();
  return `::stop-commands::${token}\n${text}${text.endsWith('\n') ? '' : '\n'}::${token}::\n`;
}

/**
 * A region for text written as it comes (the progress of the gate): opened on
 * the first write, closed by `close()`, which the caller must reach (finally).
 */
export function region(out: Out): { write(text: string): void; close(): void } {
  let token: string | undefined;
  let endsLine = true;
  return {
    write(text) {
      if (text === '') return;
      if (token === undefined) {
        token = newToken();
        out.write(`::stop-commands::${token}\n`);
      }
      out.write(text);
      endsLine = text.endsWith('\n');
    },
    close() {
      if (token === undefined) return;
      out.write(`${endsLine ? '' : '\n'}::${token}::\n`);
      token = undefined;
      endsLine = true;
    },
  };
}

/** 128 random bits, in hex: the runner compares tokens without regard to case. */
function newToken(): string {
  return randomBytes(16).toString('hex');
}
