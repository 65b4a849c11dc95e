// Runs one command the way a pipeline would, and measures it: wall time from
// spawn to exit as the parent sees it, and peak RSS through GNU time
// (`/usr/bin/time -f %M`: the largest resident set of the command or of any
// child it waited for). Each command runs in its own process group, killed on
// the hard timeout and on every exit path of the bench.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { onCleanup } from './cleanup.js';
import { scratchDir } from './scratch.js';

export const GNU_TIME = '/usr/bin/time';
export const hasGnuTime = existsSync(GNU_TIME);

export interface RunResult {
  /** spawn to exit, in ms */
  ms: number;
  /** performance.now() when the exit was seen: compare with other performance.now() stamps */
  endAt: number;
  startAt: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  /** peak RSS in KiB; absent when GNU time is not installed */
  maxRssKb?: number;
}

export interface MeasureOptions {
  /** hard bound: the process group is killed after it */
  timeoutMs: number;
  /** run inside this network namespace (`ip netns exec NAME ...`) */
  netns?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** skip GNU time (e.g. when the wrapper itself would skew a tiny figure) */
  noRss?: boolean;
}

let counter = 0;

export function measure(argv: readonly string[], opts: MeasureOptions): Promise<RunResult> {
  const rssFile = join(scratchDir(), `rss-${process.pid}-${++counter}.txt`);
  const useTime = hasGnuTime && !opts.noRss;
  const wrapped = [
    ...(opts.netns ? ['ip', 'netns', 'exec', opts.netns] : []),
    ...(useTime ? [GNU_TIME, '-f', '%M', '-o', rssFile] : []),
    ...argv,
  ];
  const [file, ...args] = wrapped;
  if (!file) throw new Error('measure: empty command');
  return new Promise((resolve, reject) => {
    const startAt = performance.now();
    const child = spawn(file, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const killGroup = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the whole group is already gone
      }
    };
    const undo = onCleanup(killGroup);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, opts.timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      undo();
      reject(e);
    });
    child.once('exit', (code, signal) => {
      const endAt = performance.now();
      clearTimeout(timer);
      // the group may still hold children the command left behind
      killGroup();
      undo();
      // stdio may still be draining: wait for 'close' before reading the output
      child.once('close', () => {
        let maxRssKb: number | undefined;
        if (useTime && existsSync(rssFile)) {
          // GNU time writes "Command exited with non-zero status N" first when it fails
          const last = readFileSync(rssFile, 'utf8').trim().split('\n').at(-1) ?? '';
          const kb = Number(last);
          if (Number.isFinite(kb) && kb > 0) maxRssKb = kb;
          rmSync(rssFile, { force: true });
        }
        resolve({ ms: endAt - startAt, startAt, endAt, code, signal, timedOut, stdout, stderr, ...(maxRssKb !== undefined && { maxRssKb }) });
      });
    });
  });
}
