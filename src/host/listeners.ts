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
    const unix = /^(?:u_(?:str|seq|dgr)\s+)?LISTEN\s+\d+\s+\d+\s+(.+?)\s+(\d+)\s+\*\s+\d+$/.exec(head);
    if (unix && (head.startsWith('u_') || unix[1]?.startsWith('/') || unix[1]?.startsWith('@'))) {
      out.push({ kind: 'unix', path: unix[1] ?? '', processes });
      continue;
    }
    const tcp = /^(?:tcp\s+)?LISTEN\s+\d+\s+\d+\s+(\S+)\s+\S+$/.exec(head);
    if (!tcp?.[1]) continue;
    const local = tcp[1];
    const colon = local.lastIndexOf(':');
    const port = Number(local.slice(colon + 1));
    let host = local.slice(0, colon).replace(/%[^\]]*/, '');
    if (!Number.isInteger(port)) continue;
    if (host === '*') {
      out.push({ kind: 'tcp', family: 6, address: '::', port, dualStack: true, processes });
      continue;
    }
    const v6 = host.startsWith('[');
    if (v6) host = host.slice(1, -1);
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(host);
    if (mapped?.[1]) out.push({ kind: 'tcp', family: 4, address: mapped[1], port, processes });
    else out.push({ kind: 'tcp', family: v6 ? 6 : 4, address: host, port, processes });
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
    if (listeners.length && listeners.every((l) => l.processes.length === 0)) {
      notes.push(`ss shows no process names${options.root ? '' : ' (run as root to see them)'}`);
    }
    return { listeners, source: 'ss -Hltnp; ss -Hlxp', notes };
  }
  const why = tcp.failed ? tcp : unix;
  const reason = whyFailed(why, 'ss');
  const other = await fallback();
  return { ...other, notes: [`${reason}; read ${other.source}`, ...other.notes] };
}
