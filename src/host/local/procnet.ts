// Listening sockets from /proc/net/{tcp,tcp6,unix}, with processes found by
// socket inode in /proc/PID/fd: the fallback when ss is not installed.
import { readFile, readdir, readlink } from 'node:fs/promises';
import { canonicalIp } from '../../model/endpoint.js';
import type { Listener, ListenerProcess, ListenerSnapshot } from '../listener.js';

const TCP_LISTEN = '0A';
const UNIX_ACCEPTCON = 0x10000;
/** scanning every process's fds is bounded: a huge host degrades to no process names */
const FD_SCAN_BUDGET_MS = 500;

/** `0100007F:1F40` (tcp) or 32 hex digits (tcp6), each 32-bit word in host (little-endian) order. */
export function decodeProcAddress(hex: string): { address: string; port: number } {
  const [addr = '', port = '0'] = hex.split(':');
  const words = addr.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((w) => (w.match(/../g) ?? []).reverse().map((b) => parseInt(b, 16)));
  if (bytes.length === 4) return { address: bytes.join('.'), port: parseInt(port, 16) };
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return { address: canonicalIp(groups.join(':')), port: parseInt(port, 16) };
}

export function parseProcTcp(text: string, family: 4 | 6, dualStackDefault: boolean): (Listener & { inode: number })[] {
  const out: (Listener & { inode: number })[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || f[3] !== TCP_LISTEN) continue;
    const { address, port } = decodeProcAddress(f[1] ?? '');
    const inode = Number(f[9]);
    const mapped = /^::ffff:(.+)$/.exec(address);
    if (mapped?.[1]) out.push({ kind: 'tcp', family: 4, address: mapped[1], port, processes: [], inode });
    else
      out.push({
        kind: 'tcp',
        family,
        address,
        port,
        ...(family === 6 && address === '::' && dualStackDefault && { dualStack: true }),
        processes: [],
        inode,
      });
  }
  return out;
}

export function parseProcUnix(text: string): (Listener & { inode: number })[] {
  const out: (Listener & { inode: number })[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8) continue;
    const flags = parseInt(f[3] ?? '0', 16);
    if (!(flags & UNIX_ACCEPTCON)) continue;
    const path = f.slice(7).join(' ');
    out.push({ kind: 'unix', path, processes: [], inode: Number(f[6]) });
  }
  return out;
}

async function inodeOwners(inodes: Set<number>, signal?: AbortSignal): Promise<{ owners: Map<number, ListenerProcess[]>; complete: boolean }> {
  const owners = new Map<number, ListenerProcess[]>();
  const until = performance.now() + FD_SCAN_BUDGET_MS;
  const pids = (await readdir('/proc').catch(() => [] as string[])).filter((p) => /^\d+$/.test(p));
  for (const pid of pids) {
    if (performance.now() > until || signal?.aborted) return { owners, complete: false };
    const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
    let name: string | undefined;
    for (const fd of fds) {
      const link = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
      const m = /^socket:\[(\d+)\]$/.exec(link);
      if (!m || !inodes.has(Number(m[1]))) continue;
      name ??= (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '?')).trim();
      const list = owners.get(Number(m[1])) ?? [];
      if (!list.some((p) => p.pid === Number(pid))) list.push({ name, pid: Number(pid) });
      owners.set(Number(m[1]), list);
    }
  }
  return { owners, complete: true };
}

/** `net`: the network namespace's tables, `/proc/PID/net` for another one's. */
export async function readProcListeners(signal?: AbortSignal, net = '/proc/net'): Promise<ListenerSnapshot> {
  const read = (p: string) => readFile(p, { encoding: 'utf8', ...(signal && { signal }) }).catch(() => undefined);
  const [tcp4, tcp6, unix, v6only] = await Promise.all([read(`${net}/tcp`), read(`${net}/tcp6`), read(`${net}/unix`), read('/proc/sys/net/ipv6/bindv6only')]);
  const notes: string[] = [];
  if (tcp4 === undefined) notes.push(`cannot read ${net}/tcp`);
  const dualStackDefault = (v6only ?? '0').trim() === '0';
  const found = [...parseProcTcp(tcp4 ?? '', 4, dualStackDefault), ...parseProcTcp(tcp6 ?? '', 6, dualStackDefault), ...parseProcUnix(unix ?? '')];
  if (found.some((l) => l.dualStack)) notes.push('procfs does not show IPV6_V6ONLY: [::] listeners assumed to accept IPv4 too (net.ipv6.bindv6only=0)');
  const { owners, complete } = await inodeOwners(new Set(found.map((l) => l.inode)), signal);
  if (!complete) notes.push('process scan cut short: some listeners lack process names');
  const listeners = found.map(({ inode, ...l }) => ({ ...l, processes: owners.get(inode) ?? [] }));
  return { listeners, source: `${net}/tcp, ${net}/tcp6, ${net}/unix`, notes };
}
