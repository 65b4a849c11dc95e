// A connect from this process: one TCP address or one unix socket path, with
// its own timeout and the gate's signal. Never throws.
import { connect } from 'node:net';
import type { Endpoint } from '../../model/endpoint.js';
import { ABORTED } from '../../model/probe-result.js';
import { errorFacts, LINUX_ERRNO } from '../errno.js';
import type { Dialed, HostFailure } from '../host.js';
import { connectLookup } from './resolve.js';

export function dialLocal(endpoint: Endpoint, options: { timeoutMs: number; signal?: AbortSignal }): Promise<Dialed> {
  const started = performance.now();
  const fail = (facts: { code?: string; errno?: number; message: string }): HostFailure => ({ ok: false, ...facts, durationMs: performance.now() - started });
  if (options.signal?.aborted) return Promise.resolve(fail({ code: ABORTED, message: 'aborted before connecting' }));
  return new Promise((resolve) => {
    const socket =
      endpoint.kind === 'unix'
        ? connect({ path: endpoint.path })
        : connect({ host: endpoint.host, port: endpoint.port, autoSelectFamily: false, lookup: connectLookup });
    let settled = false;
    const settle = (d: Dialed) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      socket.removeListener('error', onError);
      if (!d.ok) socket.destroy();
      resolve(d);
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
      const { localAddress, localPort } = socket;
      settle({
        ok: true,
        stream: socket,
        connectMs: performance.now() - started,
        ...(localAddress !== undefined && { local: { address: localAddress, port: localPort ?? 0 } }),
      });
    });
  });
}
