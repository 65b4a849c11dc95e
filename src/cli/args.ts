// Flag parsing on node:util parseArgs, with errors that name the flag.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../user-error.js';
import { durationRangeProblem, parseDuration } from '../spec/duration.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseFlags<O extends Options>(verb: string, args: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true });
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0]?.replace(/\. To specify a positional argument.*$/, '') ?? String(e);
    throw new UserError(`${msg} (see upstream-gate ${verb} --help)`);
  }
}

export function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UserError(`--${flag} must be one of ${allowed.join(', ')}, got "${value}"`);
}

export function durationFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDuration(value);
  if (ms === undefined) throw new UserError(`--${flag} "${value}" is not a duration: write 250ms, 2s or 1m`);
  const problem = durationRangeProblem(ms);
  if (problem) throw new UserError(`--${flag} "${value}" ${problem}`);
  return ms;
}
