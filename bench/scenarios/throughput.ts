// 5. Config parse and error-log scan throughput: the nginx-engine and
// `explain` benchmarks live in their own files (bench/parse.ts,
// bench/explain.ts) and print their own markdown tables when run directly;
// they are run here as children so one command prints every figure, with
// their peak RSS.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchContext } from '../lib/context.js';
import { measure } from '../lib/measure.js';
import type { Section } from '../lib/section.js';
import { fmtKb, fmtMs } from '../lib/stats.js';

const SUITES = [
  { file: 'parse.ts', title: 'Config parse (nginx engine)' },
  { file: 'explain.ts', title: 'Error-log scan (`explain`)' },
] as const;

export async function throughput(ctx: BenchContext): Promise<Section> {
  const parts: string[] = [];
  for (const suite of SUITES) {
    const path = fileURLToPath(new URL(`../${suite.file}`, import.meta.url));
    parts.push(`**${suite.title}** (\`bench/${suite.file}\`)`, '');
    if (!existsSync(path)) {
      parts.push(`missing: \`bench/${suite.file}\` has not landed yet.`, '');
      continue;
    }
    ctx.log(`throughput: bench/${suite.file}`);
    const env = { ...process.env, ...(ctx.quick && { UGATE_BENCH_QUICK: '1' }) };
    const r = await measure([process.execPath, '--import', 'tsx', path], { timeoutMs: 240_000, env });
    if (r.code !== 0) {
      const err = r.timedOut ? 'killed after 240 s' : `exit ${r.code ?? r.signal}: ${r.stderr.trim().split('\n').slice(-3).join(' / ')}`;
      parts.push(`failed (${err}).`, '');
      continue;
    }
    parts.push(r.stdout.trim(), '', `(whole run ${fmtMs(r.ms)}, peak RSS ${fmtKb(r.maxRssKb)})`, '');
  }
  return { title: '5. Config parse and error-log scan throughput', body: parts.join('\n').trim(), targets: [] };
}
