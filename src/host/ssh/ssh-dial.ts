// Dials from the remote host over the SSH connection: TCP through a
// `direct-tcpip` channel (sshd connects from the host and sends strerror() of
// a failure, e.g. "Connection refused"), a unix socket through
// `direct-streamlocal@openssh.com` (OpenSSH says only "open failed": the cause
// is taken from the socket file's stat and its mode against the user, as the
// kernel would have decided a local connect). Either way the failure carries
// the code and errno a local dial on that host would have.
import type { Client as SshClient, ClientChannel } from 'ssh2';
import type { Endpoint } from '../../model/endpoint.js';
import { ABORTED } from '../../model/probe-result.js';
import type { Dialed, FileFacts, HostFailure, HostUser, Resolution } from '../host.js';

const SSHD_ERRORS: [RegExp, string, number][] = [
  [/refused/i, 'ECONNREFUSED', 111],
  [/no route to host/i, 'EHOSTUNREACH', 113],
  [/network is unreachable/i, 'ENETUNREACH', 101],
  [/timed out/i, 'ETIMEDOUT', 110],
  [/permission denied/i, 'EACCES', 13],
  [/reset by peer/i, 'ECONNRESET', 104],
  [/address not available|cannot assign/i, 'EADDRNOTAVAIL', 99],
];

/** sshd's open-failure description -> the local code and errno. */
export function sshdConnectError(description: string): { code?: string; errno?: number } {
  for (const [re, code, errno] of SSHD_ERRORS) if (re.test(description)) return { code, errno };
  if (/prohibited/i.test(description)) return {};
  // OpenSSH's "connect failed": connect(2) failed at once, before any wait; on a host's own addresses that is a refusal
  if (/connect failed/i.test(description)) return { code: 'ECONNREFUSED', errno: 111 };
  return {};
}

/** Whether `user` may connect to a socket file: write permission on it, as the kernel checks. */
export function mayConnect(facts: FileFacts, user: HostUser): boolean {
  if (user.uid === 0) return true;
  if (facts.uid === user.uid) return (facts.mode & 0o200) !== 0;
  if (facts.gid === user.gid || user.groups.includes(facts.gid)) return (facts.mode & 0o020) !== 0;
  return (facts.mode & 0o002) !== 0;
}

export interface DialDeps {
  client: SshClient;
  resolve(name: string, o: { timeoutMs: number; signal?: AbortSignal }): Promise<Resolution>;
  /** as the login user (never through sudo): the connecting user's own view */
  stat(path: string): Promise<({ ok: true } & FileFacts) | HostFailure>;
  user(): Promise<HostUser>;
}

export async function dialSsh(deps: DialDeps, endpoint: Endpoint, options: { timeoutMs: number; signal?: AbortSignal }): Promise<Dialed> {
  const started = performance.now();
  const fail = (facts: { code?: string; errno?: number; message: string }): HostFailure => ({ ok: false, ...facts, durationMs: performance.now() - started });
  if (options.signal?.aborted) return fail({ code: ABORTED, message: 'aborted before connecting' });
  let address: string;
  let port = 0;
  if (endpoint.kind === 'tcp') {
    const r = await deps.resolve(endpoint.host, options);
    if (!r.ok) return { ...r, durationMs: performance.now() - started };
    address = r.addresses[0] as string;
    port = endpoint.port;
  } else {
    address = endpoint.path;
  }
  const opened = await new Promise<{ channel: ClientChannel } | { timedOut: true } | { aborted: true } | { error: string }>((resolve) => {
    let settled = false;
    const settle = (v: { channel: ClientChannel } | { timedOut: true } | { aborted: true } | { error: string }) => {
      if (settled) {
        // a channel that opened after the caller gave up on it
        if ('channel' in v) v.channel.close();
        return;
      }
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve(v);
    };
    const timer = setTimeout(() => settle({ timedOut: true }), Math.max(0, options.timeoutMs - (performance.now() - started)));
    const onAbort = () => settle({ aborted: true });
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const cb = (e: Error | undefined, ch: ClientChannel) => settle(e ? { error: e.message.replace(/^\(SSH\) Channel open failure: /, '') } : { channel: ch });
    try {
      if (endpoint.kind === 'tcp') deps.client.forwardOut('127.0.0.1', 0, address, port, cb);
      else deps.client.openssh_forwardOutStreamLocal(address, cb);
    } catch (e) {
      settle({ error: (e as Error).message });
    }
  });
  if ('channel' in opened) {
    opened.channel.on('error', () => {});
    return { ok: true, stream: opened.channel, connectMs: performance.now() - started };
  }
  if ('aborted' in opened) return fail({ code: ABORTED, message: `aborted after ${Math.round(performance.now() - started)}ms` });
  if ('timedOut' in opened) return fail({ code: 'ETIMEDOUT', errno: 110, message: `connect timed out after ${options.timeoutMs}ms (from the host, through sshd)` });
  if (endpoint.kind === 'tcp') return fail({ ...sshdConnectError(opened.error), message: `sshd: ${opened.error}` });
  return fail({ ...(await unixCause(deps, endpoint.path)), message: `sshd: ${opened.error}` });
}

/** What connect(2) on that path would have said: the file's absence, its mode against the user, else a refusal. */
async function unixCause(deps: DialDeps, path: string): Promise<{ code?: string; errno?: number }> {
  const st = await deps.stat(path);
  if (!st.ok) return st.code === 'ENOENT' || st.code === 'EACCES' || st.code === 'ENOTDIR' ? { code: st.code, ...(st.errno !== undefined && { errno: st.errno }) } : {};
  if (!mayConnect(st, await deps.user())) return { code: 'EACCES', errno: 13 };
  return { code: 'ECONNREFUSED', errno: 111 };
}
