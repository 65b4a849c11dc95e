// dist/cli.js's head compiles the program with V8's code cache. The cache is
// compiled code that will be run, so it is read only from this user's own
// directory and file; it is written whole or not at all, only after a run
// that did its work, and a cache that does not fit (another build, a damaged
// file, another copy) is never used. Observed through `check --debug`, which
// names the cache's state, and through the files in the cache directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, copyFileSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHttpBackend } from '../helpers/backend.js';
import { CLI_BUNDLE, NODE, runNode, type Run } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

interface Copy {
  dir: string;
  cli: string;
  cache: string;
  gate: (args?: string[], env?: NodeJS.ProcessEnv) => Promise<Run>;
  files: () => string[];
}

/** A lone copy of the bundle with its own cache directory, and a spec whose one backend is healthy. */
async function copy(t: { after: (fn: () => unknown) => void }): Promise<Copy> {
  const { dir, remove } = tempDir('ugate-code-cache-');
  t.after(remove);
  const cli = join(dir, 'cli.js');
  copyFileSync(CLI_BUNDLE, cli);
  const backend = await startHttpBackend({});
  t.after(() => backend.close());
  writeFileSync(join(dir, 'gate.yml'), `version: 1\nservices:\n  app:\n    backend: 127.0.0.1:${backend.port}\n    health: /healthz\ngate:\n  deadline: 5s\n`);
  const cache = join(dir, 'cache');
  const gate = (args = ['check', '--spec', 'gate.yml', '--phase', 'probe', '--debug'], env: NodeJS.ProcessEnv = { ...process.env, UPSTREAM_GATE_CODE_CACHE: cache }) =>
    runNode([cli, ...args], { cwd: dir, env });
  const files = () => {
    try {
      return readdirSync(cache).sort();
    } catch {
      return [];
    }
  };
  return { dir, cli, cache, gate, files };
}

const cacheState = (r: Run) => /program compile \(code cache (.*)\) +at /.exec(r.stderr)?.[1];

function passed(r: Run): void {
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^PASS/m);
}

test(`the first run writes the code cache, owner-only; the next runs read it (${NODE})`, async (t) => {
  const c = await copy(t);
  const first = await c.gate();
  passed(first);
  assert.equal(cacheState(first), 'written at exit');
  const files = c.files();
  assert.equal(files.length, 1, files.join(' '));
  assert.match(files[0]!, /-check\.v8$/);
  assert.equal(statSync(c.cache).mode & 0o777, 0o700);
  assert.equal(statSync(join(c.cache, files[0]!)).mode & 0o777, 0o600);
  const written = readFileSync(join(c.cache, files[0]!));

  const second = await c.gate();
  passed(second);
  assert.equal(cacheState(second), 'hit');
  assert.deepEqual(c.files(), files, 'a hit writes nothing');
  assert.deepEqual(readFileSync(join(c.cache, files[0]!)), written);
});

test(`a damaged cache is rejected and rewritten; the run is not affected (${NODE})`, async (t) => {
  const c = await copy(t);
  passed(await c.gate());
  const [file] = c.files();
  const path = join(c.cache, file!);
  const size = statSync(path).size;
  writeFileSync(path, Buffer.alloc(size, 0x5a));
  const rejected = await c.gate();
  passed(rejected);
  assert.equal(cacheState(rejected), 'rejected, rewritten at exit');
  passed(await c.gate());
  assert.equal(cacheState(await c.gate()), 'hit');
  assert.deepEqual(c.files(), [file], 'no file of an interrupted write is left');
});

test(`a cache another user owns, or others can write, is never read (${NODE})`, async (t) => {
  const c = await copy(t);
  passed(await c.gate());
  const [file] = c.files();
  const path = join(c.cache, file!);

  // the valid cache, but owned by nobody: not read (were it read, this run would say "hit")
  chownSync(path, 65534, 65534);
  const foreign = await c.gate();
  passed(foreign);
  assert.equal(cacheState(foreign), 'written at exit');
  assert.equal(statSync(path).uid, process.getuid!(), 'replaced by this user\'s own');

  chmodSync(path, 0o666);
  const writable = await c.gate();
  passed(writable);
  assert.equal(cacheState(writable), 'written at exit');

  // the directory itself writable by others: the cache is off, nothing read or written
  chmodSync(c.cache, 0o777);
  const before = c.files();
  const open = await c.gate();
  passed(open);
  assert.match(cacheState(open) ?? '', /^off: .*cache is writable by others$/);
  assert.deepEqual(c.files(), before);
});

test(`a cache file that is a symlink is not followed (${NODE})`, async (t) => {
  const c = await copy(t);
  passed(await c.gate());
  const [file] = c.files();
  const path = join(c.cache, file!);
  const elsewhere = join(c.dir, 'elsewhere.v8');
  copyFileSync(path, elsewhere);
  chmodSync(elsewhere, 0o600);
  unlinkSync(path);
  symlinkSync(elsewhere, path);
  const linked = await c.gate();
  passed(linked);
  assert.equal(cacheState(linked), 'written at exit');
  assert.ok(!lstatSync(path).isSymbolicLink(), 'replaced by a file of its own');
});

test(`an edited copy of the file never runs the cache of what it was (${NODE})`, async (t) => {
  const c = await copy(t);
  const v = await c.gate(['--version']);
  assert.equal(v.code, 0, v.stderr);
  const version = v.stdout.trim();
  assert.equal(c.files().length, 1);
  // same length, same program hash in the head: only the file's identity tells the edit (the
  // program's lines are cut at 160 columns, inside a string too, with a backslash-newline)
  const literal = new RegExp([...JSON.stringify(version)].map((ch) => ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('(?:\\\\\n)?'));
  const original = readFileSync(c.cli, 'latin1');
  assert.match(original, literal);
  const edited = original.replace(literal, (m) => m.replace(/\d/g, '9'));
  writeFileSync(c.cli, edited, 'latin1');
  const after = await c.gate(['--version']);
  assert.equal(after.code, 0, after.stderr);
  assert.equal(after.stdout.trim(), version.replace(/\d/g, '9'));
});

test(`a usage error or an unknown command writes no cache (${NODE})`, async (t) => {
  const c = await copy(t);
  const unknown = await c.gate(['frobnicate']);
  assert.equal(unknown.code, 2);
  const bad = await c.gate(['check', '--spec', 'missing.yml']);
  assert.equal(bad.code, 2);
  assert.deepEqual(c.files(), []);
});

test(`UPSTREAM_GATE_CODE_CACHE=off, or no HOME at all, runs without a cache and says so (${NODE})`, async (t) => {
  const c = await copy(t);
  const off = await c.gate(undefined, { ...process.env, UPSTREAM_GATE_CODE_CACHE: 'off' });
  passed(off);
  assert.equal(cacheState(off), 'off: UPSTREAM_GATE_CODE_CACHE is off');
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH };
  const homeless = await c.gate(undefined, env);
  passed(homeless);
  assert.equal(cacheState(homeless), 'off: no cache directory: HOME is not set');
  assert.deepEqual(c.files(), []);
});

test(`run as another user, the gate takes no cache of root's and writes none there (${NODE})`, async (t) => {
  const c = await copy(t);
  passed(await c.gate());
  const before = c.files();
  // nobody, pointed at root's cache directory: it is not nobody's, so it is off
  const nobody = await runNode(['--reuid=65534', '--regid=65534', '--clear-groups', NODE, c.cli, 'check', '--spec', 'gate.yml', '--phase', 'probe', '--debug'], {
    cwd: c.dir,
    env: { PATH: process.env.PATH, UPSTREAM_GATE_CODE_CACHE: c.cache },
    node: 'setpriv',
  });
  passed(nobody);
  assert.match(cacheState(nobody) ?? '', /^off: .* belongs to uid 0, not to this user \(uid 65534\)$/);
  assert.deepEqual(c.files(), before);
});

test(`four first runs at once leave one whole cache and nothing else (${NODE})`, async (t) => {
  const c = await copy(t);
  mkdirSync(c.cache, { mode: 0o700 });
  const runs = await Promise.all([1, 2, 3, 4].map(() => c.gate()));
  for (const r of runs) passed(r);
  const files = c.files();
  assert.equal(files.length, 1, files.join(' '));
  const hit = await c.gate();
  passed(hit);
  assert.equal(cacheState(hit), 'hit');
});

test(`a damaged file says so in one line and exits 70 (${NODE})`, async (t) => {
  const c = await copy(t);
  // a part of the program lost, the comment that holds it still closed
  const text = readFileSync(c.cli, 'latin1');
  const middle = Math.floor(text.length / 2);
  writeFileSync(c.cli, text.slice(0, middle) + text.slice(middle + 100), 'latin1');
  const r = await c.gate(['--version']);
  assert.equal(r.code, 70);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^upstream-gate: .*cli\.js is damaged: its program is not where its head expects it \(install it again\)\n$/);
});
