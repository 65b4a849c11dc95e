// Where a gate's time goes: each stage's start and length, for `check
// --debug` and the JSON report's `timings`. Offsets count from the process's
// start (performance.timeOrigin), so node's own start and the loading of the
// gate's code are stages like the others, and stages that ran side by side
// (nginx -t beside the name lookups, the probes) show as overlapping.

export interface StageTiming {
  stage: string;
  /** ms from the process's start */
  startMs: number;
  ms: number;
}

export interface Timings {
  readonly stages: StageTiming[];
}

export function newTimings(): Timings {
  return { stages: [] };
}

/** A stage from `startMs` (a `performance.now()` taken before it) to now. */
export function mark(t: Timings | undefined, stage: string, startMs: number): void {
  t?.stages.push({ stage, startMs, ms: performance.now() - startMs });
}

/** Runs `fn` as one stage; a stage that throws is recorded too. */
export async function timed<T>(t: Timings | undefined, stage: string, fn: () => Promise<T>): Promise<T> {
  if (!t) return fn();
  const start = performance.now();
  try {
    return await fn();
  } finally {
    mark(t, stage, start);
  }
}

export function timedSync<T>(t: Timings | undefined, stage: string, fn: () => T): T {
  if (!t) return fn();
  const start = performance.now();
  try {
    return fn();
  } finally {
    mark(t, stage, start);
  }
}

/** Set by dist/cli.js's head (src/cli/program-loader.ts): how the program was compiled. */
export const CODE_CACHE_STATE = Symbol.for('upstream-gate.code-cache');

export interface CodeCacheState {
  state: 'hit' | 'written at exit' | 'rejected, rewritten at exit' | 'off';
  /** why the cache is off */
  why?: string;
  startMs: number;
  compileMs: number;
}

/**
 * What ran before the gate's first line: node's own start (to the end of its
 * bootstrap) and the loading of the gate's code up to `now`.
 */
export function processStages(t: Timings, now: number = performance.now()): void {
  const booted = Math.min(performance.nodeTiming.bootstrapComplete, now);
  t.stages.push({ stage: 'node start', startMs: 0, ms: booted });
  t.stages.push({ stage: 'code loading', startMs: booted, ms: now - booted });
  const cache = (globalThis as { [k: symbol]: CodeCacheState | undefined })[CODE_CACHE_STATE];
  if (cache) {
    const how = cache.state === 'off' && cache.why ? `off: ${cache.why}` : cache.state;
    t.stages.push({ stage: `program compile (code cache ${how})`, startMs: cache.startMs, ms: cache.compileMs });
  }
}
