// This machine's listeners: ss, else /proc/net; each process with its command
// line, so `process: gunicorn` matches `python3 .../gunicorn`.
import { readFile } from 'node:fs/promises';
import type { ListenerSnapshot } from '../listener.js';
import { readListeners } from '../listeners.js';
import type { HostOptions } from '../host.js';
import type { Runner } from '../run.js';
import { readProcListeners } from './procnet.js';

export async function listLocalListeners(runner: Runner, o: HostOptions = {}): Promise<ListenerSnapshot> {
  const snap = await readListeners(runner, () => readProcListeners(o.signal), { ...o, root: process.getuid?.() === 0 });
  return withCommands(snap);
}

/** Each listener's processes with their command lines, from this machine's /proc (shared by every network namespace). */
export async function withCommands(snap: ListenerSnapshot): Promise<ListenerSnapshot> {
  const pids = new Set(snap.listeners.flatMap((l) => l.processes.map((p) => p.pid)));
  const commands = new Map<number, string>();
  const states = new Map<number, string>();
  await Promise.all(
    [...pids].map(async (pid) => {
      const [raw, stat] = await Promise.all([readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => ''), readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')]);
      if (raw) commands.set(pid, raw.replace(/\0+$/, '').replace(/\0/g, ' '));
      // `PID (comm) S ...`: comm may hold spaces and parentheses, the state follows the last `)`
      const state = /\)\s+([A-Za-z])\s/.exec(stat.slice(stat.lastIndexOf(')')))?.[1];
      if (state) states.set(pid, state);
    }),
  );
  return {
    ...snap,
    listeners: snap.listeners.map((l) => ({
      ...l,
      processes: l.processes.map((p) => {
        const command = commands.get(p.pid);
        const state = states.get(p.pid);
        return { ...p, ...(command && { command }), ...(state && { state }) };
      }),
    })),
  };
}
