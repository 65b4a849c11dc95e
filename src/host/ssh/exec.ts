// Commands over the one SSH connection: each an exec channel running a
// command line built from argv by quoteCommand (never a string from
// elsewhere), bounded by its timeout and the gate's signal, and never a throw.
// sshd allows a few sessions per connection (MaxSessions, 10 by default):
// the channels wait their turn.
import type { Client as SshClient, ClientChannel } from 'ssh2';
import { commandLine, DEFAULT_COMMAND_TIMEOUT_MS, type CommandResult, type RunOptions } from '../run.js';
import { quoteCommand } from './shell-quote.js';

/** Below sshd's default MaxSessions (10), leaving room for a user's own session. */
export const MAX_CHANNELS = 6;
const MAX_OUTPUT = 16 * 1024 * 1024;

export interface RawResult {
  exitCode?: number;
  signal?: string;
  stdout: Buffer;
  stderr: string;
  timedOut: boolean;
  aborted: boolean;
  /** the channel could not be opened */
  openError?: string;
  durationMs: number;
}

export interface Exec {
  (argv: readonly string[], options?: RunOptions): Promise<RawResult>;
}

/** A queue of at most `max` channels at a time. */
function limiter(max: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await work();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/** The remote command line: the environment as asked (LC_ALL=C otherwise), the user when asked, then argv. */
export function remoteCommand(argv: readonly string[], options: RunOptions = {}, sudo = false): string {
  const env = options.env ? ['env', '-i', ...Object.entries(options.env).map(([k, v]) => `${k}=${v}`)] : ['env', 'LC_ALL=C'];
  const as = options.user ? ['setpriv', `--reuid=${options.user.uid}`, `--regid=${options.user.gid}`, '--clear-groups', '--'] : [];
  const line = quoteCommand([...(sudo ? ['sudo', '-n', '--'] : []), ...env, ...as, ...argv]);
  return options.cwd ? `cd ${quoteCommand([options.cwd])} && ${line}` : line;
}

export function execOver(client: SshClient, sudoFor: (argv: readonly string[]) => boolean): Exec {
  const queue = limiter(MAX_CHANNELS);
  return (argv, options = {}) => {
    const started = performance.now();
    const done = (r: Partial<RawResult>): RawResult => ({ stdout: Buffer.alloc(0), stderr: '', timedOut: false, aborted: false, ...r, durationMs: performance.now() - started });
    if (options.signal?.aborted) return Promise.resolve(done({ aborted: true }));
    const cmd = remoteCommand(argv, options, sudoFor(argv));
    return queue(
      () =>
        new Promise<RawResult>((resolve) => {
          if (options.signal?.aborted) return resolve(done({ aborted: true }));
          let channel: ClientChannel | undefined;
          const out: Buffer[] = [];
          let outBytes = 0;
          let err = '';
          let exit: { code?: number; signal?: string } = {};
          const stopped = { timedOut: false, aborted: false };
          let settled = false;
          const settle = (r: RawResult) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            options.signal?.removeEventListener('abort', onAbort);
            resolve(r);
          };
          const stop = () => {
            if (!channel) return settle(done({ ...stopped }));
            // OpenSSH passes a signal request on (7.9 and later); closing the channel ends the rest
            try {
              channel.signal('KILL');
            } catch {
              // the channel is already closing
            }
            channel.close();
          };
          const timer = setTimeout(() => {
            if (!stopped.aborted) stopped.timedOut = true;
            stop();
          }, options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS);
          const onAbort = () => {
            if (!stopped.timedOut) stopped.aborted = true;
            stop();
          };
          options.signal?.addEventListener('abort', onAbort, { once: true });
          try {
            client.exec(cmd, (e, ch) => {
              if (e) return settle(done({ openError: e.message.replace(/^\(SSH\) /, '') }));
              channel = ch;
              if (stopped.timedOut || stopped.aborted) return stop();
              if (options.input !== undefined) ch.end(options.input);
              else ch.end();
              ch.on('data', (d: Buffer) => {
                if (outBytes + d.length <= MAX_OUTPUT) {
                  out.push(d);
                  outBytes += d.length;
                }
              });
              ch.stderr.on('data', (d: Buffer) => {
                if (err.length < 64 * 1024) err += d.toString('utf8');
              });
              ch.on('exit', (code: number | null, signal?: string) => {
                exit = { ...(typeof code === 'number' && { code }), ...(signal && { signal: `SIG${signal}` }) };
              });
              ch.on('error', () => {});
              ch.on('close', () => settle(done({ ...exit, ...(exit.code !== undefined && { exitCode: exit.code }), stdout: Buffer.concat(out), stderr: err, ...stopped })));
            });
          } catch (e) {
            // the connection is gone
            settle(done({ openError: (e as Error).message }));
          }
        }),
    );
  };
}

/** The Runner's result for one remote command. */
export function toCommandResult(file: string, args: readonly string[], r: RawResult): CommandResult {
  const notFound = r.exitCode === 127 && /not found|No such file/i.test(r.stderr);
  return {
    command: commandLine(file, args),
    ...(r.exitCode !== undefined && { exitCode: r.exitCode }),
    stdout: r.stdout.toString('utf8'),
    stderr: r.openError ? `ssh: ${r.openError}` : r.stderr,
    failed: r.exitCode !== 0 || r.timedOut || r.aborted || r.openError !== undefined,
    timedOut: r.timedOut,
    notFound,
    ...(r.aborted && { aborted: true }),
    ...(notFound && { spawnError: 'ENOENT' }),
    ...(r.openError !== undefined && { spawnError: r.openError }),
    ...(r.signal !== undefined && { signal: r.signal }),
    durationMs: r.durationMs,
  };
}
