// A name's resolution on the host, retried (DNS may come up late): its
// addresses, in nginx's order, are what the listener checks then dial.
import type { ProbeResult } from '../../model/probe-result.js';
import type { ProbeKind } from '../probe-kind.js';

export const resolveKind: ProbeKind = {
  stage: 'listener',
  checkName: (_service, { endpoint }) => `resolve ${endpoint.kind === 'tcp' ? endpoint.host : endpoint.path}`,
  async probe({ target: { endpoint } }, a): Promise<ProbeResult> {
    const name = endpoint.kind === 'tcp' ? endpoint.host : endpoint.path;
    // bounded by the deadline even on a check's first attempt (which otherwise gets its full timeouts):
    // a resolver that never answers is the finding at the deadline, not a wait until the hard stop
    const r = await a.host.resolve(name, { timeoutMs: Math.min(a.connectTimeoutMs, Math.max(1, a.deadlineAt - Date.now())), signal: a.signal });
    const base = { kind: 'tcp', target: name, stage: 'resolve', timings: { totalMs: r.durationMs } } as const;
    if (r.ok) return { ok: true, ...base, message: r.addresses.join(', '), addresses: r.addresses };
    if (r.code === undefined) {
      // nothing answered: the classified finding says within what, in these words
      const atDeadline = Date.now() >= a.deadlineAt - 1;
      return { ok: false, ...base, message: `the resolver did not answer within ${atDeadline ? "the gate's deadline" : 'connect_timeout'}, ${Math.round(r.durationMs)} ms` };
    }
    return { ok: false, ...base, code: r.code, ...(r.errno !== undefined && { errno: r.errno }), message: r.message };
  },
  // what the classifier needs is the resolver's answer itself
  evidence: async () => ({ evidence: {} }),
  successThreshold: 1,
  silentPass: true,
};
