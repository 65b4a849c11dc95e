// The layering of src/ (scripts/check-layers.ts): the real tree holds it, and
// the check catches each way a tree can break it.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkLayers } from '../../scripts/check-layers.js';
import { tempDir } from '../helpers/tmp.js';

const src = fileURLToPath(new URL('../../src', import.meta.url));
const tmp = tempDir('ugate-layers-');
after(() => tmp.remove());

const STAGES = [['.'], ['model'], ['nginx'], ['gate'], ['action', 'cli']];
let counter = 0;

/** A src/ tree of `files` (path -> text) under a fresh directory. */
function tree(files: Record<string, string>): string {
  const root = join(tmp.dir, `src-${process.pid}-${++counter}`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

test('src/: no import from an earlier stage to a later one or between peers, no folder cycle, no file cycle', () => {
  const r = checkLayers(src);
  assert.deepEqual(r.problems, []);
  assert.ok(r.files > 50 && r.imports > 100, `${r.files} files, ${r.imports} imports`);
});

test('a tree that follows the stages passes; imports of the own folder, earlier stages and packages are fine', () => {
  const root = tree({
    'util.ts': 'export const u = 1;\n',
    'model/a.ts': "import { u } from '../util.js';\nexport const a = u;\n",
    'nginx/b.ts': "import { a } from '../model/a.js';\nimport { c } from './c.js';\nimport { z } from 'zod';\nexport const b = a + c + String(z);\n",
    'nginx/c.ts': 'export const c = 1;\n',
    'cli/main.ts': "import { b } from '../nginx/b.js';\nexport const m = b;\n",
  });
  assert.deepEqual(checkLayers(root, { stages: STAGES, knownCycles: [] }).problems, []);
});

test('an import of a later stage fails, whether static, type-only, a re-export or dynamic', () => {
  const root = tree({
    'model/a.ts': "import { g } from '../gate/g.js';\nexport const a = g;\n",
    'model/b.ts': "import type { G } from '../gate/g.js';\nexport type B = G;\n",
    'model/c.ts': "export { g } from '../gate/g.js';\n",
    'nginx/d.ts': "export async function d() { return (await import('../gate/g.js')).g; }\n",
    'gate/g.ts': 'export const g = 1;\nexport type G = number;\n',
  });
  const { problems } = checkLayers(root, { stages: STAGES, knownCycles: [] });
  assert.deepEqual(problems, [
    'src/model/a.ts imports src/gate/g.ts: model may not import gate, a later stage',
    'src/model/b.ts imports src/gate/g.ts: model may not import gate, a later stage',
    'src/model/c.ts imports src/gate/g.ts: model may not import gate, a later stage',
    'src/nginx/d.ts imports src/gate/g.ts: nginx may not import gate, a later stage',
  ]);
});

test('peers do not import each other; a folder in no stage and an import of a missing file are named', () => {
  const root = tree({
    'cli/a.ts': "import { b } from '../action/b.js';\nexport const a = b;\n",
    'action/b.ts': 'export const b = 1;\n',
    'extra/x.ts': "import { nope } from './missing.js';\nexport const x = nope;\n",
  });
  assert.deepEqual(checkLayers(root, { stages: STAGES, knownCycles: [] }).problems, [
    'src/cli/a.ts imports src/action/b.ts: cli and action are peers, neither imports the other',
    'src/extra/x.ts: the folder extra/ is in no stage: add it to STAGES in scripts/check-layers.ts',
    'src/extra/x.ts: imports ./missing.js, which is not a file under src/',
  ]);
});

test('file cycles and folder cycles fail', () => {
  const root = tree({
    'nginx/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
    'nginx/b.ts': "import type { X } from './c.js';\nexport const b = 1 as X;\n",
    'nginx/c.ts': "import { a } from './a.js';\nexport type X = number;\nexport const c = a;\n",
    'nginx/n.ts': "import { g } from '../gate/g.js';\nexport const n = g;\n",
    'gate/g.ts': "import { c } from '../nginx/c.js';\nexport const g = c;\n",
  });
  const { problems } = checkLayers(root, { stages: STAGES, knownCycles: [] });
  assert.ok(problems.includes('src/nginx/n.ts imports src/gate/g.ts: nginx may not import gate, a later stage'), problems.join('\n'));
  assert.ok(problems.includes('folder cycle: gate/ -> nginx/ -> gate/'), problems.join('\n'));
  assert.ok(problems.includes('file cycle: src/nginx/a.ts -> src/nginx/b.ts -> src/nginx/c.ts -> src/nginx/a.ts'), problems.join('\n'));
  assert.equal(problems.length, 3, problems.join('\n'));
});

test('a known cycle passes while it exists, and fails once it is gone so that its entry goes too', () => {
  const cyclic = tree({
    'nginx/a.ts': "import { b } from './b.js';\nexport const a = b;\n",
    'nginx/b.ts': "import type { A } from './a.js';\nexport const b = 1;\nexport type B = A;\n",
  });
  assert.deepEqual(checkLayers(cyclic, { stages: STAGES, knownCycles: [['nginx/b.ts', 'nginx/a.ts']] }).problems, []);
  const fixed = tree({ 'nginx/a.ts': "import { b } from './b.js';\nexport const a = b;\n", 'nginx/b.ts': 'export const b = 1;\n' });
  assert.deepEqual(checkLayers(fixed, { stages: STAGES, knownCycles: [['nginx/b.ts', 'nginx/a.ts']] }).problems, [
    'known cycle nginx/b.ts <-> nginx/a.ts is no longer a cycle: remove it from KNOWN_CYCLES in scripts/check-layers.ts',
  ]);
});
