// Writing and comparing rendered files.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFilesAtomically } from '../atomic-write.js';
import type { RenderedFile } from './render.js';

export async function writeAtomically(dir: string, files: readonly RenderedFile[]): Promise<string[]> {
  const pending = files.map((f) => ({ path: join(dir, f.name), text: f.text }));
  await writeFilesAtomically(pending);
  return pending.map((p) => p.path);
}

export interface Drift {
  name: string;
  /** undefined: the file is missing */
  actual?: string;
  expected: string;
}

export async function compare(dir: string, files: readonly RenderedFile[]): Promise<Drift[]> {
  const drift: Drift[] = [];
  for (const f of files) {
    let actual: string | undefined;
    try {
      actual = await readFile(join(dir, f.name), 'utf8');
    } catch {
      actual = undefined;
    }
    if (actual !== f.text) drift.push({ name: f.name, ...(actual !== undefined && { actual }), expected: f.text });
  }
  return drift;
}

/** A small line diff (LCS), enough to show what drifted in a rendered file. */
export function unifiedDiff(name: string, actual: string, expected: string): string {
  const a = actual.split('\n');
  const b = expected.split('\n');
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out = [`--- ${name} (on disk)`, `+++ ${name} (from the spec)`];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      i++;
      j++;
    } else if (i < n && (j >= m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) out.push(`-${a[i++]}`);
    else out.push(`+${b[j++]}`);
  }
  return out.join('\n');
}
