// Does nginx dial what the spec says? Pure: the parsed model, the expanded
// dials and the resolved names in; config.* findings and the service's dials
// out.
//
// Which dials belong to a service:
// - `server_name` given: the server blocks nginx picks for that name on each
//   listening address (a name often has a port-80 block that only redirects
//   and a 443 block that proxies: every block that dials something counts).
//   No block names it: the default servers that would answer instead.
// - `location` given: only the location a request for that path ends in, and
//   then every dial there must be the backend (strict).
// - no `location`: a server block may proxy several apps, so once one dial is
//   the backend, the others are findings only when they are the same upstream
//   group as a good one, or dial the same port on another address (the
//   IPv4/IPv6 confusion). With no good dial, the dials sharing the backend's
//   port or host are the mismatches; if nothing is even related, every dial of
//   the selected blocks is one (server_name given) or the service has
//   `config.no_target` (no server_name: the dials belong to other apps).
// - A dial that is exactly another spec service's backend belongs to that
//   service and is left out.
// Where a block proxies several apps and none dials the backend, every dial
// sharing its host or port is reported (a /metrics exporter on 127.0.0.1 too):
// naming the service's `location` in the spec removes that doubt.
import { isIP } from 'node:net';
import { append } from '../append.js';
import type { ReasonCode } from '../model/codes.js';
import type { NginxDial, NginxRequest } from '../model/dial.js';
import { formatEndpoint, type Endpoint } from '../model/endpoint.js';
import type { Finding } from '../model/finding.js';
import { mismatchCode, relate, type Mismatch, type Relation } from '../model/mismatch.js';
import { passLine, PROTOCOL_DIRECTIVES, PROTOCOLS, proxyUrl, speaks } from '../model/protocols.js';
import type { ServiceSpec } from '../spec/load.js';
import type { Candidate, Expansion } from './dials.js';
import { buildDirective } from './builder.js';
import { hostAddresses, hostKeys, indexDials, matchKeys, type Addresses, type DialIndex } from './dial-index.js';
import type { ConfigModel, ServerBlock, Site, UpstreamGroup, UpstreamServer } from './model.js';
import { upstreamName } from '../render/render.js';
import { selectLocation, selectServers } from './select.js';
import { nginxRequest } from './request-headers.js';

export interface EvaluateInput {
  service: ServiceSpec;
  services: readonly ServiceSpec[];
  model: ConfigModel;
  expansions: Map<ServerBlock, Expansion>;
  /** lower-cased host name -> canonical addresses ([] when it does not resolve) */
  addresses: Addresses;
  /** `conf.d/app.conf` for messages */
  display: (file: string) => string;
  /** the line as written, trimmed */
  lineText: (site: Site) => string;
}

export interface Evaluation {
  findings: Finding[];
  dials: NginxDial[];
}

function overlap(a: string, b: string, addresses: Addresses): boolean {
  if (a.toLowerCase() === b.toLowerCase()) return true;
  const bs = new Set(hostAddresses(b, addresses));
  return hostAddresses(a, addresses).some((x) => bs.has(x));
}

/** How a dial relates to a backend, hosts compared by the addresses they resolve to. */
function relateResolved(dial: Endpoint, backend: Endpoint, addresses: Addresses): Relation {
  return relate(dial, backend, (a, b) => overlap(a, b, addresses));
}

const CLOSENESS: readonly Relation[] = ['match', 'host', 'port', 'unrelated', 'socket'];

/** The pool member a dial is closest to (the same member, then the same port or host), and how it relates to it. */
function relatePool(dial: Endpoint, pool: readonly Endpoint[], addresses: Addresses): { relation: Relation; member: Endpoint } {
  let best = { relation: relateResolved(dial, pool[0] as Endpoint, addresses), member: pool[0] as Endpoint };
  for (const member of pool.slice(1)) {
    const relation = relateResolved(dial, member, addresses);
    if (CLOSENESS.indexOf(relation) < CLOSENESS.indexOf(best.relation)) best = { relation, member };
  }
  return best;
}

function protocolOk(service: ServiceSpec, c: Candidate): boolean {
  if (c.pass.module === 'stream') return true;
  return c.pass.directive === PROTOCOLS[service.protocol].directive && speaks(service.protocol, c.scheme);
}

/** The URI part of a proxy_pass URL (kept when the address is replaced). */
function uriOf(c: Candidate): string {
  if (c.pass.directive !== 'proxy_pass' || c.pass.module !== 'http') return '';
  const rest = c.pass.arg.replace(/^[a-z]+:\/\//i, '');
  if (rest.toLowerCase().startsWith('unix:')) {
    const colon = rest.indexOf(':', 5);
    return colon >= 0 ? rest.slice(colon + 1) : '';
  }
  return rest.slice(c.target.authority.length);
}

/** The rules for any service of the spec, over indexes of the config built once: each service costs what concerns it. */
export function prepareEvaluation(input: Omit<EvaluateInput, 'service'>): (service: ServiceSpec) => Evaluation {
  const dials = indexDials(input.model.servers, input.expansions, input.services, input.addresses);
  const requests = requestCache();
  return (service) => evaluateWith({ ...input, service }, dials, requests);
}

export function evaluate(input: EvaluateInput): Evaluation {
  return prepareEvaluation(input)(input.service);
}

type RequestOf = (c: Candidate, specNames: readonly string[], display: (file: string) => string) => NginxRequest | undefined;

/**
 * nginx's request for one dial (its location's proxy_pass in its block), for
 * the spec's names: the same for every service that dials it, and services
 * that share a backend address share every block that dials it. The last
 * names asked are kept per dial: services mostly ask with the same ones.
 */
function requestCache(): RequestOf {
  const last = new Map<Candidate, { names: string; request: NginxRequest | undefined }>();
  return (c, specNames, display) => {
    const names = specNames.join('\n');
    const known = last.get(c);
    if (known?.names === names) return known.request;
    const request = nginxRequest({ pass: c.pass, server: c.server, target: c.target, specNames, display });
    last.set(c, { names, request });
    return request;
  };
}

function evaluateWith(input: EvaluateInput, dials: DialIndex, requestOf: RequestOf): Evaluation {
  const { service, model, expansions, addresses, display, lineText } = input;
  const findings: Finding[] = [];
  const where = (s: Site) => `(${display(s.file)}:${s.line})`;
  const pool = service.pool;
  const backendText = pool.map(formatEndpoint).join(', ');

  // 1. Scope: the server blocks and location that serve this service.
  const names = service.serverNames;
  let servers: readonly ServerBlock[];
  let fallback = false;
  if (names.length > 0) {
    const sel = selectServers(model.servers, names);
    servers = sel.servers;
    fallback = sel.fallback;
  } else {
    servers = service.location === undefined ? model.servers : model.servers.filter((s) => s.module === 'http');
  }
  const strict = service.location !== undefined;
  // the whole config is the scope: only the dials that concern the backend are read
  const wholeConfig = names.length === 0 && service.location === undefined;
  let inScope: Candidate[] = wholeConfig ? concerning(service, dials, addresses) : [];
  const locationMisses: ServerBlock[] = [];
  for (const server of wholeConfig ? [] : servers) {
    if (service.location === undefined) {
      append(inScope, expansions.get(server)?.candidates ?? []);
      continue;
    }
    const loc = selectLocation(server.locations, service.location);
    if (!loc) {
      locationMisses.push(server);
      continue;
    }
    for (const pass of loc.passes) append(inScope, dials.byPass.get(pass) ?? []);
  }

  // each static dial against the pool, once: how it relates, and to which member
  const closest = new Map(inScope.filter((c) => !c.dynamic && c.endpoint).map((c) => [c, relatePool(c.endpoint as Endpoint, pool, addresses)]));
  const rel = new Map<Candidate, Relation>([...closest].map(([c, r]) => [c, r.relation]));

  // 2. A dial that is exactly another service's backend is that service's.
  inScope = inScope.filter((c) => c.dynamic || !c.endpoint || rel.get(c) === 'match' || !dials.claimed.has(c));

  const dynamic = inScope.filter((c) => c.dynamic || !c.endpoint);
  const statics = inScope.filter((c) => !c.dynamic && c.endpoint);
  const matches = statics.filter((c) => rel.get(c) === 'match');
  // An upstream group is one unit: when one of its servers is the backend or
  // dials its port, every other server in it is the service's too (sharing
  // only the host proves nothing on loopback, unless nothing else matches).
  const groupsWith = (relations: readonly Relation[]) =>
    new Set(statics.filter((c) => c.group && relations.includes(rel.get(c) as Relation)).map((c) => c.group));
  const strongGroups = groupsWith(['match', 'host']);
  const weakGroups = groupsWith(['match', 'host', 'port']);
  // a group with a member of the pool is the pool: its other members are extra, never to be rewritten into one of the pool
  const poolGroups = groupsWith(['match']);
  let flagged: Candidate[];
  if (strict) {
    flagged = statics.filter((c) => rel.get(c) !== 'match');
  } else if (matches.length > 0) {
    flagged = statics.filter((c) => rel.get(c) !== 'match' && ((c.group && strongGroups.has(c.group)) || rel.get(c) === 'host'));
  } else {
    const related = statics.filter((c) => {
      const r = rel.get(c);
      if (r === 'host' || r === 'port' || (c.group && weakGroups.has(c.group))) return true;
      // A socket on one side: related when it is the directive the protocol expects.
      return r === 'socket' && protocolOk(service, c);
    });
    flagged = related.length > 0 ? related : names.length > 0 ? statics : [];
  }

  // 3. Findings.
  for (const c of flagged) {
    const e = c.endpoint as Endpoint;
    const r = rel.get(c) as Relation;
    const backend = closest.get(c)?.member as Endpoint;
    if (c.group && c.member && poolGroups.has(c.group)) {
      findings.push(extraMember(c, c.group, c.member));
      continue;
    }
    // `unrelated` (both host and port differ) only gets here when the scope leaves no doubt.
    const code = mismatchCode(r as Mismatch);
    const fam = r === 'host' ? familyNote(e, backend, addresses) : { dial: '', spec: '' };
    const why = fallback ? ` (no server{} block has server_name ${names.join(' ')}: the default server answers)` : '';
    findings.push(
      finding(
        c,
        code,
        'error',
        `nginx dials ${formatEndpoint(e)}${fam.dial}${via(c)} but the spec says ${backendText}${fam.spec}${why}`,
        replaceAddress(c, formatEndpoint(backend)),
      ),
    );
  }
  append(findings, poolGaps());
  // one protocol finding per *_pass line, however many servers its group has
  const wrongProtocol = new Set<Site>();
  for (const c of [...matches, ...flagged]) {
    if (!protocolOk(service, c) && !wrongProtocol.has(c.pass)) {
      wrongProtocol.add(c.pass);
      const authority = c.group ? c.group.name : formatEndpoint(c.endpoint as Endpoint);
      const line = passLine(service.protocol, authority, uriOf(c));
      findings.push({
        ...base(c, 'config.protocol_mismatch', 'error'),
        message: `nginx talks ${c.scheme} to ${c.group ? `upstream ${c.group.name}` : formatEndpoint(c.endpoint as Endpoint)} (${c.pass.directive}) but the spec says ${service.protocol}`,
        fix: `${line}  ${where(c.pass)}`,
        file: c.pass.file,
        line: c.pass.line,
        evidence: evidence(c),
      });
    }
  }
  for (const c of matches.concat(flagged)) {
    const e = c.endpoint as Endpoint;
    if (e.kind !== 'tcp' || isIP(e.host)) continue;
    const addrs = hostAddresses(e.host, addresses);
    const families = new Set(addrs.map((a) => isIP(a)));
    if (families.size < 2) continue;
    const backend = closest.get(c)?.member as Endpoint;
    const specIp = backend.kind === 'tcp' && isIP(backend.host) ? backend.host : undefined;
    const pick = specIp ?? addrs.find((a) => isIP(a) === 4) ?? (addrs[0] as string);
    const replacement = formatEndpoint({ kind: 'tcp', host: pick, port: e.port });
    findings.push(
      finding(
        c,
        'config.localhost_ambiguous',
        'warning',
        `nginx dials ${formatEndpoint(e)}${via(c)}, and ${e.host} resolves to ${addrs.join(' and ')}: nginx tries each address (the spec says ${backendText})`,
        replaceAddress(c, replacement),
      ),
    );
  }
  for (const c of dynamic) {
    findings.push({
      ...base(c, 'config.dynamic_target', 'warning'),
      target: c.target.authority,
      message: `nginx dials ${c.target.authority}, which holds variables resolved per request: it cannot be checked against ${backendText}`,
      fix: `${passLine(service.protocol, pool.length > 1 ? upstreamName(service.name) : backendText)}  ${where(c.pass)}`,
      file: c.pass.file,
      line: c.pass.line,
      evidence: [lineText(c.pass)],
    });
  }

  const mine = [...matches, ...flagged, ...dynamic];
  if (mine.length === 0) findings.push(noTarget(input, servers, fallback, locationMisses, wholeConfig ? dials.unclaimed : statics, where));

  const request = (c: Candidate) => requestOf(c, names, display);
  return { findings: dedupe(findings), dials: dedupeDials(mine.map((c) => toDial(service.name, c, lineText, request(c)))) };

  /** A member of the pool's group that the spec does not name: the fix removes its line, and touches no other. */
  function extraMember(c: Candidate, group: UpstreamGroup, member: UpstreamServer): Finding {
    const e = c.endpoint as Endpoint;
    const line = `${buildDirective({ directive: 'server', line: 0, args: [...member.args] })};`;
    return {
      ...base(c, 'config.pool_mismatch', 'error'),
      message: `upstream ${group.name} has ${formatEndpoint(e)}, which is not in the spec's backend (${backendText})`,
      fix: `remove \`${line}\` from upstream ${group.name} ${where(c.site)}, or add ${formatEndpoint(e)} to the spec's backend list`,
      file: c.site.file,
      line: c.site.line,
      evidence: evidence(c),
    };
  }

  /**
   * The pool's members that a dial of the service does not reach: for each
   * upstream group that holds a member of the pool, each member it lacks (one
   * line to add) or marks `down` (its own line without `down`); for a *_pass
   * that dials one member directly, the others.
   */
  function poolGaps(): Finding[] {
    if (pool.length < 2) return [];
    const out: Finding[] = [];
    const reached = (e: Endpoint | undefined, m: Endpoint) => e !== undefined && relateResolved(e, m, addresses) === 'match';
    const groups = new Map<UpstreamGroup, Candidate>();
    for (const c of matches) if (c.group && !groups.has(c.group)) groups.set(c.group, c);
    for (const [group, c] of groups) {
      for (const m of pool) {
        const servers = group.servers.filter((s) => reached(s.endpoint, m));
        if (servers.some((s) => !s.down)) continue;
        const down = servers[0];
        const target = formatEndpoint(m);
        if (down) {
          const site = { file: down.file, line: down.line };
          out.push({
            code: 'config.pool_mismatch',
            severity: 'warning',
            service: service.name,
            target,
            message: `upstream ${group.name} marks ${target} \`down\`: nginx sends it nothing, though the spec's pool has it`,
            fix: `${withoutDown(lineText(site), down.args)}  ${where(site)}`,
            file: down.file,
            line: down.line,
            evidence: [lineText(site), `upstream ${group.name} ${where(group)} used by: ${lineText(c.pass)} ${where(c.pass)}`],
          });
          continue;
        }
        out.push({
          code: 'config.pool_mismatch',
          severity: 'error',
          service: service.name,
          target,
          message: `upstream ${group.name} lacks ${target}, a member of the spec's pool (${backendText}): nginx never dials it`,
          fix: `server ${target};  (add to upstream ${group.name}, ${display(group.file)}:${group.line})`,
          file: group.file,
          line: group.line,
          evidence: [`upstream ${group.name} ${where(group)}: ${group.servers.map((s) => s.args.join(' ')).join('; ')}`, `used by: ${lineText(c.pass)} ${where(c.pass)}`],
        });
      }
    }
    for (const c of matches) {
      if (c.group) continue;
      const e = c.endpoint as Endpoint;
      const others = pool.filter((m) => !reached(e, m));
      if (others.length === 0) continue;
      const name = upstreamName(service.name);
      const block = `upstream ${name} { ${pool.map((m) => `server ${formatEndpoint(m)};`).join(' ')} }`;
      out.push({
        ...base(c, 'config.pool_mismatch', 'error'),
        target: others.map(formatEndpoint).join(', '),
        message: `nginx dials only ${formatEndpoint(e)} here, not ${others.map(formatEndpoint).join(', ')} of the spec's pool (${backendText})`,
        fix: `${block} (http {} context), then ${passLine(service.protocol, name, uriOf(c))}  ${where(c.pass)}`,
        file: c.pass.file,
        line: c.pass.line,
        evidence: evidence(c),
      });
    }
    return out;
  }

  function base(c: Candidate, code: ReasonCode, severity: Finding['severity']): Finding {
    return {
      code,
      severity,
      service: service.name,
      target: c.endpoint ? formatEndpoint(c.endpoint) : c.target.authority,
      message: '',
    };
  }

  function finding(c: Candidate, code: ReasonCode, severity: Finding['severity'], message: string, fixLine: string): Finding {
    return { ...base(c, code, severity), message, fix: `${fixLine}  ${where(c.site)}`, file: c.site.file, line: c.site.line, evidence: evidence(c) };
  }

  function evidence(c: Candidate): string[] {
    const out = [lineText(c.site)];
    if (c.group) out.push(`upstream ${c.group.name} ${where(c.group)} used by: ${lineText(c.pass)} ${where(c.pass)}`);
    if (c.endpoint?.kind === 'tcp' && !isIP(c.endpoint.host)) {
      const a = hostAddresses(c.endpoint.host, addresses);
      out.push(a.length > 0 ? `${c.endpoint.host} resolves to ${a.join(', ')}` : `${c.endpoint.host} does not resolve`);
    }
    return out;
  }

  /** The dial's line with the address replaced: the exact line to write instead. */
  function replaceAddress(c: Candidate, authority: string): string {
    if (c.member) {
      const args = c.member.args.map((a, i) => (i === 0 ? authority : a));
      return rewrite(lineText(c.site), 'server', c.member.address, authority, args);
    }
    const uri = uriOf(c);
    let arg: string;
    if (c.pass.directive === 'proxy_pass' && c.pass.module === 'http') {
      arg = proxyUrl(c.scheme, authority, uri);
    } else {
      const prefix = /^[a-z]+:\/\//i.exec(c.pass.arg)?.[0] ?? '';
      arg = `${prefix}${authority}`;
    }
    return rewrite(lineText(c.pass), c.pass.directive, c.pass.arg, arg, [arg]);
  }
}

/** A `server` line without its `down`: as written when the line holds just that directive, else rebuilt. */
function withoutDown(text: string, args: readonly string[]): string {
  const code = text.replace(/\s+#[^"']*$/, '');
  const alone = code.startsWith('server ') && code.endsWith(';') && code.indexOf(';') === code.length - 1;
  if (alone) return text.replace(/\s+down(?=[\s;])/, '');
  return `${buildDirective({ directive: 'server', line: 0, args: args.filter((a) => a !== 'down') })};`;
}

/**
 * The replacement for a directive: its line as written with the address
 * swapped when the line holds just that directive (comments and spacing
 * kept), else the directive alone, rebuilt.
 */
function rewrite(text: string, directive: string, old: string, next: string, args: readonly string[]): string {
  const code = text.replace(/\s+#[^"']*$/, '');
  const alone = code.startsWith(`${directive} `) && code.endsWith(';') && code.indexOf(';') === code.length - 1;
  if (alone && text.includes(old)) return text.replace(old, next);
  return `${buildDirective({ directive, line: 0, args: [...args] })};`;
}

/**
 * Without server_name or location every dial of the config is in scope; of
 * those, the rules above can only ever pick these, in config order: the
 * backend's own dials, the unclaimed ones on its port, those of the upstream
 * groups they belong to, and, when none is the backend, those on its host or
 * speaking its protocol to a socket; and every dynamic dial.
 */
function concerning(service: ServiceSpec, dials: DialIndex, addresses: Addresses): Candidate[] {
  const out = new Set<Candidate>(dials.dynamic);
  const groups = new Set<UpstreamGroup>();
  const take = (list: readonly Candidate[] | undefined) => {
    for (const c of list ?? []) {
      out.add(c);
      if (c.group) groups.add(c.group);
    }
  };
  const before = out.size;
  for (const backend of service.pool) for (const k of matchKeys(backend, addresses)) take(dials.byKey.get(k));
  const matched = out.size > before;
  for (const backend of service.pool) if (backend.kind === 'tcp') take(dials.byPort.get(backend.port));
  if (!matched) {
    for (const backend of service.pool) if (backend.kind === 'tcp') for (const k of hostKeys(backend.host, addresses)) take(dials.byHost.get(k));
    const sockets = service.pool.some((b) => b.kind === 'unix') ? dials.byDirective : dials.unixByDirective;
    for (const key of ['stream', PROTOCOLS[service.protocol].directive]) for (const c of sockets.get(key) ?? []) if (protocolOk(service, c)) out.add(c);
  }
  for (const g of groups) for (const c of dials.byGroup.get(g) ?? []) out.add(c);
  return [...out].sort((a, b) => (dials.order.get(a) ?? 0) - (dials.order.get(b) ?? 0));
}

/** ` (IPv6)` / ` (IPv4)` when the two sides are in different families: the classic localhost trap. */
function familyNote(dial: Endpoint, backend: Endpoint, addresses: Addresses): { dial: string; spec: string } {
  if (dial.kind !== 'tcp' || backend.kind !== 'tcp') return { dial: '', spec: '' };
  const fams = (h: string) => new Set(hostAddresses(h, addresses).map((a) => isIP(a)));
  const d = fams(dial.host);
  const b = fams(backend.host);
  if (d.size !== 1 || b.size !== 1 || [...d][0] === [...b][0]) return { dial: '', spec: '' };
  return { dial: ` (IPv${[...d][0]})`, spec: ` (IPv${[...b][0]})` };
}

function via(c: Candidate): string {
  return c.group ? ` (upstream ${c.group.name})` : '';
}

function noTarget(
  input: EvaluateInput,
  servers: readonly ServerBlock[],
  fallback: boolean,
  locationMisses: ServerBlock[],
  statics: readonly Candidate[],
  where: (s: Site) => string,
): Finding {
  const { service } = input;
  const names = service.serverNames.join(' ');
  const backendText = service.pool.map(formatEndpoint).join(', ');
  const want = passLine(service.protocol, service.pool.length > 1 ? upstreamName(service.name) : backendText);
  let message: string;
  let at: Site | undefined = servers[0];
  if (names && servers.length === 0) {
    message = `no server{} block in the nginx config could serve ${names}`;
  } else if (names && fallback) {
    message = `no server{} block has server_name ${names}; the default server ${servers.map(where).join(', ')} dials nothing for ${backendText}`;
  } else if (service.location !== undefined && locationMisses.length === servers.length) {
    message = `no location matches ${service.location} in ${names ? `server_name ${names}` : 'any server{} block'} ${servers.map(where).join(', ')}`;
  } else if (names) {
    message = `server_name ${names} ${servers.map(where).join(', ')} has no ${PROTOCOLS[service.protocol].directive} for ${backendText}`;
  } else if (statics.length === 0) {
    message = `the nginx config has no ${PROTOCOL_DIRECTIVES.slice(0, -1).join(', ')} or ${PROTOCOL_DIRECTIVES.at(-1)} for ${backendText}`;
    at = undefined;
  } else {
    const list = statics.slice(0, 5).map((c) => `${formatEndpoint(c.endpoint as Endpoint)} ${where(c.site)}`);
    message = `nothing in the nginx config dials ${backendText}; it dials ${list.join(', ')}${statics.length > 5 ? ', ...' : ''}`;
    at = undefined;
  }
  const scope = [names && `server_name ${names}`, service.location !== undefined && `location ${service.location}`].filter(Boolean).join(', ');
  return {
    code: 'config.no_target',
    severity: 'error',
    service: service.name,
    target: backendText,
    message,
    fix: `${want}  (${scope ? `in ${scope}` : 'in the location that serves the service'}${at ? `, ${input.display(at.file)}:${at.line}` : ''})`,
    ...(at && { file: at.file, line: at.line }),
  };
}

function toDial(service: string, c: Candidate, lineText: (s: Site) => string, request: NginxRequest | undefined): NginxDial {
  return {
    service,
    directive: c.pass.directive,
    scheme: c.scheme,
    ...(c.endpoint && !c.dynamic && { endpoint: c.endpoint }),
    ...(c.group && { upstream: c.group.name }),
    ...(c.dynamic && { dynamic: true }),
    file: c.site.file,
    line: c.site.line,
    text: lineText(c.site),
    ...(c.server.names[0] !== undefined && { serverName: c.server.names[0] }),
    ...(request && { request }),
  };
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = `${f.code}|${f.file}|${f.line}|${f.target}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function dedupeDials(dials: NginxDial[]): NginxDial[] {
  const seen = new Set<string>();
  return dials.filter((d) => {
    const k = `${d.file}|${d.line}|${d.directive}|${d.scheme}|${d.endpoint ? formatEndpoint(d.endpoint) : ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
