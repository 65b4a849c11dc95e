// The health path requested through nginx, as a client would: through the
// server block that serves the service (its listen address, scheme and
// server_name, found in the config), or through nginx.front's URL. A 502 or
// 504 is attributed with the error-log lines nginx wrote since the gate
// began, and a logged upstream address that a name of the config no longer
// resolves to is the address nginx resolved at start.
import { gatewayLines, type GatewayFacts, type StaleAddress } from '../../diagnose/gateway-lines.js';
import { parseErrorLine, upstreamAddress } from '../../diagnose/error-log.js';
import { readSince } from '../../host/file-tail.js';
import { canonicalIp, formatEndpoint, type Endpoint } from '../../model/endpoint.js';
import type { ProbeResult } from '../../model/probe-result.js';
import type { FrontRoute } from '../../nginx/front-route.js';
import { matchExpectation } from '../../probe/expect.js';
import { probeHttp } from '../../probe/http.js';
import { splitHostPort } from '../../nginx/pass-target.js';
import type { ServiceSpec } from '../../spec/load.js';
import type { AttemptContext, FrontTarget, ProbeKind } from '../probe-kind.js';
import { nginxHostsFile } from '../through-nginx.js';

/** The front URL as the gate dials it; the credentials apart, never shown. */
export function frontRequest(front: string) {
  const url = new URL(front);
  const tls = url.protocol === 'https:';
  const endpoint: Endpoint = { kind: 'tcp', host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || (tls ? 443 : 80)) };
  const base = url.pathname.replace(/\/$/, '');
  const secret = url.username || url.password;
  return {
    url,
    tls,
    endpoint,
    base,
    shown: `${url.protocol}//${secret ? '***@' : ''}${url.host}${base}`,
    ...(secret && { credentials: `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` }),
  };
}

/** `https://127.0.0.1:8443/healthz (Host: api.test)`: where the request went and the name it asked for. */
export function routeLabel(route: FrontRoute): string {
  return `${route.tls ? 'https' : 'http'}://${formatEndpoint(route.endpoint)}${route.path}${route.hostName ? ` (Host: ${route.hostName})` : ''}`;
}

export const frontKind: ProbeKind = {
  stage: 'front',
  checkName: (service, target) => `front GET ${target.front?.route.path ?? service.health ?? ''}`,
  async probe({ service, target }, a) {
    const route = target.front?.route;
    const keepAnswer = service.expect !== undefined;
    if (route) {
      // a client of nginx: the block's address, scheme and name; TLS with SNI, the certificate not verified
      const r = await probeHttp(a.host, {
        endpoint: route.endpoint,
        tls: route.tls,
        path: route.path,
        ...(route.hostName !== undefined && { hostHeader: route.hostName }),
        label: routeLabel(route),
        connectTimeoutMs: a.connectTimeoutMs,
        requestTimeoutMs: a.requestTimeoutMs,
        signal: a.signal,
        keepAnswer,
      });
      // the release nginx serves must be the one expected too: a stale upstream still answers the old one
      return matchExpectation(r, service.expect);
    }
    const f = frontRequest(a.spec.nginx.front ?? '');
    const path = service.health ?? '';
    const r = await probeHttp(a.host, {
      endpoint: f.endpoint,
      tls: f.tls,
      path: `${f.base}${path}`,
      hostHeader: service.serverNames.find((n) => !/[*~]/.test(n)) ?? f.url.host,
      label: `${f.shown}${path}`,
      ...(f.credentials !== undefined && { credentials: f.credentials }),
      connectTimeoutMs: a.connectTimeoutMs,
      requestTimeoutMs: a.requestTimeoutMs,
      signal: a.signal,
      keepAnswer,
    });
    return matchExpectation(r, service.expect);
  },
  async evidence(probe, { service, target }, a) {
    const front = target.front;
    const gateway: GatewayFacts = {};
    const gatewayError = !probe.ok && (probe.status === 502 || probe.status === 504);
    let errorLog: string[] | undefined;
    if (front) {
      if (!probe.ok && probe.status === undefined && front.nginx?.running === false) gateway.notRunning = notRunningLines(front);
      if (!probe.ok && front.route.pathNote !== undefined) gateway.routeNote = front.route.pathNote;
      if (gatewayError) {
        const read = await routeLines(service, front, a);
        errorLog = read.lines;
        gateway.logNote = read.note;
        const stale = await staleIn(errorLog, front, a, probe);
        if (stale) gateway.stale = stale;
      }
    } else if (gatewayError) {
      errorLog = await gatewayEvidence(service, a);
    }
    // an answer from nginx says where it failed; the host's state says nothing more
    const evidence = probe.ok || probe.status !== undefined ? {} : await a.evidence.gather(probe, target.endpoint, undefined, undefined);
    return { evidence, ...(errorLog && { errorLog }), ...(Object.keys(gateway).length > 0 && { gateway }) };
  },
};

async function gatewayEvidence(service: ServiceSpec, a: AttemptContext): Promise<string[]> {
  const file = a.spec.nginx.errorLog;
  if (!file) return ['nginx.error_log is not set: the 502 cannot be attributed'];
  if (a.errorLogFrom === undefined) return [`${file} was not readable when the gate started`];
  const { lines, error } = await readSince(a.host, file, a.errorLogFrom, { signal: a.signal });
  if (error) return [error];
  return gatewayLines(lines, service.serverNames);
}

/** The lines of the route's error log (nginx.error_log overriding) written since the phase began. */
async function routeLines(service: ServiceSpec, front: FrontTarget, a: AttemptContext): Promise<{ lines: string[]; note: string }> {
  const { route } = front;
  const file = a.spec.nginx.errorLog ?? ('path' in route.errorLog ? route.errorLog.path : undefined);
  const whence = a.spec.nginx.errorLog !== undefined ? 'nginx.error_log' : `the error_log of ${route.errorLog.where}`;
  if (file === undefined || front.errorLogFrom === undefined) {
    const why = front.errorLogProblem ?? ('unreadable' in route.errorLog ? route.errorLog.unreadable : `${file} could not be read`);
    return { lines: [], note: `the 502 cannot be attributed: ${why}` };
  }
  const { lines, error } = await readSince(a.host, file, front.errorLogFrom, { signal: a.signal });
  if (error) return { lines: [], note: `the 502 cannot be attributed: ${error}` };
  const names = route.hostName !== undefined ? [...new Set([...service.serverNames, route.hostName])] : service.serverNames;
  return { lines: gatewayLines(lines, names), note: `error log read: ${file} (${whence})` };
}

function notRunningLines(front: FrontTarget): string[] {
  const notes = front.nginx?.notes ?? [];
  return [
    front.pidFile !== undefined ? `pid file: ${front.pidFile}` : 'no pid file named by the config: looked for the master among the processes',
    ...notes.map((n) => `looked at: ${n}`),
    `the config serves it from ${route(front.route)}`,
  ];
}

function route(r: FrontRoute): string {
  return `${r.listen} (${r.server.file}:${r.server.line})`;
}

/**
 * A logged upstream address on the port of a name nginx resolved at start,
 * which that name no longer resolves to: nginx still dials the old answer.
 */
async function staleIn(lines: readonly string[], front: FrontTarget, a: AttemptContext, probe: ProbeResult): Promise<StaleAddress | undefined> {
  const names = front.route.startNames;
  if (names.length === 0 || probe.ok) return undefined;
  const answers = new Map<string, string[] | undefined>();
  const answer = async (name: string) => {
    if (!answers.has(name)) {
      const r = await a.host.resolve(name, { timeoutMs: a.connectTimeoutMs, signal: a.signal });
      answers.set(name, r.ok ? r.addresses.map(canonicalIp) : undefined);
    }
    return answers.get(name);
  };
  for (let k = lines.length - 1; k >= 0; k--) {
    const line = lines[k] as string;
    const upstream = parseErrorLine(line)?.upstream;
    if (upstream === undefined) continue;
    const hp = splitHostPort(upstreamAddress(upstream).replace(/^\w+:\/\//, ''));
    if (typeof hp === 'string' || hp.port === undefined) continue;
    const dialed = canonicalIp(hp.host);
    const candidates = names.filter((n) => n.port === hp.port);
    if (candidates.length === 0) continue;
    const now = await Promise.all(candidates.map((n) => answer(n.name)));
    // the address is still one name's answer, or a name does not resolve now: nothing stale to say
    if (now.some((addrs) => addrs === undefined || addrs.includes(dialed))) continue;
    const n = candidates[0] as (typeof candidates)[number];
    const hosts = front.nginx?.running ? await nginxHostsFile(a.host, front.nginx.process.masterPid, a.signal) : undefined;
    const startedAt = front.nginx?.running ? front.nginx.process.startedAt : undefined;
    return {
      name: n.name,
      port: n.port,
      dialed: formatEndpoint({ kind: 'tcp', host: dialed, port: hp.port }),
      now: now[0] ?? [],
      file: n.file,
      line: n.line,
      evidence: [
        line,
        `${n.name} resolves now to ${(now[0] ?? []).join(', ')}`,
        ...(startedAt !== undefined ? [`nginx master pid ${front.nginx?.running ? front.nginx.process.masterPid : ''} started ${new Date(startedAt).toISOString()}`] : []),
        ...(hosts?.mtimeMs !== undefined ? [`${hosts.path} modified ${new Date(hosts.mtimeMs).toISOString()}${startedAt !== undefined && hosts.mtimeMs > startedAt ? ', after nginx started' : ''}`] : []),
      ],
    };
  }
  return undefined;
}
