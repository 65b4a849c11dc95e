// `upstream-gate explain [LOG ...]`: read nginx error logs (plain or gzip,
// `-` for stdin), group the upstream failures, say the likely cause and fix.
// Exit 0 when it ran, whatever it found; 2 for bad input.
import { resolve } from 'node:path';
import { checkReadable } from '../explain/error-log-stream.js';
import { defaultThreads, explainLog } from '../explain/threads.js';
import { crossCheck } from '../explain/spec-match.js';
import { createExplainer, logTime, type TimeWindow } from '../explain/explain.js';
import { useColor } from '../report/color.js';
import { explainJson } from '../report/explain-json.js';
import { explainText } from '../report/explain-text.js';
import { parseDuration } from '../spec/duration.js';
import { UserError } from '../user-error.js';
import { oneOf, parseFlags } from './args.js';
import { EXIT, type Command } from './io.js';

export const DEFAULT_ERROR_LOG = '/var/log/nginx/error.log';

const help = `Usage: upstream-gate explain [ERROR_LOG ...] [--since TIME] [--until TIME]
                             [--format text|json] [--spec FILE] [--threads N]

Read nginx error logs and group the upstream failures by upstream address
(scheme, host, port or socket path), errno and failure, most frequent first,
with counts, first and last time, the server names and Host headers that saw
them, one original line, the likely cause and the fix.

Arguments:
  ERROR_LOG          error log files (default ${DEFAULT_ERROR_LOG}, or the
                     spec's nginx.error_log with --spec); "-" reads standard
                     input; rotated .gz files are read as they are

Options:
  --since TIME       only failures at or after TIME: a duration ago (30s, 15m,
                     2h, 1d) or a local time (2026-11-24T01:20 or
                     "2026-11-24 01:20:00"; nginx logs local time)
  --until TIME       only failures at or before TIME (same forms)
  --format FORMAT    text (default) or json
  --spec FILE        cross-check each upstream against the spec's backends
                     and server names
  --threads N        threads for a plain log over 32 MB (default 2, or 1 on
                     a single core); 1 reads it in one pass, gentler on a
                     busy server
  -h, --help         this help

Exit codes: 0 it ran (failures found or not), 2 bad input.`;

export const explainCommand: Command = {
  help,
  async run(args, io) {
    const { values, positionals } = parseFlags(
      'explain',
      args,
      { since: { type: 'string' }, until: { type: 'string' }, format: { type: 'string' }, spec: { type: 'string' }, threads: { type: 'string' } },
      true,
    );
    if (values.help) {
      io.stdout.write(`${help}\n`);
      return EXIT.pass;
    }
    const format = oneOf('format', values.format, ['text', 'json'] as const, 'text');
    const threads = values.threads === undefined ? defaultThreads() : threadsFlag(values.threads);
    const now = new Date();
    const window: TimeWindow = {
      ...(values.since !== undefined && { since: timeFlag('since', values.since, now) }),
      ...(values.until !== undefined && { until: timeFlag('until', values.until, now, true) }),
    };
    if (window.since !== undefined && window.until !== undefined && window.since > window.until) {
      throw new UserError(`--since (${values.since}) is after --until (${values.until})`);
    }
    // the spec loader (yaml, zod) only when asked for: explain starts lighter without it
    const spec = values.spec === undefined ? undefined : await (await import('../spec/load.js')).loadSpecFile(resolve(io.cwd, values.spec), undefined, io.signal);
    const files = positionals.length ? positionals : [spec?.nginx.errorLog ?? DEFAULT_ERROR_LOG];
    if (files.filter((f) => f === '-').length > 1) throw new UserError('"-" (standard input) can be given once');
    const paths = files.map((f) => (f === '-' ? f : resolve(io.cwd, f)));
    await checkReadable(paths, io.stdin);

    const explainer = createExplainer(window);
    let interrupted = false;
    const truncated: string[] = [];
    const trailing: { file: string; bytes: number }[] = [];
    let dropped = 0;
    try {
      for (const [i, p] of paths.entries()) {
        const read = await explainLog(p, explainer, { stdin: io.stdin, signal: io.signal, window, threads });
        if (read.truncatedGzip) truncated.push(files[i] as string);
        if (read.gzipTrailingBytes > 0) trailing.push({ file: files[i] as string, bytes: read.gzipTrailingBytes });
        dropped += read.dropped;
      }
    } catch (e) {
      // Ctrl-C on a long log: what was read so far is still worth showing
      if (!io.signal.aborted) throw e;
      interrupted = true;
    }
    const result = explainer.result();
    if (spec) crossCheck(result.groups, spec);

    const meta = { files, ...window, ...(interrupted && { interrupted }), ...(truncated.length > 0 && { truncated }), ...(trailing.length > 0 && { trailing }), ...(dropped > 0 && { dropped }) };
    io.stdout.write(format === 'json' ? explainJson(result, meta) : explainText(result, meta, { color: useColor(io.stdout, io.env) }));
    return EXIT.pass;
  },
};

function threadsFlag(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > 64) throw new UserError(`--threads "${value}" is not a whole number from 1 to 64`);
  return n;
}

const ABSOLUTE = /^(\d{4})[-/](\d\d)[-/](\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d))?)?$/;

/** A bound in the log's own format. `--until 2026-11-24` means the end of that day. */
function timeFlag(flag: string, value: string, now: Date, end = false): string {
  const v = value.trim();
  const abs = ABSOLUTE.exec(v);
  if (abs) {
    const [, y, mo, d, h, mi, s] = abs;
    const outOfRange = Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31 || Number(h ?? 0) > 23 || Number(mi ?? 0) > 59 || Number(s ?? 0) > 59;
    if (outOfRange) throw new UserError(`--${flag} "${value}" is not a valid time`);
    const time = h === undefined ? (end ? '23:59:59' : '00:00:00') : `${h}:${mi}:${s ?? (end ? '59' : '00')}`;
    return `${y}/${mo}/${d} ${time}`;
  }
  const ms = agoMs(v);
  if (ms === undefined) throw new UserError(`--${flag} "${value}" is neither a duration (30s, 15m, 2h, 1d) nor a time (2026-11-24T01:20)`);
  const then = new Date(now.getTime() - ms);
  // beyond the Date range (about 275,000 years): the window would read NaN
  if (Number.isNaN(then.getTime())) throw new UserError(`--${flag} "${value}" is too far back: no date is that old`);
  return logTime(then);
}

function agoMs(v: string): number | undefined {
  const long = /^(\d+(?:\.\d+)?)(h|d)$/.exec(v);
  if (long) return Number(long[1]) * (long[2] === 'h' ? 3_600_000 : 86_400_000);
  return parseDuration(v);
}
