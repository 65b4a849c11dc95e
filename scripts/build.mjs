// Builds the committed bundles (runnable with plain `node`, no node_modules):
//   dist/cli.js     the `upstream-gate` executable, one file that runs wherever
//                   it is copied: a head that compiles the program after it with
//                   V8's code cache; each command is evaluated when it is first
//                   imported, so `--version` and `--help` evaluate none of them
//   dist/action.js  the GitHub Action entry (action.yml, runs.main)
// and the generated files that must not drift: explain's WebAssembly scanner
// (src/explain/scan-wasm.ts, from wasm/scan.ts), the spec's JSON Schema, the
// reason-code reference, the README's Action usage block.
import { build } from 'esbuild';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

// zod's namespace object re-exports every locale and the JSON Schema reader,
// which esbuild cannot drop: 0.4 MB the CLI would parse on every start and
// never run (the spec's messages are our own; English is the default, set by
// zod's schemas.js itself). The JSON Schema is generated from the sources.
const zodUnused = {
  name: 'zod-unused',
  setup(b) {
    b.onResolve({ filter: /(^|\/)(locales\/index|from-json-schema)\.js$/ }, (a) => (/[\\/]node_modules[\\/]zod[\\/]/.test(a.importer) ? { path: a.path, namespace: 'zod-unused' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'zod-unused' }, (a) => ({
      contents: a.path.includes('locales') ? 'export {};' : 'export function fromJSONSchema() { throw new Error("fromJSONSchema is not in this build"); }',
    }));
  },
};

// Bundled CommonJS dependencies call require() for Node built-ins; ESM has none.
// Some (ssh2's agent module) read __dirname when loaded: give them the bundle's own.
const banner = {
  js: [
    "import { createRequire as __ugateCreateRequire } from 'node:module';",
    "import { fileURLToPath as __ugateFileURLToPath } from 'node:url';",
    'const require = __ugateCreateRequire(import.meta.url);',
    'const __filename = __ugateFileURLToPath(import.meta.url);',
    "const __dirname = __filename.slice(0, __filename.lastIndexOf('/')) || '/';",
  ].join('\n'),
};
// ssh2's optional native parts (its crypto binding, cpu-features) cannot be in
// a one-file bundle: each becomes a module that throws when required, which
// ssh2 catches, using its pure-JavaScript code instead.
const withoutNativeAddons = {
  name: 'without-native-addons',
  setup(b) {
    b.onResolve({ filter: /\.node$|^cpu-features$/ }, (args) => ({ path: args.path, namespace: 'native-addon' }));
    b.onLoad({ filter: /.*/, namespace: 'native-addon' }, (args) => ({ contents: `throw new Error(${JSON.stringify(`${args.path} is not bundled`)});`, loader: 'js' }));
  },
};

const common = {
  bundle: true,
  plugins: [withoutNativeAddons, zodUnused],
  platform: 'node',
  target: 'node20',
  format: 'esm',
  banner,
  define: { __VERSION__: JSON.stringify(pkg.version) },
  legalComments: 'none',
  logLevel: 'warning',
  // ssh2's optional native speed-ups (sshcrypto.node, cpu-features): left out, so the bundle stays one
  // portable file; ssh2 falls back to its pure JavaScript code when they cannot be loaded
  external: ['*.node'],
};

// dist/cli.js: a small head (src/cli/program-loader.ts) and, after it in a
// comment, the program, which the head compiles with V8's code cache. The
// program is CommonJS (a function V8 can cache), without comments and
// indentation (the bytes every start reads and scans), lines kept short and
// names kept, so a stack trace still names the function and a line.
async function buildCli() {
  const { outputFiles } = await build({
    ...common,
    banner: undefined,
    format: 'cjs',
    entryPoints: { cli: 'src/cli/bundle-entry.ts' },
    outdir: 'dist',
    write: false,
    minifyWhitespace: true,
    lineLimit: 160,
    // the head passes its own URL: explain's workers start this same file
    define: { ...common.define, 'import.meta.url': '__ugateMetaUrl' },
  });
  const program = outputFiles[0].text.replace(/\n$/, '');
  const nonAscii = program.search(/[^\x00-\x7f]/);
  if (nonAscii !== -1) throw new Error(`dist/cli.js: the program has a non-ASCII character at ${nonAscii}; the head reads it as latin1`);
  // `*` `/` would close the comment that holds the program: written `*|`, restored by the head
  const closers = [];
  for (let i = program.indexOf('*/'); i !== -1; i = program.indexOf('*/', i + 2)) closers.push(i);
  let held = program;
  for (const i of closers) held = `${held.slice(0, i)}*|${held.slice(i + 2)}`;
  const hash = createHash('sha256').update(program).digest('hex');
  const head = await build({
    ...common,
    banner: undefined,
    entryPoints: { cli: 'src/cli/program-loader.ts' },
    outdir: 'dist',
    write: false,
    define: {
      ...common.define,
      __PROGRAM_HASH__: JSON.stringify(hash),
      __PROGRAM_LENGTH__: String(held.length),
      __PROGRAM_CLOSERS__: JSON.stringify(closers),
    },
  });
  mkdirSync('dist', { recursive: true });
  writeFileSync('dist/cli.js', `#!/usr/bin/env node\n${head.outputFiles[0].text}/* upstream-gate program ${hash}\n${held}\n*/\n`);
}

// the WebAssembly scanner first: the bundles carry it
{
  const r = spawnSync(process.execPath, ['scripts/build-wasm.mjs'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

rmSync('dist', { recursive: true, force: true });
// Without code splitting esbuild keeps each dynamically imported module in
// a function run on its first import: lazy evaluation within one file.
await buildCli();
// the Action's bundle is compiled once a step, without a cache (a hosted runner starts empty): the
// fewer bytes V8 scans the better, so it drops comments and indentation too
await build({ ...common, entryPoints: { action: 'src/action/index.ts' }, outdir: 'dist', minifyWhitespace: true, lineLimit: 160 });
chmodSync('dist/cli.js', 0o755);
// The bundles are ESM: say so beside them, so dist/ runs wherever it is copied.
writeFileSync('dist/package.json', '{\n  "type": "module"\n}\n');

for (const script of ['scripts/gen-schema.ts', 'scripts/gen-docs.ts']) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', script], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
