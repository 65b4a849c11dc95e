/** Durations as the spec and flags write them: `250ms`, `2s`, `1.5m`. */
export const DURATION_PATTERN = '^\\d+(\\.\\d+)?(ms|s|m)$';

/**
 * The longest duration a gate takes: a day. Node's timers hold at most
 * 2^31-1 ms (24.8 days) and fire at once beyond it, so a bound is needed; a
 * gate that waits for more than a day is a typo.
 */
export const MAX_DURATION_MS = 24 * 60 * 60 * 1000;

/** Why `ms` cannot be a gate's duration (deadline, interval, timeout), or undefined. */
export function durationRangeProblem(ms: number): string | undefined {
  if (ms < 1) return 'is shorter than 1ms';
  if (ms > MAX_DURATION_MS) return 'is longer than a day (1440m), the longest duration allowed';
  return undefined;
}

/** Milliseconds, or undefined when `s` is not a duration. */
export function parseDuration(s: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(s.trim());
  if (!m) return undefined;
  const unit = m[2] === 'ms' ? 1 : m[2] === 's' ? 1000 : 60_000;
  return Math.round(Number(m[1]) * unit);
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(1)}s`;
  return `${+(ms / 60_000).toFixed(1)}m`;
}
