// SELinux state, for an EACCES on a TCP connect: the mode, the boolean that
// lets httpd_t connect to any port, and recent AVC denials for name_connect.
import type { Runner } from './run.js';
import { whyFailed } from './why-failed.js';

export interface SelinuxEvidence {
  /** Enforcing, Permissive, Disabled; absent when getenforce is not installed */
  mode?: string;
  /** `httpd_can_network_connect --> off` */
  booleans: Record<string, string>;
  /** AVC lines, newest last, at most 5 */
  denials: string[];
  notes: string[];
}

export const SELINUX_BOOLEAN = 'httpd_can_network_connect';

export function parseGetsebool(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/^(\S+)\s+-->\s+(\S+)\s*$/gm)) if (m[1] && m[2]) out[m[1]] = m[2];
  return out;
}

/** AVC `denied { name_connect }` lines, optionally for one destination port. */
export function parseAvc(text: string, port?: number): string[] {
  return text
    .split('\n')
    .filter((l) => /avc:\s+denied/.test(l) && /name_connect|connectto/.test(l))
    .filter((l) => port === undefined || !/\bdest=\d+/.test(l) || new RegExp(`\\bdest=${port}\\b`).test(l))
    .slice(-5)
    .map((l) => l.trim());
}

export async function readSelinux(runner: Runner, port: number | undefined, options: { signal?: AbortSignal } = {}): Promise<SelinuxEvidence> {
  const run = { timeoutMs: 3000, ...(options.signal && { signal: options.signal }) };
  const notes: string[] = [];
  const mode = await runner.run('getenforce', [], run);
  if (mode.failed) {
    notes.push(mode.notFound ? 'getenforce not installed: SELinux state unknown' : whyFailed(mode));
    return { booleans: {}, denials: [], notes };
  }
  const [bool, avc] = await Promise.all([
    runner.run('getsebool', [SELINUX_BOOLEAN], run),
    runner.run('ausearch', ['-m', 'AVC', '-ts', 'recent'], run),
  ]);
  if (bool.failed) notes.push(whyFailed(bool));
  // ausearch exits 1 when there is no match: that is an answer, not a failure
  if (avc.notFound) notes.push('ausearch not installed: AVC denials not read');
  return { mode: mode.stdout.trim(), booleans: parseGetsebool(bool.stdout), denials: parseAvc(avc.stdout, port), notes };
}
