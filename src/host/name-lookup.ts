// Name lookups (getaddrinfo, as nginx resolves names at start-up) in a child
// process the gate can abandon. In-process, dns.lookup runs getaddrinfo on
// libuv's threadpool, where it cannot be cancelled: against a resolver that
// drops packets each lookup holds a thread for the resolver's whole timeout,
// file reads queue behind them, and the process cannot exit (even
// process.exit() joins the threadpool). In a child, a lookup that outlives
// the deadline is abandoned, and the child is killed when the gate ends.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { stopStarted } from './run.js';

export type LookupAnswer =
  | { ok: true; addresses: { address: string; family: number }[] }
  /** getaddrinfo's own failure: ENOTFOUND, EAI_AGAIN, ... */
  | { ok: false; code?: string; message: string }
  /** no answer: the lookup outlived its time (or, `aborted`, the gate's signal), or the lookup process */
  | { ok: false; unanswered: true; aborted?: boolean; message: string };

/** Lookups in flight at once in the child (its threadpool size): more wait there, none in the gate's own. */
export const LOOKUP_THREADS = 16;

// The child: one JSON request per line in, one answer per line out. On EOF it
// kills itself: a normal exit would wait for lookups still in its threadpool.
const CHILD = `
const dns = require('node:dns');
const lines = require('node:readline').createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const { id, host } = JSON.parse(line);
  dns.lookup(host, { all: true, order: 'verbatim' }, (e, list) => {
    process.stdout.write(JSON.stringify(e ? { id, code: e.code, message: e.message } : { id, addresses: list }) + '\\n');
  });
});
lines.on('close', () => process.kill(process.pid, 'SIGKILL'));
`;

interface Pending {
  host: string;
  /** when the child was asked: a lookup shared by a retry has been waited for since then */
  askedAt: number;
  resolve: (a: LookupAnswer) => void;
  promise: Promise<LookupAnswer>;
}

let child: ChildProcess | undefined;
let nextId = 0;
const byId = new Map<number, Pending>();
/** a lookup of a name still in flight is shared: a retry does not queue another behind it */
const byHost = new Map<string, number>();
/** one abort listener per signal, however many lookups wait on it */
const waiting = new WeakMap<AbortSignal, Set<() => void>>();

function start(): ChildProcess {
  const c = spawn(process.execPath, ['-e', CHILD], {
    stdio: ['pipe', 'pipe', 'ignore'],
    env: { ...process.env, UV_THREADPOOL_SIZE: String(LOOKUP_THREADS) },
  });
  // never what keeps the gate alive: each caller's own timer does while it waits
  c.unref();
  for (const s of [c.stdin, c.stdout]) (s as unknown as { unref?: () => void } | null)?.unref?.();
  c.stdin?.on('error', () => {});
  const lines = createInterface({ input: c.stdout as NodeJS.ReadableStream });
  lines.on('line', (line) => {
    let a: { id: number; addresses?: { address: string; family: number }[]; code?: string; message?: string };
    try {
      a = JSON.parse(line) as typeof a;
    } catch {
      return;
    }
    settle(a.id, a.addresses ? { ok: true, addresses: a.addresses } : { ok: false, ...(a.code !== undefined && { code: a.code }), message: a.message ?? 'lookup failed' });
  });
  const gone = () => {
    if (child === c) child = undefined;
    for (const id of [...byId.keys()]) settle(id, { ok: false, unanswered: true, message: 'the lookup process ended before an answer' });
  };
  c.once('exit', gone);
  c.once('error', gone);
  return c;
}

function settle(id: number, answer: LookupAnswer): void {
  const p = byId.get(id);
  if (!p) return;
  byId.delete(id);
  if (byHost.get(p.host) === id) byHost.delete(p.host);
  p.resolve(answer);
}

function request(host: string): Pending {
  const key = host.toLowerCase();
  const inFlight = byHost.get(key);
  const shared = inFlight === undefined ? undefined : byId.get(inFlight);
  if (shared) return shared;
  child ??= start();
  const id = ++nextId;
  let resolve: (a: LookupAnswer) => void = () => {};
  const promise = new Promise<LookupAnswer>((r) => (resolve = r));
  const p: Pending = { host: key, askedAt: performance.now(), resolve, promise };
  byId.set(id, p);
  byHost.set(key, id);
  child.stdin?.write(`${JSON.stringify({ id, host })}\n`);
  return p;
}

function onAbort(signal: AbortSignal, f: () => void): () => void {
  let set = waiting.get(signal);
  if (!set) {
    const fresh = new Set<() => void>();
    set = fresh;
    waiting.set(signal, fresh);
    signal.addEventListener('abort', () => {
      for (const g of fresh) g();
      fresh.clear();
    }, { once: true });
  }
  set.add(f);
  return () => set.delete(f);
}

/**
 * Every address of `host` (getaddrinfo's order), getaddrinfo's error, or no
 * answer within `timeoutMs` / before `signal` aborts: then the lookup is left
 * behind in the child, never waited for. A lookup of the same name still in
 * flight is shared, and `waitedMs` counts from when it was first asked.
 */
export function lookupHost(host: string, options: { timeoutMs: number; signal?: AbortSignal }): Promise<LookupAnswer & { waitedMs: number }> {
  const { signal } = options;
  if (signal?.aborted) return Promise.resolve({ ok: false, unanswered: true, aborted: true, message: 'the gate was stopped before the lookup', waitedMs: 0 });
  const p = request(host);
  const waited = () => Math.round(performance.now() - p.askedAt);
  return new Promise((resolve) => {
    const done = (a: LookupAnswer) => {
      clearTimeout(timer);
      forget();
      resolve({ ...a, waitedMs: waited() });
    };
    const timer = setTimeout(() => done({ ok: false, unanswered: true, message: 'the resolver did not answer' }), options.timeoutMs);
    const forget = signal ? onAbort(signal, () => done({ ok: false, unanswered: true, aborted: true, message: 'the gate was stopped before the resolver answered' })) : () => {};
    void p.promise.then(done);
  });
}

let users = 0;

/**
 * Marks a gate run as using lookups; the returned function ends that use. When
 * the last use ends the lookup process is killed, and every lookup still in
 * flight is abandoned: an unanswered lookup never holds the gate's exit. The
 * next lookup starts another process.
 */
export function useLookups(): () => void {
  users++;
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    if (--users > 0) return;
    const c = child;
    child = undefined;
    if (c) stopStarted({ pid: c.pid, exitCode: c.exitCode, signalCode: c.signalCode, kill: () => c.kill('SIGKILL') });
    for (const id of [...byId.keys()]) settle(id, { ok: false, unanswered: true, message: 'the gate ended before the resolver answered' });
  };
}
