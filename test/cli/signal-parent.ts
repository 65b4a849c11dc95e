// A deploy hook's shell, in miniature: runs the CLI in its own process group
// (a child shares its parent's), signals it once the gate says it is probing,
// and reports what it saw. Reaching the report at all means the signal the
// gate got did not take its caller down with it.
import { spawn } from 'node:child_process';
import { CLI_SOURCE, TSX } from '../helpers/cli.js';

const [signal, ...args] = process.argv.slice(2) as [NodeJS.Signals, ...string[]];
const child = spawn(process.execPath, ['--import', TSX, CLI_SOURCE, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PATH: process.env.GATE_PATH ?? '' } });
let stdout = '';
let stderr = '';
let sent = false;
child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
child.stderr.on('data', (d: Buffer) => {
  stderr += d.toString();
  if (!sent && child.pid !== undefined && /waiting backend\.down/.test(stderr)) {
    sent = true;
    process.kill(child.pid, signal);
  }
});
child.on('close', (code, sig) => process.stdout.write(`${JSON.stringify({ code, signal: sig, stdout, stderr })}\n`));
