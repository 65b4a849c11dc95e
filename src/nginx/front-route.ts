// How a client reaches a service through nginx: the server{} block whose
// `*_pass` dials the service, the address and scheme it listens on, the name
// it answers to, the path that routes to the service, and the error_log
// nginx writes that block's upstream failures to. Also the names nginx
// resolved once, at start, for the service: what a reload would change.
import { isIP } from 'node:net';
import type { NginxDial } from '../model/dial.js';
import type { Endpoint } from '../model/endpoint.js';
import type { ServiceSpec } from '../spec/load.js';
import type { Candidate, Expansion } from './dials.js';
import { upstreamKey, type ConfigModel, type LocationNode, type PassSite, type ServerBlock } from './model.js';
import type { ParseResult } from './parser.js';
import type { Directive } from './payload.js';
import { selectLocation, selectServers } from './select.js';

/** The error_log nginx writes a server's upstream failures to. */
export type FrontErrorLog =
  | { path: string; where: string }
  /** a log the gate cannot read back (stderr, syslog, memory, a path relative to nginx's prefix): why */
  | { unreadable: string; where: string };

/** A name nginx resolved when it started, in a line that dials the service. */
export interface StartName {
  name: string;
  port: number;
  file: string;
  line: number;
}

export interface FrontRoute {
  service: string;
  /** where a client connects: the listen address, a wildcard as the loopback of its family */
  endpoint: Endpoint;
  tls: boolean;
  /** the Host header and TLS server name; absent: the block names no host */
  hostName?: string;
  /** the request path that nginx routes to the service */
  path: string;
  /** how the path was chosen, when it is not the health path as it is */
  pathNote?: string;
  /** the server block and its listen line, for evidence */
  server: { file: string; line: number };
  listen: string;
  errorLog: FrontErrorLog;
  /** names nginx resolved at start for this service (no `resolve`, no variable) */
  startNames: StartName[];
}

/** Where nginx writes its errors when no error_log is configured: Debian's (and most packages') build. */
export const DEFAULT_ERROR_LOG = '/var/log/nginx/error.log';

interface ServerExtras {
  listens: string[][];
  errorLog?: string;
  sslOn: boolean;
}

interface Walked {
  main?: string;
  http?: string;
  servers: Map<string, ServerExtras>;
}

/** The listen lines with their parameters, and error_log at the main, http and server levels, which the model does not keep. */
function walkExtras(parse: ParseResult): Walked {
  const { config } = parse.payload;
  const out: Walked = { servers: new Map() };
  const onStack = new Set<number>([0]);
  const walk = (list: readonly Directive[], fileIndex: number, level: 'main' | 'http' | 'other', server?: ServerExtras): void => {
    const file = config[fileIndex]?.file ?? '';
    for (const d of list) {
      if (d.includes) {
        for (const idx of d.includes) {
          if (onStack.has(idx)) continue;
          onStack.add(idx);
          walk(config[idx]?.parsed ?? [], idx, level, server);
          onStack.delete(idx);
        }
        continue;
      }
      if (!d.block) {
        if (d.directive === 'error_log' && d.args[0] !== undefined) {
          if (server) server.errorLog = d.args[0];
          else if (level === 'main') out.main = d.args[0];
          else if (level === 'http') out.http = d.args[0];
        } else if (server && d.directive === 'listen') server.listens.push(d.args);
        else if (server && d.directive === 'ssl' && d.args[0] === 'on') server.sslOn = true;
        continue;
      }
      if (d.directive === 'http' && level === 'main') walk(d.block, fileIndex, 'http');
      else if (d.directive === 'server' && level === 'http' && !server) {
        const extras: ServerExtras = { listens: [], sslOn: false };
        const key = `${file}:${d.line}`;
        if (!out.servers.has(key)) out.servers.set(key, extras);
        walk(d.block, fileIndex, 'other', extras);
      }
      // location-level listen/error_log do not choose the block's address; other blocks hold neither
    }
  };
  walk(config[0]?.parsed ?? [], 0, 'main');
  return out;
}

export interface FrontRouteInput {
  parse: ParseResult;
  model: ConfigModel;
  expansions: Map<ServerBlock, Expansion>;
  services: readonly ServiceSpec[];
  dials: readonly NginxDial[];
}

/** Each service with a health path and a server block that dials it: how to reach it through nginx. */
export function frontRoutes(input: FrontRouteInput): FrontRoute[] {
  const extras = walkExtras(input.parse);
  // built once, not per service: thousands of services each looking through every dial and block was quadratic
  const dialsOf = new Map<string, NginxDial[]>();
  for (const d of input.dials) {
    const list = dialsOf.get(d.service);
    if (list) list.push(d);
    else dialsOf.set(d.service, [d]);
  }
  const sites = siteIndex(input);
  const routes: FrontRoute[] = [];
  for (const service of input.services) {
    if (service.health === undefined) continue;
    const route = routeOf(service, service.health, dialsOf.get(service.name) ?? [], input, extras, sites);
    if (route) routes.push(route);
  }
  return routes;
}

interface SiteEntry {
  /** the block's place in the config, and the candidate's in the block: the first of each wins */
  order: number;
  index: number;
  server: ServerBlock;
  candidate: Candidate;
}

/** Every http block's candidates by the `*_pass` line they come from (`file:line`), in config order. */
function siteIndex(input: FrontRouteInput): Map<string, SiteEntry[]> {
  const out = new Map<string, SiteEntry[]>();
  input.model.servers.forEach((server, order) => {
    if (server.module !== 'http') return;
    input.expansions.get(server)?.candidates.forEach((candidate, index) => {
      const key = `${candidate.site.file}:${candidate.site.line}`;
      const entry = { order, index, server, candidate };
      const list = out.get(key);
      if (list) list.push(entry);
      else out.set(key, [entry]);
    });
  });
  return out;
}

function routeOf(
  service: ServiceSpec,
  health: string,
  dials: readonly NginxDial[],
  input: FrontRouteInput,
  extras: Walked,
  index: Map<string, SiteEntry[]>,
): FrontRoute | undefined {
  const sites = new Set(dials.map((d) => `${d.file}:${d.line}`));
  const named = service.serverNames.length > 0 ? selectServers(input.model.servers, service.serverNames) : undefined;
  let chosen: { server: ServerBlock; candidate?: Candidate } | undefined;
  if (named && !named.fallback) {
    // the few blocks the names select, in their order
    for (const server of named.servers) {
      const candidate = input.expansions.get(server)?.candidates.find((c) => sites.has(`${c.site.file}:${c.site.line}`));
      if (candidate) {
        chosen = { server, candidate };
        break;
      }
    }
  } else {
    // any http block: the first in the config that dials one of the service's lines, and its first such candidate
    let best: SiteEntry | undefined;
    for (const site of sites) {
      for (const e of index.get(site) ?? []) if (!best || e.order < best.order || (e.order === best.order && e.index < best.index)) best = e;
    }
    if (best) chosen = { server: best.server, candidate: best.candidate };
  }
  // a named block that dials nothing of the service still answers its name: the request shows what it serves
  if (!chosen && named && !named.fallback && named.servers[0]) chosen = { server: named.servers[0] };
  if (!chosen) return undefined;
  const { server, candidate } = chosen;
  const ex = extras.servers.get(`${server.file}:${server.line}`) ?? { listens: [], sslOn: false };
  const listen = ex.listens.find((args) => !args.includes('quic')) ?? ['80'];
  const endpoint = listenEndpoint(listen[0] ?? '80');
  if (!endpoint) return undefined;
  const hostName = service.serverNames.find(plainName) ?? server.names.find(plainName);
  const { path, note } = routedPath(server, candidate, health);
  return {
    service: service.name,
    endpoint,
    tls: ex.sslOn || listen.includes('ssl'),
    ...(hostName !== undefined && { hostName }),
    path,
    ...(note !== undefined && { pathNote: note }),
    server: { file: server.file, line: server.line },
    listen: `listen ${listen.join(' ')};`,
    errorLog: errorLogOf(ex.errorLog, extras),
    startNames: startNames(dials, input.model),
  };
}

/** A host name a client would send: not `_`, not a wildcard or regex, not the empty name. */
function plainName(n: string): boolean {
  return /^[a-z0-9-]+(\.[a-z0-9-]+)*$/i.test(n);
}

/** `listen` as a client dials it: a wildcard is the loopback of its family. */
export function listenEndpoint(addr: string): Endpoint | undefined {
  if (addr.startsWith('unix:')) return { kind: 'unix', path: addr.slice(5) };
  if (/^\d+$/.test(addr)) return { kind: 'tcp', host: '127.0.0.1', port: Number(addr) };
  const v6 = /^\[([^\]]*)\](?::(\d+))?$/.exec(addr);
  if (v6) return { kind: 'tcp', host: v6[1] === '::' ? '::1' : (v6[1] as string), port: Number(v6[2] ?? 80) };
  const m = /^([^:]+)(?::(\d+))?$/.exec(addr);
  if (!m) return undefined;
  const host = m[1] === '*' || m[1] === '0.0.0.0' ? '127.0.0.1' : (m[1] as string);
  return { kind: 'tcp', host, port: Number(m[2] ?? 80) };
}

/**
 * The path nginx routes to the service. proxy_pass with a URI replaces the
 * location's prefix with that URI, so the backend's health path is asked as
 * the prefix plus what follows the URI; otherwise nginx passes the path as it
 * is, so the health path itself is asked.
 */
function routedPath(server: ServerBlock, candidate: Candidate | undefined, health: string): { path: string; note?: string } {
  if (!candidate) return { path: health, note: `no *_pass of the block dials the service: ${health} asked as it is` };
  const location = locationOf(server.locations, candidate.pass);
  const uri = uriPart(candidate);
  if (location && uri && (location.modifier === '' || location.modifier === '^~')) {
    if (!health.startsWith(uri)) return { path: health, note: `location ${location.pattern} rewrites to ${uri}, which ${health} does not start with: ${health} asked as it is` };
    const path = location.pattern + health.slice(uri.length);
    return { path, note: `location ${location.pattern} passes ${uri}: ${health} is asked as ${path}` };
  }
  if (location && location.modifier !== '@' && selectLocation(server.locations, health) !== location) {
    return { path: health, note: `${health} is not routed to location ${location.modifier ? `${location.modifier} ` : ''}${location.pattern} (line ${location.line}), which dials the service` };
  }
  return { path: health };
}

function locationOf(list: readonly LocationNode[], pass: PassSite): LocationNode | undefined {
  for (const l of list) {
    const inner = locationOf(l.children, pass);
    if (inner) return inner;
    if (l.passes.includes(pass)) return l;
  }
  return undefined;
}

/** The URI of an http proxy_pass URL (`http://app/v1/` -> `/v1/`); '' when it has none or holds a variable. */
function uriPart(c: Candidate): string {
  if (c.pass.directive !== 'proxy_pass' || c.pass.module !== 'http') return '';
  const rest = c.pass.arg.replace(/^[a-z]+:\/\//i, '');
  if (rest.toLowerCase().startsWith('unix:')) {
    const colon = rest.indexOf(':', 5);
    return colon >= 0 ? rest.slice(colon + 1) : '';
  }
  const uri = rest.slice(c.target.authority.length);
  return uri.includes('$') ? '' : uri;
}

/** The last error_log of the narrowest level that has one: server, http, main; else nginx's default. */
function errorLogOf(server: string | undefined, extras: Walked): FrontErrorLog {
  const [value, where] =
    server !== undefined ? [server, 'the server block'] : extras.http !== undefined ? [extras.http, 'the http block'] : extras.main !== undefined ? [extras.main, 'the main context'] : [undefined, ''];
  if (value === undefined) return { path: DEFAULT_ERROR_LOG, where: "nginx's default (no error_log in the config)" };
  if (value === 'stderr') return { unreadable: 'error_log stderr: nginx writes to its standard error, which the gate cannot read', where };
  if (value.startsWith('syslog:')) return { unreadable: `error_log ${value}: the lines go to syslog, which the gate does not read`, where };
  if (value.startsWith('memory:')) return { unreadable: `error_log ${value}: a memory buffer, read only with a debugger`, where };
  if (value.includes('$')) return { unreadable: `error_log ${value} holds a variable`, where };
  if (!value.startsWith('/')) return { unreadable: `error_log ${value} is relative to nginx's prefix, which the gate does not know: set nginx.error_log`, where };
  return { path: value, where };
}

/** The static names of the service's dials: nginx resolved them once, at start (an upstream `server ... resolve` re-resolves). */
function startNames(dials: readonly NginxDial[], model: ConfigModel): StartName[] {
  const out: StartName[] = [];
  const seen = new Set<string>();
  for (const d of dials) {
    if (d.dynamic || d.endpoint?.kind !== 'tcp' || isIP(d.endpoint.host) !== 0) continue;
    if (d.upstream) {
      const { host, port } = d.endpoint;
      const member = model.upstreams
        .get(upstreamKey('http', d.upstream))
        ?.servers.find((s) => s.file === d.file && s.line === d.line && s.endpoint?.kind === 'tcp' && s.endpoint.host === host && s.endpoint.port === port);
      if (member?.args.includes('resolve')) continue;
    }
    const key = `${d.endpoint.host.toLowerCase()}:${d.endpoint.port}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ name: d.endpoint.host, port: d.endpoint.port, file: d.file, line: d.line });
  }
  return out;
}
