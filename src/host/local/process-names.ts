// The command names (/proc/PID/comm) of this machine's processes, for
// finding nginx's master among them. The kernel answers them from memory,
// never from a disk or a mount that can hang, so they are read in place, a
// slice at a time between turns of the event loop: a few milliseconds for a
// list that one bounded asynchronous read per process took tens for.
import { closeSync, openSync, readSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ABORTED } from '../../model/probe-result.js';
import type { HostFailure, HostOptions } from '../host.js';

/** Processes read between two turns of the event loop. */
const SLICE = 256;

export async function processNamesLocal(pids: readonly number[], o: HostOptions = {}): Promise<{ ok: true; names: (string | undefined)[] } | HostFailure> {
  const started = performance.now();
  const names: (string | undefined)[] = [];
  // comm is at most 16 bytes and a newline
  const buf = Buffer.alloc(64);
  for (let i = 0; i < pids.length; i++) {
    if (i > 0 && i % SLICE === 0) await nextTurn();
    if (o.signal?.aborted) return { ok: false, code: ABORTED, message: 'aborted', durationMs: performance.now() - started };
    names.push(readComm(pids[i]!, buf));
  }
  return { ok: true, names };
}

/** undefined: the process is gone, or hidden from this user */
function readComm(pid: number, buf: Buffer): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(`/proc/${pid}/comm`, 'r');
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.toString('latin1', 0, n).trim();
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
