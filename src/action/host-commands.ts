// What the log says about the commands the gate ran on the host: one line per
// distinct command (how often, how it ended, how long), and their output only
// with debug logging on (it lists every listener and firewall rule of the
// host, in a log that may be public), credentials masked.
import { append } from '../append.js';
import { plural } from '../report/by-service.js';
import { maskCredentials } from '../model/mask.js';
import { formatDuration } from '../spec/duration.js';
import type { CommandRecord } from './runner.js';

export function hostCommandsTitle(records: readonly CommandRecord[]): string {
  return `upstream-gate: ${plural(new Set(records.map((r) => r.command)).size, 'host command')} (${plural(records.length, 'run')})`;
}

/** The group's body: untrusted (paths and output come from the spec and the host), so the caller neutralises it. */
export function hostCommandsText(records: readonly CommandRecord[], debug: boolean): string {
  const byCommand = new Map<string, CommandRecord[]>();
  for (const r of records) byCommand.set(r.command, [...(byCommand.get(r.command) ?? []), r]);
  const out: string[] = [];
  for (const [command, runs] of byCommand) {
    const ends = [...new Set(runs.map(ending))].join(', ');
    const ms = runs.reduce((t, r) => t + r.durationMs, 0);
    out.push(`$ ${maskCredentials(command)}  (${runs.length > 1 ? `${plural(runs.length, 'run')}, ` : ''}${ends}, ${formatDuration(ms)})`);
    const last = runs[runs.length - 1];
    if (debug && last?.output) append(out, maskCredentials(last.output.replace(/\n$/, '')).split('\n').map((l) => `  ${l}`));
  }
  if (!debug) out.push('', 'Their output is not shown (it describes the host, and this log may be public): re-run with debug logging on to see it.');
  return `${out.join('\n')}\n`;
}

function ending(r: CommandRecord): string {
  if (r.notFound) return 'not installed';
  if (r.timedOut) return 'timed out';
  return r.exitCode === undefined ? 'stopped' : `exit ${r.exitCode}`;
}
