// What gets dialed. A name (`localhost`) is kept as written; the probe phase
// resolves it to every address, as nginx does at start-up.
import { isIP } from 'node:net';

export type Endpoint =
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'unix'; path: string };

/** `127.0.0.1:8000`, `[::1]:8000`, `localhost:8000`, `unix:/run/app.sock` */
export function formatEndpoint(e: Endpoint): string {
  if (e.kind === 'unix') return `unix:${e.path}`;
  return `${isIP(e.host) === 6 ? `[${e.host}]` : e.host}:${e.port}`;
}

export function sameEndpoint(a: Endpoint, b: Endpoint): boolean {
  if (a.kind === 'unix' || b.kind === 'unix') return a.kind === b.kind && (a as { path: string }).path === (b as { path: string }).path;
  return a.port === b.port && a.host.toLowerCase() === b.host.toLowerCase();
}

/** 4, 6, or 0 for a name that still needs resolving. */
export function ipFamily(host: string): 0 | 4 | 6 {
  return isIP(host) as 0 | 4 | 6;
}

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
