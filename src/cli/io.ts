// What a CLI command gets from the outside world; tests pass their own.

export interface CommandIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** aborted on SIGINT / SIGTERM */
  signal: AbortSignal;
}

/**
 * A CLI verb: `run` returns the exit code (0 pass, 1 gate failed, 2 bad input).
 * Its name and one-line summary live in the dispatcher's table (src/cli/main.ts),
 * which lists every verb without loading any.
 */
export interface Command {
  help: string;
  run(args: string[], io: CommandIO): Promise<number>;
}

export const EXIT = { pass: 0, fail: 1, usage: 2 } as const;
