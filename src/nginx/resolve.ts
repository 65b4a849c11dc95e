// Names resolved the way nginx resolves upstream names at start-up: every
// address of every family (getaddrinfo), each of which nginx then dials. The
// lookup runs where it can be abandoned (host/name-lookup.ts), and is waited
// for at most half the time the gate has left.
import { isIP } from 'node:net';
import { lookupHost } from '../host/name-lookup.js';
import { canonicalIp } from '../model/endpoint.js';
import { configWait } from './config-wait.js';

/** Every address of `host`; [] when it does not resolve (the probe phase classifies that). */
export type Resolver = (host: string, signal: AbortSignal) => Promise<string[]>;

export const RESOLVE_TIMEOUT_MS = 3000;

/** `deadlineAt`: the gate's deadline (epoch ms); without one, `timeoutMs` alone bounds a lookup. */
export function dnsResolver(timeoutMs = RESOLVE_TIMEOUT_MS, deadlineAt = Number.POSITIVE_INFINITY): Resolver {
  const cache = new Map<string, Promise<string[]>>();
  return (host, signal) => {
    if (isIP(host)) return Promise.resolve([canonicalIp(host)]);
    const key = host.toLowerCase();
    let p = cache.get(key);
    if (!p) {
      const wait = configWait(deadlineAt, timeoutMs);
      p = lookupHost(host, { timeoutMs: wait, signal }).then((a) => (a.ok ? [...new Set(a.addresses.map((x) => canonicalIp(x.address)))] : []));
      cache.set(key, p);
    }
    return p;
  };
}
