// 5. Config parse and error-log scan throughput: the nginx-engine and
// `explain` benchmarks (and the probe phase's own timings) live in their own
// files and print their own tables when run directly;
// they are run here as children so one command prints every figure, with
// their peak RSS.
import { fileURLToPath } from 'node:url';
import type { BenchContext } from '../lib/context.js';
import { measure } from '../lib/measure.js';
import type { Section, Target } from '../lib/section.js';
import { fmtKb, fmtMs } from '../lib/stats.js';

const SUITES: readonly { file: string; title: string; quickArgs: readonly string[] }[] = [
  { file: 'parse.ts', title: 'Config parse (nginx engine)', quickArgs: [] },
  { file: 'explain.ts', title: 'Error-log scan (`explain`)', quickArgs: [] },
  // the probe phase in-process, without the CLI around it; takes a run count
  { file: 'probe-timings.ts', title: 'Probe phase timings (in-process)', quickArgs: ['2'] },
];

/** Markdown tables pass through; aligned plain text is kept aligned in a code block. */
function asMarkdown(out: string): string {
  return out.split('\n').some((l) => l.startsWith('|')) ? out : ['```text', out, '```'].join('\n');
}

/**
 * The suites state their own targets in plain lines ("NAME  VALUE ... target
 * ...: met / meets the target / NOT met / MISSES the target"); lift them into
 * the summary.
 */
export function scrapeTargets(suite: string, out: string): Target[] {
  return out.split('\n').flatMap((line) => {
    if (!/\btarget\b/i.test(line)) return [];
    const [name = '', ...rest] = line.trim().split(/\s{2,}/);
    const detail = rest.join(' ');
    if (!detail) return [];
    const met = /\bNOT met\b|\bMISS|\bnot meet/i.test(detail) ? false : /\bmet\b|\bmeets?\b/i.test(detail) ? true : undefined;
    return [{ name: `${suite}: ${name}`, met, detail }];
  });
}

export async function throughput(ctx: BenchContext): Promise<Section> {
  const parts: string[] = [];
  const targets: Target[] = [];
  for (const suite of SUITES) {
    const path = fileURLToPath(new URL(`../${suite.file}`, import.meta.url));
    parts.push(`**${suite.title}** (\`bench/${suite.file}\`)`, '');
    ctx.log(`throughput: bench/${suite.file}`);
    const r = await measure([process.execPath, '--import', 'tsx', path, ...(ctx.quick ? suite.quickArgs : [])], { timeoutMs: 240_000 });
    if (r.code !== 0) {
      const err = r.timedOut ? 'killed after 240 s' : `exit ${r.code ?? r.signal}: ${r.stderr.trim().split('\n').slice(-3).join(' / ')}`;
      parts.push(`failed (${err}).`, '');
      continue;
    }
    targets.push(...scrapeTargets(suite.file.replace(/\.ts$/, ''), r.stdout));
    parts.push(asMarkdown(r.stdout.trim()), '', `(whole run ${fmtMs(r.ms)}, peak RSS ${fmtKb(r.maxRssKb)})`, '');
  }
  return { title: '5. Config parse and error-log scan throughput', body: parts.join('\n').trim(), targets };
}
