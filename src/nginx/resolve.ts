// Names resolved the way nginx resolves upstream names at start-up: every
// address of every family (getaddrinfo), each of which nginx then dials.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/** Every address of `host`; [] when it does not resolve (the probe phase classifies that). */
export type Resolver = (host: string, signal: AbortSignal) => Promise<string[]>;

export const RESOLVE_TIMEOUT_MS = 3000;

/** One canonical spelling per address (RFC 5952), so `::1` and `0:0::1` compare equal. */
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
  const nums = groups.map((g) => Number.parseInt(g || '0', 16));
  if (nums.length === 8 && nums.slice(0, 5).every((x) => x === 0) && nums[5] === 0xffff) {
    const [a = 0, b = 0] = nums.slice(6);
    return `::ffff:${a >> 8}.${a & 255}.${b >> 8}.${b & 255}`;
  }
  const hex = nums.map((x) => x.toString(16));
  // RFC 5952: the longest run of two or more zero groups becomes `::`
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < hex.length; ) {
    let j = i;
    while (j < hex.length && hex[j] === '0') j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j > i ? j : i + 1;
  }
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
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
