// `check --inventory FILE [--limit PATTERN]` and repeated `--ssh`: the fleet.
// Every host is gated over its own SSH connection (src/host/ssh/), several
// at a time (--concurrency); the report shows each host and the fleet at a
// glance, and the exit code is 1 when any host fails. A bad inventory or
// limit is bad input (exit 2, naming file:line) before any host is reached.
import { resolve } from 'node:path';
import { writeFilesAtomically } from '../atomic-write.js';
import type { PhaseSelection } from '../gate/run.js';
import type { FleetTarget } from '../fleet/inventory.js';
import { runFleet } from '../fleet/run-fleet.js';
import { concurrencyValue, inventoryTargets, sshConnect } from '../fleet/targets.js';
import { parseSshTarget, type SshOptions } from '../host/ssh/ssh-host.js';
import { toFleetJson } from '../report/fleet-json.js';
import { toFleetJunit } from '../report/fleet-junit.js';
import { hostProgressLine, toFleetText } from '../report/fleet-text.js';
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
  return inventoryTargets({
    path: resolve(io.cwd, flags.inventory),
    shown: flags.inventory,
    limitName: '--limit',
    ...(flags.limit !== undefined && { limit: flags.limit }),
    signal: io.signal,
  });
}

export function concurrencyFlag(value: string | undefined): number {
  return concurrencyValue(value, '--concurrency');
}

export async function runFleetCheck(targets: FleetTarget[], concurrency: number, run: FleetRun, io: CommandIO): Promise<number> {
  const fleet = await runFleet(run.spec, targets, {
    connect: sshConnect(run.ssh, io.cwd),
    concurrency,
    phase: run.phase,
    ...(run.deadlineMs !== undefined && { deadlineMs: run.deadlineMs }),
    signal: io.signal,
    onHost: (h, settled, total) => {
      if (!run.quiet) io.stderr.write(hostProgressLine(h, settled, total));
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
