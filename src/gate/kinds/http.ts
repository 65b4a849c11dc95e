// The health request over HTTP or HTTPS, `curl -f` semantics, with the
// request headers nginx sends the backend (the serving location's
// proxy_set_header values, else nginx's defaults), as far as the config phase
// could evaluate them.
import { formatEndpoint } from '../../model/endpoint.js';
import type { NginxRequest } from '../../model/dial.js';
import { maskCredentials } from '../../model/mask.js';
import { matchExpectation } from '../../probe/expect.js';
import { probeHttp } from '../../probe/http.js';
import { dialed, dialedSuffix, type ProbeKind } from '../probe-kind.js';

export function httpKind(tls: boolean): ProbeKind {
  const scheme = tls ? 'https' : 'http';
  return {
    stage: 'health',
    protocols: [scheme],
    checkName: (service, target, distinct) => `${scheme} GET ${service.health ?? ''}${dialedSuffix(target, distinct)}`,
    async probe({ service, target }, a) {
      const { endpoint } = target;
      const request = target.dial?.request;
      const r = await probeHttp(a.host, {
        endpoint: dialed(target),
        tls,
        path: service.health ?? '',
        // the Host header nginx sends by default (`proxy_set_header Host $proxy_host`) when the config phase did not say: the address as configured
        ...(endpoint.kind === 'tcp' && { hostHeader: formatEndpoint(endpoint) }),
        ...(request && { headers: request.headers }),
        connectTimeoutMs: a.connectTimeoutMs,
        requestTimeoutMs: a.requestTimeoutMs,
        signal: a.signal,
        keepAnswer: service.expect !== undefined,
      });
      return matchExpectation(r, service.expect);
    },
    async recheck(attempt, { target }) {
      const request = target.dial?.request;
      if (!request || !attempt.finding) return attempt;
      const { finding } = attempt;
      return { ...attempt, finding: { ...finding, evidence: [...(finding.evidence ?? []), ...requestEvidence(request)] } };
    },
  };
}

/** Header values that carry credentials: named, never shown. */
const SECRET = /authorization|cookie|token|secret|password|api-?key/i;

/** What the request carried, and what it left out, as evidence lines. */
export function requestEvidence(r: NginxRequest): string[] {
  const shown = (h: { name: string; value: string }) => `${h.name}: ${SECRET.test(h.name) ? '***' : maskCredentials(h.value)}`;
  const out = [`request headers as nginx sends them, from ${r.source}: ${r.headers.length > 0 ? r.headers.map(shown).join('; ') : 'none'}`];
  for (const h of r.skipped) {
    const instead = h.name.toLowerCase() === 'host' ? '; Host is the dialed address instead' : '';
    out.push(`not sent: ${h.name} ${SECRET.test(h.name) ? '***' : maskCredentials(h.value)} (${h.why}${instead})`);
  }
  if (r.uri !== undefined) out.push(`proxy_pass has the URI part ${r.uri}: nginx rewrites the path it passes; the health request GETs the spec's health path as written`);
  return out;
}
