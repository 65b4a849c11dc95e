#!/usr/bin/env node
// The `upstream-gate` executable: wires the process (argv, streams, signals,
// exit code) to `main`. Only this file touches `process.exit`.
import '../regexp-guard.js';
import { main } from './main.js';

const controller = new AbortController();
let signalled: NodeJS.Signals | undefined;
const onSignal = (sig: NodeJS.Signals) => {
  if (signalled) process.exit(sig === 'SIGINT' ? 130 : 143);
  signalled = sig;
  process.stderr.write(`\nupstream-gate: ${sig}: stopping every probe and child process\n`);
  controller.abort(new Error(`interrupted by ${sig}`));
  // Whatever still holds the event loop after 1 s is not worth waiting for.
  setTimeout(() => process.exit(sig === 'SIGINT' ? 130 : 143), 1000).unref();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
}).then(
  (code) => exit(signalled ? (signalled === 'SIGINT' ? 130 : 143) : code),
  (e: unknown) => {
    // what a signal stopped (a read, a wait for a FIFO's writer) is no bug
    if (signalled) {
      process.exitCode = signalled === 'SIGINT' ? 130 : 143;
      return;
    }
    const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
    process.stderr.write(`upstream-gate: internal error (a bug: please report it with this output)\n${detail}\n`);
    exit(70);
  },
);

/** Once the output is written, exit: nothing left running (a socket a peer holds open) is waited for. */
function exit(code: number): void {
  process.exitCode = code;
  let writing = 2;
  const written = () => {
    if (--writing === 0) process.exit(code);
  };
  process.stdout.write('', written);
  process.stderr.write('', written);
}
