// Listening sockets and their processes, from `ss` run on the host (falling
// back to what the host offers instead when ss is missing or fails). Best
// effort: whatever is missing is said in `notes`, never thrown.
import type { Listener, ListenerProcess, ListenerSnapshot } from './listener.js';
import type { Runner } from './run.js';
import { whyFailed } from './why-failed.js';

const USERS = /users:\(\((.*)\)\)\s*$/;

export function parseUsers(text: string | undefined): ListenerProcess[] {
  if (!text) return [];
  const out: ListenerProcess[] = [];
  for (const m of text.matchAll(/"((?:[^"\\]|\\.)*)",pid=(\d+)/g)) {
    const pid = Number(m[2]);
    if (!out.some((p) => p.pid === pid)) out.push({ name: m[1] ?? '', pid });
  }
  return out;
}

/** Lines of `ss -Hltnp` (any of -t/-x, with or without the Netid column). */
export function parseSs(stdout: string): Listener[] {
  const out: Listener[] = [];
  for (const raw of stdout.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const users = USERS.exec(line);
    const processes = parseUsers(users?.[1]);
    const head = users ? line.slice(0, users.index).trim() : line;
    const unix = /^(?:u_(?:str|seq|dgr)\s+)?LISTEN\s+(\d+)\s+(\d+)\s+(.+?)\s+(\d+)\s+\*\s+\d+$/.exec(head);
    if (unix && (head.startsWith('u_') || unix[3]?.startsWith('/') || unix[3]?.startsWith('@'))) {
      out.push({ kind: 'unix', path: unix[3] ?? '', processes, queue: { pending: Number(unix[1]), backlog: Number(unix[2]) } });
      continue;
    }
    const tcp = /^(?:tcp\s+)?LISTEN\s+(\d+)\s+(\d+)\s+(\S+)\s+\S+$/.exec(head);
    if (!tcp?.[3]) continue;
    const queue = { pending: Number(tcp[1]), backlog: Number(tcp[2]) };
    const local = tcp[3];
    const colon = local.lastIndexOf(':');
    const port = Number(local.slice(colon + 1));
    let host = local.slice(0, colon).replace(/%[^\]]*/, '');
    if (!Number.isInteger(port)) continue;
    if (host === '*') {
      out.push({ kind: 'tcp', family: 6, address: '::', port, dualStack: true, processes, queue });
      continue;
    }
    const v6 = host.startsWith('[');
    if (v6) host = host.slice(1, -1);
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(host);
    if (mapped?.[1]) out.push({ kind: 'tcp', family: 4, address: mapped[1], port, processes, queue });
    else out.push({ kind: 'tcp', family: v6 ? 6 : 4, address: host, port, processes, queue });
  }
  return out;
}

export async function readListeners(
  runner: Runner,
  fallback: () => Promise<ListenerSnapshot>,
  options: { signal?: AbortSignal; timeoutMs?: number; /** ss runs as root: it can see every process */ root?: boolean } = {},
): Promise<ListenerSnapshot> {
  const run = { timeoutMs: options.timeoutMs ?? 2000, ...(options.signal && { signal: options.signal }) };
  const [tcp, unix] = await Promise.all([runner.run('ss', ['-Hltnp'], run), runner.run('ss', ['-Hlxp'], run)]);
  if (!tcp.failed && !unix.failed) {
    const listeners = [...parseSs(tcp.stdout), ...parseSs(unix.stdout)];
    const notes: string[] = [];
    const hidden = listeners.filter((l) => l.processes.length === 0).length;
    if (listeners.length && hidden === listeners.length) {
      notes.push(`ss shows no process names${options.root ? '' : ' (run as root to see them)'}`);
    } else if (hidden > 0 && !options.root) {
      // not root: ss names only this user's own processes, so the others' listeners look ownerless
      notes.push(`ss shows no process for ${hidden} of ${listeners.length} listeners: other users' processes are hidden unless the gate runs as root`);
    }
    return { listeners, source: 'ss -Hltnp; ss -Hlxp', notes, ...(hidden > 0 && !options.root && { processesHidden: true }) };
  }
  const why = tcp.failed ? tcp : unix;
  const reason = whyFailed(why, 'ss');
  const other = await fallback();
  const hidden = !options.root && other.listeners.some((l) => l.processes.length === 0);
  return { ...other, notes: [`${reason}; read ${other.source}`, ...other.notes], ...(hidden && { processesHidden: true }) };
}
