// A network namespace of our own with its own hosts file (`ip netns exec`
// bind-mounts /etc/netns/NAME/hosts over /etc/hosts for the commands it runs),
// loopback up. Deleted, with its /etc/netns entry, on every exit path.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onCleanup } from './cleanup.js';

let counter = 0;

export interface Netns {
  name: string;
  remove(): void;
}

function ip(args: readonly string[]): void {
  const r = spawnSync('ip', args, { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')} failed: ${(r.stderr || r.error?.message || '').trim()}`);
}

export function canUseNetns(): string | undefined {
  if (process.getuid?.() !== 0) return 'network namespaces need root';
  const r = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8', timeout: 10_000 });
  return r.status === 0 ? undefined : `ip netns unavailable: ${(r.stderr || r.error?.message || '').trim()}`;
}

export function createNetns(hosts: string): Netns {
  const name = `ugbench-${process.pid}-${++counter}`;
  const etc = join('/etc/netns', name);
  const remove = onCleanup(() => {
    spawnSync('ip', ['netns', 'delete', name], { timeout: 10_000 });
    rmSync(etc, { recursive: true, force: true });
  });
  try {
    ip(['netns', 'add', name]);
    mkdirSync(etc, { recursive: true });
    writeFileSync(join(etc, 'hosts'), hosts);
    ip(['-n', name, 'link', 'set', 'lo', 'up']);
  } catch (e) {
    remove();
    throw e;
  }
  return { name, remove };
}

export interface NetnsBackend {
  port: number;
  stop(): void;
}

/** backend-child.mjs inside the namespace, bound to `host` only. */
export function startNetnsBackend(ns: string, host: string): Promise<NetnsBackend> {
  const script = new URL('./backend-child.mjs', import.meta.url).pathname;
  const child: ChildProcess = spawn('ip', ['netns', 'exec', ns, process.execPath, script, host], { stdio: ['pipe', 'pipe', 'pipe'] });
  const stop = onCleanup(() => {
    child.stdin?.end();
    child.kill('SIGTERM');
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => fail(new Error('the backend did not report its port within 10 s')), 10_000);
    const fail = (e: Error) => {
      clearTimeout(timer);
      stop();
      reject(e);
    };
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`the backend exited (${code}): ${err.trim()}`)));
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^(\d+)\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({ port: Number(m[1]), stop });
      }
    });
  });
}
