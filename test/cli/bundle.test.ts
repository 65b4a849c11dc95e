// The committed CLI bundle, run with plain `node` from a directory holding
// nothing but a copy of dist/cli.js (no node_modules, no package.json), on
// the Node.js that UGATE_NODE names (CI runs this file on Node 20 and on Node 24).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHttpBackend } from '../helpers/backend.js';
import { CLI_BUNDLE, NODE, runNode } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

function isolatedBundle(): { dir: string; cli: string; remove: () => void } {
  const { dir, remove } = tempDir('ugate-bundle-');
  const cli = join(dir, 'cli.js');
  copyFileSync(CLI_BUNDLE, cli);
  return { dir, cli, remove };
}

test(`the bundle runs without node_modules (${NODE})`, async (t) => {
  const b = isolatedBundle();
  t.after(b.remove);
  const v = await runNode([b.cli, '--version'], { cwd: b.dir });
  assert.equal(v.code, 0, v.stderr);
  assert.equal(v.stdout, `${pkg.version}\n`);

  const backend = await startHttpBackend({});
  t.after(() => backend.close());
  writeFileSync(
    join(b.dir, 'gate.yml'),
    `version: 1\nservices:\n  app:\n    backend: 127.0.0.1:${backend.port}\n    health: /healthz\ngate:\n  deadline: 5s\n`,
  );
  const ok = await runNode([b.cli, 'check', '--spec', 'gate.yml', '--phase', 'probe', '--format', 'json'], { cwd: b.dir });
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal((JSON.parse(ok.stdout) as { verdict: string }).verdict, 'pass');

  writeFileSync(join(b.dir, 'bad.yml'), 'version: 1\nservices:\n  app:\n    backend: nowhere\n');
  const bad = await runNode([b.cli, 'check', '--spec', 'bad.yml'], { cwd: b.dir });
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr, 'upstream-gate check: bad.yml:4: services.app.backend: expected HOST:PORT, [IPv6]:PORT or unix:/path.sock, got "nowhere"\n');
});

test(`the bundle explains a large log with worker threads, as one thread does (${NODE})`, async (t) => {
  const b = isolatedBundle();
  t.after(b.remove);
  // over the parallel threshold (32 MiB): the worker threads run the bundle itself
  const samples = readFileSync(new URL('../fixtures/error-log/nginx-1.22-samples.txt', import.meta.url));
  writeFileSync(join(b.dir, 'error.log'), Buffer.concat(Array.from({ length: Math.ceil((34 * 1024 * 1024) / samples.length) }, () => samples)));
  const one = await runNode([b.cli, 'explain', '--format', 'json', '--threads', '1', 'error.log'], { cwd: b.dir });
  // a worker that cannot start is replaced by a pass in the main thread: the
  // CPU profiles, one per thread, show that the worker for the second range was started
  const profiles = join(b.dir, 'profiles');
  const two = await runNode(['--cpu-prof', '--cpu-prof-dir', profiles, b.cli, 'explain', '--format', 'json', '--threads', '2', 'error.log'], { cwd: b.dir });
  assert.equal(one.code, 0, one.stderr);
  assert.equal(two.code, 0, two.stderr);
  assert.equal(two.stderr, '');
  assert.equal(readdirSync(profiles).length, 2, 'the main thread (the first range) and a worker (the second)');
  const result = JSON.parse(two.stdout) as { lines: number; groups: unknown[] };
  assert.ok(result.lines > 100_000 && result.groups.length > 10, `${result.lines} lines, ${result.groups.length} groups`);
  assert.equal(two.stdout, one.stdout);
});

