// A Runner that answers some commands with captured output (SELinux, systemd:
// absent on the test host) and passes every other command to a real runner.
import { commandLine, type CommandResult, type Runner } from '../../src/host/run.js';

export interface Canned {
  stdout?: string;
  stderr?: string;
  exitCode?: number;
  /** the executable is not installed */
  notFound?: boolean;
}

/** `answers` keys are command lines as `commandLine()` prints them: `getsebool httpd_can_network_connect`. */
export function fixtureRunner(answers: Record<string, Canned>, fallback?: Runner): Runner & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async run(file, args, options) {
      const command = commandLine(file, args);
      calls.push(command);
      const canned = answers[command] ?? answers[file];
      if (!canned) {
        if (fallback) return fallback.run(file, args, options);
        return result(command, { notFound: true });
      }
      return result(command, canned);
    },
  };
}

function result(command: string, c: Canned): CommandResult {
  const exitCode = c.notFound ? undefined : (c.exitCode ?? 0);
  return {
    command,
    ...(exitCode !== undefined && { exitCode }),
    stdout: c.stdout ?? '',
    stderr: c.stderr ?? (c.notFound ? `spawn ${command.split(' ')[0]} ENOENT` : ''),
    failed: c.notFound === true || exitCode !== 0,
    timedOut: false,
    notFound: c.notFound === true,
    durationMs: 1,
  };
}
