// The gate's side of the helper (helper-script.ts): one long-lived process per
// gate run, started through `nsenter --net=/proc/PID/ns/net` and/or `setpriv`
// with a minimal environment, asked for any number of dials and lookups at
// once over its IPC channel. Each request is bounded here by its own timeout
// and the gate's signal; an answer that comes too late is dropped (a late
// socket closed). Never throws.
import { spawn, type ChildProcess } from 'node:child_process';
import { isIP, type Socket } from 'node:net';
import type { Endpoint } from '../../model/endpoint.js';
import { ABORTED } from '../../model/probe-result.js';
import { inNginxOrder } from '../address-order.js';
import { errorFacts, LINUX_ERRNO } from '../errno.js';
import type { Dialed, HostFailure, HostUser, Resolution } from '../host.js';
import { stopStarted } from '../run.js';
import { HELPER_SCRIPT } from './helper-script.js';

export interface HelperVantage {
  /** nginx's master: its network namespace is entered through /proc/PID/ns/net */
  netnsPid?: number;
  /** switch to these credentials (setpriv) */
  user?: HostUser;
}

/** The helper's environment: nothing of the gate's own (no tokens, no NODE_OPTIONS). */
const HELPER_ENV = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' };
const STDERR_LIMIT = 4096;

/** The command line that starts the helper: nsenter first (it needs the gate's privileges), then setpriv. */
export function helperCommand(v: HelperVantage, node = process.execPath): string[] {
  let argv = [node, '-e', HELPER_SCRIPT];
  if (v.user) {
    const groups = v.user.groups.length ? `--groups=${v.user.groups.join(',')}` : '--clear-groups';
    argv = ['setpriv', `--reuid=${v.user.uid}`, `--regid=${v.user.gid}`, groups, '--', ...argv];
  }
  if (v.netnsPid !== undefined) argv = ['nsenter', `--net=/proc/${v.netnsPid}/ns/net`, '--', ...argv];
  return argv;
}

interface Answer {
  id?: number;
  ready?: boolean;
  ok?: boolean;
  code?: string;
  errno?: number;
  message?: string;
  connectMs?: number;
  local?: { address: string; port: number };
  addresses?: { address: string; family: number }[];
  uid?: number;
  gid?: number;
  groups?: number[];
}

export interface Helper {
  /** who the helper runs as, as it reported itself */
  readonly user: HostUser;
  /** the helper process now running, if any */
  pid(): number | undefined;
  dial(endpoint: Endpoint, options: { timeoutMs: number; signal?: AbortSignal }): Promise<Dialed>;
  resolve(name: string, options: { timeoutMs: number; signal?: AbortSignal }): Promise<Resolution>;
  close(): void;
}

type Started = { ok: true; child: ChildProcess; user: HostUser } | { ok: false; message: string };

/** Starts one helper and waits for it to say it is ready (it entered the namespace, switched user and runs). */
function launch(v: HelperVantage, options: { timeoutMs: number; signal?: AbortSignal }): Promise<Started> {
  const [file, ...args] = helperCommand(v);
  return new Promise((resolve) => {
    let stderr = '';
    let child: ChildProcess;
    try {
      child = spawn(file as string, args, { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env: HELPER_ENV, cwd: '/', serialization: 'json' });
    } catch (e) {
      resolve({ ok: false, message: errorFacts(e).message });
      return;
    }
    const done = (s: Started) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      child.removeListener('message', onMessage);
      child.removeListener('exit', onExit);
      if (!s.ok) stopStarted({ pid: child.pid, exitCode: child.exitCode, signalCode: child.signalCode, kill: () => child.kill('SIGKILL') });
      resolve(s);
    };
    const why = (fallback: string) => stderr.trim().split('\n').filter(Boolean).pop() ?? fallback;
    const onMessage = (m: Answer) => {
      if (m.ready) done({ ok: true, child, user: { uid: m.uid ?? -1, gid: m.gid ?? -1, groups: m.groups ?? [] } });
    };
    const onExit = (code: number | null, signal: string | null) => done({ ok: false, message: why(`${file} exited ${signal ?? code}`) });
    const onAbort = () => done({ ok: false, message: 'the gate was stopped before the helper started' });
    const timer = setTimeout(() => done({ ok: false, message: why(`the helper did not start within ${options.timeoutMs}ms`) }), options.timeoutMs);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stderr?.on('data', (d: Buffer) => {
      if (stderr.length < STDERR_LIMIT) stderr += d.toString('utf8');
    });
    child.on('error', (e) => done({ ok: false, message: `${file}: ${errorFacts(e).message}` }));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/**
 * A helper in `v`'s vantage, or why none could start (`nsenter: reassociate
 * to namespace 'ns/net' failed: Operation not permitted`).
 */
export async function startHelper(v: HelperVantage, options: { timeoutMs: number; signal?: AbortSignal }): Promise<{ ok: true; helper: Helper } | { ok: false; message: string }> {
  const first = await launch(v, options);
  if (!first.ok) return first;

  let child: ChildProcess | undefined;
  let closed = false;
  let nextId = 0;
  const waiting = new Map<number, (m: Answer, handle?: Socket) => void>();
  const adopt = (c: ChildProcess) => {
    child = c;
    // never what keeps the gate alive: each request's own timer does while it waits
    c.unref();
    (c.channel as { unref?: () => void } | null | undefined)?.unref?.();
    c.on('message', (m: Answer, handle?: Socket) => {
      const answer = m.id === undefined ? undefined : waiting.get(m.id);
      if (answer) answer(m, handle);
      else handle?.destroy();
    });
    c.once('exit', () => {
      if (child === c) child = undefined;
      for (const [id, answer] of [...waiting]) {
        waiting.delete(id);
        answer({ id, ok: false, message: 'the helper process ended before it answered' });
      }
    });
  };
  adopt(first.child);
  // a helper that died (killed by an operator, out of memory) is started again for the next request
  const current = (): ChildProcess | undefined => {
    if (!child && !closed) {
      const [file, ...args] = helperCommand(v);
      try {
        const c = spawn(file as string, args, { stdio: ['ignore', 'ignore', 'ignore', 'ipc'], env: HELPER_ENV, cwd: '/', serialization: 'json' });
        c.on('error', () => {});
        adopt(c);
      } catch {
        return undefined;
      }
    }
    return child;
  };

  /** Sends one request; `onAnswer` gets the helper's answer, or undefined when the time ran out or the signal aborted. */
  const ask = (request: Record<string, unknown>, options: { timeoutMs: number; signal?: AbortSignal }, late: (m: Answer, handle?: Socket) => void) =>
    new Promise<{ answer?: Answer; handle?: Socket; aborted?: boolean }>((resolve) => {
      const id = ++nextId;
      const finish = (r: { answer?: Answer; handle?: Socket; aborted?: boolean }) => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        if (!r.answer) {
          // too late: tell the helper to drop the request, and close whatever still comes
          waiting.set(id, (m, handle) => {
            waiting.delete(id);
            late(m, handle);
          });
          child?.send({ op: 'cancel', id }, () => {});
        } else waiting.delete(id);
        resolve(r);
      };
      const onAbort = () => finish({ aborted: true });
      const timer = setTimeout(() => finish({}), options.timeoutMs);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      waiting.set(id, (answer, handle) => finish({ answer, ...(handle && { handle }) }));
      const c = current();
      if (!c) return finish({ answer: { id, ok: false, message: 'the helper process could not be started again' } });
      c.send({ ...request, id }, (e) => {
        if (e) waiting.get(id)?.({ id, ok: false, message: `the helper process did not take the request: ${e.message}` });
      });
    });

  return {
    ok: true,
    helper: {
      user: first.user,
      pid: () => child?.pid,
      async dial(endpoint, options) {
        const started = performance.now();
        const fail = (f: { code?: string; errno?: number; message: string }): HostFailure => ({ ok: false, ...f, durationMs: performance.now() - started });
        if (options.signal?.aborted) return fail({ code: ABORTED, message: 'aborted before connecting' });
        const target = endpoint.kind === 'unix' ? { path: endpoint.path } : { host: endpoint.host, port: endpoint.port };
        const r = await ask({ op: 'dial', ...target, timeoutMs: options.timeoutMs }, { ...options, timeoutMs: options.timeoutMs + 1000 }, (_m, handle) => handle?.destroy());
        if (r.aborted) return fail({ code: ABORTED, message: `aborted after ${Math.round(performance.now() - started)}ms` });
        if (!r.answer) return fail({ code: 'ETIMEDOUT', errno: LINUX_ERRNO.ETIMEDOUT, message: `connect timed out after ${options.timeoutMs}ms` });
        const a = r.answer;
        if (!a.ok || !r.handle) {
          r.handle?.destroy();
          return fail({ ...(a.code !== undefined && { code: a.code }), ...(a.errno !== undefined && { errno: a.errno }), message: a.message ?? 'connect failed' });
        }
        const stream = r.handle;
        // errors after the handoff belong to whoever reads the socket next
        stream.on('error', () => {});
        return { ok: true, stream, connectMs: a.connectMs ?? performance.now() - started, ...(a.local && { local: a.local }) };
      },
      async resolve(name, options) {
        const started = performance.now();
        if (isIP(name)) return { ok: true, addresses: [name], durationMs: 0 };
        if (options.signal?.aborted) return { ok: false, code: ABORTED, message: 'the gate was stopped before the lookup', durationMs: 0 };
        const r = await ask({ op: 'resolve', host: name }, options, () => {});
        const durationMs = performance.now() - started;
        if (r.aborted) return { ok: false, code: ABORTED, message: 'the gate was stopped before the resolver answered', durationMs };
        // nothing answered in time: no code (as the local resolver says it)
        if (!r.answer) return { ok: false, message: 'the resolver did not answer', durationMs };
        const a = r.answer;
        if (a.ok) {
          const addresses = inNginxOrder(a.addresses ?? []);
          return addresses.length ? { ok: true, addresses, durationMs } : { ok: false, code: 'ENOTFOUND', message: `${name} has no address`, durationMs };
        }
        return { ok: false, ...(a.code !== undefined && { code: a.code }), message: `${name}: ${a.code ?? a.message ?? 'lookup failed'}`, durationMs };
      },
      close() {
        closed = true;
        const c = child;
        child = undefined;
        if (c) stopStarted({ pid: c.pid, exitCode: c.exitCode, signalCode: c.signalCode, kill: () => c.kill('SIGKILL') });
      },
    },
  };
}
