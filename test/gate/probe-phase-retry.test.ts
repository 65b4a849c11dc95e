// The retry policy of each probe-phase check: definitive reasons stop after
// two confirmations, transient ones run to the deadline, passes must be
// consecutive, and the outcome is always the last classified reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isConnectLevel, isDefinitive, REASON_CODES } from '../../src/model/codes.js';
import { BACKOFF_FRACTION, backoffMs, CONFIRMATIONS, retryCheck, type Attempt } from '../../src/gate/retry.js';
import type { ReasonCode } from '../../src/model/codes.js';
import type { ProbeResult } from '../../src/model/probe-result.js';

const probe = (over: Partial<ProbeResult> = {}): ProbeResult => ({ ok: false, kind: 'tcp', target: '127.0.0.1:8000', stage: 'connect', message: 'x', timings: { totalMs: 0 }, ...over });
const failing = (code: ReasonCode): Attempt => ({ ok: false, probe: probe(), finding: { code, severity: 'error', message: code } });
const passing: Attempt = { ok: true, probe: probe({ ok: true }) };

function policy(deadlineMs: number, over: Partial<Parameters<typeof retryCheck>[1]> = {}) {
  return { intervalMs: 10, maxIntervalMs: 40, successThreshold: 1, deadlineAt: Date.now() + deadlineMs, ...over };
}

test('a definitive reason stops after two consecutive confirmations, long before the deadline', async () => {
  let n = 0;
  const run = await retryCheck(async () => (n++, failing('backend.family_mismatch')), policy(60_000));
  assert.equal(CONFIRMATIONS, 2);
  assert.equal(n, 2);
  assert.equal(run.attempts, 2);
  assert.equal(run.last.finding?.code, 'backend.family_mismatch');
});

test('a definitive reason that is not confirmed twice in a row keeps retrying', async () => {
  const seq: ReasonCode[] = ['backend.wrong_address', 'backend.down', 'backend.wrong_address', 'backend.wrong_address'];
  let n = 0;
  const run = await retryCheck(async () => failing(seq[n++] ?? 'backend.down'), policy(60_000));
  assert.equal(run.attempts, 4);
  assert.equal(run.last.finding?.code, 'backend.wrong_address');
});

test('a transient reason is retried until the deadline and stays the outcome', async () => {
  const run = await retryCheck(async () => failing('backend.down'), policy(250));
  assert.ok(run.attempts > CONFIRMATIONS, `${run.attempts} attempts`);
  assert.equal(run.last.ok, false);
  assert.equal(run.last.finding?.code, 'backend.down');
});

test('success_threshold counts consecutive passes; a failure in between starts over', async () => {
  const seq = [passing, passing, failing('health.status'), passing, passing, passing, failing('health.status')];
  let n = 0;
  const run = await retryCheck(async () => seq[n++] ?? passing, policy(60_000, { successThreshold: 3 }));
  assert.equal(run.last.ok, true);
  assert.equal(run.attempts, 6);
});

test('passes short of success_threshold at the deadline: the failure between them is the outcome', async () => {
  let n = 0;
  const run = await retryCheck(async () => (n++ % 2 === 0 ? passing : failing('health.status')), policy(200, { successThreshold: 2 }));
  assert.equal(run.last.ok, false);
  assert.equal(run.last.finding?.code, 'health.status');
});

test('an attempt cut by the signal keeps the previous classified reason', async () => {
  const controller = new AbortController();
  let n = 0;
  const run = await retryCheck(
    async () => {
      n++;
      if (n === 1) return failing('health.timeout');
      controller.abort();
      return { ok: false, probe: probe({ code: 'ABORT_ERR' }) };
    },
    policy(60_000, { signal: controller.signal }),
  );
  assert.equal(run.last.finding?.code, 'health.timeout');
  assert.equal(run.attempts, 1);
});

test('a signal aborted before the start still gets one attempt that says why', async () => {
  let n = 0;
  const run = await retryCheck(async () => (n++, failing('backend.down')), policy(60_000, { signal: AbortSignal.abort() }));
  assert.equal(n, 1);
  assert.equal(run.last.finding?.code, 'backend.down');
});

test('each attempt is told the time left before the deadline', async () => {
  const budgets: number[] = [];
  await retryCheck(async (budget) => (budgets.push(budget), failing('backend.down')), policy(100));
  assert.ok(budgets.every((b) => b <= 100 && b >= 1), budgets.join(','));
  assert.ok((budgets.at(-1) ?? 100) < (budgets[0] ?? 0));
});

test('answer-level backoff grows with the time already waited, from interval to max_interval, with jitter', () => {
  const p = { intervalMs: 100, maxIntervalMs: 2000 };
  assert.equal(BACKOFF_FRACTION, 0.1);
  assert.equal(backoffMs(0, p, () => 0), 100, 'never below interval');
  assert.equal(backoffMs(0, p, () => 1), 100);
  assert.equal(backoffMs(3000, p, () => 0), 150, 'at least half of a tenth of the wait');
  assert.equal(backoffMs(3000, p, () => 1), 300, 'at most a tenth of the wait');
  assert.equal(backoffMs(20_000, p, () => 0), 1000);
  assert.equal(backoffMs(20_000, p, () => 1), 2000);
  assert.equal(backoffMs(600_000, p, () => 0.5), 1500, 'capped at max_interval');
});

test('retry classes come from the code table', () => {
  assert.equal(isDefinitive('backend.family_mismatch'), true);
  assert.equal(isDefinitive('socket.permission'), true);
  assert.equal(isDefinitive('backend.down'), false);
  assert.equal(isDefinitive('health.status'), false);
  assert.equal(isDefinitive(undefined), false);
});

test('the reasons retried every interval, without backoff, are the transient ones the transport alone decides, from the code table', () => {
  const everyInterval = REASON_CODES.filter((c) => !isDefinitive(c) && isConnectLevel(c));
  assert.deepEqual(everyInterval, ['backend.down', 'backend.not_accepting', 'socket.missing', 'socket.refused', 'network.timeout', 'network.unreachable', 'dns.unresolved', 'nginx.not_running']);
  assert.equal(isConnectLevel('health.status'), false);
  assert.equal(isConnectLevel('proxy.bad_gateway'), false);
  assert.equal(isConnectLevel('config.port_mismatch'), false);
  assert.equal(isConnectLevel(undefined), false);
});

test('attempts are numbered from 1 without a gap, each seen once, whether the first passes or not', async () => {
  const seen: number[] = [];
  const observed: number[] = [];
  const once = await retryCheck(async (_b, n) => (seen.push(n), passing), policy(60_000), (_o, n) => observed.push(n));
  assert.deepEqual([once.attempts, seen, observed], [1, [1], [1]]);
  seen.length = 0;
  observed.length = 0;
  const seq = [failing('backend.down'), failing('health.status'), passing];
  const later = await retryCheck(async (_b, n) => (seen.push(n), seq[n - 1] ?? passing), policy(60_000), (_o, n) => observed.push(n));
  assert.deepEqual([later.attempts, later.last.ok, seen, observed], [3, true, [1, 2, 3], [1, 2, 3]]);
  // a first attempt that throws (a bug) ends the check; the one attempt that then reports why is the only other
  seen.length = 0;
  const broken = await retryCheck(async (_b, n) => {
    seen.push(n);
    if (seen.length === 1) throw new TypeError('a bug');
    return failing('backend.down');
  }, policy(60_000));
  assert.deepEqual([seen, broken.last.finding?.code], [[1, 1], 'backend.down']);
});
