// The install paths the README shows, as a fresh machine runs them: the
// packed package installed globally into a clean prefix from an empty npm
// cache with --offline (it has no runtime dependencies, so nothing is
// fetched), and dist/cli.js copied alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_BUNDLE, NODE, ROOT, runNode } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; dependencies?: Record<string, string> };

function npm(args: string[], cwd: string): { status: number | null; out: string } {
  const r = spawnSync('npm', [...args, '--no-audit', '--no-fund', '--no-update-notifier'], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test('the published package has no runtime dependencies: the bundles carry them', () => {
  assert.deepEqual(pkg.dependencies ?? {}, {});
});

test('npm pack, then npm install -g of the tarball into a clean prefix, offline and from an empty cache', async (t) => {
  const tmp = tempDir(`ugate-install-${process.pid}-`);
  t.after(tmp.remove);
  const packed = npm(['pack', '--silent', '--pack-destination', tmp.dir], ROOT);
  assert.equal(packed.status, 0, packed.out);
  const tarball = readdirSync(tmp.dir).find((f) => f.endsWith('.tgz'));
  assert.ok(tarball, packed.out);

  const prefix = join(tmp.dir, 'prefix');
  const installed = npm(['install', '-g', '--prefix', prefix, '--offline', '--cache', join(tmp.dir, 'cache'), join(tmp.dir, tarball)], tmp.dir);
  assert.equal(installed.status, 0, installed.out);
  assert.equal(existsSync(join(prefix, 'lib', 'node_modules', 'upstream-gate', 'node_modules')), false, 'nothing installed beside the package');

  const bin = join(prefix, 'bin', 'upstream-gate');
  const v = await runNode([bin, '--version'], { cwd: tmp.dir });
  assert.equal(v.code, 0, v.stderr);
  assert.equal(v.stdout, `${pkg.version}\n`);

  // the bundled example: its nginx config is read and compared with the spec
  cpSync(join(ROOT, 'example'), join(tmp.dir, 'example'), { recursive: true });
  const check = await runNode([bin, 'check', '--phase', 'config', '--format', 'json'], { cwd: join(tmp.dir, 'example') });
  assert.equal(check.code, 0, `${check.stdout}${check.stderr}`);
  assert.equal((JSON.parse(check.stdout) as { verdict: string }).verdict, 'pass');
});

test(`dist/cli.js copied alone runs (${NODE})`, async (t) => {
  const tmp = tempDir(`ugate-alone-${process.pid}-`);
  t.after(tmp.remove);
  const cli = join(tmp.dir, 'upstream-gate.js');
  copyFileSync(CLI_BUNDLE, cli);
  const v = await runNode([cli, '--version'], { cwd: tmp.dir });
  assert.equal(v.code, 0, v.stderr);
  assert.equal(v.stdout, `${pkg.version}\n`);
  cpSync(join(ROOT, 'example'), join(tmp.dir, 'example'), { recursive: true });
  const check = await runNode([cli, 'check', '--phase', 'config', '--format', 'json'], { cwd: join(tmp.dir, 'example') });
  assert.equal(check.code, 0, `${check.stdout}${check.stderr}`);
  assert.equal((JSON.parse(check.stdout) as { verdict: string }).verdict, 'pass');
});
