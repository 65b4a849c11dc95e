// The health request over HTTP or HTTPS, `curl -f` semantics.
import { formatEndpoint } from '../../model/endpoint.js';
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
      const r = await probeHttp(a.host, {
        endpoint: dialed(target),
        tls,
        path: service.health ?? '',
        // the Host header nginx sends by default (`proxy_set_header Host $proxy_host`): the address as configured
        ...(endpoint.kind === 'tcp' && { hostHeader: formatEndpoint(endpoint) }),
        connectTimeoutMs: a.connectTimeoutMs,
        requestTimeoutMs: a.requestTimeoutMs,
        signal: a.signal,
        keepAnswer: service.expect !== undefined,
      });
      return matchExpectation(r, service.expect);
    },
  };
}
