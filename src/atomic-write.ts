// Nothing half-written: each file goes to a temp name beside its target and is
// renamed over it only once complete.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UserError } from './user-error.js';

export interface PendingFile {
  path: string;
  text: string;
}

/** Writes every file's temp copy first, then renames them all; on a write error none is renamed. */
export async function writeFilesAtomically(files: readonly PendingFile[]): Promise<void> {
  const suffix = `.tmp-${process.pid}-${Date.now()}`;
  const temps: string[] = [];
  try {
    for (const f of files) {
      await mkdir(dirname(f.path), { recursive: true });
      const tmp = f.path + suffix;
      temps.push(tmp);
      await writeFile(tmp, f.text, { mode: 0o644 });
    }
  } catch (e) {
    await Promise.all(temps.map((t) => rm(t, { force: true })));
    const err = e as NodeJS.ErrnoException;
    throw new UserError(`cannot write: ${err.code ?? err.message}`, err.path ?? files[0]?.path);
  }
  for (const f of files) await rename(f.path + suffix, f.path);
}
