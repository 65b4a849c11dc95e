// Names resolved the way nginx resolves upstream names at start-up: every
// address of every family (getaddrinfo), each of which nginx then dials.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { canonicalIp } from '../model/endpoint.js';

/** Every address of `host`; [] when it does not resolve (the probe phase classifies that). */
export type Resolver = (host: string, signal: AbortSignal) => Promise<string[]>;

export const RESOLVE_TIMEOUT_MS = 3000;


export function dnsResolver(timeoutMs = RESOLVE_TIMEOUT_MS): Resolver {
  const cache = new Map<string, Promise<string[]>>();
  return (host, signal) => {
    if (isIP(host)) return Promise.resolve([canonicalIp(host)]);
    const key = host.toLowerCase();
    let p = cache.get(key);
    if (!p) {
      p = withTimeout(
        lookup(host, { all: true }).then((list) => [...new Set(list.map((a) => canonicalIp(a.address)))]),
        timeoutMs,
        signal,
      ).catch(() => []);
      cache.set(key, p);
    }
    return p;
  };
}

/** dns.lookup takes no signal: race it against the timeout and the gate's abort. */
function withTimeout<T>(p: Promise<T>, ms: number, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => reject(new Error('timed out')), ms);
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    });
  });
}
