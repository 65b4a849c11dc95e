// The spec a command reads: --spec FILE, else ./upstream-gate.yml.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_SPEC_FILE, loadSpecFile, type Spec } from '../spec/load.js';
import { UserError } from '../user-error.js';

/** No spec where the command looks is what a new user meets first: say where it looked, and how to name one. */
export async function loadSpecArg(cwd: string, given: string | undefined, signal?: AbortSignal): Promise<Spec> {
  const arg = given ?? DEFAULT_SPEC_FILE;
  const path = resolve(cwd, arg);
  if (given === undefined && !existsSync(path)) throw new UserError(`no ${DEFAULT_SPEC_FILE} in ${cwd}: run where the spec is, or name it with --spec FILE`);
  return loadSpecFile(path, arg, signal);
}
