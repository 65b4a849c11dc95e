// A systemd unit's state and the tail of its journal, when the spec names one.
import type { Runner } from './run.js';
import { whyFailed } from './why-failed.js';

export interface SystemdEvidence {
  unit: string;
  /** ActiveState, SubState, MainPID, Result, ExecMainStatus, NRestarts */
  state: Record<string, string>;
  /** the journal's last lines */
  journal: string[];
  notes: string[];
}

const PROPERTIES = ['ActiveState', 'SubState', 'MainPID', 'Result', 'ExecMainStatus', 'NRestarts', 'LoadState'];
const JOURNAL_LINES = 8;

export function parseShow(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1).trim();
  }
  return out;
}

export async function readSystemd(runner: Runner, unit: string, options: { signal?: AbortSignal } = {}): Promise<SystemdEvidence> {
  const run = { timeoutMs: 3000, ...(options.signal && { signal: options.signal }) };
  const notes: string[] = [];
  const [show, journal] = await Promise.all([
    runner.run('systemctl', ['show', unit, `--property=${PROPERTIES.join(',')}`, '--no-pager'], run),
    runner.run('journalctl', ['-u', unit, '-n', String(JOURNAL_LINES), '--no-pager', '-o', 'short-iso'], run),
  ]);
  if (show.failed) notes.push(whyFailed(show, `systemctl show ${unit}`));
  if (journal.failed) notes.push(whyFailed(journal, `journalctl -u ${unit}`));
  const lines = journal.failed ? [] : journal.stdout.split('\n').filter((l) => l.trim() && !/^-- (No entries|Journal begins|Logs begin)/.test(l));
  return { unit, state: show.failed ? {} : parseShow(show.stdout), journal: lines.slice(-JOURNAL_LINES), notes };
}

/** `active (running)`, `failed (Result=exit-code, status 1)`, `activating (auto-restart)`. */
export function describeUnit(s: SystemdEvidence): string | undefined {
  const st = s.state;
  if (!st.ActiveState) return undefined;
  if (st.LoadState === 'not-found') return `${s.unit} not found`;
  const extra = [st.Result && st.Result !== 'success' && `Result=${st.Result}`, st.ExecMainStatus && st.ExecMainStatus !== '0' && `status ${st.ExecMainStatus}`, st.NRestarts && st.NRestarts !== '0' && `${st.NRestarts} restarts`].filter(Boolean);
  return `${s.unit}: ${st.ActiveState}${st.SubState ? ` (${st.SubState})` : ''}${extra.length ? `, ${extra.join(', ')}` : ''}${st.MainPID && st.MainPID !== '0' ? `, pid ${st.MainPID}` : ''}`;
}
