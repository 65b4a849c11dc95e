// nginx's vantage on this machine: the Host the probe phase uses, so every
// check answers "what does nginx get?". Dials are made as nginx's workers
// (their uid, gid and groups), and names, dials, commands and the listener
// list are seen from nginx's network namespace when its master runs in
// another one than the gate. Files and the config stay this machine's (a
// network namespace shares the file system). Where the gate cannot take that
// vantage it says so: as another user than root it judges unix sockets from
// their modes for nginx's user; outside a namespace it cannot enter it probes
// nothing there and blames no backend.
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import type { Finding, Vantage } from '../../model/finding.js';
import type { Dialed, Host, HostOptions, HostUser } from '../host.js';
import type { ListenerSnapshot } from '../listener.js';
import { readListeners } from '../listeners.js';
import { withCommands } from '../local/listeners.js';
import { isLocalHost } from '../local/local-host.js';
import { readProcListeners } from '../local/procnet.js';
import type { NginxLookup } from '../nginx-process.js';
import type { Runner } from '../run.js';
import { access, describeFile, readSocketFile } from '../socket-file.js';
import { startHelper, type Helper } from './helper.js';
import { workerUser, type ConfigUser, type WorkerUser } from './worker-user.js';

export interface VantageSetup {
  /** the Host the probe phase uses */
  host: Host;
  /** where the probes were made from, and what the gate could not see as nginx does (info), said once: asked after the probes */
  findings(): Finding[];
  /** where the probes were made from, when that is not the gate's own process: asked after the probes */
  vantage(): Vantage | undefined;
  /** nginx runs where the gate cannot probe: this finding, and no probe */
  blocked?: Finding;
  /** ends the helper process; the setup's host must not be used after */
  close(): void;
}

const HELPER_START_MS = 5000;

export async function vantageHost(base: Host, lookup: NginxLookup, configUser: ConfigUser | undefined, o: HostOptions = {}): Promise<VantageSetup> {
  const plain: VantageSetup = { host: base, findings: () => [], vantage: () => undefined, close: () => {} };
  // nsenter and setpriv act on this machine: another machine's host takes nginx's vantage its own way,
  // and its findings say which machine they were seen from
  if (!isLocalHost(base)) {
    const remote = base.remoteName;
    return remote === undefined ? plain : { ...plain, vantage: () => ({ host: remote }) };
  }
  // the reads below and every dial and lookup through the helper listen on the gate's one signal at once
  if (o.signal) setMaxListeners(0, o.signal);
  // no nginx running, no workers to connect as: the gate probes as itself (a process start per gate would buy nothing)
  const [gate, worker] = await Promise.all([base.user(o), lookup.running ? workerUser(base, lookup, configUser, o) : ({} as Awaited<ReturnType<typeof workerUser>>)]);
  const findings: Finding[] = [];
  if (worker.note) findings.push({ severity: 'info', message: `cannot tell whom nginx's workers run as (${worker.note}): probes connect as the gate's own user` });
  const as = worker.user && !sameUser(worker.user, gate) ? worker.user : undefined;
  const master = lookup.running ? lookup.process : undefined;
  const otherNetns = master ? await inOtherNetns(base, lookup, o) : false;
  if (!as && !otherNetns) return { ...plain, findings: () => findings };

  const root = gate.uid === 0;
  const switchUser = as !== undefined && root;
  // close() ends a helper still starting too
  const closing = new AbortController();
  const signal = o.signal ? AbortSignal.any([o.signal, closing.signal]) : closing.signal;
  const start = () =>
    startHelper({ ...(otherNetns && master && { netnsPid: master.masterPid }), ...(switchUser && { user: as }) }, { timeoutMs: HELPER_START_MS, signal });
  let helper: Helper | undefined;
  let starting: Promise<void> = Promise.resolve();
  const cannotSwitch = (why: string) =>
    findings.push({ severity: 'info', message: `cannot connect as nginx's user ${as?.name} (${why}): unix sockets are judged from their modes for ${as?.name}` });
  if (otherNetns && master) {
    // whether the namespace can be entered decides whether any probe runs: wait for it
    const started = await start();
    if (!started.ok) return { ...plain, findings: () => findings, blocked: otherNetnsFinding(master.masterPid, lookup, gate, started.message) };
    helper = started.helper;
  } else if (switchUser) {
    // not waited for here: only dials need it, and a lookup or the config's findings need not wait for a process to start
    starting = start().then((started) => {
      if (!started.ok) return void (closing.signal.aborted || cannotSwitch(started.message));
      if (closing.signal.aborted) started.helper.close();
      else helper = started.helper;
    });
  }
  if (as && !root) {
    findings.push({
      severity: 'info',
      message: `the gate runs as uid ${gate.uid} and cannot connect as nginx's user ${as.name} (uid ${as.uid}): unix sockets are judged from their modes and ${as.name}'s groups`,
      evidence: [describeWorker(as)],
    });
  }

  const netnsPid = otherNetns && master ? master.masterPid : undefined;
  const run: Runner['run'] =
    netnsPid === undefined ? (file, args, options) => base.run(file, args, options) : (file, args, options) => base.run('nsenter', [`--net=/proc/${netnsPid}/ns/net`, '--', file, ...args], options);
  const userOf = async (): Promise<HostUser> => (as ? { uid: as.uid, gid: as.gid, groups: as.groups } : gate);
  const host: Host = {
    run,
    resolve: (name, options) => (helper && netnsPid !== undefined ? helper.resolve(name, options) : base.resolve(name, options)),
    dial: async (endpoint, options) => {
      await starting;
      const h = helper;
      const dial: Host['dial'] = h ? (e, opts) => h.dial(e, opts) : (e, opts) => base.dial(e, opts);
      // not connecting as nginx's user: a unix socket nginx may not connect to fails as nginx's connect would
      if (as && !(h && switchUser) && endpoint.kind === 'unix') return judgedDial(host, dial, endpoint.path, as, options);
      return dial(endpoint, options);
    },
    stat: (path, options) => base.stat(path, options),
    readFile: (path, options) => base.readFile(path, options),
    readDir: (path, options) => base.readDir(path, options),
    listListeners: (options) => (netnsPid === undefined ? base.listListeners(options) : listenersIn(run, netnsPid, root, options)),
    user: userOf,
    configSource: (main, options) => base.configSource(main, options),
  };
  /** where the probes were made from: known once the helper started (or could not) */
  const vantage = (): Vantage | undefined => {
    const v: Vantage = {
      host: hostname(),
      ...(netnsPid !== undefined && { netns: master?.netns ?? `nginx's (pid ${netnsPid})` }),
      ...(as && helper && switchUser && { user: as.name }),
    };
    return v.netns !== undefined || v.user !== undefined ? v : undefined;
  };
  return {
    host,
    findings: () => {
      const v = vantage();
      if (!v) return findings;
      const who = v.user && as ? ` as nginx's ${as.from === 'workers' ? 'workers' : 'user'} (${as.name}, uid ${as.uid})` : '';
      const where = netnsPid !== undefined ? ` from nginx's network namespace ${v.netns} (master pid ${netnsPid})` : '';
      return [...findings, { severity: 'info', message: `probed${who}${where}`, ...(as && v.user && { evidence: [describeWorker(as)] }), vantage: v }];
    },
    vantage,
    close: () => {
      closing.abort();
      helper?.close();
    },
  };
}

function sameUser(a: HostUser, b: HostUser): boolean {
  const set = (u: HostUser) => [...new Set([u.gid, ...u.groups])].sort((x, y) => x - y).join(',');
  return a.uid === b.uid && a.gid === b.gid && set(a) === set(b);
}

function describeWorker(w: WorkerUser): string {
  const where = w.site ? ` (${w.site.file}:${w.site.line})` : '';
  return `nginx's user, from the ${w.from}${where}: ${w.name} uid=${w.uid} gid=${w.gid} groups=${w.groups.join(',')}`;
}

/**
 * Whether nginx's master runs in another network namespace than the gate:
 * the namespaces' own inodes when readable (root), else the inode of the
 * master's view of /proc/net, which differs between namespaces and which
 * every user may stat.
 */
async function inOtherNetns(base: Host, lookup: NginxLookup, o: HostOptions): Promise<boolean> {
  if (!lookup.running) return false;
  const p = lookup.process;
  if (p.netns !== undefined && p.ownNetns !== undefined) return p.netns !== p.ownNetns;
  const [theirs, ours] = await Promise.all([
    base.stat(`/proc/${p.masterPid}/net/dev`, { ...o, followLinks: true }),
    base.stat('/proc/self/net/dev', { ...o, followLinks: true }),
  ]);
  return theirs.ok && ours.ok && theirs.ino !== undefined && ours.ino !== undefined && theirs.ino !== ours.ino;
}

function otherNetnsFinding(pid: number, lookup: NginxLookup, gate: HostUser, why: string): Finding {
  const p = lookup.running ? lookup.process : undefined;
  return {
    code: 'vantage.other_netns',
    severity: 'error',
    message: `nginx runs in another network namespace (master pid ${pid}) that the gate cannot enter: the addresses nginx dials were not probed`,
    evidence: [
      `nginx's master pid ${pid}: network namespace ${p?.netns ?? `/proc/${pid}/ns/net (not readable as uid ${gate.uid})`}${p?.ownNetns ? `; the gate's: ${p.ownNetns}` : ''}`,
      `nsenter --net=/proc/${pid}/ns/net: ${why}`,
    ],
    fix: `run the gate as root (it enters nginx's namespace through /proc/${pid}/ns/net), or inside nginx's container (docker exec, ip netns exec)`,
  };
}

async function listenersIn(run: Runner['run'], pid: number, root: boolean, options: HostOptions = {}): Promise<ListenerSnapshot> {
  const snap = await readListeners({ run }, () => readProcListeners(options.signal, `/proc/${pid}/net`), { ...options, root });
  return withCommands(snap);
}

/** A connect as the gate, refused as nginx's connect would be when nginx's user lacks the socket file's permission. */
async function judgedDial(host: Host, dial: Host['dial'], path: string, as: WorkerUser, options: HostOptions & { timeoutMs: number }): Promise<Dialed> {
  const started = performance.now();
  const sf = await readSocketFile(host, path, options.signal ? { signal: options.signal } : {});
  const blocked = sf.blockedBy;
  const denied = blocked ?? (sf.file && sf.file.type === 'socket' && !access(sf.file, sf.user).w ? sf.file : undefined);
  if (denied) {
    return {
      ok: false,
      code: 'EACCES',
      errno: 13,
      message: `connect EACCES ${path}: nginx's user ${as.name} may not ${blocked ? 'search' : 'write to'} ${denied.path} (${describeFile(denied)}), judged from its mode: the gate cannot connect as ${as.name}`,
      durationMs: performance.now() - started,
    };
  }
  return dial({ kind: 'unix', path }, options);
}
