// `check --inventory FILE [--limit PATTERN]` and repeated `--ssh`: the fleet.
// Every host is gated over its own SSH connection (src/host/ssh/), several
// at a time (--concurrency); the report shows each host and the fleet at a
// glance, and the exit code is 1 when any host fails. A bad inventory or
// limit is bad input (exit 2, naming file:line) before any host is reached.
import { resolve } from 'node:path';
import { writeFilesAtomically } from '../atomic-write.js';
import type { PhaseSelection } from '../gate/run.js';
import { selectHosts } from '../fleet/host-pattern.js';
import { loadInventory } from '../fleet/inventory-file.js';
import { fleetTarget, type FleetTarget } from '../fleet/inventory.js';
import { DEFAULT_CONCURRENCY, formatTarget, runFleet, type Connect } from '../fleet/run-fleet.js';
import { openSshHost, parseSshTarget, type SshOptions } from '../host/ssh/ssh-host.js';
import type { ReasonCode } from '../model/codes.js';
import { forTerminal } from '../model/mask.js';
import { toFleetJson } from '../report/fleet-json.js';
import { toFleetJunit } from '../report/fleet-junit.js';
import { toFleetText } from '../report/fleet-text.js';
import { useColor } from '../report/color.js';
import { terminalWidth } from '../report/wrap.js';
import type { Spec } from '../spec/load.js';
import { UserError } from '../user-error.js';
import { EXIT, type CommandIO } from './io.js';

export interface FleetFlags {
  inventory?: string;
  limit?: string;
  concurrency?: string;
  ssh?: string[];
}

export interface FleetRun {
  spec: Spec;
  phase: PhaseSelection;
  format: 'text' | 'json' | 'junit';
  deadlineMs?: number;
  reportPath?: string;
  quiet: boolean;
  /** SSH options every host shares (key, known hosts, proxy, sudo); a host's own key file overrides the key */
  ssh: SshOptions;
}

export const MAX_CONCURRENCY = 256;

/** The hosts the flags name, in inventory order, or a one-line error (exit 2). */
export async function fleetTargets(flags: FleetFlags, io: CommandIO): Promise<FleetTarget[]> {
  if (flags.inventory !== undefined && flags.ssh?.length) throw new UserError('--inventory and --ssh: give the hosts one way');
  if (flags.limit !== undefined && flags.inventory === undefined) throw new UserError('--limit needs --inventory');
  if (flags.inventory === undefined) {
    return (flags.ssh ?? []).map((text) => {
      const t = parseSshTarget(text);
      if (typeof t === 'string') throw new UserError(`--ssh ${text}: ${t}`);
      return { name: text, address: t.host, port: t.port, ...(t.user !== undefined && { user: t.user }) };
    });
  }
  const inv = await loadInventory(resolve(io.cwd, flags.inventory), flags.inventory, io.signal);
  const names = flags.limit === undefined ? inv.hosts : selectHosts(inv, flags.limit);
  if (names.length === 0) {
    throw new UserError(flags.limit === undefined ? `${flags.inventory}: the inventory names no host` : `--limit ${flags.limit}: no host of ${flags.inventory} matches`);
  }
  return names.map((h) => fleetTarget(inv, h));
}

export function concurrencyFlag(value: string | undefined): number {
  if (value === undefined) return DEFAULT_CONCURRENCY;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > MAX_CONCURRENCY) throw new UserError(`--concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}, got "${value}"`);
  return n;
}

export async function runFleetCheck(targets: FleetTarget[], concurrency: number, run: FleetRun, io: CommandIO): Promise<number> {
  const connect: Connect = async (target, signal) => {
    const opened = await openSshHost(
      { host: target.address, port: target.port ?? 22, ...(target.user !== undefined && { user: target.user }) },
      { ...run.ssh, ...(target.keyFile !== undefined && { keyFile: resolve(io.cwd, target.keyFile), key: undefined }), signal },
    );
    return opened.ok ? opened : { ok: false, code: connectCode(opened.message), message: opened.message };
  };
  const fleet = await runFleet(run.spec, targets, {
    connect,
    concurrency,
    phase: run.phase,
    ...(run.deadlineMs !== undefined && { deadlineMs: run.deadlineMs }),
    signal: io.signal,
    onHost: (h, settled, total) => {
      if (run.quiet) return;
      const why = h.report.verdict === 'pass' ? 'pass' : `fail${h.report.reason ? ` (${h.report.reason})` : ''}`;
      io.stderr.write(`[${settled}/${total}] ${forTerminal(h.host)} (${forTerminal(formatTarget(h.target))}): ${why}\n`);
    },
  });
  const json = run.reportPath || run.format === 'json' ? toFleetJson(fleet) : '';
  if (run.reportPath) await writeFilesAtomically([{ path: run.reportPath, text: json }], io.signal);
  io.stdout.write(
    run.format === 'json'
      ? json
      : run.format === 'junit'
        ? toFleetJunit(fleet, { cwd: io.cwd })
        : toFleetText(fleet, { color: useColor(io.stdout, io.env), quiet: run.quiet, width: terminalWidth(io.stdout, io.env) }),
  );
  return fleet.verdict === 'pass' ? EXIT.pass : EXIT.fail;
}

/** The reason of a connection that failed, from the SSH host's one-line message. */
export function connectCode(message: string): ReasonCode {
  if (/host key|not in .*known|@revoked/i.test(message)) return 'ssh.host_key';
  if (/authentication failed|private key cannot be used|no key:/i.test(message)) return 'ssh.auth';
  return 'host.unreachable';
}
