import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A fresh temp dir and its remover (call it from `after`, it never throws).
 * Readable by other users, as a checkout is: run as root on a config outside
 * /etc/nginx, the gate's nginx -t reads it as nobody.
 */
export function tempDir(prefix = 'ugate-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
