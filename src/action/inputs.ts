// Every input is read here, once, into a typed settings object; nothing
// downstream reads inputs.
import { resolve } from 'node:path';
import type { PhaseSelection } from '../gate/run.js';
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
}

/** The SSH inputs: the key's text comes from a secret, known hosts as a file or as the lines themselves. */
function readSsh(getInput: (name: string) => string, workingDirectory: string): ActionSettings['ssh'] {
  const text = getInput(Inputs.Ssh);
  const key = getInput(Inputs.SshKey);
  const known = getInput(Inputs.KnownHosts);
  const sudo = getInput(Inputs.Sudo) || 'false';
  const proxy = getInput(Inputs.SshProxy);
  if (!text) {
    const stray = [key && Inputs.SshKey, known && Inputs.KnownHosts, sudo !== 'false' && Inputs.Sudo, proxy && Inputs.SshProxy].find(Boolean);
    if (stray) throw new UserError(`input "${stray}" needs the input "${Inputs.Ssh}"`);
    return undefined;
  }
  const target = parseSshTarget(text);
  if (typeof target === 'string') throw new UserError(`input "${Inputs.Ssh}": ${target}`);
  if (sudo !== 'true' && sudo !== 'false') throw new UserError(`input "${Inputs.Sudo}" must be true or false, got "${sudo}"`);
  // a known_hosts line holds a key type and its base64; a path does not
  const knownLines = /\s(ssh-|ecdsa-|sk-)\S+\s+AAAA/.test(known);
  return {
    target,
    options: {
      ...(key && { key }),
      ...(known && (knownLines ? { knownHostsText: known } : { knownHosts: resolve(workingDirectory, known) })),
      ...(sudo === 'true' && { sudo: true }),
      ...(proxy && { proxy }),
    },
  };
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
  const ssh = readSsh(getInput, workingDirectory);
  return {
    specPath: resolve(workingDirectory, getInput(Inputs.Spec) || DEFAULT_SPEC_FILE),
    phase,
    workingDirectory,
    ...(deadlineMs !== undefined && { deadlineMs }),
    ...(ssh && { ssh }),
  };
}
