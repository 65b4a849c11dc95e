// 1. Cold start: `node dist/cli.js --version` against `node -e 0`, the floor
// any Node CLI pays. Timed by hyperfine (no shell, warm-up runs) when it is
// installed (in alternating chunks), otherwise by our own interleaved loop; peak RSS from separate runs
// so the GNU time wrapper does not enter the timing.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext } from '../lib/context.js';
import { hasGnuTime, measure } from '../lib/measure.js';
import { scratchDir } from '../lib/scratch.js';
import { table, type Section } from '../lib/section.js';
import { fmtKb, fmtMs, fmtRatio, median } from '../lib/stats.js';
import { upstreamGateArgv } from '../lib/tools.js';

interface Timing {
  name: string;
  medianMs: number;
  meanMs: number;
  minMs: number;
  maxMs: number;
  runs: number;
  rssKb?: number;
}

const TARGET_RATIO = 1.5;

function hyperfineAvailable(): Promise<boolean> {
  return new Promise((resolve) => {
    const c = spawn('hyperfine', ['--version'], { stdio: 'ignore' });
    c.once('error', () => resolve(false));
    c.once('exit', (code) => resolve(code === 0));
  });
}

function quoteWord(w: string): string {
  // hyperfine --shell=none splits on whitespace and honours shell-style quotes
  return /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

// hyperfine runs all of one command, then all of the next: on a shared
// machine the load drifts between the two. So it is run in alternating chunks
// and the times pooled.
async function withHyperfine(commands: { name: string; argv: string[] }[], runs: number): Promise<Timing[]> {
  const chunks = Math.max(1, Math.round(runs / 10));
  const pooled = commands.map(() => [] as number[]);
  for (let chunk = 0; chunk < chunks; chunk++) {
    const out = join(scratchDir(), `cold-start-${chunk}.json`);
    const order = chunk % 2 ? [...commands].reverse() : commands;
    const args = ['--shell=none', '--warmup', '3', '--runs', String(Math.ceil(runs / chunks)), '--style', 'none', '--export-json', out];
    for (const c of order) args.push('--command-name', c.name, c.argv.map(quoteWord).join(' '));
    const r = await measure(['hyperfine', ...args], { timeoutMs: 300_000, noRss: true });
    if (r.code !== 0) throw new Error(`hyperfine failed (exit ${r.code}): ${r.stderr.trim()}`);
    const json = JSON.parse(readFileSync(out, 'utf8')) as { results: { command: string; times: number[] }[] };
    for (const res of json.results) pooled[commands.findIndex((c) => c.name === res.command)]?.push(...res.times.map((t) => t * 1000));
  }
  return commands.map((c, j) => summarize(c.name, pooled[j] ?? []));
}

function summarize(name: string, t: readonly number[]): Timing {
  return { name, medianMs: median(t), meanMs: t.reduce((a, b) => a + b, 0) / t.length, minMs: Math.min(...t), maxMs: Math.max(...t), runs: t.length };
}

async function withOwnLoop(commands: { name: string; argv: string[] }[], runs: number): Promise<Timing[]> {
  const times = commands.map(() => [] as number[]);
  for (let i = 0; i < runs + 3; i++) {
    for (const [j, c] of commands.entries()) {
      const r = await measure(c.argv, { timeoutMs: 30_000, noRss: true });
      if (i >= 3) times[j]?.push(r.ms); // the first rounds warm the page cache
    }
  }
  return commands.map((c, j) => summarize(c.name, times[j] ?? []));
}

export async function coldStart(ctx: BenchContext): Promise<Section> {
  const title = '1. Cold start';
  if (!ctx.ugAvailable) {
    return { title, body: 'upstream-gate CLI missing (run `npm run build`): not measured.', targets: [{ name: 'cold start < 1.5x `node -e 0`', met: undefined, detail: 'CLI missing' }] };
  }
  const commands = [
    { name: 'node -e 0', argv: [process.execPath, '-e', '0'] },
    { name: 'upstream-gate --version', argv: upstreamGateArgv(ctx.cli, ['--version']) },
  ];
  const check = await measure(commands[1]!.argv, { timeoutMs: 30_000, noRss: true });
  if (check.code !== 0) throw new Error(`upstream-gate --version failed (exit ${check.code}): ${check.stderr.trim()}`);

  const runs = ctx.quick ? 10 : 40;
  const viaHyperfine = await hyperfineAvailable();
  ctx.log(`cold start: ${runs} runs each via ${viaHyperfine ? 'hyperfine' : 'an own timing loop'}`);
  const timings = viaHyperfine ? await withHyperfine(commands, runs) : await withOwnLoop(commands, runs);
  if (hasGnuTime) {
    for (const [j, c] of commands.entries()) {
      const rss: number[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await measure(c.argv, { timeoutMs: 30_000 });
        if (r.maxRssKb !== undefined) rss.push(r.maxRssKb);
      }
      const t = timings[j];
      if (t && rss.length) t.rssKb = median(rss);
    }
  }
  const floor = timings[0]!;
  const ug = timings[1]!;
  const ratio = ug.medianMs / floor.medianMs;
  const body = [
    table(
      ['command', 'median', 'mean', 'min', 'max', 'runs', 'vs floor', 'peak RSS'],
      timings.map((t) => [`\`${t.name}\``, fmtMs(t.medianMs), fmtMs(t.meanMs), fmtMs(t.minMs), fmtMs(t.maxMs), String(t.runs), fmtRatio(t.medianMs / floor.medianMs), fmtKb(t.rssKb)]),
    ),
    '',
    `Timed with ${viaHyperfine ? 'hyperfine (`--shell=none`), in alternating chunks of 10 runs with 3 warm-up runs each, times pooled' : 'an own loop (hyperfine not installed; 3 warm-up rounds, interleaved)'}.`,
  ].join('\n');
  return {
    title,
    body,
    targets: [{ name: `cold start < ${TARGET_RATIO}x \`node -e 0\``, met: ratio < TARGET_RATIO, detail: `${fmtRatio(ratio)} (${fmtMs(ug.medianMs)} vs ${fmtMs(floor.medianMs)})` }],
  };
}
