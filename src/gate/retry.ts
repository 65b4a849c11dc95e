// The retry policy of one check, on p-retry, under the gate's one deadline.
//
// - While nothing listens yet (a refused connect costs microseconds), retry
//   every `interval`, so readiness is seen within about one interval.
// - Answer-level failures (health status, timeout, reset, 502 through nginx)
//   back off from `interval` to `max_interval` with jitter, the delay growing
//   with the time already waited (a tenth of it): a warming app is not
//   hammered, yet an app that boots in 2 s is seen within about 200 ms (a
//   doubling backoff would already be waiting a second or more by then).
// - Transient reasons retry until the deadline; definitive ones stop after two
//   consecutive confirmations (p-retry's AbortError), so a broken deploy fails
//   in seconds, not at the deadline.
// - `success_threshold` consecutive passes end the check.
// The outcome is always the last classified attempt, never a bare "timed out".
import pRetry, { AbortError } from 'p-retry';
import { setTimeout as sleep } from 'node:timers/promises';
import { isConnectLevel, isDefinitive, REASON_CODES, type ReasonCode } from '../model/codes.js';
import type { ProbeResult } from '../model/probe-result.js';
import { ABORTED } from '../model/probe-result.js';
import type { Finding } from '../model/finding.js';

/** One probe, classified. */
export interface Attempt {
  ok: boolean;
  probe: ProbeResult;
  /** the classified reason, when not ok */
  finding?: Finding;
  /** timed out on the gate's remaining time, shorter than its own timeout: it says nothing new */
  cut?: boolean;
}

export interface RetryPolicy {
  intervalMs: number;
  maxIntervalMs: number;
  successThreshold: number;
  /** epoch ms */
  deadlineAt: number;
  signal?: AbortSignal;
}

/** A check's attempts under its policy, settled. */
export interface RetryResult {
  /** the last classified attempt */
  last: Attempt;
  attempts: number;
  durationMs: number;
}

/** Consecutive identical definitive reasons needed before giving up early. */
export const CONFIRMATIONS = 2;

/** Reasons answered by the transport alone: retrying them costs nothing, so no backoff. */
const CONNECT_LEVEL = new Set<ReasonCode>(REASON_CODES.filter(isConnectLevel));

/** The share of the time already waited that the next answer-level delay may reach. */
export const BACKOFF_FRACTION = 0.1;

/** Delay before the next attempt after answer-level failures for `waitedMs` in a row. */
export function backoffMs(waitedMs: number, p: Pick<RetryPolicy, 'intervalMs' | 'maxIntervalMs'>, random = Math.random): number {
  const ceiling = Math.min(p.maxIntervalMs, Math.max(p.intervalMs, waitedMs * BACKOFF_FRACTION));
  // "equal jitter": at least half the step, so the delay still grows
  return Math.max(p.intervalMs, Math.round(ceiling / 2 + (random() * ceiling) / 2));
}

class Retry extends Error {
  constructor(readonly delayMs: number) {
    super('retry');
  }
}

/**
 * Runs `attempt` until it passes `successThreshold` times in a row, a
 * definitive reason is confirmed, or the deadline. `attempt` gets the time it
 * may use (its timeouts must fit in it). `onAttempt` sees every outcome, with
 * the consecutive passes so far.
 */
export async function retryCheck(
  attempt: (budgetMs: number, n: number) => Promise<Attempt>,
  policy: RetryPolicy,
  onAttempt?: (outcome: Attempt, n: number, passes: number) => void,
): Promise<RetryResult> {
  const started = performance.now();
  let last: Attempt | undefined;
  let lastFailure: Attempt | undefined;
  let succeeded = false;
  let attempts = 0;
  let passes = 0;
  /** start of the current run of answer-level failures */
  let answerFailingSince: number | undefined;
  let sameDefinitive = 0;

  const once = async (n: number): Promise<Attempt> => {
    const budget = policy.deadlineAt - Date.now();
    const outcome = await attempt(Math.max(budget, 1), n);
    // an attempt cut by the deadline or a signal says nothing new: keep the previous reason
    if ((outcome.probe.code === ABORTED || outcome.cut) && last) throw new AbortError('cut short');
    attempts = n;
    const previous = last;
    last = outcome;
    passes = outcome.ok ? passes + 1 : 0;
    onAttempt?.(outcome, n, passes);
    if (outcome.ok) {
      answerFailingSince = undefined;
      sameDefinitive = 0;
      if (passes >= policy.successThreshold) {
        succeeded = true;
        return outcome;
      }
      throw new Retry(policy.intervalMs);
    }
    lastFailure = outcome;
    const code = outcome.finding?.code;
    if (isDefinitive(code)) {
      sameDefinitive = previous?.finding?.code === code ? sameDefinitive + 1 : 1;
      if (sameDefinitive >= CONFIRMATIONS) throw new AbortError(`${code} confirmed`);
      throw new Retry(policy.intervalMs);
    }
    sameDefinitive = 0;
    if (code !== undefined && CONNECT_LEVEL.has(code)) {
      answerFailingSince = undefined;
      throw new Retry(policy.intervalMs);
    }
    answerFailingSince ??= performance.now();
    throw new Retry(backoffMs(performance.now() - answerFailingSince, policy));
  };

  /** The wait after a failed attempt; false when no attempt may follow. */
  const waitAfter = async (error: unknown): Promise<boolean> => {
    const remaining = policy.deadlineAt - Date.now();
    if (!(error instanceof Retry) || remaining <= 0) return false;
    await sleep(Math.min(error.delayMs, remaining), undefined, policy.signal ? { signal: policy.signal } : {}).catch(() => {});
    return true;
  };
  // only our own Retry loops; anything else (a bug, the signal) ends the check
  const mayRetry = (error: unknown) => error instanceof Retry && policy.deadlineAt - Date.now() > 0;

  try {
    // the first attempt is made directly: most checks pass at once, and need no retry loop
    let first = 0;
    let again = true;
    if (!policy.signal?.aborted) {
      first = 1;
      try {
        await once(1);
        again = false;
      } catch (error) {
        again = (await waitAfter(error)) && mayRetry(error);
      }
    }
    if (again) {
      await pRetry((n) => once(n + first), {
        retries: Number.POSITIVE_INFINITY,
        minTimeout: 0,
        maxRetryTime: Math.max(0, policy.deadlineAt - Date.now()),
        ...(policy.signal && { signal: policy.signal }),
        onFailedAttempt: async ({ error }) => {
          await waitAfter(error);
        },
        shouldRetry: ({ error }) => mayRetry(error),
      });
    }
  } catch {
    // the deadline, the signal, a confirmed definitive reason: the outcome is `last`
  }
  // the signal was already aborted before the first attempt: one attempt still reports why
  last ??= await attempt(Math.max(policy.deadlineAt - Date.now(), 1), 1);
  // passes short of success_threshold at the deadline do not outweigh the failure between them;
  // a check that never failed has nothing to blame and counts as passed
  if (!succeeded && last.ok && lastFailure) last = lastFailure;
  return { last, attempts, durationMs: performance.now() - started };
}
