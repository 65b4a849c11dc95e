// 2. Healthy deploy, end to end: three services already up (two HTTP on
// loopback ports, one HTTP on a unix socket). upstream-gate runs its full gate
// (config: parse nginx.conf, `nginx -t`, compare; probe: every address plus
// each health path); wait-on gets the same three resources with its defaults;
// the bash loop curls the three health paths.
import { join } from 'node:path';
import { startBackend } from '../lib/backends.js';
import type { BenchContext } from '../lib/context.js';
import { writeDeploy } from '../lib/deploy.js';
import { measure, type RunResult } from '../lib/measure.js';
import { scratchDir } from '../lib/scratch.js';
import { table, type Section } from '../lib/section.js';
import { fmtKb, fmtMs, fmtRatio, median, p90 } from '../lib/stats.js';
import { curlLoopArgv, curlUnix, upstreamGateArgv, waitOnArgv, waitOnAvailable } from '../lib/tools.js';
import { concludeByExit, concludeUpstreamGate, type Conclusion } from '../lib/verdict.js';

interface Contender {
  name: string;
  checks: string;
  argv: string[];
  conclude: (r: RunResult) => Conclusion;
  runs: { ms: number; rssKb?: number; conclusion: Conclusion }[];
}

export async function healthyDeploy(ctx: BenchContext): Promise<Section> {
  const title = '2. Healthy deploy, end to end';
  const a = await startBackend({});
  const b = await startBackend({});
  const sock = join(scratchDir(), 'app.sock');
  const c = await startBackend({ path: sock });
  try {
    const deploy = writeDeploy([
      { name: 'api', backend: `127.0.0.1:${a.port}`, health: '/healthz' },
      { name: 'web', backend: `127.0.0.1:${b.port}`, health: '/healthz' },
      { name: 'app', backend: `unix:${sock}`, health: '/healthz' },
    ]);
    const urls = [`http://127.0.0.1:${a.port}/healthz`, `http://127.0.0.1:${b.port}/healthz`];
    const contenders: Contender[] = [];
    if (ctx.ugAvailable) {
      contenders.push({
        name: 'upstream-gate check',
        checks: 'nginx.conf parsed + `nginx -t` + dials compared; TCP/unix connect; GET each health path',
        argv: upstreamGateArgv(ctx.cli, ['check', '--spec', deploy.spec, '--format', 'json', '--deadline', '60s']),
        conclude: concludeUpstreamGate,
        runs: [],
      });
      // where the time goes: the same gate without the config phase
      contenders.push({
        name: 'upstream-gate check --phase probe',
        checks: 'TCP/unix connect; GET each health path (no config phase)',
        argv: upstreamGateArgv(ctx.cli, ['check', '--spec', deploy.spec, '--format', 'json', '--deadline', '60s', '--phase', 'probe']),
        conclude: concludeUpstreamGate,
        runs: [],
      });
    }
    if (waitOnAvailable()) {
      contenders.push({
        name: 'wait-on',
        checks: 'HEAD on two URLs; connect to the socket',
        argv: waitOnArgv([...urls, `socket:${sock}`], 60_000),
        conclude: concludeByExit,
        runs: [],
      });
    }
    contenders.push({
      name: 'bash `curl -f` loop',
      checks: 'GET the three health paths',
      argv: curlLoopArgv([...urls, curlUnix(sock, '/healthz')], { deadlineS: 60, delayS: 1 }),
      conclude: concludeByExit,
      runs: [],
    });

    const rounds = ctx.quick ? 5 : 15;
    ctx.log(`healthy deploy: ${rounds} rounds of ${contenders.length} tools`);
    for (let i = 0; i < rounds + 1; i++) {
      // rotate the order so no tool always runs right after another
      for (let k = 0; k < contenders.length; k++) {
        const t = contenders[(i + k) % contenders.length]!;
        const r = await measure(t.argv, { timeoutMs: 90_000 });
        if (i === 0) continue; // a warm-up round: page cache, first nginx -t
        t.runs.push({ ms: r.ms, ...(r.maxRssKb !== undefined && { rssKb: r.maxRssKb }), conclusion: t.conclude(r) });
      }
    }

    const waitOn = contenders.find((t) => t.name === 'wait-on');
    const waitOnMedian = waitOn ? median(waitOn.runs.map((r) => r.ms)) : Number.NaN;
    const rows = contenders.map((t) => {
      const ms = t.runs.map((r) => r.ms);
      const rss = t.runs.flatMap((r) => (r.rssKb === undefined ? [] : [r.rssKb]));
      const passes = t.runs.filter((r) => r.conclusion.passed).length;
      const odd = t.runs.find((r) => !r.conclusion.passed)?.conclusion.text;
      return [
        t.name,
        t.checks,
        fmtMs(median(ms)),
        fmtMs(p90(ms)),
        fmtRatio(median(ms) / waitOnMedian),
        fmtKb(rss.length ? median(rss) : undefined),
        `${passes}/${t.runs.length} pass${odd ? ` (${odd})` : ''}`,
      ];
    });
    const ug = contenders.find((t) => t.name === 'upstream-gate check');
    const ugMedian = ug ? median(ug.runs.map((r) => r.ms)) : Number.NaN;
    const ugAllPass = ug ? ug.runs.every((r) => r.conclusion.passed) : false;
    return {
      title,
      body: [
        table(['tool', 'what it checks', 'median', 'p90', 'vs wait-on', 'peak RSS', 'verdicts'], rows),
        '',
        `${rounds} interleaved rounds after one warm-up round; times are spawn to exit as the pipeline sees them.`,
      ].join('\n'),
      targets: [
        {
          name: 'healthy gate no slower than wait-on',
          met: ug && waitOn ? ugAllPass && ugMedian <= waitOnMedian : undefined,
          detail: ug && waitOn ? `${fmtMs(ugMedian)} vs ${fmtMs(waitOnMedian)} (${fmtRatio(ugMedian / waitOnMedian)})${ugAllPass ? '' : '; upstream-gate did not pass every run'}` : 'upstream-gate or wait-on missing',
        },
      ],
    };
  } finally {
    await Promise.all([a.close(), b.close(), c.close()]);
  }
}
