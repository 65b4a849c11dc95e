// Paths as the place a user reads them from resolves them: GitHub annotations
// and the step summary relative to the workspace, JUnit relative to the job's
// working directory.
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** `file` relative to `dir` (with `/`) when it lies inside it; undefined outside it or without a `dir`. */
export function relativeInside(file: string, dir: string | undefined): string | undefined {
  if (dir === undefined) return undefined;
  const abs = isAbsolute(file) ? file : resolve(dir, file);
  const rel = relative(resolve(dir), abs);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}
