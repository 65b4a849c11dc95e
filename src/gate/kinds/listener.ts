// A listener check: one connect to one address (tcp) or socket path (unix),
// nothing sent.
import { formatEndpoint } from '../../model/endpoint.js';
import { probeConnect } from '../../probe/connect.js';
import { dialed, type Check, type AttemptContext, type ProbeKind } from '../probe-kind.js';

const connect = (check: Check, a: AttemptContext) => probeConnect(a.host, dialed(check.target), { timeoutMs: a.connectTimeoutMs, signal: a.signal });

export const listenerKind: ProbeKind = {
  stage: 'listener',
  checkName: (_service, target) => `${target.endpoint.kind} ${target.endpoint.kind === 'unix' ? target.endpoint.path : formatEndpoint(dialed(target))}`,
  probe: connect,
  async recheck(attempt, check, a) {
    if (attempt.finding?.code !== 'network.rejected' || attempt.probe.code !== 'ECONNREFUSED') return attempt;
    // the listener seen after the refused connect may have only just come up: ask again before blaming a firewall
    const again = await connect(check, a);
    return again.ok ? { ok: true, probe: again } : attempt;
  },
};
