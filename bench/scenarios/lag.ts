// 3. Detection lag: the backend becomes ready at a random moment 0.5-3 s after
// the tool starts; lag = the tool's exit (its verdict) minus that moment. Two
// ways to become ready: the port starts listening (before: refused), and an
// app that listens at once but answers 503 until it has booted. Every tool
// faces the same sequence of moments (a seeded generator).
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../test/helpers/ports.js';
import { startBackend, type BenchBackend } from '../lib/backends.js';
import type { BenchContext } from '../lib/context.js';
import { writeDeploy } from '../lib/deploy.js';
import { measure, type RunResult } from '../lib/measure.js';
import { table, type Section, type Target } from '../lib/section.js';
import { fmtKb, fmtMs, fmtRatio, median, p90, seededRandom } from '../lib/stats.js';
import { curlLoopArgv, upstreamGateArgv, waitOnArgv, waitOnAvailable } from '../lib/tools.js';
import { concludeByExit, concludeUpstreamGate, type Conclusion } from '../lib/verdict.js';

type Readiness = 'listen' | 'boot';

interface Contender {
  name: string;
  /** only in these modes (default: all) */
  modes?: readonly Readiness[];
  argv(port: number): string[];
  conclude(r: RunResult): Conclusion;
}

interface Trial {
  lagMs: number;
  rssKb?: number;
  passed: boolean;
  text: string;
}

const TARGET_MEDIAN = 150;
const TARGET_P90 = 400;
const TOOL_DEADLINE_S = 30;

function contenders(ctx: BenchContext): Contender[] {
  const list: Contender[] = [];
  if (ctx.ugAvailable) {
    list.push({
      name: 'upstream-gate (defaults)',
      argv(port) {
        const d = writeDeploy([{ name: 'api', backend: `127.0.0.1:${port}`, health: '/healthz' }]);
        return upstreamGateArgv(ctx.cli, ['check', '--spec', d.spec, '--format', 'json', '--deadline', `${TOOL_DEADLINE_S}s`]);
      },
      conclude: concludeUpstreamGate,
    });
  }
  if (ctx.ugAvailable) {
    // the backoff of HTTP-level retries is a setting: what a user tuning it gets
    list.push({
      name: 'upstream-gate, `gate.max_interval: 250ms`',
      modes: ['boot'],
      argv(port) {
        const d = writeDeploy([{ name: 'api', backend: `127.0.0.1:${port}`, health: '/healthz' }], { max_interval: '250ms' });
        return upstreamGateArgv(ctx.cli, ['check', '--spec', d.spec, '--format', 'json', '--deadline', `${TOOL_DEADLINE_S}s`]);
      },
      conclude: concludeUpstreamGate,
    });
  }
  if (waitOnAvailable()) {
    list.push({
      name: 'wait-on (defaults)',
      argv: (port) => waitOnArgv([`http://127.0.0.1:${port}/healthz`], TOOL_DEADLINE_S * 1000),
      conclude: concludeByExit,
    });
  }
  list.push({
    name: '`curl -f` loop, fixed 1 s delay',
    argv: (port) => curlLoopArgv([`http://127.0.0.1:${port}/healthz`], { deadlineS: TOOL_DEADLINE_S, delayS: 1 }),
    conclude: concludeByExit,
  });
  return list;
}

async function trial(tool: Contender, readiness: Readiness, delayMs: number): Promise<Trial> {
  const port = await freePort();
  const argv = tool.argv(port);
  let backend: BenchBackend | undefined;
  let backendError: unknown;
  const run = measure(argv, { timeoutMs: (TOOL_DEADLINE_S + 15) * 1000 });
  try {
    if (readiness === 'boot') {
      backend = await startBackend({ port, startUnready: true });
      await sleep(delayMs);
      backend.markReady();
    } else {
      await sleep(delayMs);
      backend = await startBackend({ port }).catch((e: unknown) => {
        backendError = e;
        return undefined;
      });
    }
    const r = await run;
    const c = tool.conclude(r);
    if (!backend) return { lagMs: Number.NaN, passed: false, text: `backend did not start: ${String(backendError)}` };
    const rss = r.maxRssKb !== undefined ? { rssKb: r.maxRssKb } : {};
    // a verdict before readiness is no detection at all, whatever it says
    if (r.endAt < backend.readyAt) return { lagMs: Number.NaN, ...rss, passed: false, text: `${c.text} before the backend was ready` };
    return { lagMs: r.endAt - backend.readyAt, ...rss, passed: c.passed, text: c.text };
  } finally {
    await run.catch(() => undefined);
    await backend?.close();
  }
}

export async function detectionLag(ctx: BenchContext): Promise<Section> {
  const title = '3. Detection lag';
  const everyTool = contenders(ctx);
  const trials = ctx.quick ? 5 : 20;
  const random = seededRandom(20260623);
  const delays = Array.from({ length: trials }, () => Math.round(500 + random() * 2500));
  const results = new Map<string, Trial[]>();
  const body: string[] = [];
  const targets: Target[] = [];

  for (const readiness of ['listen', 'boot'] as const) {
    const tools = everyTool.filter((t) => !t.modes || t.modes.includes(readiness));
    ctx.log(`detection lag (${readiness}): ${trials} trials of ${tools.length} tools`);
    for (const [i, delay] of delays.entries()) {
      for (let k = 0; k < tools.length; k++) {
        const tool = tools[(i + k) % tools.length]!;
        const key = `${readiness}:${tool.name}`;
        const t = await trial(tool, readiness, delay);
        results.set(key, [...(results.get(key) ?? []), t]);
      }
    }
    const rows = tools.map((tool) => {
      const ts = results.get(`${readiness}:${tool.name}`) ?? [];
      const lags = ts.filter((t) => t.passed && Number.isFinite(t.lagMs)).map((t) => t.lagMs);
      const rss = ts.flatMap((t) => (t.rssKb === undefined ? [] : [t.rssKb]));
      const bad = ts.find((t) => !t.passed)?.text;
      return { tool, lags, rssKb: rss.length ? median(rss) : undefined, verdicts: `${lags.length}/${ts.length} pass${bad ? ` (${bad})` : ''}` };
    });
    const waitOnMedian = median(rows.find((r) => r.tool.name.startsWith('wait-on'))?.lags ?? []);
    body.push(
      readiness === 'listen'
        ? '**Port starts listening at the moment** (before it: connection refused)'
        : '**App listens at once, answers 503 until it has booted** (HTTP-level retries)',
      '',
      table(
        ['tool', 'median lag', 'p90 lag', 'max lag', 'median vs wait-on', 'peak RSS', 'verdicts'],
        rows.map((r) => [
          r.tool.name,
          fmtMs(median(r.lags)),
          fmtMs(p90(r.lags)),
          fmtMs(Math.max(...r.lags)),
          fmtRatio(median(r.lags) / waitOnMedian),
          fmtKb(r.rssKb),
          r.verdicts,
        ]),
      ),
      '',
    );
    const ug = rows.find((r) => r.tool.name === 'upstream-gate (defaults)');
    const m = ug ? median(ug.lags) : undefined;
    const p = ug ? p90(ug.lags) : undefined;
    const all = ug ? ug.lags.length === trials : false;
    targets.push({
      name: `lag (${readiness === 'listen' ? 'port opens' : 'app boots behind 503'}): median < ${TARGET_MEDIAN} ms, p90 < ${TARGET_P90} ms`,
      met: ug && m !== undefined && p !== undefined ? all && m < TARGET_MEDIAN && p < TARGET_P90 : undefined,
      detail: ug ? `median ${fmtMs(m)}, p90 ${fmtMs(p)}${all ? '' : `; only ${ug.lags.length}/${trials} trials passed`}` : 'upstream-gate missing',
    });
  }
  body.push(
    `${trials} trials per tool and mode; readiness moments ${delays.map((d) => `${d}`).join(', ')} ms after the tool starts (same for every tool). Lag is measured to the tool's exit, as the pipeline sees it.`,
  );
  return { title, body: body.join('\n'), targets };
}
