// Knowing, without guessing a delay, that a process has reached a FIFO: it
// holds the FIFO open (one of its descriptors links to it), or one of its
// threads waits in open(2) for the other end (wchan `wait_for_partner`, where
// Linux parks such an open).
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export type FifoState = 'open' | 'waiting in open(2)';

function state(pid: number, fifo: string): FifoState | undefined {
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`) === fifo) return 'open';
    } catch {
      // closed meanwhile
    }
  }
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      if (readFileSync(`/proc/${pid}/task/${task}/wchan`, 'utf8') === 'wait_for_partner') return 'waiting in open(2)';
    } catch {
      // exited meanwhile
    }
  }
  return undefined;
}

/** Resolves once process `pid` has reached `fifo` (an absolute path); rejects when it exits first or after `guardMs`. */
export async function reachedFifo(pid: number, fifo: string, guardMs = 60_000): Promise<FifoState> {
  const until = Date.now() + guardMs;
  for (;;) {
    let s: FifoState | undefined;
    try {
      s = state(pid, fifo);
    } catch {
      throw new Error(`process ${pid} exited before it reached ${fifo}`);
    }
    if (s) return s;
    if (Date.now() > until) throw new Error(`process ${pid} did not reach ${fifo} within ${guardMs} ms`);
    await sleep(20);
  }
}
