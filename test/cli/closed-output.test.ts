// A reader that stops early (`upstream-gate parse big.conf | head`) closes the
// pipe under the CLI: the rest of the output is dropped without a stack trace,
// and the exit code is still the command's own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_SOURCE, ROOT, TSX } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

function bigConfig(servers: number): string {
  const lines = ['events {}', 'http {'];
  for (let i = 0; i < servers; i++) lines.push(`  server { listen ${1024 + (i % 60000)}; server_name s${i}.test; location / { proxy_pass http://127.0.0.1:${2000 + (i % 60000)}; } }`);
  lines.push('}', '');
  return lines.join('\n');
}

test('stdout closed by its reader after the first bytes: no stack trace, the exit code of the command', async (t) => {
  const { dir, remove } = tempDir('ugate-epipe-');
  t.after(remove);
  const conf = join(dir, 'nginx.conf');
  // megabytes of JSON: far more than a pipe buffers, so the CLI writes after the reader left
  writeFileSync(conf, bigConfig(20_000));
  const child = spawn(process.execPath, ['--import', TSX, CLI_SOURCE, 'parse', conf], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.once('data', () => child.stdout.destroy());
  const guard = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
  clearTimeout(guard);
  assert.equal(signal, null, 'not killed');
  assert.equal(code, 0, `the parse succeeded; stderr:\n${stderr}`);
  assert.doesNotMatch(stderr, /internal error|EPIPE|\n\s+at /, 'no crash, no stack trace');
});
