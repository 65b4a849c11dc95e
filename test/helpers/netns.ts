// Network namespaces made by a test: own loopback, own firewall, own hosts
// file (/etc/netns/NAME/hosts, bind-mounted by `ip netns exec`). Names hold the
// pid and a counter so parallel test files never collide; remove() deletes both.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';

let counter = 0;

export const canNetns = process.getuid?.() === 0 && spawnSync('ip', ['netns', 'list']).status === 0;

export interface Netns {
  name: string;
  /** a command inside the namespace; never throws */
  run(args: string[], options?: { env?: Record<string, string>; timeoutMs?: number }): Promise<{ code: number | null; stdout: string; stderr: string }>;
  remove(): void;
}

/** Namespaces made for one describe block, all removed by `removeAll` (call it from `after`). */
export function netnsScope(): { ns: (opts?: Parameters<typeof createNetns>[0]) => Netns; removeAll: () => void } {
  const made: Netns[] = [];
  return {
    ns: (opts) => {
      const n = createNetns(opts);
      made.push(n);
      return n;
    },
    removeAll: () => made.forEach((n) => n.remove()),
  };
}

export function createNetns(opts: { hosts?: string; resolvConf?: string } = {}): Netns {
  const name = `ugate${process.pid}n${++counter}`;
  const etc = `/etc/netns/${name}`;
  if (opts.hosts !== undefined || opts.resolvConf !== undefined) {
    mkdirSync(etc, { recursive: true });
    if (opts.hosts !== undefined) writeFileSync(`${etc}/hosts`, opts.hosts);
    if (opts.resolvConf !== undefined) writeFileSync(`${etc}/resolv.conf`, opts.resolvConf);
  }
  const add = spawnSync('ip', ['netns', 'add', name], { encoding: 'utf8' });
  if (add.status !== 0) throw new Error(`ip netns add ${name}: ${add.stderr}`);
  spawnSync('ip', ['netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up']);
  return {
    name,
    run(args, options = {}) {
      return new Promise((resolve) => {
        const child = spawn('ip', ['netns', 'exec', name, ...args], { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
        child.on('close', (code) => {
          clearTimeout(timer);
          resolve({ code, stdout, stderr });
        });
      });
    },
    remove() {
      spawnSync('ip', ['netns', 'del', name]);
      rmSync(etc, { recursive: true, force: true });
    },
  };
}
