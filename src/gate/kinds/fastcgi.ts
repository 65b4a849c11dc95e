// The health request over FastCGI, as nginx's fastcgi_pass sends it.
import { matchExpectation } from '../../probe/expect.js';
import { probeFastcgi } from '../../probe/fastcgi.js';
import { dialed, dialedSuffix, type ProbeKind } from '../probe-kind.js';

export const fastcgiKind: ProbeKind = {
  stage: 'health',
  protocols: ['fastcgi'],
  checkName: (service, target, distinct) => `fastcgi ${service.health ?? ''}${dialedSuffix(target, distinct)}`,
  probe: async ({ service, target }, a) =>
    matchExpectation(
      await probeFastcgi(a.host, {
        endpoint: dialed(target),
        path: service.health ?? '',
        connectTimeoutMs: a.connectTimeoutMs,
        requestTimeoutMs: a.requestTimeoutMs,
        signal: a.signal,
        keepAnswer: service.expect !== undefined,
      }),
      service.expect,
    ),
};
