// The one door to host commands. Argument arrays only, never a shell string;
// every call bounded by a timeout and the gate's AbortSignal; never throws.
import { spawn, type ChildProcess } from 'node:child_process';

export interface CommandResult {
  /** `ss -Htlnp`, for evidence lines */
  command: string;
  exitCode?: number;
  stdout: string;
  stderr: string;
  /** exit code non-zero, timed out, aborted, killed or not found */
  failed: boolean;
  timedOut: boolean;
  /** the executable is not installed (ENOENT) */
  notFound: boolean;
  /** stopped (or never started) because the gate's signal was aborted: SIGINT, SIGTERM or the deadline */
  aborted?: boolean;
  /** the command could not be started: ENOENT, EACCES, ... */
  spawnError?: string;
  /** the signal that ended it (SIGTERM when the gate stopped it; SIGINT from a terminal's Ctrl-C) */
  signal?: string;
  durationMs: number;
}

/** A numeric user and group to run a command as (the gate must be root to use it). */
export interface RunAs {
  uid: number;
  gid: number;
}

export interface RunOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  input?: string;
  cwd?: string;
  /** exactly this environment: nothing of the gate's own is passed on */
  env?: Readonly<Record<string, string>>;
  /** run as this user and group, with no supplementary groups */
  user?: RunAs;
}

export interface Runner {
  run(file: string, args: readonly string[], options?: RunOptions): Promise<CommandResult>;
}

export const DEFAULT_COMMAND_TIMEOUT_MS = 5000;

export function commandLine(file: string, args: readonly string[]): string {
  return [file, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** What a command that never started returns: the signal was aborted before it could. */
export function notStarted(file: string, args: readonly string[]): CommandResult {
  return { command: commandLine(file, args), stdout: '', stderr: '', failed: true, timedOut: false, notFound: false, aborted: true, durationMs: 0 };
}

interface Child {
  pid?: number | undefined;
  exitCode: number | null;
  signalCode: NodeJS.Signals | null;
  kill(): boolean;
}

/**
 * Signals a child only once it has really started and while it has not yet
 * exited. Node leaves a child whose spawn failed (a binary that is not
 * installed) with a live handle and no pid until the next tick, and killing it
 * then signals whatever pid the handle's memory holds: 0 is the caller's whole
 * process group. Neither spawn's own `signal` nor its `timeout` is used for
 * that reason: both kill through this check instead.
 */
export function stopStarted(child: Child): void {
  const { pid } = child;
  if (pid === undefined || !Number.isInteger(pid) || pid <= 0) return;
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill();
}

/** Per stream: past this, the command is stopped and its output cut here. */
export const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

/** After SIGTERM, a command that has not ended within this gets SIGKILL. */
const FORCE_KILL_AFTER_MS = 500;

/** After a command ended, how long its output pipes may stay open (held by a process it left behind). */
const PIPE_GRACE_MS = 100;

/**
 * The default runner, on node's own spawn: nothing to load, and nothing
 * between the gate and the child on the one spawn every check waits for
 * (nginx -t).
 */
export function processRunner(): Runner {
  return {
    run(file, args, options = {}) {
      const { signal } = options;
      if (signal?.aborted) return Promise.resolve(notStarted(file, args));
      return runProcess(file, args, options);
    },
  };
}

function runProcess(file: string, args: readonly string[], options: RunOptions): Promise<CommandResult> {
  const { signal } = options;
  const started = performance.now();
  const command = commandLine(file, args);
  let child: ChildProcess;
  try {
    child = spawn(file, [...args], {
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      ...(options.cwd !== undefined && { cwd: options.cwd }),
      env: options.env ? { ...options.env } : { ...process.env, LC_ALL: 'C' },
      ...(options.user && { uid: options.user.uid, gid: options.user.gid }),
    });
  } catch (e) {
    // a spawn refused before any process exists (EINVAL, E2BIG)
    const code = (e as { code?: string }).code ?? 'failed to start';
    return Promise.resolve({ command, stdout: '', stderr: '', failed: true, timedOut: false, notFound: code === 'ENOENT', spawnError: code, durationMs: performance.now() - started });
  }
  return new Promise((resolve) => {
    // the first of the two to stop it is why it stopped
    const stopped = { timedOut: false, aborted: false, overflow: false };
    let forceKill: NodeJS.Timeout | undefined;
    const stop = () =>
      stopStarted({
        pid: child.pid,
        exitCode: child.exitCode,
        signalCode: child.signalCode,
        kill: () => {
          const sent = child.kill('SIGTERM');
          forceKill ??= setTimeout(() => stopStarted({ pid: child.pid, exitCode: child.exitCode, signalCode: child.signalCode, kill: () => child.kill('SIGKILL') }), FORCE_KILL_AFTER_MS);
          return sent;
        },
      });
    const collect = (stream: NodeJS.ReadableStream | null) => {
      const chunks: Buffer[] = [];
      let size = 0;
      stream?.on('data', (d: Buffer) => {
        if (size >= MAX_OUTPUT_BYTES) return;
        const room = MAX_OUTPUT_BYTES - size;
        chunks.push(d.length > room ? d.subarray(0, room) : d);
        size += Math.min(d.length, room);
        if (size >= MAX_OUTPUT_BYTES) {
          stopped.overflow = true;
          stop();
        }
      });
      return () => Buffer.concat(chunks).toString('utf8');
    };
    const stdout = collect(child.stdout);
    const stderr = collect(child.stderr);
    if (options.input !== undefined && child.stdin) {
      // a command that exits without reading its input closes the pipe under us
      child.stdin.on('error', () => {});
      child.stdin.end(options.input);
    }
    const timer = setTimeout(() => {
      if (!stopped.aborted) stopped.timedOut = true;
      stop();
    }, options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS);
    const onAbort = () => {
      if (!stopped.timedOut) stopped.aborted = true;
      stop();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    let settled = false;
    const settle = (exitCode: number | null, signalName: NodeJS.Signals | null, spawnError?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(forceKill);
      clearTimeout(orphaned);
      signal?.removeEventListener('abort', onAbort);
      resolve({
        command,
        ...(exitCode !== null && spawnError === undefined && { exitCode }),
        stdout: spawnError === undefined ? stdout() : '',
        stderr: spawnError === undefined ? stderr() : '',
        failed: spawnError !== undefined || exitCode !== 0 || signalName !== null || stopped.timedOut || stopped.overflow,
        timedOut: stopped.timedOut,
        // not installed is said only of a command the gate still wanted run
        notFound: spawnError === 'ENOENT' && !stopped.aborted,
        ...(stopped.aborted && { aborted: true }),
        ...(spawnError !== undefined && { spawnError }),
        ...(signalName !== null && { signal: signalName }),
        durationMs: performance.now() - started,
      });
    };
    // a spawn that failed (not installed, not executable) has no pid; a started child's errors end in 'close'
    child.once('error', (e: Error & { code?: string }) => {
      if (child.pid === undefined) settle(null, null, e.code ?? 'failed to start');
    });
    child.once('close', (code, sig) => settle(code, sig));
    // 'close' waits for the output pipes, which a child's own child may hold open after it ended: not past a grace
    let orphaned: NodeJS.Timeout | undefined;
    child.once('exit', () => {
      orphaned = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
      }, PIPE_GRACE_MS);
    });
  });
}
