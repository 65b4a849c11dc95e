// Where, as whom and with what `nginx -t` runs. nginx -t opens every log,
// pid and temp path the config names (creating them, and chowning temp
// directories to the `user` directive's user), binds its listen sockets, and
// loads whatever code the config names. So it gets: an environment with
// nothing of the gate's in it, a scratch prefix for every relative path, and,
// where the config may come from a pull request (CI, or a config that is not
// the installed one), an unprivileged user when the gate is root.
import { chownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, normalize } from 'node:path';
import type { RunAs } from '../host/run.js';
import { realPath, type NginxBuild } from './code-loading.js';
import type { Directive } from './payload.js';
import type { ParseResult } from './parser.js';

/** nobody:nogroup on Debian, Ubuntu, Alpine and RHEL. */
export const NOBODY: RunAs = { uid: 65534, gid: 65534 };

/** Where packages install the config nginx runs. */
export const INSTALLED_CONFIG_DIRS = ['/etc/nginx/', '/usr/local/etc/nginx/', '/usr/local/nginx/conf/'];

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The whole environment nginx -t gets: no token, secret or runner variable of the gate's. */
export function testEnv(env: NodeJS.ProcessEnv): { PATH: string; LC_ALL: string } {
  return { PATH: env.PATH || DEFAULT_PATH, LC_ALL: 'C' };
}

/** Why the config may not be the host's own (then nginx -t runs unprivileged), or undefined. */
export function untrustedBecause(config: string, env: NodeJS.ProcessEnv): string | undefined {
  const ci = env.CI;
  if (ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false') return 'CI is set';
  const path = realPath(config);
  if (!INSTALLED_CONFIG_DIRS.some((d) => path.startsWith(d))) return `${config} is not the installed config (${INSTALLED_CONFIG_DIRS[0]})`;
  return undefined;
}

/** The user nginx -t runs as: nobody when the gate is root and the config untrusted; else the gate's own. */
export function testUser(config: string, env: NodeJS.ProcessEnv, uid: number | undefined = process.getuid?.()): { user?: RunAs; because?: string } {
  const because = untrustedBecause(config, env);
  return uid === 0 && because ? { user: NOBODY, because } : {};
}

export interface Scratch {
  /** with a trailing slash, as `-p` takes it */
  prefix: string;
  /** nginx -t's working directory: the prefix it runs with */
  cwd: string;
  /** `nginx -t` arguments that send its default error log and pid file into the scratch prefix */
  args: string[];
  remove(): void;
}

/**
 * A fresh prefix for one nginx -t: relative log, pid and temp paths land in
 * it, with the directories they need; `modules` points at the binary's own,
 * so `load_module modules/x.so` loads what it would. With nginx.prefix
 * (`prefix`), nginx -t runs with that prefix, as nginx does: its relative
 * paths are the install's; the scratch directory then holds only the error
 * log nginx opens before it reads the config, and the pid file when the
 * config sets none.
 */
export function makeScratch(parse: ParseResult, build: NginxBuild | undefined, user: RunAs | undefined, prefix?: string): Scratch {
  const dir = mkdtempSync(join(tmpdir(), 'upstream-gate-nginx-t-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    if (prefix !== undefined) {
      if (user) chownSync(dir, user.uid, user.gid);
      const own = `${prefix.replace(/\/+$/, '')}/`;
      return { prefix: own, cwd: own, args: ['-p', own, '-e', join(dir, 'error.log'), ...pidArgs(parse, dir)], remove };
    }
    const made = [dir];
    for (const sub of ['logs', ...relativeWriteDirs(parse)]) {
      const path = join(dir, sub);
      for (let p = path; p.startsWith(`${dir}/`); p = dirname(p)) made.push(p);
      mkdirSync(path, { recursive: true });
    }
    if (build) symlinkSync(join(build.prefix, 'modules'), join(dir, 'modules'));
    if (user) for (const p of new Set(made)) chownSync(p, user.uid, user.gid);
    return { prefix: `${dir}/`, cwd: `${dir}/`, args: ['-p', `${dir}/`, '-e', join(dir, 'error.log'), ...pidArgs(parse, dir)], remove };
  } catch (e) {
    remove();
    throw e;
  }
}

const WRITES = new Set([
  'pid',
  'lock_file',
  'error_log',
  'access_log',
  'client_body_temp_path',
  'proxy_temp_path',
  'fastcgi_temp_path',
  'uwsgi_temp_path',
  'scgi_temp_path',
  'proxy_cache_path',
  'fastcgi_cache_path',
  'uwsgi_cache_path',
  'scgi_cache_path',
]);

/** Parents of the relative paths nginx -t would create, inside the prefix (a path that climbs out of it is left alone). */
function relativeWriteDirs(parse: ParseResult): string[] {
  const out = new Set<string>();
  const walk = (list: readonly Directive[]): void => {
    for (const d of list) {
      const arg = d.args[0];
      if (WRITES.has(d.directive) && arg && !isAbsolute(arg) && !/^(off|stderr|syslog:|memory:)/.test(arg)) {
        const parent = dirname(normalize(arg));
        if (parent !== '.' && !parent.startsWith('..')) out.add(parent);
      }
      if (d.block) walk(d.block);
    }
  };
  for (const c of parse.payload.config) walk(c.parsed);
  return [...out];
}

/** `-g pid` into the scratch directory, unless the config sets its own. */
function pidArgs(parse: ParseResult, dir: string): string[] {
  return setsPid(parse) ? [] : ['-g', `pid ${quote(join(dir, 'nginx.pid'))};`];
}

/** A `pid` in the main context (the main file and what it includes there): `-g pid` would then be a duplicate. */
function setsPid(parse: ParseResult): boolean {
  const { config } = parse.payload;
  const seen = new Set<number>();
  const atMain = (index: number): boolean => {
    if (seen.has(index)) return false;
    seen.add(index);
    return (config[index]?.parsed ?? []).some((d) => d.directive === 'pid' || (d.includes ?? []).some(atMain));
  };
  return atMain(0);
}

function quote(path: string): string {
  return `"${path.replace(/["\\]/g, '\\$&')}"`;
}
