#!/usr/bin/env node
// `npm run bench`: the benchmarks against wait-on and `curl -f` loops. Never
// part of the tests. The harness is TypeScript, run through tsx; upstream-gate
// itself is measured from the bundle dist/cli.js (`npm run build`).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);

const child = spawn(process.execPath, ['--import', 'tsx', join(repo, 'bench', 'main.ts'), ...args], { cwd: repo, stdio: 'inherit' });
// a signal sent to this process alone must reach the harness, which cleans up;
// Ctrl-C in a terminal reaches it twice (directly and from here), which it tolerates
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
