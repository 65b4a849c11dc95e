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
  durationMs: number;
}

export interface RunOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  input?: string;
  cwd?: string;
}

export interface Runner {
  run(file: string, args: readonly string[], options?: RunOptions): Promise<CommandResult>;
}

export const DEFAULT_COMMAND_TIMEOUT_MS = 5000;

export function commandLine(file: string, args: readonly string[]): string {
  return [file, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** The default runner, on execa (loaded on first use so the CLI starts fast). */
export function execaRunner(): Runner {
  return {
    async run(file, args, options = {}) {
      const { execa } = await import('execa');
      const started = performance.now();
      const r = await execa(file, [...args], {
        reject: false,
        timeout: options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
        cancelSignal: options.signal,
        input: options.input,
        stdin: options.input === undefined ? 'ignore' : 'pipe',
        cwd: options.cwd,
        forceKillAfterDelay: 500,
        stripFinalNewline: false,
        maxBuffer: 16 * 1024 * 1024,
        env: { LC_ALL: 'C' },
      });
      const notFound = (r as { code?: string }).code === 'ENOENT';
      return {
        command: commandLine(file, args),
        exitCode: r.exitCode,
        stdout: typeof r.stdout === 'string' ? r.stdout : '',
        stderr: typeof r.stderr === 'string' ? r.stderr : '',
        failed: r.failed,
        timedOut: r.timedOut,
        notFound,
        durationMs: performance.now() - started,
      };
    },
  };
}
