// Every dial of the config indexed once by what it dials, so the rules of
// evaluate.ts read, for each of ten thousand services, the few dials that can
// concern its backend instead of every dial of the config: the dials that are
// the backend, share its port or host, sit in the same upstream group, or
// speak its protocol to a socket.
import { isIP } from 'node:net';
import { canonicalIp, type Endpoint } from '../model/endpoint.js';
import type { ServiceSpec } from '../spec/load.js';
import type { Candidate, Expansion } from './dials.js';
import type { PassSite, ServerBlock, UpstreamGroup } from './model.js';

export interface DialIndex {
  /** every dial's place in the config (servers, their passes, each group's members): findings keep that order */
  order: Map<Candidate, number>;
  byPass: Map<PassSite, Candidate[]>;
  /** static dials that are some spec service's backend: that service's, and no other's concern */
  claimed: Set<Candidate>;
  /** static dials by matchKeys() */
  byKey: Map<string, Candidate[]>;
  /** the dials below are all static and claimed by no service */
  byPort: Map<number, Candidate[]>;
  /** by the `n:` / `a:` part of matchKeys() */
  byHost: Map<string, Candidate[]>;
  byGroup: Map<UpstreamGroup, Candidate[]>;
  /** by `stream` or the directive (what protocolOk reads); unix sockets also apart */
  byDirective: Map<string, Candidate[]>;
  unixByDirective: Map<string, Candidate[]>;
  unclaimed: Candidate[];
  /** variables in the address, or no address at all */
  dynamic: Candidate[];
}

/** lower-cased host name -> canonical addresses ([] when it does not resolve) */
export type Addresses = ReadonlyMap<string, readonly string[]>;

export function hostAddresses(host: string, addresses: Addresses): readonly string[] {
  return isIP(host) ? [canonicalIp(host)] : (addresses.get(host.toLowerCase()) ?? []);
}

/** The host keys of a TCP address: its name, and each address it resolves to. */
export function hostKeys(host: string, addresses: Addresses): string[] {
  return [`n:${host.toLowerCase()}`, ...hostAddresses(host, addresses).map((a) => `a:${a}`)];
}

/** Two endpoints share a key exactly when relate() (model/mismatch.ts, with resolved hosts) says `match`: same socket path, or same port and host (by name or by an address). */
export function matchKeys(e: Endpoint, addresses: Addresses): string[] {
  return e.kind === 'unix' ? [`u:${e.path}`] : hostKeys(e.host, addresses).map((k) => `${e.port}|${k}`);
}

function add<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function indexDials(servers: readonly ServerBlock[], expansions: ReadonlyMap<ServerBlock, Expansion>, services: readonly ServiceSpec[], addresses: Addresses): DialIndex {
  const backends = new Set(services.flatMap((s) => s.pool.flatMap((b) => matchKeys(b, addresses))));
  const index: DialIndex = {
    order: new Map(),
    byPass: new Map(),
    claimed: new Set(),
    byKey: new Map(),
    byPort: new Map(),
    byHost: new Map(),
    byGroup: new Map(),
    byDirective: new Map(),
    unixByDirective: new Map(),
    unclaimed: [],
    dynamic: [],
  };
  for (const server of servers) {
    for (const c of expansions.get(server)?.candidates ?? []) {
      index.order.set(c, index.order.size);
      add(index.byPass, c.pass, c);
      const e = c.endpoint;
      if (c.dynamic || !e) {
        index.dynamic.push(c);
        continue;
      }
      const keys = matchKeys(e, addresses);
      for (const k of keys) add(index.byKey, k, c);
      if (keys.some((k) => backends.has(k))) {
        index.claimed.add(c);
        continue;
      }
      index.unclaimed.push(c);
      if (e.kind === 'tcp') {
        add(index.byPort, e.port, c);
        for (const k of hostKeys(e.host, addresses)) add(index.byHost, k, c);
      }
      if (c.group) add(index.byGroup, c.group, c);
      const directive = c.pass.module === 'stream' ? 'stream' : c.pass.directive;
      add(index.byDirective, directive, c);
      if (e.kind === 'unix') add(index.unixByDirective, directive, c);
    }
  }
  return index;
}
