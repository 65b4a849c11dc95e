// Every input is read here, once, into a typed settings object; nothing
// downstream reads inputs.
import { resolve } from 'node:path';
import type { PhaseSelection } from '../gate/run.js';
import { durationRangeProblem, parseDuration } from '../spec/duration.js';
import { DEFAULT_SPEC_FILE } from '../spec/load.js';
import { UserError } from '../user-error.js';
import { Inputs } from './constants.js';

export interface ActionSettings {
  specPath: string;
  phase: PhaseSelection;
  deadlineMs?: number;
  workingDirectory: string;
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
  };
}
