// The directives that make `nginx -t` run code while it reads the config: a
// module from a path, an OpenSSL engine, Perl, njs or Lua. nginx -t runs them
// as whoever runs it (CVE-2025-1974 is this pattern), so a config that loads
// code from outside the system's module directories is not tested without
// the user's say-so (`nginx.test: always`).
import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import type { Directive } from './payload.js';
import type { ParseResult } from './parser.js';

export interface CodeLoad {
  directive: string;
  args: string[];
  file: string;
  line: number;
  /** what it would run, in words */
  why: string;
}

/** Where distributions install nginx's dynamic modules (root-owned, from packages). */
export const SYSTEM_MODULE_DIRS = ['/usr/lib/nginx/modules', '/usr/lib64/nginx/modules', '/usr/share/nginx/modules', '/etc/nginx/modules', '/usr/local/nginx/modules'];

/** The binary's own prefix and modules path (`nginx -V`), when known. */
export interface NginxBuild {
  prefix: string;
  modulesPath: string;
}

const CODE: Record<string, string> = {
  ssl_engine: 'loads an OpenSSL engine',
  perl_modules: 'makes Perl load modules from a path the config names',
  perl_require: 'runs Perl code',
  perl: 'runs Perl code',
  perl_set: 'runs Perl code',
  js_import: 'runs JavaScript (njs)',
  js_include: 'runs JavaScript (njs)',
  init_by_lua: 'runs Lua code',
  init_by_lua_block: 'runs Lua code',
  init_by_lua_file: 'runs Lua code',
};

/**
 * Every directive of the config that would make nginx -t run code from outside the system's module directories.
 * `prefix`: nginx.prefix, which a relative `load_module` path is relative to (else the binary's own prefix).
 */
export function findCodeLoading(parse: ParseResult, build: NginxBuild | undefined, prefix?: string): CodeLoad[] {
  const dirs = moduleDirs(build);
  const base = prefix ?? build?.prefix;
  const out: CodeLoad[] = [];
  const walk = (list: readonly Directive[], file: string): void => {
    for (const d of list) {
      const why = whyCode(d, base, dirs);
      if (why) out.push({ directive: d.directive, args: d.args, file, line: d.line, why });
      if (d.block) walk(d.block, file);
    }
  };
  for (const c of parse.payload.config) walk(c.parsed, c.file);
  return out;
}

/** Does the config load any module? Then the binary's prefix is needed to know from where. */
export function loadsModules(parse: ParseResult): boolean {
  return parse.payload.config.some((c) => c.parsed.some((d) => d.directive === 'load_module'));
}

function whyCode(d: Directive, prefix: string | undefined, dirs: string[]): string | undefined {
  const name = d.directive;
  const arg = d.args[0] ?? '';
  if (name === 'load_module') {
    if (!isAbsolute(arg) && prefix === undefined) return `loads ${arg}, relative to a prefix the gate could not learn from nginx -V`;
    const path = realPath(isAbsolute(arg) ? arg : join(prefix ?? '/', arg));
    return dirs.some((dir) => path === dir || path.startsWith(`${dir}/`)) ? undefined : `loads ${path} from outside the system's module directories (${dirs.join(', ')})`;
  }
  if (name.endsWith('ssl_certificate_key') && /^(engine|store):/.test(arg)) return `loads an OpenSSL ${arg.split(':')[0]} for its key`;
  return CODE[name];
}

function moduleDirs(build: NginxBuild | undefined): string[] {
  const dirs = [...SYSTEM_MODULE_DIRS, ...(build ? [build.modulesPath, join(build.prefix, 'modules')] : [])];
  return [...new Set(dirs.map(realPath))];
}

/** The path with the symlinks of every component that exists resolved, as the kernel would open it. */
export function realPath(path: string): string {
  const abs = resolve(path);
  try {
    return realpathSync(abs);
  } catch {
    const parent = dirname(abs);
    return parent === abs ? abs : join(realPath(parent), basename(abs));
  }
}
