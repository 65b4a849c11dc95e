// Every input is read here, once, into a typed settings object; nothing
// downstream reads inputs.
import { resolve } from 'node:path';
import type { PhaseSelection } from '../gate/run.js';
import { concurrencyValue } from '../fleet/targets.js';
import { parseSshTarget, type SshOptions, type SshTarget } from '../host/ssh/ssh-host.js';
import { durationRangeProblem, parseDuration } from '../spec/duration.js';
import { DEFAULT_SPEC_FILE } from '../spec/load.js';
import { UserError } from '../user-error.js';
import { Inputs } from './constants.js';

export interface ActionSettings {
  specPath: string;
  phase: PhaseSelection;
  deadlineMs?: number;
  workingDirectory: string;
  /** `ssh`: the host to gate over SSH, and how */
  ssh?: { target: SshTarget; options: SshOptions };
  /** `inventory`: every host it (and `limit`) selects, each gated over its own SSH connection */
  fleet?: { inventory: string; shown: string; limit?: string; concurrency: number; options: SshOptions };
}

/** The SSH inputs every host shares: the key's text comes from a secret, known hosts as a file or as the lines themselves. */
function readSshOptions(getInput: (name: string) => string, workingDirectory: string): { options: SshOptions; given?: string } {
  const key = getInput(Inputs.SshKey);
  const known = getInput(Inputs.KnownHosts);
  const sudo = getInput(Inputs.Sudo) || 'false';
  const proxy = getInput(Inputs.SshProxy);
  if (sudo !== 'true' && sudo !== 'false') throw new UserError(`input "${Inputs.Sudo}" must be true or false, got "${sudo}"`);
  // a known_hosts line holds a key type and its base64; a path does not
  const knownLines = /\s(ssh-|ecdsa-|sk-)\S+\s+AAAA/.test(known);
  const given = [key && Inputs.SshKey, known && Inputs.KnownHosts, sudo !== 'false' && Inputs.Sudo, proxy && Inputs.SshProxy].find(Boolean) || undefined;
  return {
    options: {
      ...(key && { key }),
      ...(known && (knownLines ? { knownHostsText: known } : { knownHosts: resolve(workingDirectory, known) })),
      ...(sudo === 'true' && { sudo: true }),
      ...(proxy && { proxy }),
    },
    ...(given && { given }),
  };
}

/** `ssh` (one host) or `inventory` (a fleet), with the SSH inputs they share; neither: the runner itself. */
function readRemote(getInput: (name: string) => string, workingDirectory: string): Pick<ActionSettings, 'ssh' | 'fleet'> {
  const text = getInput(Inputs.Ssh);
  const inventory = getInput(Inputs.Inventory);
  const limit = getInput(Inputs.Limit);
  const concurrency = getInput(Inputs.Concurrency);
  const { options, given } = readSshOptions(getInput, workingDirectory);
  if (text && inventory) throw new UserError(`inputs "${Inputs.Ssh}" and "${Inputs.Inventory}": give the hosts one way`);
  if (!inventory) {
    const stray = limit ? Inputs.Limit : concurrency ? Inputs.Concurrency : undefined;
    if (stray) throw new UserError(`input "${stray}" needs the input "${Inputs.Inventory}"`);
  }
  if (text) {
    const target = parseSshTarget(text);
    if (typeof target === 'string') throw new UserError(`input "${Inputs.Ssh}": ${target}`);
    return { ssh: { target, options } };
  }
  if (inventory) {
    return {
      fleet: {
        inventory: resolve(workingDirectory, inventory),
        shown: inventory,
        ...(limit && { limit }),
        concurrency: concurrencyValue(concurrency || undefined, `input "${Inputs.Concurrency}"`),
        options,
      },
    };
  }
  if (given) throw new UserError(`input "${given}" needs the input "${Inputs.Ssh}" or "${Inputs.Inventory}"`);
  return {};
}

export function readInputs(getInput: (name: string) => string, cwd: string): ActionSettings {
  const workingDirectory = resolve(cwd, getInput(Inputs.WorkingDirectory) || '.');
  const phase = getInput(Inputs.Phase) || 'all';
  if (phase !== 'config' && phase !== 'probe' && phase !== 'all') {
    throw new UserError(`input "${Inputs.Phase}" must be one of config, probe, all, got "${phase}"`);
  }
  const deadline = getInput(Inputs.Deadline);
  let deadlineMs: number | undefined;
  if (deadline) {
    deadlineMs = parseDuration(deadline);
    if (deadlineMs === undefined) throw new UserError(`input "${Inputs.Deadline}" "${deadline}" is not a duration: write 30s or 2m`);
    const problem = durationRangeProblem(deadlineMs);
    if (problem) throw new UserError(`input "${Inputs.Deadline}" "${deadline}" ${problem}`);
  }
  return {
    specPath: resolve(workingDirectory, getInput(Inputs.Spec) || DEFAULT_SPEC_FILE),
    phase,
    workingDirectory,
    ...(deadlineMs !== undefined && { deadlineMs }),
    ...readRemote(getInput, workingDirectory),
  };
}
