// How an address nginx dials relates to the spec's backend, and the config.*
// code of each way it differs. The config check and explain's cross-check
// both say it with these, so one nginx line gets one code from either command.
import type { ReasonCode } from './codes.js';
import type { Endpoint } from './endpoint.js';

/** `unrelated`: host and port both differ. A unix socket on either side that is not the same path: `socket`. */
export type Relation = 'match' | 'host' | 'port' | 'socket' | 'unrelated';
export type Mismatch = Exclude<Relation, 'match'>;

/** `sameHost` says whether two hosts (names or addresses, as written) are one host. */
export function relate(dial: Endpoint, backend: Endpoint, sameHost: (dialHost: string, backendHost: string) => boolean): Relation {
  if (dial.kind === 'unix' || backend.kind === 'unix') {
    return dial.kind === 'unix' && backend.kind === 'unix' && dial.path === backend.path ? 'match' : 'socket';
  }
  const same = sameHost(dial.host, backend.host);
  if (dial.port === backend.port) return same ? 'match' : 'host';
  return same ? 'port' : 'unrelated';
}

const CODE: Record<Mismatch, ReasonCode> = {
  socket: 'config.socket_mismatch',
  port: 'config.port_mismatch',
  host: 'config.host_mismatch',
  // both differ: nginx dials another address altogether
  unrelated: 'config.host_mismatch',
};

export function mismatchCode(m: Mismatch): ReasonCode {
  return CODE[m];
}
