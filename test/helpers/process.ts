import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

/** Stops a child by its pid: SIGTERM, then SIGKILL after `graceMs`. Never throws. */
export function stopper(child: ChildProcess, graceMs = 3000): () => Promise<void> {
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  // no pid: it never started, and killing it would signal whatever pid its handle holds
  const running = () => child.pid !== undefined && child.exitCode === null && child.signalCode === null;
  return async () => {
    if (!running()) return;
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(graceMs)]);
    if (running()) child.kill('SIGKILL');
  };
}
