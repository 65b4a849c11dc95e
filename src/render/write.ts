// Writing and comparing rendered files.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFilesAtomically } from '../atomic-write.js';
import { readInput } from '../input-file.js';
import { UserError } from '../user-error.js';
import type { RenderedFile } from './render.js';

/** A rendered file is a few lines: a far larger file in its place is not read. */
const MAX_COMPARED_BYTES = 1024 * 1024;

/** Into `dir` (made when missing), each file by the rules of writeFilesAtomically; `shown` names the directory in messages. */
export async function writeAtomically(dir: string, files: readonly RenderedFile[], shown = dir, signal?: AbortSignal): Promise<string[]> {
  const st = await stat(dir).catch(() => undefined);
  if (st && !st.isDirectory()) throw new UserError('cannot write into it: not a directory', shown);
  const pending = files.map((f) => ({ path: join(dir, f.name), text: f.text }));
  await writeFilesAtomically(pending, signal);
  return pending.map((p) => p.path);
}

export interface Drift {
  name: string;
  /** undefined: the file is missing */
  actual?: string;
  expected: string;
}

/** Each file in `dir` against its rendering; what is at a file's path must be a regular file or nothing (UserError). */
export async function compare(dir: string, files: readonly RenderedFile[], show: (path: string) => string = (p) => p): Promise<Drift[]> {
  const drift: Drift[] = [];
  for (const f of files) {
    const path = join(dir, f.name);
    // a missing file is drift; a directory, device or FIFO in its place is bad input
    const missing = await stat(path).then(
      () => false,
      (e: NodeJS.ErrnoException) => e.code === 'ENOENT',
    );
    const actual = missing ? undefined : (await readInput(path, { what: 'rendered file', shown: show(path), maxBytes: MAX_COMPARED_BYTES, pipes: false })).toString('utf8');
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
