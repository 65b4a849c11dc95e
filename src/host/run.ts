// The one door to host commands. Argument arrays only, never a shell string;
// every call bounded by a timeout and the gate's AbortSignal; never throws.

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
 * process group. Neither execa's cancelSignal nor its timeout is given the
 * signal for that reason: both kill through this check instead.
 */
export function stopStarted(child: Child): void {
  const { pid } = child;
  if (pid === undefined || !Number.isInteger(pid) || pid <= 0) return;
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill();
}

/** The default runner, on execa (loaded on first use so the CLI starts fast). */
export function execaRunner(): Runner {
  return {
    async run(file, args, options = {}) {
      const { signal } = options;
      if (signal?.aborted) return notStarted(file, args);
      const { execa } = await import('execa');
      if (signal?.aborted) return notStarted(file, args);
      const started = performance.now();
      const child = execa(file, [...args], {
        reject: false,
        input: options.input,
        stdin: options.input === undefined ? 'ignore' : 'pipe',
        cwd: options.cwd,
        forceKillAfterDelay: 500,
        // the gate stops its children itself, through stopStarted
        cleanup: false,
        stripFinalNewline: false,
        maxBuffer: 16 * 1024 * 1024,
        ...(options.env ? { env: { ...options.env }, extendEnv: false } : { env: { LC_ALL: 'C' } }),
        ...(options.user && { uid: options.user.uid, gid: options.user.gid }),
      });
      // the first of the two to stop it is why it stopped
      const stopped = { timedOut: false, aborted: false };
      const timer = setTimeout(() => {
        if (!stopped.aborted) stopped.timedOut = true;
        stopStarted(child);
      }, options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS);
      const onAbort = () => {
        if (!stopped.timedOut) stopped.aborted = true;
        stopStarted(child);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const r = await child;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      const spawnError = child.pid === undefined ? ((r as { code?: string }).code ?? 'failed to start') : undefined;
      return {
        command: commandLine(file, args),
        ...(r.exitCode !== undefined && { exitCode: r.exitCode }),
        stdout: typeof r.stdout === 'string' ? r.stdout : '',
        stderr: typeof r.stderr === 'string' ? r.stderr : '',
        failed: r.failed,
        timedOut: stopped.timedOut,
        notFound: spawnError === 'ENOENT',
        ...(stopped.aborted && { aborted: true }),
        ...(spawnError !== undefined && { spawnError }),
        ...(r.signal !== undefined && { signal: r.signal }),
        durationMs: performance.now() - started,
      };
    },
  };
}
