// One connect attempt to a TCP address or a unix socket, dialed by the Host:
// connect, note the timings, close. A listener probe sends nothing.
import type { Host, HostFailure } from '../host/host.js';
import { formatEndpoint, type Endpoint } from '../model/endpoint.js';
import type { ProbeResult } from '../model/probe-result.js';

export interface ConnectOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

/** A dial that failed, as the probe result of `kind` against `target`. */
export function dialFailure(d: HostFailure, kind: ProbeResult['kind'], target: string): ProbeResult {
  return {
    ok: false,
    kind,
    target,
    stage: 'connect',
    ...(d.code !== undefined && { code: d.code }),
    ...(d.errno !== undefined && { errno: d.errno }),
    message: d.message,
    timings: { totalMs: d.durationMs },
  };
}

/**
 * The listener probe: one connect to one address (a TCP IP literal: names
 * are resolved by the caller, one address at a time) or one socket path,
 * then close. Never throws.
 */
export async function probeConnect(host: Host, endpoint: Endpoint, options: ConnectOptions): Promise<ProbeResult> {
  const kind = endpoint.kind === 'unix' ? 'unix' : 'tcp';
  const d = await host.dial(endpoint, options);
  if (!d.ok) return dialFailure(d, kind, formatEndpoint(endpoint));
  d.stream.destroy();
  return {
    ok: true,
    kind,
    target: formatEndpoint(endpoint),
    stage: 'connect',
    message: `connected in ${d.connectMs.toFixed(1)}ms`,
    timings: { connectMs: d.connectMs, totalMs: d.connectMs },
    ...(d.local !== undefined && kind === 'tcp' && { localAddress: formatEndpoint({ kind: 'tcp', host: d.local.address, port: d.local.port }) }),
  };
}
