// The whole benchmark in one run: every scenario side by side with the tools
// users would pick instead, a markdown report on stdout, and the same report
// written to bench/RESULTS.md (a --quick run writes bench/out/ instead, so a
// smoke run never replaces the published figures).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism, cpus, loadavg, release } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { cleanupAll, installCleanupHandlers } from './lib/cleanup.js';
import type { BenchContext } from './lib/context.js';
import { hasGnuTime } from './lib/measure.js';
import { table, targetMark, type Section } from './lib/section.js';
import { fmtMs } from './lib/stats.js';
import { CLI_BUNDLE, REPO, upstreamGateArgv, upstreamGateAvailable, waitOnAvailable, type CliMode } from './lib/tools.js';
import { brokenDeploy } from './scenarios/broken.js';
import { coldStart } from './scenarios/cold-start.js';
import { detectionLag } from './scenarios/lag.js';
import { healthyDeploy } from './scenarios/healthy.js';
import { throughput } from './scenarios/throughput.js';

const SCENARIOS = {
  'cold-start': coldStart,
  healthy: healthyDeploy,
  lag: detectionLag,
  broken: brokenDeploy,
  throughput,
} as const satisfies Record<string, (ctx: BenchContext) => Promise<Section>>;
type ScenarioName = keyof typeof SCENARIOS;

const usage = `Usage: npm run bench [-- --quick] [--only NAME,...] [--source] [--no-write]

  --quick      fewer trials (a smoke run)
  --only       run only these scenarios: ${Object.keys(SCENARIOS).join(', ')}
  --source     run upstream-gate from src/ through tsx instead of dist/cli.js
               (development only: the published figures come from the bundle)
  --no-write   print the report only (a quick, partial or --source run writes
               bench/out/RESULTS-partial.md; only a full run replaces bench/RESULTS.md)`;

function oneLine(argv: readonly string[]): string {
  const [file, ...args] = argv;
  const r = spawnSync(file ?? 'false', args, { encoding: 'utf8', cwd: REPO, timeout: 30_000 });
  return r.status === 0 ? r.stdout.trim().split('\n')[0] ?? '' : '';
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** The bundle is older than the source it is built from: the figures would not be current. */
function bundleIsStale(): boolean {
  return newestMtime(join(REPO, 'src')) > statSync(CLI_BUNDLE).mtimeMs;
}

const load = () => loadavg()[0]?.toFixed(1) ?? '?';

/** What the run starts from, taken before the first scenario (others may commit meanwhile). */
interface RunStart {
  date: Date;
  loadAtStart: string;
  /** HEAD, and whether src/ differs from it: the bundle is built from the working tree */
  commit: string;
  stale: boolean;
}

function runStart(ctx: BenchContext): RunStart {
  const head = oneLine(['git', 'rev-parse', '--short', 'HEAD']);
  const dirty = head && oneLine(['git', 'status', '--porcelain', '--', 'src']) ? ' plus uncommitted changes in src/' : '';
  return { date: new Date(), loadAtStart: load(), commit: head && `${head}${dirty}`, stale: ctx.cli === 'bundle' && ctx.ugAvailable && bundleIsStale() };
}

function header(ctx: BenchContext, { date, loadAtStart, commit, stale }: RunStart): string {
  const version = ctx.ugAvailable ? oneLine(upstreamGateArgv(ctx.cli, ['--version'])) : '';
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const busy = Math.max(Number(loadAtStart), Number(load())) > availableParallelism();
  return [
    `# upstream-gate benchmarks`,
    '',
    `- date: ${date.toISOString().replace(/\.\d+Z$/, 'Z')}`,
    `- machine: ${availableParallelism()} cores (${cpu}), Linux ${release()}; load average ${loadAtStart} at the start, ${load()} at the end${busy ? ' (above the core count: other work competed for the CPUs)' : ''}`,
    `- Node ${process.version}; upstream-gate ${version || '(CLI missing)'} from ${ctx.cli === 'bundle' ? `\`dist/cli.js\`${stale ? ' (OLDER than src/: rebuild with `npm run build`)' : ''}` : '`src/` through tsx (development run, not the bundle)'}${commit ? ` at commit ${commit}` : ''}`,
    `- wait-on ${oneLine([process.execPath, '-p', "require('wait-on/package.json').version"]) || '(missing)'}; ${oneLine(['curl', '--version']).split(' ').slice(0, 2).join(' ') || 'curl missing'}; ${oneLine(['hyperfine', '--version']) || 'hyperfine not installed'}`,
    `- mode: ${ctx.quick ? 'quick (fewer trials: a smoke run, not for publishing)' : 'full'}`,
    `- peak RSS: ${hasGnuTime ? 'GNU time `%M` (the largest resident set of the command or of any child it waited for)' : 'NOT MEASURED: GNU time (`/usr/bin/time`, Debian package `time`) is not installed'}`,
  ].join('\n');
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean' },
      only: { type: 'string' },
      source: { type: 'boolean' },
      'no-write': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const wanted = (values.only?.split(',').map((s) => s.trim()) ?? Object.keys(SCENARIOS)) as ScenarioName[];
  const unknown = wanted.filter((n) => !(n in SCENARIOS));
  if (unknown.length) {
    process.stderr.write(`bench: unknown scenario ${unknown.join(', ')}\n${usage}\n`);
    return 2;
  }
  // always in the order of the issue, whatever the order of --only
  const names = (Object.keys(SCENARIOS) as ScenarioName[]).filter((n) => wanted.includes(n));
  const cli: CliMode = values.source ? 'source' : 'bundle';
  const ctx: BenchContext = {
    quick: values.quick === true,
    cli,
    ugAvailable: upstreamGateAvailable(cli),
    log: (m) => process.stderr.write(`bench: ${m}\n`),
  };
  if (!ctx.ugAvailable) ctx.log('dist/cli.js is missing: run `npm run build` first (upstream-gate rows are left out)');
  const start = runStart(ctx);
  if (start.stale) ctx.log('warning: src/ is newer than dist/cli.js: run `npm run build` for current figures');
  if (!waitOnAvailable()) ctx.log('wait-on is missing (npm ci): its rows are left out');
  if (!hasGnuTime) ctx.log('GNU time (/usr/bin/time) is not installed: peak RSS is not measured (apt-get install time)');

  const sections: Section[] = [];
  for (const name of names) {
    const t0 = performance.now();
    try {
      sections.push(await SCENARIOS[name](ctx));
      ctx.log(`${name}: done in ${fmtMs(performance.now() - t0)}`);
    } catch (e) {
      // one broken scenario must not hide the figures of the others
      ctx.log(`${name} failed: ${e instanceof Error ? e.message : String(e)}`);
      sections.push({ title: name, body: `The scenario failed: ${e instanceof Error ? e.message : String(e)}`, targets: [] });
    } finally {
      cleanupAll();
    }
  }

  const targets = sections.flatMap((s) => s.targets);
  const report = [
    header(ctx, start),
    '',
    '## Targets',
    '',
    table(['target', 'result', 'figure'], targets.map((t) => [t.name, targetMark(t.met), t.detail])),
    '',
    ...sections.flatMap((s) => [`## ${s.title}`, '', s.body, '']),
    `Run it again with \`npm run build && npm run bench\` (about 10 minutes; \`npm run bench -- --quick\` for a smoke run).`,
    '',
  ].join('\n');
  process.stdout.write(report);

  if (!values['no-write']) {
    const out = ctx.quick || names.length < Object.keys(SCENARIOS).length || cli === 'source'
      ? new URL('./out/RESULTS-partial.md', import.meta.url)
      : new URL('./RESULTS.md', import.meta.url);
    mkdirSync(new URL('.', out), { recursive: true });
    writeFileSync(out, report);
    ctx.log(`wrote ${out.pathname.slice(REPO.length)}`);
  }
  return 0;
}

installCleanupHandlers();
main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
