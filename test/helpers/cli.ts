// Runs the CLI or the Action as a child process, asynchronously, so backends
// served by the test process keep answering while it runs.
import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { CommandIO } from '../../src/cli/io.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI_SOURCE = fileURLToPath(new URL('../../src/cli/index.ts', import.meta.url));
export const CLI_BUNDLE = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
/** tsx's loader by URL, so children started in temp dirs find it. */
export const TSX = import.meta.resolve('tsx');
export const ACTION_BUNDLE = fileURLToPath(new URL('../../dist/action.js', import.meta.url));

/** The Node.js that runs bundles: UGATE_NODE picks another (CI runs the bundles on Node 24 too). */
export const NODE = process.env.UGATE_NODE || process.execPath;

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export function runNode(
  argv: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; onSpawn?: (pid: number) => void; onStderr?: (all: string) => void; timeoutMs?: number; node?: string } = {},
): Promise<Run> {
  const started = Date.now();
  const child = spawn(opts.node ?? NODE, argv, { cwd: opts.cwd ?? ROOT, env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
  if (child.pid) opts.onSpawn?.(child.pid);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    opts.onStderr?.(stderr);
  });
  child.stdin.end(opts.input ?? '');
  const guard = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** The CLI from source (through tsx), on the Node.js running the tests. */
export function runCli(args: string[], opts: Parameters<typeof runNode>[1] = {}): Promise<Run> {
  return runNode(['--import', TSX, CLI_SOURCE, ...args], { ...opts, node: process.execPath });
}

/** A CommandIO held in memory (no terminal, an empty environment), for main() in-process, and what was written to it. */
export function memoryIO(cwd = process.cwd()): { io: CommandIO; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const io: CommandIO = { stdout, stderr, stdin: new PassThrough(), env: {}, cwd, signal: new AbortController().signal };
  return { io, out: () => out, err: () => err };
}
