// `npx tsx bench/explain.ts [SIZE_MB] [--rounds N] [--before REF]`:
// `upstream-gate explain` over a generated 1 GiB nginx error log, with one
// thread and with two (the default on two cores or more), against
// `grep -c 'while connecting to upstream'` on the same file in the same run.
// The commands run in interleaved rounds (each round runs each once, in a
// rotated order) and the figures are medians, so load from elsewhere on the
// machine falls on all of them alike; the load average is printed with them.
// Each explain figure is printed beside grep's, with the ratio and its
// target. Peak RSS (GNU time on the child) is the largest of the rounds.
// Two memory cases too: a log of 3 million distinct upstream addresses, and
// the same log gzipped (two gzip members), each measured for peak RSS and
// checked for the same JSON as the plain run.
// explain is the repo's dist/cli.js (`npm run build`); with --before REF, the
// CLI built from that commit by its own build runs in the same rounds.
// Targets: one thread >= 0.5x grep's throughput, two >= 0.8x, peak RSS < 100 MB.
// On demand only, never a test. The logs are written to a temp dir and deleted.
import { spawnSync } from 'node:child_process';
import { closeSync, createWriteStream, mkdirSync, mkdtempSync, openSync, rmSync, statSync, symlinkSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createGzip } from 'node:zlib';
import { GNU_TIME, hasGnuTime } from './lib/measure.js';
import { median, pick, seededRandom as rng } from './lib/stats.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const TARGET_RATIO_1 = 0.5;
const TARGET_RATIO_2 = 0.8;
const TARGET_RSS_MB = 100;
const ROUNDS = 5;
/** distinct upstream addresses in the memory case */
const DISTINCT = 3_000_000;

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
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}: ${r.stderr}`);
  const rss = hasGnuTime ? Number(/(\d+)\s*$/.exec(r.stderr)?.[1]) / 1024 : undefined;
  return { ms, stdout: r.stdout, ...(rss !== undefined && !Number.isNaN(rss) && { rssMb: rss }) };
}

/**
 * The CLI as users run it: dist/cli.js as `npm run build` makes it (CI keeps
 * it fresh). For --before, that commit's own sources built by its own
 * scripts/build.mjs in a temp dir, with this checkout's node_modules.
 */
function builtCli(ref: string, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const archive = spawnSync('git', ['-C', repo, 'archive', '--format=tar', ref], { maxBuffer: 1024 * 1024 * 1024 });
  if (archive.status !== 0) throw new Error(`git archive ${ref}: ${archive.stderr.toString()}`);
  const untar = spawnSync('tar', ['-x', '-C', dir], { input: archive.stdout, maxBuffer: 64 * 1024 * 1024 });
  if (untar.status !== 0) throw new Error(`tar: ${untar.stderr.toString()}`);
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'));
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (build.status !== 0) throw new Error(`the build of ${ref} failed: ${build.stderr}`);
  return join(dir, 'dist', 'cli.js');
}

/**
 * A log of `n` connect failures, each to an upstream address of its own
 * (127.x.y.z, a port of its own too), written plain and gzipped as two
 * members (as `cat a.gz b.gz` makes). Returns [plain, gzip].
 */
async function generateDistinctLog(dir: string, n: number): Promise<[string, string]> {
  const plain = join(dir, 'distinct.log');
  const gz = join(dir, 'distinct.log.gz');
  const fd = openSync(plain, 'w');
  const out = createWriteStream(gz);
  let gzip = createGzip({ level: 1 });
  gzip.pipe(out, { end: false });
  const write = async (buf: Buffer) => {
    writeSync(fd, buf);
    if (!gzip.write(buf)) await new Promise((r) => gzip.once('drain', r));
  };
  const endMember = () => new Promise<void>((r) => gzip.end(() => gzip.once('end', r)));
  try {
    const p = (x: number) => String(x).padStart(2, '0');
    for (let i = 0; i < n; ) {
      const batch: string[] = [];
      for (let k = 0; k < 20_000 && i < n; k++, i++) {
        const a = `127.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}:${1024 + (i % 60_000)}`;
        const t = `2026/11/24 ${p(1 + Math.floor(i / 3_600_000))}:${p(Math.floor(i / 60_000) % 60)}:${p(Math.floor(i / 1000) % 60)}`;
        batch.push(`${t} [error] 4101#4101: *${i + 1} connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.1, server: api.example.com, request: "GET /x HTTP/1.1", upstream: "http://${a}/x", host: "api.example.com"`);
      }
      await write(Buffer.from(`${batch.join('\n')}\n`));
      if (i === Math.floor(n / 40_000) * 20_000) {
        // a second gzip member from the middle on
        await endMember();
        gzip = createGzip({ level: 1 });
        gzip.pipe(out, { end: false });
      }
    }
    await endMember();
  } finally {
    closeSync(fd);
    await new Promise<void>((r) => out.end(r));
  }
  return [plain, gz];
}

interface Command {
  label: string;
  cmd: string;
  args: string[];
  runs: Timed[];
}

export async function benchExplain(sizeMb = 1024, opts: { rounds?: number; before?: string } = {}): Promise<BenchRow[]> {
  const rounds = opts.rounds ?? ROUNDS;
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

    const cli = join(repo, 'dist', 'cli.js');
    const before = opts.before ? builtCli(opts.before, join(dir, 'before')) : undefined;
    const explain = (bundle: string, threads: number, file = log) => [bundle, 'explain', '--format', 'json', '--threads', String(threads), file];
    const commands: Command[] = [
      { label: "grep -c 'while connecting to upstream'", cmd: 'grep', args: ['-c', 'while connecting to upstream', log], runs: [] },
      { label: 'explain --threads 1', cmd: process.execPath, args: explain(cli, 1), runs: [] },
      { label: 'explain --threads 2', cmd: process.execPath, args: explain(cli, 2), runs: [] },
    ];
    if (before) {
      commands.push(
        { label: `before (${opts.before}) explain --threads 1`, cmd: process.execPath, args: explain(before, 1), runs: [] },
        { label: `before (${opts.before}) explain --threads 2`, cmd: process.execPath, args: explain(before, 2), runs: [] },
      );
    }
    const loadBefore = loadavg();
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < commands.length; k++) {
        const c = commands[(round + k) % commands.length] as Command;
        c.runs.push(timed(c.cmd, c.args));
      }
    }
    const loadAfter = loadavg();
    const [grep, single, parallel] = commands as [Command, Command, Command];
    const matched = Number(grep.runs[0]?.stdout.trim());
    const answer = single.runs[0]?.stdout ?? '{}';
    const out = JSON.parse(answer) as { lines?: number; failures?: number; groups?: { kind: string; count: number }[] };
    if (out.lines !== lines) throw new Error(`explain read ${out.lines} lines, the log has ${lines}`);
    const connecting = (out.groups ?? []).filter((g) => ['refused', 'socket_missing', 'no_live_upstreams', 'connect_timeout'].includes(g.kind)).reduce((a, g) => a + g.count, 0);
    if (connecting !== matched) throw new Error(`explain counted ${connecting} connect-phase failures, grep ${matched}`);
    for (const c of commands.slice(1)) for (const r of c.runs) if (r.stdout !== answer) throw new Error(`${c.label} reported otherwise than explain --threads 1`);

    const ms = (c: Command) => median(c.runs.map((r) => r.ms));
    const rate = (c: Command) => mb / (ms(c) / 1000);
    const peak = (c: Command) => {
      const rss = c.runs.map((r) => r.rssMb).filter((x): x is number => x !== undefined);
      return rss.length ? Math.max(...rss) : undefined;
    };
    const ok = (b: boolean) => (b ? 'meets the target' : 'MISSES the target');
    const rssText = (p: number | undefined) => (p === undefined ? 'not measured (/usr/bin/time not installed)' : `${p.toFixed(0)} MB (target < ${TARGET_RSS_MB} MB): ${ok(p < TARGET_RSS_MB)}`);
    const fmt = (c: Command) => `${(ms(c) / 1000).toFixed(2)} s, ${rate(c).toFixed(0)} MB/s`;
    const la = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
    const rows: BenchRow[] = [
      { name: 'error log', value: `${mb.toFixed(0)} MB, ${lines.toLocaleString('en')} lines, ${out.failures?.toLocaleString('en')} upstream failures in ${out.groups?.length} groups` },
      { name: 'rounds', value: `${rounds}, interleaved; medians; load average (1, 5, 15 min) ${la(loadBefore)} before, ${la(loadAfter)} after` },
      { name: grep.label, value: fmt(grep) },
    ];
    for (const c of commands.slice(1)) {
      const target = c.label.endsWith('--threads 1') ? TARGET_RATIO_1 : TARGET_RATIO_2;
      const ratio = rate(c) / rate(grep);
      rows.push(
        { name: c.label, value: `${fmt(c)} | grep in the same rounds: ${fmt(grep)} | ratio ${ratio.toFixed(2)} (target >= ${target}): ${ok(ratio >= target)}` },
        { name: `${c.label} peak RSS`, value: rssText(peak(c)) },
      );
    }

    // memory: distinct upstream addresses, plain and gzip
    rmSync(log);
    const [plain, gz] = await generateDistinctLog(dir, DISTINCT);
    const cases: [string, string][] = [
      [`${(DISTINCT / 1e6).toFixed(0)}M distinct upstreams`, plain],
      [`${(DISTINCT / 1e6).toFixed(0)}M distinct upstreams, gzip (2 members)`, gz],
    ];
    const bundles: [string, string][] = [['', cli], ...(before ? ([[`before (${opts.before}) `, before]] as [string, string][]) : [])];
    for (const [prefix, bundle] of bundles) {
      let plainAnswer: string | undefined;
      for (const [name, file] of cases) {
        const r = timed(process.execPath, explain(bundle, 2, file));
        const o = JSON.parse(r.stdout) as { files?: string[]; lines?: number; failures?: number; ungrouped?: number; groups?: unknown[] };
        if (o.failures !== DISTINCT) throw new Error(`${prefix}${name}: explain counted ${o.failures} failures of ${DISTINCT}`);
        // the same answer but for the file's name
        const answer = JSON.stringify({ ...o, files: undefined });
        plainAnswer ??= answer;
        const same = answer === plainAnswer ? 'same JSON as the plain log' : 'JSON DIFFERS from the plain log';
        rows.push({
          name: `${prefix}explain, ${name}`,
          value: `${(r.ms / 1000).toFixed(2)} s; ${o.groups?.length} groups shown, ${o.ungrouped?.toLocaleString('en')} failures counted in further groups; ${same}; peak RSS ${rssText(r.rssMb)}`,
        });
      }
    }
    return rows;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    cleanup();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const v = args[i + 1];
    args.splice(i, 2);
    return v;
  };
  const before = flag('--before');
  const rounds = flag('--rounds');
  const size = Number(args[0] ?? 1024);
  const rows = await benchExplain(size, { ...(before && { before }), ...(rounds && { rounds: Number(rounds) }) });
  const w = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows) process.stdout.write(`${r.name.padEnd(w)}  ${r.value}\n`);
}
