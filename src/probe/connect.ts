// One connect attempt to a TCP address or a unix socket: connect, note the
// timings, close. A listener probe sends nothing.
import { connect, type Socket } from 'node:net';
import { formatEndpoint, type Endpoint } from '../model/endpoint.js';
import { errorFacts, LINUX_ERRNO } from './errno.js';
import { connectLookup } from './resolve.js';
import { ABORTED, type ProbeResult } from '../model/probe-result.js';

export interface ConnectOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

/** A connected socket, or the failed result. The caller owns (and destroys) the socket. */
export type Connected = { ok: true; socket: Socket; connectMs: number } | { ok: false; result: ProbeResult };


/**
 * Connect to one address (a TCP IP literal: names are resolved by the caller,
 * one address at a time) or one socket path. Never throws.
 */
export function openConnection(endpoint: Endpoint, kind: ProbeResult['kind'], options: ConnectOptions): Promise<Connected> {
  const started = performance.now();
  const target = formatEndpoint(endpoint);
  const fail = (facts: { code?: string; errno?: number; message: string }): Connected => ({
    ok: false,
    result: { ok: false, kind, target, stage: 'connect', ...facts, timings: { totalMs: performance.now() - started } },
  });
  if (options.signal?.aborted) return Promise.resolve(fail({ code: ABORTED, message: 'aborted before connecting' }));
  return new Promise((resolve) => {
    const socket =
      endpoint.kind === 'unix'
        ? connect({ path: endpoint.path })
        : connect({ host: endpoint.host, port: endpoint.port, autoSelectFamily: false, lookup: connectLookup });
    let settled = false;
    const settle = (c: Connected) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      socket.removeListener('error', onError);
      if (!c.ok) socket.destroy();
      resolve(c);
    };
    const onError = (e: unknown) => settle(fail(errorFacts(e)));
    const onAbort = () => settle(fail({ code: ABORTED, message: `aborted after ${Math.round(performance.now() - started)}ms` }));
    const timer = setTimeout(
      () => settle(fail({ code: 'ETIMEDOUT', errno: LINUX_ERRNO.ETIMEDOUT, message: `connect timed out after ${options.timeoutMs}ms` })),
      options.timeoutMs,
    );
    options.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('error', onError);
    socket.once('connect', () => {
      // errors after the handoff belong to whoever reads the socket next
      socket.on('error', () => {});
      settle({ ok: true, socket, connectMs: performance.now() - started });
    });
  });
}

/** The listener probe: one connect, then close. */
export async function probeConnect(endpoint: Endpoint, options: ConnectOptions): Promise<ProbeResult> {
  const kind = endpoint.kind === 'unix' ? 'unix' : 'tcp';
  const c = await openConnection(endpoint, kind, options);
  if (!c.ok) return c.result;
  const local = c.socket.localAddress;
  const localPort = c.socket.localPort;
  c.socket.destroy();
  return {
    ok: true,
    kind,
    target: formatEndpoint(endpoint),
    stage: 'connect',
    message: `connected in ${c.connectMs.toFixed(1)}ms`,
    timings: { connectMs: c.connectMs, totalMs: c.connectMs },
    ...(local !== undefined && kind === 'tcp' && { localAddress: formatEndpoint({ kind: 'tcp', host: local, port: localPort ?? 0 }) }),
  };
}
