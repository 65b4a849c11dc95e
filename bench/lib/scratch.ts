// One temp dir for the whole bench run (specs, nginx configs, sockets, RSS
// files), removed on every exit path.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onCleanup } from './cleanup.js';

let dir: string | undefined;

export function scratchDir(): string {
  if (dir) return dir;
  const made = mkdtempSync(join(tmpdir(), `ugate-bench-${process.pid}-`));
  dir = made;
  onCleanup(() => {
    rmSync(made, { recursive: true, force: true });
    dir = undefined;
  });
  return made;
}
