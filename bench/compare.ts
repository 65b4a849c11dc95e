// Two builds of the CLI side by side in one run, each figure beside its
// anchor: cold start against `node -e 0`, a healthy three-service gate
// (full, and `--phase probe`) against node's start and a `curl -f` loop, and
// the cost of 10, 100, 1,000 and 10,000 healthy services (wall and CPU). Runs interleave, so
// the load of a shared machine falls on every contender alike.
//
//   node --import tsx bench/compare.ts --cli before=OLD/dist/cli.js --cli after=dist/cli.js [--quick]
//     [--cli after-cold=dist/cli.js --cli-env after-cold:UPSTREAM_GATE_CODE_CACHE=off]
//     [--only cold-start,healthy,scale,parse] [--sizes 10,100,1000,10000]
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fmtMs, median } from './lib/stats.js';

const { values } = parseArgs({ options: { cli: { type: 'string', multiple: true }, 'cli-env': { type: 'string', multiple: true }, quick: { type: 'boolean' }, sizes: { type: 'string' }, only: { type: 'string' } } });
const only = new Set((values.only ?? 'cold-start,healthy,scale,parse').split(','));
// --cli-env NAME:KEY=VALUE sets a variable for one contender (UPSTREAM_GATE_CODE_CACHE=off: a start without the code cache)
const cliEnv = (name: string) => (values['cli-env'] ?? []).filter((e) => e.startsWith(`${name}:`)).map((e) => e.slice(name.length + 1));
const clis = (values.cli ?? [`after=${resolve('dist/cli.js')}`]).map((c) => {
  const [name, path] = c.split('=');
  return { name: name as string, path: resolve(path as string), env: cliEnv(name as string) };
});
/** The argv that runs a contender's CLI with `args` (through env(1) when it has variables of its own). */
const cliArgv = (c: (typeof clis)[number], ...args: string[]) => [...(c.env.length ? ['env', ...c.env] : []), process.execPath, c.path, ...args];
const quick = values.quick === true;
const sizes = (values.sizes ?? '10,100,1000,10000').split(',').map(Number);
const dir = mkdtempSync(join(tmpdir(), `ugate-compare-${process.pid}-`));
const servers: Server[] = [];
const cleanup = () => {
  for (const s of servers) s.close();
  rmSync(dir, { recursive: true, force: true });
};
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130));

interface Sample {
  ms: number;
  cpuMs: number;
  code: number | null;
  stdout: string;
}

/** One run: wall time as the pipeline sees it, CPU (user + system, children included) from GNU time. */
function run(argv: string[]): Promise<Sample> {
  const timeFile = join(dir, 'time.out');
  return new Promise((done) => {
    const started = performance.now();
    const child = spawn('/usr/bin/time', ['-o', timeFile, '-f', '%U %S', ...argv], { stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('close', (code) => {
      const ms = performance.now() - started;
      const [u, s] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
      done({ ms, cpuMs: ((u ?? 0) + (s ?? 0)) * 1000, code, stdout });
    });
  });
}

async function backend(): Promise<number> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { connection: 'close' });
    res.end('ok\n');
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, r));
  return (server.address() as AddressInfo).port;
}

/** N services, each on its own server name, spread over the given backend ports; the nginx config dials them. */
function deploy(name: string, ports: number[], n: number): string {
  const d = join(dir, name);
  mkdirSync(join(d, 'logs'), { recursive: true });
  const conf = join(d, 'nginx.conf');
  const servers = Array.from({ length: n }, (_, i) => `  server { listen 127.0.0.1:8080; server_name s${i}.bench.test; location / { proxy_pass http://127.0.0.1:${ports[i % ports.length]}; } }`);
  writeFileSync(
    conf,
    [
      'user root;',
      `pid ${join(d, 'nginx.pid')};`,
      `error_log ${join(d, 'logs', 'error.log')} info;`,
      'events { worker_connections 64; }',
      'http {',
      '  access_log off;',
      '  server_names_hash_max_size 65536;',
      '  server_names_hash_bucket_size 128;',
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${join(d, `tmp_${t}`)};`),
      ...servers,
      '}',
      '',
    ].join('\n'),
  );
  const spec = join(d, 'upstream-gate.yml');
  // no server_name: nginx is not running here, and a spec that names the block nginx serves it from expects it to run
  // (nginx.not_running); the config phase finds each block through the address it dials
  const services = Array.from({ length: n }, (_, i) => `  s${i}: {backend: "127.0.0.1:${ports[i % ports.length]}", health: /healthz}`);
  writeFileSync(spec, ['version: 1', 'services:', ...services, `nginx: {config: ${conf}}`, 'gate: {deadline: 120s}', ''].join('\n'));
  return spec;
}

/** Round-robin rounds over the contenders; each contender's samples. */
async function interleave(contenders: { name: string; argv: string[] }[], rounds: number): Promise<Map<string, Sample[]>> {
  const out = new Map(contenders.map((c) => [c.name, [] as Sample[]]));
  for (const c of contenders) await run(c.argv); // warm-up: page cache, nginx binary
  for (let r = 0; r < rounds; r++) {
    for (const c of r % 2 ? [...contenders].reverse() : contenders) out.get(c.name)!.push(await run(c.argv));
  }
  return out;
}

const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
const lines: string[] = [];
const say = (s = '') => {
  lines.push(s);
  process.stdout.write(`${s}\n`);
};
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

say(`# before / after, one run`);
say();
say(`- ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}; ${cpus().length} CPUs (${cpus()[0]?.model.trim()}); Node ${process.version}; load average at the start ${load()}`);
say(`- ${clis.map((c) => `${c.name}: \`${c.path}\`${c.env.length ? ` with ${c.env.join(' ')}` : ''}`).join('; ')}`);
say(`- wall: spawn to exit as the pipeline sees it (median); CPU: user + system of the process and its children (nginx -t), mean, from GNU time`);

// 1. cold start
if (only.has('cold-start')) {
  const rounds = quick ? 5 : 20;
  const s = await interleave([{ name: 'node -e 0', argv: [process.execPath, '-e', '0'] }, ...clis.map((c) => ({ name: `${c.name} --version`, argv: cliArgv(c, '--version') }))], rounds);
  const anchor = s.get('node -e 0')!;
  say();
  say(`## Cold start (${rounds} interleaved rounds)`);
  say();
  say(row(['command', 'wall', 'CPU', 'wall - node', 'CPU - node']));
  say(row(['---', '---', '---', '---', '---']));
  for (const [name, v] of s) {
    const wall = median(v.map((x) => x.ms));
    const cpu = mean(v.map((x) => x.cpuMs));
    say(row([`\`${name}\``, fmtMs(wall), fmtMs(cpu), fmtMs(wall - median(anchor.map((x) => x.ms))), fmtMs(cpu - mean(anchor.map((x) => x.cpuMs)))]));
  }
}

// 2. healthy three services
if (only.has('healthy')) {
  const ports = [await backend(), await backend(), await backend()];
  const spec = deploy('healthy-3', ports, 3);
  const urls = ports.map((p) => `http://127.0.0.1:${p}/healthz`);
  const rounds = quick ? 5 : 12;
  const contenders = [
    { name: 'node -e 0', argv: [process.execPath, '-e', '0'] },
    { name: 'bash `curl -f` loop', argv: ['bash', '-c', `for u in ${urls.join(' ')}; do curl -fsS -o /dev/null "$u" || exit 1; done`] },
    ...clis.flatMap((c) => [
      { name: `${c.name} check`, argv: cliArgv(c, 'check', '--spec', spec, '--format', 'json') },
      { name: `${c.name} check --phase probe`, argv: cliArgv(c, 'check', '--spec', spec, '--format', 'json', '--phase', 'probe') },
    ]),
  ];
  const s = await interleave(contenders, rounds);
  const anchor = median(s.get('node -e 0')!.map((x) => x.ms));
  say();
  say(`## Healthy deploy, three services (${rounds} interleaved rounds)`);
  say();
  say(row(['command', 'wall', 'wall - node -e 0', 'CPU', 'verdicts']));
  say(row(['---', '---', '---', '---', '---']));
  for (const [name, v] of s) {
    const wall = median(v.map((x) => x.ms));
    const passes = v.filter((x) => x.code === 0).length;
    say(row([name, fmtMs(wall), fmtMs(wall - anchor), fmtMs(mean(v.map((x) => x.cpuMs))), `${passes}/${v.length} pass`]));
  }
  const last = s.get(`${clis[clis.length - 1]!.name} check`)!.at(-1)!;
  const stages = stagesOf(last.stdout);
  if (stages.length) {
    say();
    say(`Where the time of one \`${clis[clis.length - 1]!.name} check\` went (its \`timings\`, ms from the process's start; stages overlap where they ran side by side):`);
    say();
    say(row(['stage', 'start', 'length']));
    say(row(['---', '---', '---']));
    for (const st of stages) say(row([st.stage, st.start_ms.toFixed(1), st.ms.toFixed(1)]));
  }
}

// 3. scale
if (only.has('scale')) {
  const ports = await Promise.all(Array.from({ length: 50 }, backend));
  say();
  say(`## Services in one spec (full \`check\`, every service healthy, 50 backend ports shared round-robin)`);
  say();
  say(row(['services', ...clis.map((c) => `${c.name}: wall`), ...clis.map((c) => `${c.name}: CPU`), ...clis.map((c) => `${c.name}: per service`), `${clis[clis.length - 1]!.name}: config phase / probe phase`, 'verdicts']));
  say(row(['---', ...clis.map(() => '---'), ...clis.map(() => '---'), ...clis.map(() => '---'), '---', '---']));
  for (const n of sizes) {
    const spec = deploy(`scale-${n}`, ports, n);
    const rounds = quick ? 1 : n >= 10_000 ? 1 : n >= 1000 ? 2 : 3;
    const s = await interleave(clis.map((c) => ({ name: c.name, argv: cliArgv(c, 'check', '--spec', spec, '--format', 'json', '--quiet') })), rounds);
    const walls = clis.map((c) => median(s.get(c.name)!.map((x) => x.ms)));
    const cpu = clis.map((c) => mean(s.get(c.name)!.map((x) => x.cpuMs)));
    const last = s.get(clis[clis.length - 1]!.name)!.at(-1)!;
    const st = stagesOf(last.stdout);
    const phase = (name: string) => st.find((x) => x.stage === name)?.ms;
    const verdicts = clis.map((c) => `${s.get(c.name)!.filter((x) => x.code === 0).length}/${rounds}`).join(', ');
    say(row([n.toLocaleString('en-US'), ...walls.map(fmtMs), ...cpu.map(fmtMs), ...walls.map((w) => fmtMs(w / n)), `${fmtMs(phase('config phase'))} / ${fmtMs(phase('probe phase'))}`, `${verdicts} pass`]));
  }
}
// 4. config parse against nginx -T on the same tree
if (only.has('parse')) {
  const d = join(dir, 'parse-tree');
  mkdirSync(join(d, 'sites'), { recursive: true });
  mkdirSync(join(d, 'logs'));
  writeFileSync(join(d, 'fastcgi_params'), 'fastcgi_param QUERY_STRING $query_string;\nfastcgi_param REQUEST_METHOD $request_method;\n');
  for (let i = 0; i < 2000; i++) writeFileSync(join(d, 'sites', `s${i}.conf`), site(i));
  const main = join(d, 'nginx.conf');
  writeFileSync(main, `pid ${join(d, 'nginx.pid')};\nerror_log ${join(d, 'logs', 'error.log')};\nevents {}\nhttp {\n  server_names_hash_max_size 65536;\n  server_names_hash_bucket_size 128;\n  include sites/*.conf;\n}\n`);
  const rounds = quick ? 2 : 3;
  const s = await interleave(
    [
      { name: '`nginx -T`', argv: ['/usr/sbin/nginx', '-T', '-p', d, '-c', main] },
      ...clis.map((c) => ({ name: `${c.name} \`parse\``, argv: cliArgv(c, 'parse', main) })),
    ],
    rounds,
  );
  const anchor = mean(s.get('`nginx -T`')!.map((x) => x.cpuMs));
  say();
  say(`## Config parse: 100,000 lines in 2,001 files (${rounds} interleaved rounds, whole process, output to a pipe)`);
  say();
  say(row(['command', 'wall', 'CPU', 'CPU vs nginx -T', 'exit']));
  say(row(['---', '---', '---', '---', '---']));
  for (const [name, v] of s) {
    const cpu = mean(v.map((x) => x.cpuMs));
    say(row([name, fmtMs(median(v.map((x) => x.ms))), fmtMs(cpu), `${(cpu / anchor).toFixed(2)}x`, v.map((x) => x.code).join(',')]));
  }
}

say();
say(`Load average at the end: ${load()}.`);

/** A 50-line site nginx -t accepts as is: a redirect, an upstream, a proxying server with four locations. */
function site(i: number): string {
  return `# site ${i}
server {
    listen 80;
    server_name s${i}.example.com www.s${i}.example.com;
    return 301 https://$host$request_uri;
}

upstream app_${i} {
    server 127.0.0.1:${10000 + i} weight=5 max_fails=3 fail_timeout=10s;
    server [::1]:${10000 + i} backup;
    keepalive 16;
}

server {
    listen 8443;
    server_name s${i}.example.com;
    root /srv/s${i}/public;
    index index.html index.php;
    access_log off;
    client_max_body_size 20m;
    add_header X-Frame-Options "SAMEORIGIN" always;
    add_header Content-Security-Policy "default-src 'self'; img-src *" always;

    location / {
        proxy_pass http://app_${i};
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Real-IP $remote_addr;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_read_timeout 60s;
    }

    location ~ \\.php$ {
        include fastcgi_params;
        fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
        fastcgi_pass unix:/run/php/php8.2-fpm.sock;
    }

    location /static/ {
        alias /srv/s${i}/static/;
        expires 30d;
        add_header Cache-Control 'public, max-age=2592000';
    }

    location = /healthz {
        access_log off;
        proxy_pass http://127.0.0.1:${10000 + i}/healthz;
    }
}
`;
}

function mean(v: number[]): number {
  return v.reduce((a, b) => a + b, 0) / v.length;
}

function stagesOf(json: string): { stage: string; start_ms: number; ms: number }[] {
  try {
    return (JSON.parse(json) as { timings?: { stages: { stage: string; start_ms: number; ms: number }[] } }).timings?.stages.filter((s) => !/^probe .+: /.test(s.stage)) ?? [];
  } catch {
    return [];
  }
}
