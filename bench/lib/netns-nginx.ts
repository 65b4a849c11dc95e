// The real nginx, started inside a namespace of ours on a generated config, to
// show what it does with the deployment the tools just judged. Stopped with
// SIGTERM (fast shutdown: the master takes its workers along) on every path.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { onCleanup } from './cleanup.js';

export const NGINX_BINARY = '/usr/sbin/nginx';

export interface RunningNginx {
  errorLog(): string;
  stop(): Promise<void>;
}

export async function startNginxIn(ns: string, conf: string, dir: string): Promise<RunningNginx> {
  const errorLog = join(dir, 'logs', 'error.log');
  // `ip netns exec` execs nginx itself, so the child's pid is nginx's master
  const child: ChildProcess = spawn('ip', ['netns', 'exec', ns, NGINX_BINARY, '-p', dir, '-c', conf, '-e', errorLog, '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const undo = onCleanup(() => child.kill('SIGTERM'));
  const stop = async () => {
    undo();
    await Promise.race([exited, sleep(3000)]);
  };
  const until = Date.now() + 5000;
  while (!existsSync(join(dir, 'nginx.pid'))) {
    if (child.exitCode !== null || Date.now() > until) {
      await stop();
      throw new Error(`nginx did not start: ${stderr.trim() || `exit ${child.exitCode}`}`);
    }
    await sleep(20);
  }
  return { errorLog: () => (existsSync(errorLog) ? readFileSync(errorLog, 'utf8') : ''), stop };
}
