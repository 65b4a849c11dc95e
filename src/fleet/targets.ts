// The hosts of a fleet and how each is reached, shared by `check --inventory`
// and the Action's `inventory` input: the inventory read and narrowed by a
// limit (in inventory order), the concurrency bound, and one SSH connection
// per host whose failure is classified as the host's reason.
import { resolve } from 'node:path';
import { openSshHost, type SshOptions } from '../host/ssh/ssh-host.js';
import type { ReasonCode } from '../model/codes.js';
import { UserError } from '../user-error.js';
import { selectHosts } from './host-pattern.js';
import { loadInventory } from './inventory-file.js';
import { fleetTarget, type FleetTarget } from './inventory.js';
import { DEFAULT_CONCURRENCY, type Connect } from './run-fleet.js';

export const MAX_CONCURRENCY = 256;

export interface InventorySelection {
  /** the inventory's path, resolved */
  path: string;
  /** the inventory as the user wrote it, for messages */
  shown: string;
  limit?: string;
  /** how a message names the limit: `--limit` or `input "limit"` */
  limitName: string;
  signal?: AbortSignal;
}

/** The hosts the inventory and the limit select, in inventory order, or a one-line error (exit 2). */
export async function inventoryTargets(sel: InventorySelection): Promise<FleetTarget[]> {
  const inv = await loadInventory(sel.path, sel.shown, sel.signal);
  const names = sel.limit === undefined ? inv.hosts : selectHosts(inv, sel.limit);
  if (names.length === 0) {
    throw new UserError(sel.limit === undefined ? `${sel.shown}: the inventory names no host` : `${sel.limitName} ${sel.limit}: no host of ${sel.shown} matches`);
  }
  return names.map((h) => fleetTarget(inv, h));
}

/** Hosts gated at once: absent, the default; else a whole number from 1 to 256 (`name` says where it came from). */
export function concurrencyValue(value: string | undefined, name: string): number {
  if (value === undefined) return DEFAULT_CONCURRENCY;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > MAX_CONCURRENCY) throw new UserError(`${name} must be a whole number from 1 to ${MAX_CONCURRENCY}, got "${value}"`);
  return n;
}

/** One SSH connection per host with the options all share; a host's own key file (relative to `cwd`) replaces the key. */
export function sshConnect(shared: SshOptions, cwd: string): Connect {
  return async (target, signal) => {
    const opened = await openSshHost(
      { host: target.address, port: target.port ?? 22, ...(target.user !== undefined && { user: target.user }) },
      { ...shared, ...(target.keyFile !== undefined && { keyFile: resolve(cwd, target.keyFile), key: undefined }), signal },
    );
    return opened.ok ? opened : { ok: false, code: connectCode(opened.message), message: opened.message };
  };
}

/** The reason of a connection that failed, from the SSH host's one-line message. */
export function connectCode(message: string): ReasonCode {
  if (/host key|not in .*known|@revoked/i.test(message)) return 'ssh.host_key';
  if (/authentication failed|private key cannot be used|no key:/i.test(message)) return 'ssh.auth';
  return 'host.unreachable';
}
