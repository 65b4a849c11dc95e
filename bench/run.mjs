#!/usr/bin/env node
// `npm run bench`: the benchmarks against wait-on and `curl -f` loops. Never
// part of the tests. The harness is TypeScript, run through tsx; upstream-gate
// itself is measured from the committed bundle dist/cli.js.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);

function newestMtime(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

const bundle = join(repo, 'dist', 'cli.js');
if (!args.includes('--source')) {
  if (!existsSync(bundle)) console.error('bench: dist/cli.js is missing: run `npm run build` first');
  else if (newestMtime(join(repo, 'src')) > statSync(bundle).mtimeMs) console.error('bench: warning: src/ is newer than dist/cli.js: run `npm run build` for current figures');
}

const child = spawn(process.execPath, ['--import', 'tsx', join(repo, 'bench', 'main.ts'), ...args], { cwd: repo, stdio: 'inherit' });
// the harness cleans up on its own signals; forward ours so Ctrl-C reaches it once
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
