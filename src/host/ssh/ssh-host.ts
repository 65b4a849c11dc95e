// A host reached over one SSH connection, seen from its own vantage: its
// names through `getent`, its listeners through `ss`, its files through
// `stat`, `dd` and `find`, its config through `nginx -T`, and every probe
// dialed by sshd on it. Nothing is installed or written there.
import { isIP } from 'node:net';
import { inNginxOrder } from '../address-order.js';
import type { ConfigSource } from '../config-source.js';
import { memorySource } from '../config-source.js';
import type { Host, HostOptions, HostUser, Resolution } from '../host.js';
import { readListeners } from '../listeners.js';
import { ABORTED } from '../../model/probe-result.js';
import { connectSsh, loginName, type SshOptions } from './connect.js';
import { execOver, toCommandResult, type Exec } from './exec.js';
import { parseFileStream, remoteFiles } from './remote-files.js';
import { dialSsh } from './ssh-dial.js';
import { formatTarget, type SshTarget } from './target.js';

export { parseSshTarget, formatTarget, type SshTarget } from './target.js';
export type { SshOptions } from './connect.js';

/** The commands `--sudo` runs through `sudo -n`: what needs root to see the whole truth. */
const SUDO_COMMANDS = new Set(['nginx', 'ss', 'iptables', 'ip6tables', 'nft', 'dd', 'find']);
/** The config tree fetched when `nginx -T` printed none: at most this much. */
const MAX_CONFIG_FILE = 4 * 1024 * 1024;

export type OpenedSshHost = { ok: true; host: Host; close(): Promise<void> } | { ok: false; message: string };

export async function openSshHost(target: SshTarget, options: SshOptions & { signal?: AbortSignal }): Promise<OpenedSshHost> {
  const c = await connectSsh(target, options);
  if (!c.ok) return c;
  const base = (argv: readonly string[]) => argv[0]?.split('/').pop() ?? '';
  const exec = execOver(c.client, (argv) => options.sudo === true && SUDO_COMMANDS.has(base(argv)));
  const asUser = execOver(c.client, () => false);
  const files = remoteFiles(exec);
  const userFiles = remoteFiles(asUser);
  const where = formatTarget({ ...target, user: loginName(target) });

  const processNames = processNameCache(exec);
  let who: Promise<HostUser> | undefined;
  const user = () => (who ??= readUser(asUser));
  const resolve = (name: string, o: HostOptions & { timeoutMs: number }) => resolveRemote(asUser, name, o);

  const host: Host = {
    async run(file, args, o) {
      return toCommandResult(file, args, await exec([file, ...args], o));
    },
    resolve,
    dial: (endpoint, o) => dialSsh({ client: c.client, resolve, stat: (p) => userFiles.stat(p, { followLinks: true }), user }, endpoint, o),
    stat: files.stat,
    readFile: async (path, o) => (o?.offset === undefined && o?.length === undefined && (await processNames.get(path))) || files.readFile(path, o),
    readDir: (path, o) => {
      if (path === '/proc') processNames.prefetch(o);
      return files.readDir(path, o);
    },
    listListeners: async (o = {}) =>
      readListeners(host, async () => ({ listeners: [], source: 'nothing', notes: [`ss is not usable on ${where}`] }), { ...o, root: options.sudo === true || (await user()).uid === 0 }),
    user,
    configSource: (main, o) => fetchConfigTree(exec, main, o),
    nginxDump: (binary, config, o) => host.run(binary, ['-T', '-c', config], { timeoutMs: o?.timeoutMs ?? 15_000, ...(o?.signal && { signal: o.signal }) }),
    remoteName: where,
  };
  return { ok: true, host, close: c.close };
}

/**
 * A scan of the process list reads /proc/PID/comm for every process: one
 * command each would be hundreds of round trips. Listing /proc starts one
 * command that reads them all (grep through find -exec +), and the reads that
 * follow are answered from it for a few seconds.
 */
function processNameCache(exec: Exec) {
  const FRESH_MS = 5000;
  let names: Promise<Map<string, Buffer>> | undefined;
  let at = 0;
  return {
    prefetch(o: HostOptions = {}) {
      at = performance.now();
      names = exec(['find', '/proc', '-mindepth', '2', '-maxdepth', '2', '-name', 'comm', '-exec', 'grep', '-H', '', '{}', '+'], {
        timeoutMs: o.timeoutMs ?? 10_000,
        ...(o.signal && { signal: o.signal }),
      }).then((r) => {
        const map = new Map<string, Buffer>();
        for (const line of r.stdout.toString('latin1').split('\n')) {
          const m = /^(\/proc\/\d+\/comm):(.*)$/.exec(line);
          if (m) map.set(m[1] as string, Buffer.from(`${m[2]}\n`, 'latin1'));
        }
        return map;
      });
    },
    async get(path: string): Promise<{ ok: true; data: Buffer } | undefined> {
      if (!names || performance.now() - at > FRESH_MS || !/^\/proc\/\d+\/comm$/.test(path)) return undefined;
      const data = (await names).get(path);
      return data && { ok: true, data };
    },
  };
}

async function readUser(exec: Exec): Promise<HostUser> {
  const [u, g, gs] = await Promise.all([exec(['id', '-u']), exec(['id', '-g']), exec(['id', '-G'])]);
  const num = (b: Buffer) => Number(b.toString('utf8').trim());
  return {
    uid: u.exitCode === 0 ? num(u.stdout) : -1,
    gid: g.exitCode === 0 ? num(g.stdout) : -1,
    groups: gs.exitCode === 0 ? gs.stdout.toString('utf8').trim().split(/\s+/).filter(Boolean).map(Number) : [],
  };
}

/** `getent ahosts`: getaddrinfo on the host, put in nginx's order. */
export async function resolveRemote(exec: Exec, name: string, o: HostOptions & { timeoutMs: number }): Promise<Resolution> {
  if (isIP(name)) return { ok: true, addresses: [name], durationMs: 0 };
  const r = await exec(['getent', 'ahosts', '--', name], { timeoutMs: o.timeoutMs, ...(o.signal && { signal: o.signal }) });
  if (r.aborted) return { ok: false, code: ABORTED, message: 'aborted', durationMs: r.durationMs };
  if (r.timedOut) return { ok: false, message: `getent ahosts ${name} did not answer within ${o.timeoutMs}ms`, durationMs: r.durationMs };
  // getent: 2, the name is not known
  if (r.exitCode === 2) return { ok: false, code: 'ENOTFOUND', message: `${name}: ENOTFOUND`, durationMs: r.durationMs };
  if (r.exitCode !== 0) return { ok: false, message: `getent ahosts ${name}: ${r.openError ?? (r.stderr.trim() || `exit ${r.exitCode ?? r.signal}`)}`, durationMs: r.durationMs };
  const answers: { address: string; family: number }[] = [];
  for (const line of r.stdout.toString('utf8').split('\n')) {
    const address = line.split(/\s+/)[0] ?? '';
    const family = isIP(address);
    if (family) answers.push({ address, family });
  }
  const addresses = inNginxOrder(answers);
  return addresses.length ? { ok: true, addresses, durationMs: r.durationMs } : { ok: false, code: 'ENOTFOUND', message: `${name} has no address`, durationMs: r.durationMs };
}

/** The files under the main config's directory, in one command: for the parser when `nginx -T` printed no config. */
async function fetchConfigTree(exec: Exec, main: string, o: HostOptions = {}): Promise<ConfigSource> {
  const dir = main.slice(0, main.lastIndexOf('/')) || '/';
  const r = await exec(
    ['find', '-L', dir, '-type', 'f', '-readable', '-size', `-${MAX_CONFIG_FILE / 1024}k`, '-printf', '%s %p\\0', '-exec', 'cat', '--', '{}', ';'],
    { timeoutMs: o.timeoutMs ?? 15_000, ...(o.signal && { signal: o.signal }) },
  );
  return memorySource(parseFileStream(r.stdout), 'the files read on the host');
}
