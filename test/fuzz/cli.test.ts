// The CLI's contract on hostile input, from fixed seeds: `check --phase
// config` on fuzzed nginx configs and specs, `parse` on fuzzed configs,
// `explain` on fuzzed error logs. Whatever the input, the exit code is 0, 1
// or 2, no stack trace is printed, a bad input is one line naming what, and
// nothing is written: the inputs stay as they were, and (traced with strace
// for a sample run as real processes) no file outside the test's own temp
// dir is opened for writing. Most cases run main() in this process, as the
// executable does; a sample runs the real executable. Bounded work: a fixed
// number of cases, each input under about 1 MB.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import { CLI_SOURCE, TSX } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { rng } from '../nginx/random.js';
import { CONFIGS, fuzzConfig, fuzzLog, fuzzSpec, SPEC } from './inputs.js';

const root = tempDir('ugate-fuzz-');
test.after(root.remove);
// no nginx on the PATH either (a mutation may drop the spec's binary), and a resolver that gives up fast
process.env.PATH = '/nonexistent-fuzz-path';
process.env.RES_OPTIONS = 'timeout:1 attempts:1';

interface Case {
  verb: 'check' | 'parse' | 'explain';
  files: Record<string, Buffer>;
  args: string[];
}

interface Outcome {
  code: number | null;
  signal?: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const EXIT_CODES = [0, 1, 2, 130, 143];

function makeCase(kind: 'config' | 'spec' | 'parse' | 'log', seed: number): Case {
  const r = rng(seed * 7919 + kind.length);
  if (kind === 'config') return { verb: 'check', files: { 'upstream-gate.yml': Buffer.from(SPEC), 'nginx.conf': fuzzConfig(r) }, args: ['check', '--spec', 'upstream-gate.yml', '--phase', 'config'] };
  if (kind === 'spec') return { verb: 'check', files: { 'upstream-gate.yml': fuzzSpec(r), 'nginx.conf': Buffer.from(CONFIGS[seed % CONFIGS.length] as string, 'latin1') }, args: ['check', '--spec', 'upstream-gate.yml', '--phase', 'config', '--format', seed % 2 ? 'json' : 'text'] };
  if (kind === 'parse') return { verb: 'parse', files: { 'nginx.conf': fuzzConfig(r) }, args: ['parse', 'nginx.conf'] };
  const log = fuzzLog(r);
  const name = log[0] === 0x1f && log[1] === 0x8b ? 'error.log.gz' : 'error.log';
  return { verb: 'explain', files: { [name]: log }, args: ['explain', name, ...(seed % 2 ? ['--format', 'json'] : [])] };
}

function writeCase(c: Case, dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, data] of Object.entries(c.files)) writeFileSync(join(dir, name), data);
}

/** What is in the case's dir: names, sizes and times; a write anywhere in it changes this. */
function snapshot(dir: string): string {
  return readdirSync(dir)
    .sort()
    .map((n) => {
      const s = statSync(join(dir, n));
      return `${n} ${s.size} ${s.mtimeMs}`;
    })
    .join('\n');
}

function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (d: Buffer) => chunks.push(d));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

async function inProcess(c: Case, dir: string): Promise<Outcome> {
  const out = sink();
  const err = sink();
  try {
    const code = await main(c.args, {
      stdout: out.stream,
      stderr: err.stream,
      stdin: Readable.from([]),
      env: { PATH: process.env.PATH },
      cwd: dir,
      signal: new AbortController().signal,
    });
    return { code, stdout: out.text(), stderr: err.text() };
  } catch (e) {
    // what the executable prints as an internal error, exit 70
    return { code: 70, stdout: out.text(), stderr: `${err.text()}upstream-gate: internal error\n${e instanceof Error ? e.stack : String(e)}\n` };
  }
}

/** The real executable under strace: every file it opens for writing, creates, renames or removes. */
function traced(c: Case, dir: string, scratch: string): Promise<Outcome & { writes: string[] }> {
  const trace = join(scratch, `trace-${Math.random().toString(36).slice(2)}.txt`);
  const argv = ['-f', '-qq', '-o', trace, '-e', 'trace=open,openat,creat,mkdir,mkdirat,rename,renameat,renameat2,unlink,unlinkat,rmdir,symlink,symlinkat,link,linkat,truncate,chmod,fchmodat', process.execPath, '--import', TSX, CLI_SOURCE, ...c.args];
  // TMPDIR in the test's temp dir: tsx keeps its compile cache there
  const env = { PATH: process.env.PATH ?? '', HOME: scratch, TMPDIR: scratch, RES_OPTIONS: 'timeout:1 attempts:1' };
  const child = spawn('/usr/bin/strace', argv, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const guard = setTimeout(() => child.kill('SIGKILL'), 120_000);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      const writes = readFileSync(trace, 'utf8')
        .split('\n')
        .filter((l) => /O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_APPEND|\b(creat|mkdir|mkdirat|rename|renameat2?|unlink|unlinkat|rmdir|symlink|symlinkat|link|linkat|truncate|chmod|fchmodat)\(/.test(l))
        .filter((l) => !/= -1 E/.test(l))
        .map((l) => /"([^"]*)"/.exec(l)?.[1] ?? l)
        .filter((p) => !p.startsWith(root.dir) && !/^\/dev\/(null|tty|pts\/)/.test(p));
      resolve({ code, signal, stdout, stderr, writes });
    });
  });
}

function assertContract(c: Case, o: Outcome, label: string): void {
  const shown = `${label}: exit ${o.code}${o.signal ? ` (${o.signal})` : ''}\n${o.stderr.slice(0, 2000)}`;
  assert.ok(o.code !== null && EXIT_CODES.includes(o.code), shown);
  assert.doesNotMatch(o.stderr, /\n\s+at .+(:\d+:\d+\)?|\(native\))$/m, shown);
  assert.doesNotMatch(o.stderr, /internal error/, shown);
  assert.doesNotMatch(o.stdout, /\n\s+at .+:\d+:\d+\)?$/m, shown);
  if (o.code === 2) {
    // bad input: one line that names the verb and what is wrong
    const lines = o.stderr.trimEnd().split('\n');
    assert.match(lines.at(-1) ?? '', new RegExp(`^upstream-gate ${c.verb}: \\S`), shown);
  }
}

/** Defects this fuzz found (now fixed): the smallest input of each keeps the contract. */
const KNOWN: { area: string; kind: 'spec' | 'log'; name: string; minimal: string; args: string[] }[] = [
  {
    area: 'spec loader (src/spec/load.ts): an alias without its anchor is an internal error (ReferenceError from yaml), not exit 2',
    kind: 'spec',
    name: 'upstream-gate.yml',
    minimal: '*a\n',
    args: ['check', '--spec', 'upstream-gate.yml', '--phase', 'config'],
  },
  {
    area: 'spec loader (src/spec/load.ts): an alias bomb is an internal error (yaml: "Excessive alias count"), not exit 2',
    kind: 'spec',
    name: 'upstream-gate.yml',
    minimal: `x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n${[1, 2, 3].map((l) => `x${l}: &a${l} [${Array(10).fill(`*a${l - 1}`).join(', ')}]\n`).join('')}version: 1\n`,
    args: ['check', '--spec', 'upstream-gate.yml', '--phase', 'config'],
  },
  {
    area: "explain (src/diagnose/explain.ts, tally): two failures with out-of-range times are a TypeError (reading 'group')",
    kind: 'log',
    name: 'error.log',
    minimal: ['-001/01/01 00:00:00', '0000/00/00 00:00:00']
      .map((time) => `${time} [crit] 3#3: *1 connect() to unix:/run/app/missing.sock failed (2: No such file or directory) while connecting to upstream, client: , upstream: "unix:/run/app/missing.sock"\n`)
      .join(''),
    args: ['explain', 'error.log'],
  },
];

const KINDS = { config: 70, spec: 110, parse: 60, log: 60 } as const;

for (const [kind, count] of Object.entries(KINDS) as [keyof typeof KINDS, number][]) {
  test(`fuzzed ${kind === 'log' ? 'error logs (explain)' : kind === 'parse' ? 'configs (parse)' : `${kind}s (check --phase config)`}: exit 0/1/2, no stack trace, the inputs untouched`, async (t) => {
    const broken: string[] = [];
    for (let seed = 1; seed <= count; seed++) {
      const c = makeCase(kind, seed);
      const dir = join(root.dir, `${kind}-${seed}`);
      writeCase(c, dir);
      const before = snapshot(dir);
      const o = await inProcess(c, dir);
      try {
        assertContract(c, o, `${kind} seed ${seed}`);
        assert.equal(snapshot(dir), before, `${kind} seed ${seed}: the case's files changed`);
      } catch (e) {
        broken.push((e as Error).message.split('\n').slice(0, 4).join(' | '));
      }
    }
    assert.deepEqual(broken, []);
  });
}

test('the real executable on a sample of them: the same contract, and no file outside the temp dir opened for writing (strace)', { skip: !statSync('/usr/bin/strace', { throwIfNoEntry: false }) && 'strace not installed' }, async () => {
  const scratch = join(root.dir, 'scratch');
  mkdirSync(scratch);
  const sample: [keyof typeof KINDS, number][] = [
    ['config', 3],
    ['spec', 5],
    ['parse', 7],
    ['log', 11],
  ];
  for (const [kind, seed] of sample) {
    const c = makeCase(kind, seed);
    const dir = join(root.dir, `traced-${kind}-${seed}`);
    writeCase(c, dir);
    const before = snapshot(dir);
    const o = await traced(c, dir, scratch);
    assertContract(c, o, `${kind} seed ${seed} (executable)`);
    assert.deepEqual(o.writes, [], `${kind} seed ${seed}: written outside the temp dir`);
    assert.equal(snapshot(dir), before, `${kind} seed ${seed}: the case's files changed`);
  }
});

for (const k of KNOWN) {
  test(`the smallest input of a defect the fuzz found keeps the contract: ${k.area}`, async () => {
    const c: Case = { verb: k.args[0] as Case['verb'], files: { [k.name]: Buffer.from(k.minimal) }, args: k.args };
    const dir = join(root.dir, `known-${KNOWN.indexOf(k)}`);
    writeCase(c, dir);
    assertContract(c, await inProcess(c, dir), k.area);
  });
}
