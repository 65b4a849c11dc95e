// Names resolved the way nginx resolves upstream names at start-up: every
// address of every family (getaddrinfo), each of which nginx then dials.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/** Every address of `host`; [] when it does not resolve (the probe phase classifies that). */
export type Resolver = (host: string, signal: AbortSignal) => Promise<string[]>;

export const RESOLVE_TIMEOUT_MS = 3000;

/** One canonical spelling per address, so `::1` and `0:0::1` compare equal. */
export function canonicalIp(ip: string): string {
  const family = isIP(ip);
  if (family !== 6) return ip;
  let s = ip.toLowerCase().replace(/%.*$/, '');
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const b = (v4[1] as string).split('.').map(Number);
    s = s.slice(0, -(v4[1] as string).length) + `${(((b[0] ?? 0) << 8) | (b[1] ?? 0)).toString(16)}:${(((b[2] ?? 0) << 8) | (b[3] ?? 0)).toString(16)}`;
  }
  const [head = '', tail] = s.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.map((g) => Number.parseInt(g || '0', 16).toString(16)).join(':');
}

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
