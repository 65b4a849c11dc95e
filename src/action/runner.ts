// Host commands through @actions/exec, silent: their raw output (every
// listener and firewall rule of the host) must not reach a possibly public
// log. Each run is recorded for the log's group of host commands, with its
// output only when debug logging asks for it.
import * as exec from '@actions/exec';
import { commandLine, DEFAULT_COMMAND_TIMEOUT_MS, execaRunner, type CommandResult, type Runner } from '../host/run.js';

export interface CommandRecord {
  command: string;
  exitCode?: number;
  timedOut: boolean;
  notFound: boolean;
  durationMs: number;
  /** stderr then stdout, kept only with debug logging */
  output?: string;
}

export function actionsRunner(record: (r: CommandRecord) => void, keepOutput: boolean): Runner {
  // nginx -t: its own environment and user, which @actions/exec cannot give
  const sandboxed = execaRunner();
  const viaExec = async (file: string, args: readonly string[], options: Parameters<Runner['run']>[2] = {}): Promise<CommandResult> => {
    const started = performance.now();
    const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const base = { command: commandLine(file, args), timedOut: false, notFound: false };
    if (signal.aborted) return { ...base, stdout: '', stderr: '', failed: true, durationMs: 0 };
    // @actions/exec cannot take a signal: race the command against it.
    const aborted = new Promise<'aborted'>((r) => signal.addEventListener('abort', () => r('aborted'), { once: true }));
    try {
      const r = await Promise.race([
        exec.getExecOutput(file, [...args], {
          ignoreReturnCode: true,
          silent: true,
          ...(options.input !== undefined && { input: Buffer.from(options.input) }),
          ...(options.cwd && { cwd: options.cwd }),
          env: { ...process.env, LC_ALL: 'C' } as Record<string, string>,
        }),
        aborted,
      ]);
      if (r === 'aborted') return { ...base, timedOut: timeout.aborted, stdout: '', stderr: '', failed: true, durationMs: performance.now() - started };
      return { ...base, exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr, failed: r.exitCode !== 0, durationMs: performance.now() - started };
    } catch (e) {
      const notFound = /Unable to locate executable|ENOENT/.test(String(e));
      return { ...base, notFound, stdout: '', stderr: String(e), failed: true, durationMs: performance.now() - started };
    }
  };
  return {
    async run(file, args, options = {}) {
      const r = await (options.env || options.user ? sandboxed.run(file, args, options) : viaExec(file, args, options));
      record({
        command: r.command,
        ...(r.exitCode !== undefined && { exitCode: r.exitCode }),
        timedOut: r.timedOut,
        notFound: r.notFound,
        durationMs: r.durationMs,
        ...(keepOutput && { output: `${r.stderr}${r.stdout}` }),
      });
      return r;
    },
  };
}
