// The health path requested through nginx's front, with the Host header of
// the service's server block: a 502 or 504 is attributed with the error-log
// lines nginx wrote since the gate began.
import { gatewayLines } from '../../diagnose/gateway-lines.js';
import { readSince } from '../../host/file-tail.js';
import type { Endpoint } from '../../model/endpoint.js';
import { matchExpectation } from '../../probe/expect.js';
import { probeHttp } from '../../probe/http.js';
import type { ServiceSpec } from '../../spec/load.js';
import type { AttemptContext, ProbeKind } from '../probe-kind.js';

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

export const frontKind: ProbeKind = {
  stage: 'front',
  checkName: (service) => `front GET ${service.health ?? ''}`,
  async probe({ service }, a) {
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
      keepAnswer: service.expect !== undefined,
    });
    // the release nginx serves must be the one expected too: a stale upstream still answers the old one
    return matchExpectation(r, service.expect);
  },
  async evidence(probe, { service, target }, a) {
    const errorLog = !probe.ok && (probe.status === 502 || probe.status === 504) ? await gatewayEvidence(service, a) : undefined;
    // an answer from nginx says where it failed; the host's state says nothing more
    const evidence = probe.ok || probe.status !== undefined ? {} : await a.evidence.gather(probe, target.endpoint, undefined, undefined);
    return { evidence, ...(errorLog && { errorLog }) };
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
