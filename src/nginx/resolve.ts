// Names resolved the way nginx resolves upstream names at start-up: every
// address of every family, in nginx's order, each of which nginx then dials.
// The Host resolves them, where nginx runs; each lookup is waited for at most
// half the time the gate has left.
import type { Host } from '../host/host.js';
import { canonicalIp } from '../model/endpoint.js';
import { configWait } from './config-wait.js';

/** Every address of `host`, canonical; [] when it does not resolve (the probe phase classifies that). */
export type Resolver = (host: string, signal: AbortSignal) => Promise<string[]>;

export const RESOLVE_TIMEOUT_MS = 3000;

/** Each name looked up once per config phase. `deadlineAt`: the gate's deadline (epoch ms); without one, `timeoutMs` alone bounds a lookup. */
export function hostResolver(host: Host, timeoutMs = RESOLVE_TIMEOUT_MS, deadlineAt = Number.POSITIVE_INFINITY): Resolver {
  const cache = new Map<string, Promise<string[]>>();
  return (name, signal) => {
    const key = name.toLowerCase();
    let p = cache.get(key);
    if (!p) {
      p = host.resolve(name, { timeoutMs: configWait(deadlineAt, timeoutMs), signal }).then((r) => (r.ok ? [...new Set(r.addresses.map(canonicalIp))] : []));
      cache.set(key, p);
    }
    return p;
  };
}
