// The effective configuration, includes expanded in place: the server blocks
// with their names, listens, locations and `*_pass` lines, and the upstream
// groups. A file included in ten locations counts ten times, as in nginx.
import { append } from '../append.js';
import { PASS_DIRECTIVE_NAMES, type PassDirective } from '../model/protocols.js';
import type { ParseResult } from './parser.js';
import type { Directive } from './payload.js';
import { parseUpstreamServer, type Module, type UpstreamServerLine } from './pass-target.js';

export interface Site {
  file: string;
  line: number;
}

export interface PassSite extends Site {
  directive: PassDirective;
  arg: string;
  module: Module;
}

export interface Listen {
  /** `*:80`, `127.0.0.1:8080`, `[::]:443`, `unix:/run/x.sock` */
  key: string;
  defaultServer: boolean;
}

export interface LocationNode extends Site {
  modifier: '' | '=' | '^~' | '~' | '~*' | '@';
  pattern: string;
  /** passes in this location's own body, `if` and `limit_except` included */
  passes: PassSite[];
  children: LocationNode[];
}

export interface ServerBlock extends Site {
  module: Module;
  names: string[];
  listens: Listen[];
  /** every pass in the block, at any depth */
  passes: PassSite[];
  locations: LocationNode[];
}

export interface UpstreamServer extends Site, UpstreamServerLine {
  /** the `server` line's arguments as parsed */
  args: string[];
}

export interface UpstreamGroup extends Site {
  name: string;
  module: Module;
  servers: UpstreamServer[];
}

export interface ConfigModel {
  servers: ServerBlock[];
  /** key: `http:NAME` / `stream:NAME`, NAME lower-cased as nginx compares it */
  upstreams: Map<string, UpstreamGroup>;
  /** problems found while expanding (walk limit) */
  errors: (Site & { error: string })[];
  /** the main context's `pid` file, as written (relative: to nginx's prefix) */
  pid?: Site & { path: string };
  /** the main context's `user USER [GROUP]`: whom the workers run as when the master is root */
  user?: Site & { name: string; group?: string };
}

/** Bounds the expansion: a file included N times at each of M levels is N^M directives. */
export const MAX_WALKED_DIRECTIVES = 2_000_000;

interface Scope {
  module?: Module;
  server?: ServerBlock;
  location?: LocationNode;
  upstream?: UpstreamGroup;
}

export function upstreamKey(module: Module, name: string): string {
  return `${module}:${name.toLowerCase()}`;
}

export function buildModel(parse: ParseResult, maxWalked = MAX_WALKED_DIRECTIVES): ConfigModel {
  const { config } = parse.payload;
  const model: ConfigModel = { servers: [], upstreams: new Map(), errors: [] };
  let walked = 0;
  let exhausted = false;
  const onStack = new Set<number>();

  const walk = (list: readonly Directive[], fileIndex: number, scope: Scope): void => {
    const file = config[fileIndex]?.file ?? '';
    for (const d of list) {
      if (exhausted) return;
      if (++walked > maxWalked) {
        exhausted = true;
        model.errors.push({ file, line: d.line, error: `the expanded config holds more than ${maxWalked} directives; stopped there` });
        return;
      }
      const name = d.directive;
      if (d.includes) {
        for (const idx of d.includes) {
          // A cycle is reported by the parser; here it is only not followed.
          if (onStack.has(idx)) continue;
          onStack.add(idx);
          walk(config[idx]?.parsed ?? [], idx, scope);
          onStack.delete(idx);
        }
        continue;
      }
      // explicit object literals, not spreads: V8 builds these 100,000 times
      const line = d.line;
      if (!d.block) {
        if (PASS_DIRECTIVE_NAMES.includes(name as PassDirective) && d.args.length === 1 && scope.module && scope.server) {
          if (scope.module === 'stream' && name !== 'proxy_pass') continue;
          const pass: PassSite = { file, line, directive: name as PassDirective, arg: d.args[0] as string, module: scope.module };
          scope.server.passes.push(pass);
          scope.location?.passes.push(pass);
        } else if (name === 'server' && scope.upstream && scope.module) {
          const member = parseUpstreamServer(d.args, scope.module) as UpstreamServer;
          member.file = file;
          member.line = line;
          member.args = d.args;
          scope.upstream.servers.push(member);
        } else if (name === 'server_name' && scope.server && !scope.location) {
          append(scope.server.names, d.args);
        } else if (name === 'listen' && scope.server && !scope.location) {
          scope.server.listens.push(parseListen(d.args));
        } else if (!scope.module && (name === 'pid' || name === 'user') && d.args.length >= 1) {
          // nginx takes the last one
          const [first, group] = d.args as [string, string | undefined];
          if (name === 'pid') model.pid = { file, line, path: first };
          else model.user = { file, line, name: first, ...(group !== undefined && { group }) };
        }
        continue;
      }
      if (name === 'http' || name === 'stream') {
        walk(d.block, fileIndex, { module: name });
      } else if (name === 'server' && scope.module && !scope.server && !scope.upstream) {
        const server: ServerBlock = { file, line, module: scope.module, names: [], listens: [], passes: [], locations: [] };
        model.servers.push(server);
        walk(d.block, fileIndex, { module: scope.module, server });
        if (server.listens.length === 0 && server.module === 'http') server.listens.push({ key: '*:80', defaultServer: false });
      } else if (name === 'upstream' && scope.module && !scope.server && d.args.length === 1) {
        const group: UpstreamGroup = { file, line, name: d.args[0] as string, module: scope.module, servers: [] };
        const key = upstreamKey(scope.module, group.name);
        if (!model.upstreams.has(key)) model.upstreams.set(key, group);
        walk(d.block, fileIndex, { module: scope.module, upstream: group });
      } else if (name === 'location' && scope.server && d.args.length >= 1) {
        const loc = parseLocation(d.args, file, line);
        (scope.location ? scope.location.children : scope.server.locations).push(loc);
        walk(d.block, fileIndex, { ...scope, location: loc });
      } else if ((name === 'if' || name === 'limit_except') && scope.server) {
        walk(d.block, fileIndex, scope);
      }
      // map, types, events and unknown blocks hold nothing we dial
    }
  };
  onStack.add(0);
  walk(config[0]?.parsed ?? [], 0, {});
  return model;
}

const MODIFIERS = ['^~', '~*', '=', '~'] as const;

function parseLocation(args: readonly string[], file: string, line: number): LocationNode {
  const [a, b] = args as [string, string | undefined];
  let modifier: LocationNode['modifier'] = '';
  let pattern = a;
  if (b !== undefined && (a === '=' || a === '^~' || a === '~' || a === '~*')) {
    modifier = a;
    pattern = b;
  } else if (a.startsWith('@')) {
    modifier = '@';
  } else {
    // `location =/x` and `location ~^/x` are valid without a space too
    const m = MODIFIERS.find((x) => a.startsWith(x) && a.length > x.length);
    if (m) {
      modifier = m;
      pattern = a.slice(m.length);
    }
  }
  return { file, line, modifier, pattern, passes: [], children: [] };
}

/** `listen 80`, `listen [::]:443 ssl default_server`, `listen unix:/run/x.sock` */
export function parseListen(args: readonly string[]): Listen {
  const addr = args[0] ?? '';
  const defaultServer = args.slice(1).some((a) => a === 'default_server' || a === 'default');
  let key: string;
  if (addr.startsWith('unix:')) key = addr;
  else if (/^\d+$/.test(addr)) key = `*:${addr}`;
  else if (addr.startsWith('[')) key = addr.includes(']:') ? addr : `${addr}:80`;
  else if (addr.includes(':')) key = addr.replace(/^0\.0\.0\.0:/, '*:');
  else key = `${addr === '0.0.0.0' ? '*' : addr}:80`;
  return { key, defaultServer };
}
