// `npx tsx bench/explain.ts [SIZE_MB]`: `upstream-gate explain` over a
// generated 1 GiB nginx error log, with one thread and with two (the default
// on two cores or more), against `grep -c 'while connecting to upstream'` on
// the same file in the same run. Prints MB/s, the ratios, and explain's peak
// RSS (measured by /usr/bin/time on the child process). The two runs must
// report the same JSON, and explain's connect-phase count must be grep's.
// Targets: at least a third of grep's throughput, under 100 MB RSS.
// On demand only, never a test. The log is written to a temp dir and deleted.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { GNU_TIME, hasGnuTime } from './lib/measure.js';
import { median, pick, seededRandom as rng } from './lib/stats.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const TARGET_RATIO = 1 / 3;
const TARGET_RSS_MB = 100;
const RUNS = 3;

export interface BenchRow {
  name: string;
  value: string;
}


const SERVERS = ['api.example.com', 'shop.example.com', 'www.example.com', 'admin.example.com'];
const PATHS = ['/', '/api/v2/orders', '/api/v2/orders/8812?expand=items', '/login', '/static/app.3f9a1c.js', '/cart/checkout', '/healthz', '/search?q=nginx+502&page=2'];

/**
 * One error-log line, as nginx 1.22 writes them (templates from the lines the
 * local nginx produced for the tests). About half are upstream failures, in
 * the mix of a 502 storm; the rest is the usual noise of an error log.
 */
function line(r: () => number, time: string, cid: number): string {
  const server = pick(r, SERVERS);
  const path = pick(r, PATHS);
  const client = `10.${Math.floor(r() * 4)}.${Math.floor(r() * 250)}.${Math.floor(r() * 250)}`;
  const ctx = `client: ${client}, server: ${server}, request: "GET ${path} HTTP/1.1"`;
  const pid = 4100 + Math.floor(r() * 4);
  const head = `${time} [error] ${pid}#${pid}: *${cid} `;
  const x = r();
  if (x < 0.2) return `${head}connect() failed (111: Connection refused) while connecting to upstream, ${ctx}, upstream: "http://127.0.0.1:8000${path}", host: "${server}"`;
  if (x < 0.25) return `${head}connect() failed (111: Connection refused) while connecting to upstream, ${ctx}, upstream: "http://[::1]:8000${path}", host: "${server}"`;
  if (x < 0.33) return `${head}upstream timed out (110: Connection timed out) while reading response header from upstream, ${ctx}, upstream: "http://127.0.0.1:8001${path}", host: "${server}"`;
  if (x < 0.38) return `${head}upstream prematurely closed connection while reading response header from upstream, ${ctx}, upstream: "http://127.0.0.1:8002${path}", host: "${server}"`;
  if (x < 0.43) return `${time} [crit] ${pid}#${pid}: *${cid} connect() to unix:/run/php/php8.2-fpm.sock failed (2: No such file or directory) while connecting to upstream, ${ctx}, upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "${server}"`;
  if (x < 0.46) return `${head}recv() failed (104: Connection reset by peer) while reading response header from upstream, ${ctx}, upstream: "http://127.0.0.1:8003${path}", host: "${server}"`;
  if (x < 0.48) return `${head}no live upstreams while connecting to upstream, ${ctx}, upstream: "http://backend_pool${path}", host: "${server}"`;
  if (x < 0.5) return `${head}upstream timed out (110: Connection timed out) while connecting to upstream, ${ctx}, upstream: "http://10.20.0.7:8080${path}", host: "${server}"`;
  if (x < 0.8) return `${head}open() "/srv/www${path.split('?')[0]}/favicon.ico" failed (2: No such file or directory), ${ctx}, host: "${server}", referrer: "https://${server}${path}"`;
  if (x < 0.9) return `${time} [warn] ${pid}#${pid}: *${cid} a client request body is buffered to a temporary file /var/cache/nginx/client_temp/00000${cid % 100000}, ${ctx}, host: "${server}"`;
  return `${head}SSL_do_handshake() failed (SSL: error:0A00006C:SSL routines::bad key share) while SSL handshaking, client: ${client}, server: 0.0.0.0:443`;
}

/** Write about `bytes` of error log; returns the number of lines. */
export function generateErrorLog(path: string, bytes: number): number {
  const r = rng(42);
  const fd = openSync(path, 'w');
  let written = 0;
  let lines = 0;
  let t = Date.UTC(2026, 10, 24, 1, 0, 0);
  const p = (n: number) => String(n).padStart(2, '0');
  let time = '';
  try {
    while (written < bytes) {
      const batch: string[] = [];
      for (let i = 0; i < 20_000; i++) {
        // 150 lines a second
        if (lines % 150 === 0) {
          t += 1000;
          const d = new Date(t);
          time = `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
        }
        batch.push(line(r, time, 1000 + lines));
        lines++;
      }
      const buf = Buffer.from(`${batch.join('\n')}\n`);
      writeSync(fd, buf);
      written += buf.length;
    }
  } finally {
    closeSync(fd);
  }
  return lines;
}

interface Timed {
  ms: number;
  rssMb?: number;
  stdout: string;
}

/** Wall time of a child; with GNU time, its peak RSS too. */
function timed(cmd: string, args: string[]): Timed {
  const started = performance.now();
  const r = hasGnuTime
    ? spawnSync(GNU_TIME, ['-f', '%M', cmd, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    : spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - started;
  if (r.error) throw r.error;
  const rss = hasGnuTime ? Number(/(\d+)\s*$/.exec(r.stderr)?.[1]) / 1024 : undefined;
  return { ms, stdout: r.stdout, ...(rss !== undefined && !Number.isNaN(rss) && { rssMb: rss }) };
}

/**
 * The CLI as users run it: bundled (as scripts/build.mjs does) from the
 * current source into the bench's temp dir, so neither a stale dist/ nor
 * tsx's loader is what gets measured.
 */
async function bundleCli(dir: string): Promise<string> {
  const { build } = await import('esbuild');
  const outdir = join(dir, 'dist');
  await build({
    entryPoints: { cli: join(repo, 'src', 'cli', 'index.ts') },
    outdir,
    outExtension: { '.js': '.mjs' },
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    banner: { js: "import { createRequire as __benchRequire } from 'node:module';\nconst require = __benchRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  return join(outdir, 'cli.mjs');
}

export async function benchExplain(sizeMb = 1024): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), `ugate-bench-explain-${process.pid}-`));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  const onSignal = () => {
    cleanup();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const log = join(dir, 'error.log');
    const lines = generateErrorLog(log, sizeMb * 1024 * 1024);
    const mb = statSync(log).size / 1e6;
    // warm the page cache so neither side pays for the disk
    spawnSync('cat', [log], { stdio: ['ignore', 'ignore', 'ignore'] });

    const grepRuns: Timed[] = [];
    for (let i = 0; i < RUNS; i++) grepRuns.push(timed('grep', ['-c', 'while connecting to upstream', log]));
    const matched = Number(grepRuns[0]?.stdout.trim());

    const cli = await bundleCli(dir);
    const runs = (threads: number): Timed[] => {
      const out: Timed[] = [];
      for (let i = 0; i < RUNS; i++) out.push(timed(process.execPath, [cli, 'explain', '--format', 'json', '--threads', String(threads), log]));
      return out;
    };
    const single = runs(1);
    const parallel = runs(2);
    const out = JSON.parse(single[0]?.stdout ?? '{}') as { lines?: number; failures?: number; groups?: { kind: string; count: number }[] };
    if (out.lines !== lines) throw new Error(`explain read ${out.lines} lines, the log has ${lines}`);
    const connecting = (out.groups ?? []).filter((g) => ['refused', 'socket_missing', 'no_live_upstreams', 'connect_timeout'].includes(g.kind)).reduce((a, g) => a + g.count, 0);
    if (connecting !== matched) throw new Error(`explain counted ${connecting} connect-phase failures, grep ${matched}`);
    if (parallel[0]?.stdout !== single[0]?.stdout) throw new Error('explain with two threads reported otherwise than with one');

    const grepMs = median(grepRuns.map((r) => r.ms));
    const grepRate = mb / (grepMs / 1000);
    const ok = (b: boolean) => (b ? 'meets the target' : 'MISSES the target');
    const rows: BenchRow[] = [
      { name: 'error log', value: `${mb.toFixed(0)} MB, ${lines.toLocaleString('en')} lines, ${out.failures?.toLocaleString('en')} upstream failures in ${out.groups?.length} groups` },
      { name: "grep -c 'while connecting to upstream'", value: `${(grepMs / 1000).toFixed(2)} s, ${grepRate.toFixed(0)} MB/s (median of ${RUNS})` },
    ];
    for (const [threads, set] of [
      [1, single],
      [2, parallel],
    ] as const) {
      const label = `explain --threads ${threads}`;
      const ms = median(set.map((r) => r.ms));
      const rate = mb / (ms / 1000);
      const ratio = rate / grepRate;
      const rss = set.map((r) => r.rssMb).filter((x): x is number => x !== undefined);
      const peak = rss.length ? Math.max(...rss) : undefined;
      rows.push(
        { name: `upstream-gate ${label} --format json`, value: `${(ms / 1000).toFixed(2)} s, ${rate.toFixed(0)} MB/s (median of ${RUNS}; bundled CLI)` },
        { name: `throughput ratio ${label} / grep`, value: `${ratio.toFixed(2)} (target >= ${TARGET_RATIO.toFixed(2)}): ${ok(ratio >= TARGET_RATIO)}` },
        {
          name: `${label} peak RSS`,
          value: peak === undefined ? 'not measured (/usr/bin/time not installed)' : `${peak.toFixed(0)} MB (target < ${TARGET_RSS_MB} MB): ${ok(peak < TARGET_RSS_MB)}`,
        },
      );
    }
    return rows;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    cleanup();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const size = Number(process.argv[2] ?? 1024);
  const rows = await benchExplain(size);
  const w = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows) process.stdout.write(`${r.name.padEnd(w)}  ${r.value}\n`);
}
