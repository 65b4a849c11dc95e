// Real nginx (Debian's package) on loopback high ports with a generated config,
// in its own prefix directory; stopped by pid, prefix removed, even on failure.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { stopper } from './process.js';
import { tempDir } from './tmp.js';

export const NGINX_BINARY = process.env.UGATE_TEST_NGINX ?? '/usr/sbin/nginx';
export const hasNginx = existsSync(NGINX_BINARY);

export interface NginxOptions {
  /** the contents of the http {} block (server blocks, upstreams...) */
  http?: string;
  /** the contents of a stream {} block */
  stream?: string;
  /** extra files written under the prefix before start: relative path -> text */
  files?: Record<string, string>;
  /** `user` directive; default root so worker sockets in temp dirs work */
  user?: string;
  /** do not start, only write the config (for config-phase tests) */
  writeOnly?: boolean;
}

export interface NginxInstance {
  prefix: string;
  conf: string;
  errorLog: string;
  pid?: number;
  /** everything the error log holds now */
  readErrorLog(): string;
  stop(): Promise<void>;
}

export async function startNginx(opts: NginxOptions): Promise<NginxInstance> {
  const { dir: prefix, remove } = tempDir('ugate-nginx-');
  mkdirSync(join(prefix, 'logs'), { recursive: true });
  for (const [rel, text] of Object.entries(opts.files ?? {})) {
    const p = join(prefix, rel);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, text);
  }
  const errorLog = join(prefix, 'logs', 'error.log');
  const conf = join(prefix, 'nginx.conf');
  writeFileSync(
    conf,
    [
      `user ${opts.user ?? 'root'};`,
      'worker_processes 1;',
      'daemon off;',
      `pid ${join(prefix, 'nginx.pid')};`,
      `error_log ${errorLog} info;`,
      'events { worker_connections 256; }',
      'http {',
      `  access_log off;`,
      `  client_body_temp_path ${prefix}/tmp_body;`,
      `  proxy_temp_path ${prefix}/tmp_proxy;`,
      `  fastcgi_temp_path ${prefix}/tmp_fastcgi;`,
      `  uwsgi_temp_path ${prefix}/tmp_uwsgi;`,
      `  scgi_temp_path ${prefix}/tmp_scgi;`,
      '  proxy_connect_timeout 2s;',
      indent(opts.http ?? ''),
      '}',
      opts.stream ? `stream {\n${indent(opts.stream)}\n}` : '',
      '',
    ].join('\n'),
  );
  const readErrorLog = () => (existsSync(errorLog) ? readFileSync(errorLog, 'utf8') : '');
  if (opts.writeOnly) return { prefix, conf, errorLog, readErrorLog, stop: async () => remove() };

  const child: ChildProcess = spawn(NGINX_BINARY, ['-p', prefix, '-c', conf, '-e', errorLog], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const stopChild = stopper(child);
  const stop = async () => {
    await stopChild();
    remove();
  };
  // Ready when the master wrote its pid file and the workers accept.
  const until = Date.now() + 5000;
  while (!existsSync(join(prefix, 'nginx.pid'))) {
    if (child.exitCode !== null || Date.now() > until) {
      await stop();
      throw new Error(`nginx did not start: ${stderr.trim() || `exit ${child.exitCode}`}`);
    }
    await sleep(20);
  }
  return { prefix, conf, errorLog, pid: child.pid, readErrorLog, stop };
}

/**
 * A deployment as users have one: nginx running `include conf.d/*.conf;` with
 * `conf.d/app.conf`, and the spec written beside nginx.conf (so `config:
 * nginx.conf` names it). Stopped when the test ends.
 */
export async function appDeployment(t: TestContext, appConf: string, specText: string): Promise<{ nginx: NginxInstance; spec: string }> {
  const nginx = await startNginx({ http: 'include conf.d/*.conf;', files: { 'conf.d/app.conf': appConf } });
  t.after(() => nginx.stop());
  const spec = join(nginx.prefix, 'upstream-gate.yml');
  writeFileSync(spec, specText);
  return { nginx, spec };
}

/** `nginx -t` on a config, for tests that want to be sure a fixture is valid. */
export function nginxTest(conf: string, prefix: string): { ok: boolean; output: string } {
  const r = spawnSync(NGINX_BINARY, ['-t', '-p', prefix, '-c', conf], { encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

function indent(s: string): string {
  return s
    .split('\n')
    .map((l) => (l ? `  ${l}` : l))
    .join('\n');
}
