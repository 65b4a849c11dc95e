// 4. Time to verdict on a broken deploy: inside a namespace of our own,
// `localhost` resolves to ::1 and 127.0.0.1 while the backend listens on
// 127.0.0.1 only, and nginx (like the spec) dials localhost:PORT. nginx tries
// ::1 first for some requests, gets ECONNREFUSED and logs an upstream error.
// Every tool has a 60 s deadline; we report how long each took and what it
// concluded.
import { existsSync } from 'node:fs';
import type { BenchContext } from '../lib/context.js';
import { writeDeploy, type Deploy } from '../lib/deploy.js';
import { measure, type RunResult } from '../lib/measure.js';
import { canUseNetns, createNetns, startNetnsBackend } from '../lib/netns.js';
import { NGINX_BINARY, startNginxIn } from '../lib/netns-nginx.js';
import { table, type Section } from '../lib/section.js';
import { fmtKb, fmtMs, median } from '../lib/stats.js';
import { curlLoopArgv, upstreamGateArgv, waitOnArgv, waitOnAvailable } from '../lib/tools.js';
import { concludeByExit, concludeUpstreamGate, type Conclusion } from '../lib/verdict.js';

const HOSTS = '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n';
const DEADLINE_S = 60;
const TARGET_MS = 5000;

const REQUESTS = 20;

/** Start the real nginx on the same config in the namespace, send requests through it, read its error log. */
async function whatNginxDoes(ns: string, deploy: Deploy, port: number): Promise<string> {
  if (!existsSync(NGINX_BINARY)) return `What nginx does: not shown (${NGINX_BINARY} is not installed).`;
  const nginx = await startNginxIn(ns, deploy.nginxConf, deploy.dir);
  try {
    const script = `for i in $(seq 1 ${REQUESTS}); do curl -s -o /dev/null -w '%{http_code}\\n' --max-time 5 -H 'Host: api.bench.test' http://127.0.0.1:8080/healthz; done`;
    const r = await measure(['bash', '-c', script], { netns: ns, timeoutMs: 120_000, noRss: true });
    const codes = r.stdout.trim().split('\n').filter(Boolean);
    const tally = [...new Set(codes)].map((c) => `${codes.filter((x) => x === c).length} x ${c}`).join(', ');
    const refused = nginx.errorLog().split('\n').filter((l) => l.includes('(111: Connection refused)') && l.includes(`[::1]:${port}`));
    return [
      `What nginx does with this deploy (the same config, started in the namespace, ${REQUESTS} requests): clients got ${tally || 'nothing'};`,
      `the error log has ${refused.length} \`connect() failed (111: Connection refused)\` line(s) for \`[::1]:${port}\`${refused[0] ? `, e.g.: \`${refused[0].replace(/^\S+ \S+ /, '').replace(/, host: .*$/, '')}\`` : ''}.`,
      'Clients are served only because nginx retries 127.0.0.1 after the refused connect to ::1 (`proxy_next_upstream error`) and then skips ::1 for `fail_timeout`: every `fail_timeout`, each worker pays a refused connect and logs the error again.',
    ].join(' ');
  } finally {
    await nginx.stop();
  }
}

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
      const evidence = await whatNginxDoes(ns.name, deploy, port);
      const classified = ugConclusion !== undefined && !ugConclusion.passed && /^fail: [a-z]+\.[a-z_]+$/.test(ugConclusion.text);
      return {
        title,
        body: [
          table(['tool', 'time to verdict (median)', 'runs', 'concluded', 'peak RSS'], rows),
          '',
          `Every tool ran inside the namespace (\`ip netns exec\`) with its own hosts file (\`${HOSTS.trim().replace(/\n/g, ' / ').replace(/\t/g, ' ')}\`), with a ${DEADLINE_S} s deadline. A "pass" here is a wrong pass: nginx dials \`localhost:${port}\` and reaches nothing on ::1.`,
          '',
          evidence,
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
