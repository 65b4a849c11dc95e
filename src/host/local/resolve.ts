// A name to every address getaddrinfo gives this machine, in the order nginx
// dials them. The lookup runs where it can be abandoned (name-lookup.ts): a
// resolver that does not answer costs the gate its deadline, never more.
import { isIP, type LookupFunction } from 'node:net';
import { ABORTED } from '../../model/probe-result.js';
import { inNginxOrder } from '../address-order.js';
import type { Resolution } from '../host.js';
import { lookupHost } from '../name-lookup.js';

export async function resolveLocal(host: string, options: { timeoutMs: number; signal?: AbortSignal }): Promise<Resolution> {
  const started = performance.now();
  if (isIP(host)) return { ok: true, addresses: [host], durationMs: 0 };
  const a = await lookupHost(host, options);
  const durationMs = performance.now() - started;
  if (a.ok) {
    const addresses = inNginxOrder(a.addresses);
    return addresses.length ? { ok: true, addresses, durationMs } : { ok: false, code: 'ENOTFOUND', message: `${host} has no address`, durationMs };
  }
  if ('unanswered' in a) {
    if (a.aborted) return { ok: false, code: ABORTED, message: a.message, durationMs };
    // nothing answered, so no code; waited for since the lookup was first asked (a retry shares one in flight)
    return { ok: false, message: a.message, durationMs: a.waitedMs };
  }
  // getaddrinfo's failures carry no errno: keep the code alone
  return { ok: false, ...(a.code !== undefined && { code: a.code }), message: `${host}: ${a.code ?? a.message}`, durationMs };
}

/** For net.connect's `lookup` option: a name dialed directly (nginx's front) is resolved the same abandonable way. */
export const connectLookup: LookupFunction = (hostname, options, callback) => {
  // the connect attempt's own timeout and signal end the dial; this only must not outlive the gate
  void lookupHost(hostname, { timeoutMs: 60_000 }).then((a) => {
    if (!a.ok) {
      const e = Object.assign(new Error(`getaddrinfo ${'code' in a && a.code ? a.code : 'EAI_AGAIN'} ${hostname}`), { code: 'code' in a && a.code ? a.code : 'EAI_AGAIN', hostname });
      return callback(e, '', 0);
    }
    const family = typeof options.family === 'number' ? options.family : options.family === 'IPv6' ? 6 : options.family === 'IPv4' ? 4 : 0;
    const list = a.addresses.filter((x) => family === 0 || x.family === family);
    if (options.all) return (callback as unknown as (e: null, l: typeof list) => void)(null, list);
    const first = list[0];
    if (!first) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname }), '', 0);
    return callback(null, first.address, first.family);
  });
};
