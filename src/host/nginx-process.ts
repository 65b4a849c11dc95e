// The running nginx, as the machine shows it: the master (from its pid file,
// else found among the processes), its workers' credentials, its network
// namespace and when it started. Every check that should answer "what does
// nginx get?" starts here: the workers' uid and groups decide a unix socket's
// permission, the master's namespace decides what an address means, and the
// start time decides which name answers nginx still dials. Everything is read
// from /proc through the Host, so it works on any machine the gate can read.
import type { Host, HostOptions } from './host.js';

export interface NginxWorker {
  pid: number;
  /** effective ids, as the kernel checks a connect or an open */
  uid: number;
  gid: number;
  groups: number[];
  /** from the host's /etc/passwd, when it names the uid */
  user?: string;
}

export interface NginxProcess {
  masterPid: number;
  foundBy: 'pid-file' | 'process-list';
  /** the master's command line, NULs as spaces */
  command: string;
  /** the master's own effective uid (workers switch user only when it is root) */
  masterUid: number;
  /** empty when none is visible (not started yet, or hidden from this user) */
  workers: NginxWorker[];
  /** the master's network namespace, `net:[4026531840]`; absent when it cannot be read (not root) */
  netns?: string;
  /** the namespace the host's own reads and dials are made from */
  ownNetns?: string;
  /** epoch ms */
  startedAt?: number;
}

export type NginxLookup = { running: true; process: NginxProcess; notes: string[] } | { running: false; notes: string[] };

export interface FindNginxOptions extends HostOptions {
  /** the pid file the config names (its `pid` directive), else nginx's default; absent: find the master among the processes */
  pidFile?: string;
  /** the main config file: among several masters, the one started with it */
  config?: string;
}

/** Debian's, Ubuntu's, Fedora's and the official packages' `--pid-path`. */
export const DEFAULT_PID_FILE = '/run/nginx.pid';

/** The packages' `--conf-path`: a master started without `-c` reads it. */
export const DEFAULT_CONFIG = '/etc/nginx/nginx.conf';

/** Beyond this many processes the list is not scanned further (a pid file is the normal way). */
export const MAX_SCANNED_PROCESSES = 20_000;

/**
 * Linux reports a process's start time in clock ticks since boot, at USER_HZ,
 * which is 100 on every architecture Linux runs nginx on (it is fixed by the
 * kernel ABI, not by the kernel's own HZ).
 */
const USER_HZ = 100;

export async function findNginx(host: Host, o: FindNginxOptions): Promise<NginxLookup> {
  const notes: string[] = [];
  const fromFile = o.pidFile === undefined ? undefined : await masterFromPidFile(host, o.pidFile, o, notes);
  const master = fromFile ?? (await masterFromProcessList(host, o, notes));
  if (!master) return { running: false, notes };
  const [workers, netns, ownNetns, startedAt] = await Promise.all([
    workersOf(host, master.pid, o),
    namespaceOf(host, `/proc/${master.pid}/ns/net`, o),
    namespaceOf(host, '/proc/self/ns/net', o),
    startTime(host, master.pid, o),
  ]);
  if (workers.length === 0) notes.push(`no worker of nginx's master (pid ${master.pid}) is visible`);
  if (netns === undefined) notes.push(`nginx's network namespace (/proc/${master.pid}/ns/net) cannot be read as this user`);
  const process: NginxProcess = {
    masterPid: master.pid,
    foundBy: fromFile ? 'pid-file' : 'process-list',
    command: master.command,
    masterUid: master.uid,
    workers,
    ...(netns !== undefined && { netns }),
    ...(ownNetns !== undefined && { ownNetns }),
    ...(startedAt !== undefined && { startedAt }),
  };
  return { running: true, process, notes };
}

interface Master {
  pid: number;
  command: string;
  uid: number;
}

async function masterFromPidFile(host: Host, pidFile: string, o: FindNginxOptions, notes: string[]): Promise<Master | undefined> {
  const r = await host.readFile(pidFile, { ...hostOptions(o), length: 64, offset: 0 });
  if (!r.ok) {
    notes.push(`${pidFile}: ${r.code === 'ENOENT' ? 'no such file' : r.message}`);
    return undefined;
  }
  const text = r.data.toString('latin1').trim();
  const pid = /^\d{1,10}$/.test(text) ? Number(text) : undefined;
  if (pid === undefined || pid < 1) {
    notes.push(`${pidFile} holds no pid`);
    return undefined;
  }
  const m = await masterAt(host, pid, o);
  // a pid file left by a stopped nginx, or written in another PID namespace, names another process or none
  if (!m) notes.push(`${pidFile} names pid ${pid}, which is not an nginx master here`);
  return m;
}

async function masterFromProcessList(host: Host, o: FindNginxOptions, notes: string[]): Promise<Master | undefined> {
  const dir = await host.readDir('/proc', hostOptions(o));
  if (!dir.ok) {
    notes.push(`the process list (/proc) cannot be read: ${dir.message}`);
    return undefined;
  }
  const pids = dir.names.filter((n) => /^\d+$/.test(n)).map(Number).sort((a, b) => a - b).slice(0, MAX_SCANNED_PROCESSES);
  const masters: Master[] = [];
  const listed = host.processNames ? await host.processNames(pids, hostOptions(o)) : undefined;
  if (listed?.ok) {
    const found = await Promise.all(pids.map((pid, i) => (listed.names[i] === 'nginx' ? masterAt(host, pid, o) : undefined)));
    for (const m of found) if (m) masters.push(m);
  }
  // comm first: one short read per process, the command line only for nginx's
  for (let i = 0; !listed?.ok && i < pids.length; i += 64) {
    const batch = await Promise.all(
      pids.slice(i, i + 64).map(async (pid) => {
        // one read of a known bound (comm is at most 16 bytes): no size asked, no second read for the end
        const comm = await host.readFile(`/proc/${pid}/comm`, { ...hostOptions(o), offset: 0, length: 64 });
        return comm.ok && comm.data.toString('latin1').trim() === 'nginx' ? masterAt(host, pid, o) : undefined;
      }),
    );
    for (const m of batch) if (m) masters.push(m);
  }
  if (masters.length === 0) {
    notes.push('no nginx master process is running');
    return undefined;
  }
  // the master started with this config, else one started with its default config: never one that serves another config
  const withConfig = o.config === undefined ? [] : masters.filter((m) => commandConfig(m.command) === o.config);
  const defaultConfig = o.config === undefined || o.config === DEFAULT_CONFIG;
  const candidates = withConfig.length > 0 ? withConfig : defaultConfig ? masters.filter((m) => commandConfig(m.command) === undefined) : [];
  const chosen = candidates[0];
  if (!chosen) {
    notes.push(`no nginx master runs with ${o.config ?? 'its default config'}; ${masters.length === 1 ? 'one runs' : `${masters.length} run`} with another: ${masters.map((m) => `pid ${m.pid} (${m.command})`).join(', ')}`);
  } else if (masters.length > 1) {
    notes.push(`${masters.length} nginx masters run (pids ${masters.map((m) => m.pid).join(', ')}); the one checked is pid ${chosen.pid}: ${chosen.command}`);
  }
  return chosen;
}

/** `nginx: master process /usr/sbin/nginx -c /etc/nginx/nginx.conf` -> the `-c` file */
function commandConfig(command: string): string | undefined {
  return /\s-c\s+(\S+)/.exec(command)?.[1];
}

async function masterAt(host: Host, pid: number, o: FindNginxOptions): Promise<Master | undefined> {
  const [cmdline, status] = await Promise.all([host.readFile(`/proc/${pid}/cmdline`, hostOptions(o)), host.readFile(`/proc/${pid}/status`, hostOptions(o))]);
  if (!cmdline.ok || !status.ok) return undefined;
  const command = cmdline.data.toString('utf8').replace(/\0+$/, '').replace(/\0/g, ' ');
  if (!/^nginx: master process\b/.test(command)) return undefined;
  const creds = credentials(status.data.toString('latin1'));
  return creds ? { pid, command, uid: creds.uid } : undefined;
}

async function workersOf(host: Host, master: number, o: FindNginxOptions): Promise<NginxWorker[]> {
  const children = await host.readFile(`/proc/${master}/task/${master}/children`, hostOptions(o));
  if (!children.ok) return [];
  const pids = children.data.toString('latin1').trim().split(/\s+/).filter(Boolean).map(Number);
  const users = await userNames(host, o);
  const workers = await Promise.all(
    pids.map(async (pid): Promise<NginxWorker | undefined> => {
      const [status, cmdline] = await Promise.all([host.readFile(`/proc/${pid}/status`, hostOptions(o)), host.readFile(`/proc/${pid}/cmdline`, hostOptions(o))]);
      // the cache manager and loader run as the workers' user too, but only workers dial upstreams
      if (!status.ok || !cmdline.ok || !cmdline.data.toString('latin1').startsWith('nginx: worker process')) return undefined;
      const c = credentials(status.data.toString('latin1'));
      if (!c) return undefined;
      const user = users.get(c.uid);
      return { pid, ...c, ...(user !== undefined && { user }) };
    }),
  );
  return workers.filter((w): w is NginxWorker => w !== undefined);
}

/** `Uid:\treal\teffective\tsaved\tfs` and the same for Gid; `Groups:` the supplementary groups. */
export function credentials(status: string): { uid: number; gid: number; groups: number[] } | undefined {
  const uid = /^Uid:\s+\d+\s+(\d+)/m.exec(status)?.[1];
  const gid = /^Gid:\s+\d+\s+(\d+)/m.exec(status)?.[1];
  if (uid === undefined || gid === undefined) return undefined;
  const groups = (/^Groups:[ \t]*([\d \t]*)$/m.exec(status)?.[1] ?? '').trim().split(/\s+/).filter(Boolean).map(Number);
  return { uid: Number(uid), gid: Number(gid), groups };
}

async function userNames(host: Host, o: FindNginxOptions): Promise<Map<number, string>> {
  const r = await host.readFile('/etc/passwd', hostOptions(o));
  const names = new Map<number, string>();
  if (!r.ok) return names;
  for (const line of r.data.toString('utf8').split('\n')) {
    const [name, , uid] = line.split(':');
    if (name && uid && /^\d+$/.test(uid) && !names.has(Number(uid))) names.set(Number(uid), name);
  }
  return names;
}

async function namespaceOf(host: Host, path: string, o: FindNginxOptions): Promise<string | undefined> {
  const st = await host.stat(path, { ...hostOptions(o), followLinks: true });
  return st.ok && st.ino !== undefined ? `net:[${st.ino}]` : undefined;
}

async function startTime(host: Host, pid: number, o: FindNginxOptions): Promise<number | undefined> {
  const [stat, system] = await Promise.all([host.readFile(`/proc/${pid}/stat`, hostOptions(o)), host.readFile('/proc/stat', hostOptions(o))]);
  if (!stat.ok || !system.ok) return undefined;
  return startedAt(stat.data.toString('latin1'), system.data.toString('latin1'));
}

/** From `/proc/PID/stat` (field 22, after the parenthesised command, which may hold spaces) and `/proc/stat`'s `btime`. */
export function startedAt(pidStat: string, systemStat: string): number | undefined {
  const afterComm = pidStat.slice(pidStat.lastIndexOf(')') + 2).split(' ');
  // fields from 3 on: state is field 3, so starttime (22) is index 19
  const ticks = Number(afterComm[19]);
  const btime = Number(/^btime (\d+)$/m.exec(systemStat)?.[1]);
  if (!Number.isFinite(ticks) || !Number.isFinite(btime) || afterComm.length < 20) return undefined;
  return btime * 1000 + Math.round((ticks * 1000) / USER_HZ);
}

function hostOptions(o: FindNginxOptions): HostOptions {
  return { ...(o.signal && { signal: o.signal }), ...(o.timeoutMs !== undefined && { timeoutMs: o.timeoutMs }) };
}
