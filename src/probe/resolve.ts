// A name to every address it resolves to, in the order nginx dials them:
// nginx's ngx_inet_resolve_host() keeps getaddrinfo's order but puts every
// IPv4 address before the IPv6 ones. The lookup runs where it can be
// abandoned (host/name-lookup.ts): a resolver that does not answer costs the
// gate its deadline, never more.
import { isIP, type LookupFunction } from 'node:net';
import { lookupHost } from '../host/name-lookup.js';
import { ABORTED } from '../model/probe-result.js';

export type Resolved =
  | { ok: true; addresses: string[]; durationMs: number }
  | { ok: false; code?: string; errno?: number; message: string; durationMs: number };

export async function resolveAll(host: string, options: { timeoutMs: number; signal?: AbortSignal; deadlineAt?: number }): Promise<Resolved> {
  const started = performance.now();
  if (isIP(host)) return { ok: true, addresses: [host], durationMs: 0 };
  const a = await lookupHost(host, options);
  const durationMs = performance.now() - started;
  if (a.ok) {
    const seen = new Set<string>();
    const v4 = a.addresses.filter((x) => x.family === 4).map((x) => x.address);
    const v6 = a.addresses.filter((x) => x.family === 6).map((x) => x.address);
    const addresses = [...v4, ...v6].filter((x) => !seen.has(x) && seen.add(x));
    return addresses.length ? { ok: true, addresses, durationMs } : { ok: false, code: 'ENOTFOUND', message: `${host} has no address`, durationMs };
  }
  if ('unanswered' in a) {
    if (a.aborted) return { ok: false, code: ABORTED, message: a.message, durationMs };
    // no getaddrinfo code: nothing answered, and the classified finding says so in these words
    const atDeadline = options.deadlineAt !== undefined && Date.now() >= options.deadlineAt - 1;
    return { ok: false, message: `the resolver did not answer within ${atDeadline ? "the gate's deadline" : 'connect_timeout'}, ${a.waitedMs} ms`, durationMs };
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
