// A name to every address getaddrinfo gives this process, in the order nginx
// dials them.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { errorFacts } from '../../probe/errno.js';
import { ABORTED } from '../../probe/result.js';
import { inNginxOrder } from '../address-order.js';
import type { Resolution } from '../host.js';

export async function resolveLocal(host: string, options: { timeoutMs: number; signal?: AbortSignal }): Promise<Resolution> {
  const started = performance.now();
  if (isIP(host)) return { ok: true, addresses: [host], durationMs: 0 };
  if (options.signal?.aborted) return { ok: false, code: ABORTED, message: 'aborted before the lookup', durationMs: 0 };
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  // getaddrinfo itself cannot be cancelled: bound the wait, leave the lookup behind
  const bounded = new Promise<Resolution>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, code: 'EAI_AGAIN', message: `no answer within ${options.timeoutMs}ms`, durationMs: performance.now() - started }),
      options.timeoutMs,
    );
    onAbort = () => resolve({ ok: false, code: ABORTED, message: 'aborted', durationMs: performance.now() - started });
    options.signal?.addEventListener('abort', onAbort, { once: true });
  });
  const looked = lookup(host, { all: true, order: 'verbatim' }).then(
    (list): Resolution => {
      const addresses = inNginxOrder(list);
      return addresses.length
        ? { ok: true, addresses, durationMs: performance.now() - started }
        : { ok: false, code: 'ENOTFOUND', message: `${host} has no address`, durationMs: performance.now() - started };
    },
    (e: unknown): Resolution => {
      const f = errorFacts(e);
      // getaddrinfo's failures carry no errno: keep the code alone
      return { ok: false, ...(f.code !== undefined && { code: f.code }), message: `${host}: ${f.code ?? f.message}`, durationMs: performance.now() - started };
    },
  );
  try {
    return await Promise.race([looked, bounded]);
  } finally {
    clearTimeout(timer);
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
  }
}
