// The layering of src/: every folder is a stage, and stages run in the order
// data flows through them (docs/architecture.md). A file may import files of
// its own folder and of earlier stages, never of a later stage or of a peer
// (a stage listed beside it); no folder cycle, no file cycle. Run by CI after
// the type check and by test/architecture/layers.test.ts.
// `npm run layers` (or `npx tsx scripts/check-layers.ts [SRC_DIR]`) prints
// what it checked; exit 1 on any violation, each on its own line.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

/** Earliest first; `.` is the files directly in src/ (small helpers any stage may use). */
export const STAGES: readonly (readonly string[])[] = [
  ['.'],
  ['model'],
  ['spec'],
  ['render'],
  ['host'],
  ['nginx'],
  ['probe'],
  ['diagnose'],
  ['explain'],
  ['gate'],
  ['fleet'],
  ['report'],
  ['action', 'cli'],
];

/**
 * File cycles that are known and being removed elsewhere, as paths relative to
 * src/. Each must still be a cycle: once it is gone, its entry must go too.
 */
export const KNOWN_CYCLES: readonly (readonly string[])[] = [];

/**
 * Checks the tree under `srcDir`; returns the violations (none: []) and what
 * was looked at.
 */
export function checkLayers(
  srcDir: string,
  { stages = STAGES, knownCycles = KNOWN_CYCLES }: { stages?: readonly (readonly string[])[]; knownCycles?: readonly (readonly string[])[] } = {},
): LayerCheck {
  const root = resolve(srcDir);
  const rank = new Map(stages.flatMap((names, i) => names.map((n) => [n, i] as const)));
  const files = walk(root).map((f) => relative(root, f).split(sep).join('/'));
  const known = new Set(files);
  const problems: string[] = [];
  /** file -> files it imports (under src/) */
  const graph = new Map<string, string[]>();
  let imports = 0;

  for (const file of files) {
    const stage = stageOf(file);
    if (!rank.has(stage)) problems.push(`src/${file}: the folder ${stage}/ is in no stage: add it to STAGES in scripts/check-layers.ts`);
    const targets = new Set<string>();
    for (const { fileName } of ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true).importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = relative(root, resolve(root, dirname(file), fileName.replace(/\.js$/, '.ts'))).split(sep).join('/');
      if (target.startsWith('..')) continue;
      imports++;
      if (!known.has(target)) {
        problems.push(`src/${file}: imports ${fileName}, which is not a file under src/`);
        continue;
      }
      targets.add(target);
      const to = stageOf(target);
      if (to === stage || !rank.has(stage) || !rank.has(to)) continue;
      const a = rank.get(stage) as number;
      const b = rank.get(to) as number;
      if (b > a) problems.push(`src/${file} imports src/${target}: ${stage} may not import ${to}, a later stage`);
      else if (b === a) problems.push(`src/${file} imports src/${target}: ${stage} and ${to} are peers, neither imports the other`);
    }
    graph.set(file, [...targets]);
  }

  const folders = new Map<string, Set<string>>();
  for (const [file, targets] of graph) {
    const from = stageOf(file);
    const to = folders.get(from) ?? new Set<string>();
    folders.set(from, to);
    for (const t of targets) if (stageOf(t) !== from) to.add(stageOf(t));
  }
  for (const c of cycles(new Map([...folders].map(([k, v]) => [k, [...v]])))) problems.push(`folder cycle: ${c.map((f) => `${f}/`).join(' -> ')} -> ${c[0]}/`);

  const knownKeys = new Map(knownCycles.map((c) => [[...c].sort().join(' '), c] as const));
  const seen = new Set<string>();
  for (const c of cycles(graph)) {
    const key = [...c].sort().join(' ');
    if (knownKeys.has(key)) {
      seen.add(key);
      continue;
    }
    problems.push(`file cycle: ${c.map((f) => `src/${f}`).join(' -> ')} -> src/${c[0]}`);
  }
  for (const [key, c] of knownKeys) {
    if (!seen.has(key)) problems.push(`known cycle ${c.join(' <-> ')} is no longer a cycle: remove it from KNOWN_CYCLES in scripts/check-layers.ts`);
  }
  return { problems, files: files.length, imports, stages: stages.length };
}

export interface LayerCheck {
  /** one line each; none when the layering holds */
  problems: string[];
  files: number;
  imports: number;
  stages: number;
}

/** `model/codes.ts` -> `model`; `user-error.ts` -> `.` */
function stageOf(file: string): string {
  const slash = file.indexOf('/');
  return slash < 0 ? '.' : file.slice(0, slash);
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []))
    .sort();
}

/**
 * The strongly connected components of more than one node, and nodes that
 * import themselves (Tarjan), each as a path in import order from its
 * smallest member, so a message reads as the chain of imports.
 */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop() as string;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(orderCycle(component, graph));
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return out;
}

/** A cycle through a component, from its smallest node, following imports inside it. */
function orderCycle(component: readonly string[], graph: ReadonlyMap<string, readonly string[]>): string[] {
  const members = new Set(component);
  const start = [...component].sort()[0] as string;
  const path = [start];
  const on = new Set(path);
  for (;;) {
    const last = path[path.length - 1] as string;
    const step = (graph.get(last) ?? []).filter((w) => members.has(w)).sort();
    if (step.includes(start) && path.length > 1) return path;
    const fresh = step.find((w) => !on.has(w));
    if (fresh === undefined) return path;
    path.push(fresh);
    on.add(fresh);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const src = process.argv[2] ?? join(fileURLToPath(new URL('..', import.meta.url)), 'src');
  const r = checkLayers(src);
  for (const p of r.problems) console.error(p);
  if (r.problems.length) {
    console.error(`layers: ${r.problems.length} violation${r.problems.length === 1 ? '' : 's'} (the stage order is STAGES in scripts/check-layers.ts, docs/architecture.md explains it)`);
    process.exit(1);
  }
  console.log(`layers: ${r.files} files in ${r.stages} stages, ${r.imports} imports: none from an earlier stage to a later one or between peers, no folder cycle, no file cycle (known: ${KNOWN_CYCLES.map((c) => c.join(' <-> ')).join('; ') || 'none'})`);
}
