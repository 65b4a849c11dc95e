// 4. Time to verdict on a broken deploy: inside a namespace of our own,
// `localhost` resolves to ::1 and 127.0.0.1 while the backend listens on
// 127.0.0.1 only, and nginx (like the spec) dials localhost:PORT. nginx tries
// ::1 first for some requests, gets ECONNREFUSED and logs an upstream error.
// Every tool has a 60 s deadline; we report how long each took and what it
// concluded.
import type { BenchContext } from '../lib/context.js';
import { writeDeploy } from '../lib/deploy.js';
import { measure, type RunResult } from '../lib/measure.js';
import { canUseNetns, createNetns, startNetnsBackend } from '../lib/netns.js';
import { table, type Section } from '../lib/section.js';
import { fmtKb, fmtMs, median } from '../lib/stats.js';
import { curlLoopArgv, upstreamGateArgv, waitOnArgv, waitOnAvailable } from '../lib/tools.js';
import { concludeByExit, concludeUpstreamGate, type Conclusion } from '../lib/verdict.js';

const HOSTS = '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n';
const DEADLINE_S = 60;
const TARGET_MS = 5000;

interface Contender {
  name: string;
  argv: string[];
  conclude(r: RunResult): Conclusion;
  runs: number;
}

export async function brokenDeploy(ctx: BenchContext): Promise<Section> {
  const title = '4. Time to verdict on a broken deploy (localhost -> ::1 and 127.0.0.1, backend on 127.0.0.1 only)';
  const target = `broken deploy: classified failure in < ${TARGET_MS / 1000} s`;
  const why = canUseNetns();
  if (why) return { title, body: `Not measured: ${why}.`, targets: [{ name: target, met: undefined, detail: why }] };

  const ns = createNetns(HOSTS);
  try {
    const backend = await startNetnsBackend(ns.name, '127.0.0.1');
    try {
      const port = backend.port;
      const url = `http://localhost:${port}/healthz`;
      const deploy = writeDeploy([{ name: 'api', backend: `localhost:${port}`, health: '/healthz' }]);
      const tools: Contender[] = [];
      if (ctx.ugAvailable) {
        tools.push({
          name: 'upstream-gate (defaults)',
          argv: upstreamGateArgv(ctx.cli, ['check', '--spec', deploy.spec, '--format', 'json', '--deadline', `${DEADLINE_S}s`]),
          conclude: concludeUpstreamGate,
          runs: ctx.quick ? 1 : 3,
        });
      }
      if (waitOnAvailable()) {
        tools.push({ name: 'wait-on (defaults)', argv: waitOnArgv([url], DEADLINE_S * 1000), conclude: concludeByExit, runs: 1 });
      }
      tools.push({
        name: '`curl -f` loop, fixed 1 s delay',
        argv: curlLoopArgv([url], { deadlineS: DEADLINE_S, delayS: 1 }),
        conclude: concludeByExit,
        runs: 1,
      });

      const rows: string[][] = [];
      let ugMs: number | undefined;
      let ugConclusion: Conclusion | undefined;
      for (const tool of tools) {
        ctx.log(`broken deploy: ${tool.name} (${tool.runs} run${tool.runs > 1 ? 's' : ''}, up to ${DEADLINE_S} s each)`);
        const runs: { r: RunResult; c: Conclusion }[] = [];
        for (let i = 0; i < tool.runs; i++) {
          const r = await measure(tool.argv, { netns: ns.name, timeoutMs: (DEADLINE_S + 20) * 1000 });
          runs.push({ r, c: tool.conclude(r) });
        }
        const ms = median(runs.map((x) => x.r.ms));
        const rss = runs.flatMap((x) => (x.r.maxRssKb === undefined ? [] : [x.r.maxRssKb]));
        const texts = [...new Set(runs.map((x) => x.c.text))].join('; ');
        if (tool.name.startsWith('upstream-gate')) {
          ugMs = ms;
          ugConclusion = runs.find((x) => x.c.passed)?.c ?? runs[0]?.c;
        }
        rows.push([tool.name, fmtMs(ms), String(runs.length), texts, fmtKb(rss.length ? median(rss) : undefined)]);
      }
      const classified = ugConclusion !== undefined && !ugConclusion.passed && /^fail: [a-z]+\.[a-z_]+$/.test(ugConclusion.text);
      return {
        title,
        body: [
          table(['tool', 'time to verdict (median)', 'runs', 'concluded', 'peak RSS'], rows),
          '',
          `Every tool ran inside the namespace (\`ip netns exec\`) with its own hosts file (\`${HOSTS.trim().replace(/\n/g, ' / ').replace(/\t/g, ' ')}\`), with a ${DEADLINE_S} s deadline. A "pass" here is a wrong pass: nginx dials \`localhost:${port}\` and reaches nothing on ::1.`,
        ].join('\n'),
        targets: [
          {
            name: target,
            met: ugMs === undefined ? undefined : classified && ugMs < TARGET_MS,
            detail: ugMs === undefined ? 'upstream-gate missing' : `${fmtMs(ugMs)}, ${ugConclusion?.text ?? 'no conclusion'}`,
          },
        ],
      };
    } finally {
      backend.stop();
    }
  } finally {
    ns.remove();
  }
}
