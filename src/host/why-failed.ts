// One sentence for a host command that gave no answer, for evidence notes.
import type { CommandResult } from './run.js';

/** `nft not installed`, `ss timed out`, `iptables -S failed: Permission denied (you must be root)`. */
export function whyFailed(r: CommandResult, label = r.command): string {
  if (r.notFound) return `${r.command.split(' ')[0]} not installed`;
  if (r.timedOut) return `${label} timed out`;
  // no exit status of its own: the gate's signal stopped it (deadline or interrupt)
  if (r.exitCode === undefined || r.exitCode === 0) return `${label} was cancelled`;
  return `${label} failed: ${r.stderr.trim().split('\n')[0] || `exit ${r.exitCode}`}`;
}
