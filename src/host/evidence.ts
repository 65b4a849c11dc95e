// The host's evidence for one classification: which collectors a probe
// failure needs, each read through the Host, best-effort, bounded in time,
// shared by concurrent checks and cached briefly (a refused connect retried
// every 100ms must not run ss ten times a second per check).
import type { Endpoint } from '../model/endpoint.js';
import type { ProbeResult } from '../model/probe-result.js';
import { readFirewall, type FirewallEvidence } from './firewall.js';
import type { Host } from './host.js';
import { readIpv6, type Ipv6Evidence } from './ipv6.js';
import type { ListenerSnapshot } from './listener.js';
import { readSelinux, type SelinuxEvidence } from './selinux.js';
import { readSocketFile, type SocketFileEvidence } from './socket-file.js';
import { readSystemd, type SystemdEvidence } from './systemd.js';

export interface Evidence {
  listeners?: ListenerSnapshot;
  firewall?: FirewallEvidence;
  selinux?: SelinuxEvidence;
  systemd?: SystemdEvidence;
  socketFile?: SocketFileEvidence;
  /** after an EADDRNOTAVAIL on an IPv6 address: whether the host has IPv6 at all */
  ipv6?: Ipv6Evidence;
}

export interface EvidenceCollector {
  gather(probe: ProbeResult, endpoint: Endpoint, address: string | undefined, unit: string | undefined): Promise<Evidence>;
}

/** listeners change as a deploy comes up; firewall, SELinux and unit state hardly ever within a gate */
const FAST_TTL_MS = 250;
const SLOW_TTL_MS = 1000;
const COLLECTOR_BUDGET_MS = 3000;

export function evidenceCollector(host: Host, signal?: AbortSignal): EvidenceCollector {
  // A collection still running is joined, and its answer kept for the TTL from when it came: on a
  // loaded host `ss` outlives the TTL, and thousands of failing checks would each spawn their own.
  const cache = new Map<string, { settledAt?: number; value: Promise<unknown> }>();
  const memo = <T>(key: string, make: () => Promise<T>, ttlMs = FAST_TTL_MS): Promise<T> => {
    const hit = cache.get(key);
    if (hit && (hit.settledAt === undefined || performance.now() - hit.settledAt < ttlMs)) return hit.value as Promise<T>;
    const entry: { settledAt?: number; value: Promise<T> } = { value: make() };
    const settled = () => {
      entry.settledAt = performance.now();
    };
    entry.value.then(settled, settled);
    cache.set(key, entry);
    return entry.value;
  };
  const opts = signal ? { signal } : {};
  const listeners = () => memo('listeners', () => host.listListeners({ ...opts, timeoutMs: 2000 }));
  const firewall = (port: number, family: 4 | 6) => memo(`fw:${family}:${port}`, () => readFirewall(host, port, family, opts), SLOW_TTL_MS);
  const selinux = (port: number) => memo(`se:${port}`, () => readSelinux(host, port, opts), SLOW_TTL_MS);
  const systemd = (unit: string) => memo(`unit:${unit}`, () => readSystemd(host, unit, opts), SLOW_TTL_MS);
  const socketFile = (path: string) => memo(`sock:${path}`, () => readSocketFile(host, path, opts));
  const ipv6 = () => memo('ipv6', () => readIpv6(host, opts), SLOW_TTL_MS);

  return {
    async gather(probe, endpoint, address, unit) {
      if (probe.ok) return {};
      const jobs: Partial<Record<keyof Evidence, Promise<unknown>>> = {};
      const connectFailed = probe.stage === 'connect' || probe.stage === 'resolve';
      if (endpoint.kind === 'unix') {
        if (connectFailed) {
          jobs.socketFile = socketFile(endpoint.path);
          jobs.listeners = listeners();
        }
      } else if (connectFailed) {
        const family = address?.includes(':') ? 6 : 4;
        jobs.listeners = listeners();
        jobs.firewall = firewall(endpoint.port, family);
        if (probe.code === 'EACCES' || probe.code === 'EPERM') jobs.selinux = selinux(endpoint.port);
        if (probe.code === 'EADDRNOTAVAIL' && family === 6) jobs.ipv6 = ipv6();
      }
      if (unit) jobs.systemd = systemd(unit);
      const out: Evidence = {};
      await Promise.all(
        Object.entries(jobs).map(async ([k, p]) => {
          const v = await bounded(p as Promise<unknown>);
          if (v !== undefined) (out as Record<string, unknown>)[k] = v;
        }),
      );
      return out;
    },
  };
}

/** A collector that hangs is dropped, not waited for. */
async function bounded<T>(p: Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), COLLECTOR_BUDGET_MS)));
  try {
    return await Promise.race([p.catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}
