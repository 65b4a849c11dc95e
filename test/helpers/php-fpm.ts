// Real php-fpm (Debian's php8.2-fpm) in the foreground with its own config and
// pool, its socket in a temp dir; stopped by pid, dir removed.
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { stopper } from './process.js';
import { tempDir } from './tmp.js';

export const PHP_FPM = process.env.UGATE_TEST_PHP_FPM ?? '/usr/sbin/php-fpm8.2';
export const hasPhpFpm = existsSync(PHP_FPM);

export interface PhpFpm {
  dir: string;
  socket: string;
  stop(): Promise<void>;
}

/** `listen` defaults to a socket in the temp dir; `pool` adds pool directives. */
export async function startPhpFpm(opts: { socketName?: string; pool?: string } = {}): Promise<PhpFpm> {
  const { dir, remove } = tempDir('ugate-fpm-');
  const socket = join(dir, opts.socketName ?? 'php8.2-fpm.sock');
  const conf = join(dir, 'php-fpm.conf');
  writeFileSync(
    conf,
    [
      '[global]',
      `pid = ${join(dir, 'php-fpm.pid')}`,
      `error_log = ${join(dir, 'php-fpm.log')}`,
      'daemonize = no',
      '[gate]',
      `listen = ${socket}`,
      'listen.mode = 0660',
      'pm = static',
      'pm.max_children = 1',
      'ping.path = /ping',
      'ping.response = pong',
      opts.pool ?? '',
      '',
    ].join('\n'),
  );
  const child = spawn(PHP_FPM, ['-F', '-R', '-n', '-y', conf, '-p', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const stopChild = stopper(child);
  const stop = async () => {
    await stopChild();
    remove();
  };
  const until = Date.now() + 5000;
  while (!existsSync(socket)) {
    if (child.exitCode !== null || Date.now() > until) {
      await stop();
      throw new Error(`php-fpm did not start: ${stderr.trim() || `exit ${child.exitCode}`}`);
    }
    await sleep(20);
  }
  return { dir, socket, stop };
}
