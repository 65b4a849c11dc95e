// The Action run the way the runner runs it: node with INPUT_* variables, and
// GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files read back afterwards.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ACTION_BUNDLE, runNode, TSX, type Run } from '../helpers/cli.js';

const ACTION_SOURCE = fileURLToPath(new URL('../../src/action/index.ts', import.meta.url));

export interface ActionRun {
  r: Run;
  outputs: Record<string, string>;
  summary: string;
}

/** Parses the runner's file command format: `name<<DELIM\nvalue\nDELIM`. */
export function readOutputs(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^(.+?)<<(.+)\n([\s\S]*?)\n\2$/gm;
  for (const m of readFileSync(file, 'utf8').matchAll(re)) out[m[1]!] = m[3]!;
  return out;
}

/**
 * `dir` holds the two files and is the workspace and RUNNER_TEMP; `inputs` are
 * the `with:` values; `source` runs src/action through tsx instead of the bundle.
 */
export async function runAction(dir: string, inputs: Record<string, string>, opts: { env?: NodeJS.ProcessEnv; source?: boolean } = {}): Promise<ActionRun> {
  const output = join(dir, 'github_output');
  const summary = join(dir, 'step_summary');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_WORKSPACE: dir,
    RUNNER_TEMP: dir,
    ...opts.env,
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const argv = opts.source ? ['--import', TSX, ACTION_SOURCE] : [ACTION_BUNDLE];
  const r = await runNode(argv, { cwd: dir, env, ...(opts.source && { node: process.execPath }) });
  return { r, outputs: readOutputs(output), summary: readFileSync(summary, 'utf8') };
}
