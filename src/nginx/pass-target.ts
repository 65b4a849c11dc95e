// What one `*_pass` argument or upstream `server` line dials, as nginx's
// ngx_parse_url reads it: scheme, host and port (default port by scheme),
// IPv6 literals, `unix:` paths (`http://unix:/run/app.sock:/uri`), an
// upstream group name, or variables (resolved per request: dynamic).
import { isIP } from 'node:net';
import { PASS_DIRECTIVES, type PassDirective } from '../model/protocols.js';
import type { Endpoint } from '../model/endpoint.js';

export type Module = 'http' | 'stream';

export interface PassTarget {
  scheme: string;
  /** static address; absent when dynamic or when `group` names an upstream */
  endpoint?: Endpoint;
  /** host part that may name an `upstream {}` block (no explicit port) */
  group?: string;
  dynamic: boolean;
  /** the address part exactly as written (`127.0.0.1:8000`, `unix:/run/a.sock`, `backend`) */
  authority: string;
  /** nginx would reject it: `no port in upstream "x"`, `invalid URL prefix` */
  error?: string;
}

/** Only proxy_pass URLs have a default port; the other modules need one or an upstream. */
const DEFAULT_PORT: Record<string, number> = { http: 80, https: 443 };

export function parsePassTarget(directive: PassDirective, arg: string, module: Module): PassTarget {
  const { schemes, defaultScheme } = PASS_DIRECTIVES[directive];
  let scheme = module === 'stream' ? 'tcp' : defaultScheme;
  let rest = arg;
  if (module === 'http') {
    const lower = arg.toLowerCase();
    const prefixed = schemes.find((s) => lower.startsWith(`${s}://`));
    if (prefixed) {
      scheme = prefixed;
      rest = arg.slice(prefixed.length + 3);
    } else if (directive === 'proxy_pass') {
      if (arg.startsWith('$')) return { scheme: 'http', dynamic: true, authority: arg };
      return { scheme, dynamic: arg.includes('$'), authority: arg, error: `invalid URL prefix in "${arg}"` };
    }
  }
  const uriPart = directive === 'proxy_pass' && module === 'http';
  if (rest.toLowerCase().startsWith('unix:')) {
    let path = rest.slice(5);
    if (uriPart) {
      const colon = path.indexOf(':');
      if (colon >= 0) path = path.slice(0, colon);
    }
    const authority = `unix:${path}`;
    if (path.includes('$')) return { scheme, dynamic: true, authority };
    if (path === '') return { scheme, dynamic: false, authority, error: `no path in the unix domain socket "${arg}"` };
    return { scheme, dynamic: false, authority, endpoint: { kind: 'unix', path } };
  }
  let authority = uriPart ? rest.split(/[/?]/, 1)[0] ?? '' : rest;
  // `http://127.0.0.1:8000$request_uri`: an explicit port ends the address, the
  // variable is the URI. Anywhere else a variable makes the address dynamic.
  const complete = uriPart ? /^([^$]*:\d+)\$/.exec(authority) : null;
  if (complete) authority = complete[1] as string;
  else if (authority.includes('$')) return { scheme, dynamic: true, authority };
  const hp = splitHostPort(authority);
  if (typeof hp === 'string') return { scheme, dynamic: false, authority, error: `${hp} in upstream "${authority.replace(/^[^@]*@/, '***@')}"` };
  if (hp.port === undefined) {
    const port = uriPart ? DEFAULT_PORT[scheme] : undefined;
    const base = { scheme, dynamic: false, authority, group: hp.host };
    return port === undefined ? base : { ...base, endpoint: { kind: 'tcp', host: hp.host, port } };
  }
  return { scheme, dynamic: false, authority, endpoint: { kind: 'tcp', host: hp.host, port: hp.port } };
}

/** `host`, `host:port`, `[v6]`, `[v6]:port` -> parts, or nginx's complaint. */
export function splitHostPort(s: string): { host: string; port?: number } | string {
  if (s === '') return 'no host';
  let host: string;
  let portText: string | undefined;
  if (s.startsWith('[')) {
    const end = s.indexOf(']');
    if (end < 0) return 'invalid IPv6 address';
    host = s.slice(1, end);
    if (isIP(host) !== 6) return 'invalid IPv6 address';
    const after = s.slice(end + 1);
    if (after !== '' && !after.startsWith(':')) return 'invalid host';
    portText = after === '' ? undefined : after.slice(1);
  } else {
    const colon = s.lastIndexOf(':');
    if (colon >= 0 && s.indexOf(':') !== colon) return 'invalid host';
    host = colon >= 0 ? s.slice(0, colon) : s;
    portText = colon >= 0 ? s.slice(colon + 1) : undefined;
    if (host === '') return 'no host';
  }
  if (portText === undefined) return { host };
  if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) return 'invalid port';
  return { host, port: Number(portText) };
}

export interface UpstreamServerLine {
  address: string;
  endpoint?: Endpoint;
  dynamic: boolean;
  weight: number;
  maxFails: number;
  backup: boolean;
  down: boolean;
  error?: string;
}

/** `server ADDRESS [weight=N] [max_fails=N] [backup] [down] ...` inside `upstream {}`. */
export function parseUpstreamServer(args: readonly string[], module: Module): UpstreamServerLine {
  const address = args[0] ?? '';
  const line: UpstreamServerLine = { address, dynamic: address.includes('$'), weight: 1, maxFails: 1, backup: false, down: false };
  for (let i = 1; i < args.length; i++) {
    const p = args[i] as string;
    if (p === 'backup') line.backup = true;
    else if (p === 'down') line.down = true;
    else if (p.startsWith('weight=')) line.weight = Number(p.slice(7)) || 1;
    else if (p.startsWith('max_fails=')) line.maxFails = Number(p.slice(10));
  }
  if (line.dynamic) return line;
  if (address.toLowerCase().startsWith('unix:')) {
    const path = address.slice(5);
    if (path) line.endpoint = { kind: 'unix', path };
    else line.error = `no path in the unix domain socket "${address}"`;
    return line;
  }
  const hp = splitHostPort(address);
  if (typeof hp === 'string') line.error = `${hp} in upstream "${address}"`;
  else {
    const port = hp.port ?? (module === 'http' ? 80 : undefined);
    if (port === undefined) line.error = `no port in upstream "${address}"`;
    else line.endpoint = { kind: 'tcp', host: hp.host, port };
  }
  return line;
}
