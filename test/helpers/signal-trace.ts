// Runs a Node.js script under strace, in its own PID namespace, and returns
// every signal it sent and every process it started. A signal sent to a pid
// that is not one of its children (kill(0) hits the caller's whole process
// group; an uninitialised pid hits anyone) can then be asserted on, and the
// namespace keeps such a signal from reaching anything outside the test.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TSX } from './cli.js';
import { tempDir } from './tmp.js';

export const canTraceSignals =
  process.getuid?.() === 0 &&
  spawnSync('strace', ['-qq', '-o', '/dev/null', 'true']).status === 0 &&
  spawnSync('unshare', ['--pid', '--fork', 'true']).status === 0;

export interface SignalTrace {
  status: number | null;
  stdout: string;
  stderr: string;
  /** kill(2) calls that sent a signal: [target pid, signal name] */
  signals: [number, string][];
  /** pids and thread ids the traced process tree created */
  started: Set<number>;
}

export function traceSignals(script: string, args: string[] = [], timeoutMs = 60_000): SignalTrace {
  const tmp = tempDir('ugate-strace-');
  try {
    const log = join(tmp.dir, 'strace.log');
    const r = spawnSync(
      'unshare',
      ['--pid', '--fork', '--kill-child', '--', 'strace', '-f', '-qq', '-o', log, '-e', 'trace=kill,clone,clone3,fork,vfork', process.execPath, '--import', TSX, script, ...args],
      { encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL' },
    );
    const signals: [number, string][] = [];
    const started = new Set<number>();
    for (const line of readFileSync(log, 'utf8').split('\n')) {
      const kill = /\bkill\((-?\d+), (\w+)\)/.exec(line);
      if (kill && kill[2] !== '0') signals.push([Number(kill[1]), kill[2] as string]);
      const child = /(?:clone3?|v?fork)(?:\(| resumed>).*= (\d+)$/.exec(line);
      if (child) started.add(Number(child[1]));
    }
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, signals, started };
  } finally {
    tmp.remove();
  }
}
