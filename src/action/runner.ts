// Host commands through @actions/exec, so they stream into the Actions log.
import * as exec from '@actions/exec';
import { commandLine, DEFAULT_COMMAND_TIMEOUT_MS, execaRunner, type CommandResult, type Runner } from '../host/run.js';

export function actionsRunner(): Runner {
  const sandboxed = execaRunner();
  return {
    async run(file, args, options = {}): Promise<CommandResult> {
      // nginx -t: its own environment and user, which @actions/exec cannot give; its output is not streamed into the log
      if (options.env || options.user) return sandboxed.run(file, args, options);
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
            silent: false,
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
    },
  };
}
