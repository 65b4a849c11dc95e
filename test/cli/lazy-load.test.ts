// Code is loaded when it is used: `--version` loads no command and no
// dependency, a healthy `--phase probe` gate loads neither the command runner
// (execa: no command runs) nor explain nor the JUnit writer. Observed through
// a module-load hook that records every module the CLI loads; and in the
// bundle, through what it is built from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startHttpBackend } from '../helpers/backend.js';
import { CLI_BUNDLE, CLI_SOURCE, runNode, TSX } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/** Runs the CLI from source with a load hook; returns its run and every module URL it loaded. */
async function loadedBy(args: string[], cwd: string): Promise<{ code: number | null; stderr: string; modules: string[] }> {
  const log = join(cwd, `loaded-${Date.now()}-${Math.random().toString(36).slice(2)}.log`);
  writeFileSync(log, '');
  const hooks = join(cwd, 'hooks.mjs');
  writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';\nlet log;\nexport function initialize(d) { log = d.log; }\nexport async function load(url, context, next) { appendFileSync(log, url + '\\n'); return next(url, context); }\n`,
  );
  const register = join(cwd, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)}, { data: { log: ${JSON.stringify(log)} } });\n`);
  const r = await runNode(['--import', TSX, '--import', pathToFileURL(register).href, CLI_SOURCE, ...args], { cwd, node: process.execPath });
  return { code: r.code, stderr: r.stderr, modules: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

const fromPackage = (modules: string[], name: string) => modules.filter((m) => m.includes(`/node_modules/${name}/`));
const fromSrc = (modules: string[], folder: string) => modules.filter((m) => m.includes(`/src/${folder}`));

test('--version loads no command, no stage and no dependency', async (t) => {
  const { dir, remove } = tempDir();
  t.after(remove);
  const r = await loadedBy(['--version'], dir);
  assert.equal(r.code, 0, r.stderr);
  const ours = r.modules.filter((m) => m.includes('/src/'));
  assert.ok(ours.some((m) => m.endsWith('/src/cli/main.ts')), r.modules.join('\n'));
  // regexp-guard.ts sets V8's regex fallback before any expression runs: the entry imports it first, by design
  assert.deepEqual(
    ours.filter((m) => !/\/src\/(cli\/(index|main|io)\.ts|user-error\.ts|regexp-guard\.ts)$/.test(m)),
    [],
  );
  assert.deepEqual(r.modules.filter((m) => m.includes('/node_modules/') && !m.includes('/node_modules/tsx/')), []);
});

test('a healthy --phase probe gate loads no command runner, no explain, no JUnit writer', async (t) => {
  const { dir, remove } = tempDir();
  t.after(remove);
  const b = await startHttpBackend({});
  t.after(() => b.close());
  const spec = join(dir, 'upstream-gate.yml');
  writeFileSync(spec, `version: 1\nservices:\n  app: {backend: "127.0.0.1:${b.port}", health: /healthz}\ngate: {deadline: 60s}\n`);
  const r = await loadedBy(['check', '--spec', spec, '--phase', 'probe', '--format', 'json'], dir);
  assert.equal(r.code, 0, r.stderr);
  // the gate did load what it used: the spec's validator and the probes
  assert.ok(fromPackage(r.modules, 'zod').length > 0);
  assert.ok(fromSrc(r.modules, 'probe/http.ts').length > 0);
  assert.deepEqual(fromPackage(r.modules, 'execa'), []);
  assert.deepEqual(fromSrc(r.modules, 'explain/'), []);
  assert.deepEqual(fromSrc(r.modules, 'report/junit.ts'), []);
});

test("the bundle carries zod's English messages only, not its other locales nor its JSON Schema reader", () => {
  const bundle = readFileSync(CLI_BUNDLE, 'latin1');
  // each locale module is one default-exported function, which esbuild names after its file
  const locales = readdirSync(fileURLToPath(new URL('../../node_modules/zod/v4/locales/', import.meta.url)))
    .filter((f) => f.endsWith('.js') && f !== 'index.js')
    .map((f) => f.slice(0, -3).replace(/\W/g, '_'));
  assert.ok(locales.length > 10 && locales.includes('en'), locales.join(' '));
  const bundled = locales.filter((l) => new RegExp(`\\bfunction ${l}_default\\(`).test(bundle));
  assert.deepEqual(bundled, ['en']);
  assert.match(bundle, /\bfunction fromJSONSchema\(\)\{throw new Error\(/, 'the reader is the build\'s stub');
});
