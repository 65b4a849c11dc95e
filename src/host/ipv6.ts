// Whether the host has IPv6 at all, for an EADDRNOTAVAIL (99) on an IPv6
// connect: with IPv6 disabled (net.ipv6.conf.*.disable_ipv6 = 1, or the
// kernel's ipv6.disable=1) no interface holds an IPv6 address, not even ::1,
// and every IPv6 connect fails at once. Read through the Host, so it is the
// checked machine's network that answers.
import { canonicalIp } from '../model/endpoint.js';
import type { Host, HostOptions } from './host.js';

export interface Ipv6Evidence {
  /** the IPv6 addresses the interfaces hold (/proc/net/if_inet6), `::1` as written */
  addresses: string[];
  /** net.ipv6.conf.all.disable_ipv6, when it could be read */
  disabled?: boolean;
  notes: string[];
}

/** `00000000000000000000000000000001 01 80 10 80 lo` -> `::1` (lo) */
export function parseIfInet6(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const [hex, , , , , dev] = line.trim().split(/\s+/);
    if (!hex || !/^[0-9a-f]{32}$/i.test(hex)) continue;
    const text6 = canonicalIp((hex.match(/.{4}/g) ?? []).join(':'));
    out.push(dev ? `${text6} (${dev})` : text6);
  }
  return out;
}

export async function readIpv6(host: Host, options: HostOptions = {}): Promise<Ipv6Evidence> {
  const [inet6, all] = await Promise.all([host.readFile('/proc/net/if_inet6', options), host.readFile('/proc/sys/net/ipv6/conf/all/disable_ipv6', options)]);
  const notes: string[] = [];
  // no if_inet6 at all: the kernel runs without IPv6 (ipv6.disable=1)
  const addresses = inet6.ok ? parseIfInet6(inet6.data.toString('utf8')) : [];
  if (!inet6.ok && inet6.code !== 'ENOENT') notes.push(`cannot read /proc/net/if_inet6: ${inet6.message}`);
  const flag = all.ok ? all.data.toString('utf8').trim() : undefined;
  return { addresses, ...(flag !== undefined && { disabled: flag === '1' }), notes };
}
