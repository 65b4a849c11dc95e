// Progress while the gate waits. On a terminal: one live status line per
// service, redrawn in place. In CI logs (not a TTY): one line per change of
// state of a check, with the attempt count, the time left and whether the
// reason is retried until the deadline or fails fast (users could not tell
// why a wait went on, or stopped), wrapped to the width when one is known
// (COLUMNS). --quiet: nothing.
import { isDefinitive } from '../model/codes.js';
import type { ProgressEvent } from '../model/events.js';
import { formatDuration } from '../spec/duration.js';
import { plural } from './by-service.js';
import { paint, type Paint } from './color.js';
import { forTerminal } from '../model/mask.js';
import { visibleLength, wrap } from './wrap.js';

export interface Progress {
  onProgress(e: ProgressEvent): void;
  done(): void;
}

type Stream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

/**
 * `live`: redraw status lines in place (default: the stream is a TTY); a `TERM=dumb` terminal cannot.
 * `width`: wrap the lines written when not live to this many columns (src/report/wrap.ts terminalWidth).
 */
export function createProgress(stream: Stream, opts: { quiet?: boolean; color?: boolean; live?: boolean; width?: number }): Progress {
  if (opts.quiet) return { onProgress() {}, done() {} };
  const p = paint(opts.color === true);
  return (opts.live ?? stream.isTTY === true) ? liveProgress(stream, p) : lineProgress(stream, p, opts.width);
}

function lineProgress(stream: Stream, p: Paint, width: number | undefined): Progress {
  const last = new Map<string, string>();
  return {
    onProgress(e) {
      const key = `${e.service}\0${e.check}`;
      const state = `${e.state}\0${e.code ?? ''}`;
      if (last.get(key) === state) return;
      last.set(key, state);
      stream.write(`${wrap(`${p.bold(`[${e.service}]`)} `, `${forTerminal(e.check)}: ${describe(e, p)}`, width).join('\n')}\n`);
    },
    done() {},
  };
}

/** How often the live view ticks its clocks while something is waiting. */
const TICK_MS = 250;

function liveProgress(stream: Stream, p: Paint): Progress {
  const services = new Map<string, Map<string, ProgressEvent>>();
  const received = new Map<ProgressEvent, number>();
  let drawn = 0;
  let ticker: NodeJS.Timeout | undefined;
  // Events come once per change of state; between them the clocks of a waiting
  // check move on: age each event by the time since it arrived.
  const aged = (e: ProgressEvent, now: number): ProgressEvent => {
    if (e.state !== 'waiting') return e;
    const since = now - (received.get(e) ?? now);
    return { ...e, elapsedMs: e.elapsedMs + since, remainingMs: Math.max(0, e.remainingMs - since) };
  };
  const draw = () => {
    const now = Date.now();
    const width = Math.max(20, (stream.columns ?? 100) - 1);
    const lines = [...services].map(([service, checks]) => fit(serviceLine(service, [...checks.values()].map((e) => aged(e, now)), p), width));
    let out = drawn > 0 ? `\x1b[${drawn}A` : '';
    for (const l of lines) out += `\r\x1b[2K${l}\n`;
    drawn = lines.length;
    stream.write(out);
  };
  return {
    onProgress(e) {
      let checks = services.get(e.service);
      if (!checks) services.set(e.service, (checks = new Map()));
      const previous = checks.get(e.check);
      if (previous) received.delete(previous);
      checks.set(e.check, e);
      received.set(e, Date.now());
      ticker ??= setInterval(draw, TICK_MS).unref();
      draw();
    },
    done() {
      if (ticker) clearInterval(ticker);
      ticker = undefined;
      if (drawn > 0) draw();
      drawn = 0;
    },
  };
}

/** The service's most telling check: a failure, else one still waiting, else the latest pass. */
function serviceLine(service: string, events: ProgressEvent[], p: Paint): string {
  const pick = events.find((e) => e.state === 'fail') ?? events.find((e) => e.state === 'waiting') ?? events[events.length - 1];
  const passed = events.filter((e) => e.state === 'pass').length;
  const tally = p.dim(`${passed}/${events.length}`);
  if (!pick) return service;
  return `${p.bold(service)} ${tally} ${forTerminal(pick.check)}: ${describe(pick, p, true)}`;
}

/** `live`: the clocks tick between events, so say since which attempt the state holds. */
function describe(e: ProgressEvent, p: Paint, live = false): string {
  const why = e.code ? `${p.cyan(e.code)}${e.message ? ` ${forTerminal(e.message)}` : ''}` : e.message ? forTerminal(e.message) : '';
  const attempts = plural(e.attempt, 'attempt');
  if (e.state === 'pass') return `${p.green('pass')} (${attempts}, ${formatDuration(e.elapsedMs)})`;
  if (e.state === 'fail') return `${p.red('fail')}${why ? ` ${why}` : ''} (${attempts}, ${formatDuration(e.elapsedMs)})`;
  const retry = isDefinitive(e.code) ? 'confirming, will not fix itself' : 'retrying';
  return `${p.yellow('waiting')}${why ? ` ${why}` : ''} (${live ? 'since ' : ''}attempt ${e.attempt}, ${retry}, ${formatDuration(Math.max(0, e.remainingMs))} left)`;
}

/**
 * Cut to the terminal width (escape codes do not count), so a wrapped line
 * cannot break the redraw; cut after a word, never inside an address.
 */
function fit(line: string, width: number): string {
  if (visibleLength(line) <= width) return line;
  let visible = 0;
  let out = '';
  // where the text up to the last space ends: the cut falls there when it would split a word
  let afterWord = -1;
  let i = 0;
  for (; i < line.length && visible < width - 1; i++) {
    const esc = /^\x1b\[[0-9;]*m/.exec(line.slice(i, i + 12));
    if (esc) {
      out += esc[0];
      i += esc[0].length - 1;
      continue;
    }
    if (line[i] === ' ') afterWord = out.length + 1;
    out += line[i];
    visible++;
  }
  const rest = line.slice(i).replace(/^(\x1b\[[0-9;]*m)+/, '');
  if (!rest.startsWith(' ') && !out.endsWith(' ') && afterWord > 0) out = out.slice(0, afterWord);
  // colours open at the cut are closed; without colour there is nothing to close
  return out.includes('\x1b[') ? `${out}…\x1b[0m` : `${out}…`;
}
