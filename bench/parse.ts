// `npx tsx bench/parse.ts`: parse throughput of upstream-gate's nginx parser
// on a generated config of 100,000 lines across 2,000 included files, against
// the npm parsers nginx-conf and @webantic/nginx-config-parser on the same
// text in the same run. On demand only, never a test.
import { mkdirSync, readFileSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseConfig } from '../src/nginx/parser.js';
import { buildModel } from '../src/nginx/model.js';
import { fileSource } from '../src/host/local/config-files.js';
import { memorySource } from '../src/host/config-source.js';

const FILES = 2000;
const LINES_PER_FILE = 50;
const TARGET_MS = 250;
const TARGET_RATIO = 5;
const RUNS = 15;

/** One realistic site: a redirect block and a proxying block, 50 lines. */
export function site(i: number): string {
  const lines = [
    `# site ${i}: generated for the parser benchmark`,
    'server {',
    '    listen 80;',
    `    server_name s${i}.example.com www.s${i}.example.com;`,
    '    return 301 https://$host$request_uri;',
    '}',
    '',
    `upstream app_${i} {`,
    `    server 127.0.0.1:${10000 + i} weight=5 max_fails=3 fail_timeout=10s;`,
    `    server [::1]:${10000 + i} backup;`,
    '    keepalive 16;',
    '}',
    '',
    'server {',
    '    listen 443 ssl;',
    `    server_name s${i}.example.com;`,
    `    root /srv/s${i}/public;`,
    '    index index.html index.php;',
    `    access_log /var/log/nginx/s${i}.access.log combined;`,
    '    client_max_body_size 20m;',
    '    add_header X-Frame-Options "SAMEORIGIN" always;',
    `    add_header Content-Security-Policy "default-src 'self'; img-src *" always;`,
    '',
    '    location / {',
    `        proxy_pass http://app_${i};`,
    '        proxy_http_version 1.1;',
    '        proxy_set_header Host $host;',
    '        proxy_set_header X-Real-IP $remote_addr;',
    '        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    '        proxy_set_header X-Forwarded-Proto $scheme;',
    '        proxy_read_timeout 60s;',
    '    }',
    '',
    '    location ~ \\.php$ {',
    '        include fastcgi_params;',
    '        fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;',
    '        fastcgi_pass unix:/run/php/php8.2-fpm.sock;',
    '    }',
    '',
    '    location /static/ {',
    `        alias /srv/s${i}/static/;`,
    '        expires 30d;',
    "        add_header Cache-Control 'public, max-age=2592000';",
    '    }',
    '',
    '    location = /healthz {',
    '        access_log off;',
    `        proxy_pass http://127.0.0.1:${10000 + i}/healthz;`,
    '    }',
    '}',
  ];
  if (lines.length !== LINES_PER_FILE) throw new Error(`site() has ${lines.length} lines, not ${LINES_PER_FILE}`);
  return `${lines.join('\n')}\n`;
}

interface Tree {
  dir: string;
  main: string;
  files: Map<string, string>;
  lines: number;
  remove: () => void;
}

function generate(): Tree {
  const dir = mkdtempSync(join(tmpdir(), 'ugate-bench-parse-'));
  mkdirSync(join(dir, 'sites'));
  const files = new Map<string, string>();
  const main = join(dir, 'nginx.conf');
  const mainText = 'worker_processes auto;\nevents { worker_connections 1024; }\nhttp {\n    include sites/*.conf;\n}\n';
  writeFileSync(main, mainText);
  files.set(main, mainText);
  let lines = mainText.split('\n').length - 1;
  const fastcgi = join(dir, 'fastcgi_params');
  writeFileSync(fastcgi, 'fastcgi_param QUERY_STRING $query_string;\n');
  files.set(fastcgi, readFileSync(fastcgi, 'utf8'));
  lines += 1;
  for (let i = 0; i < FILES; i++) {
    const p = join(dir, 'sites', `site-${String(i).padStart(4, '0')}.conf`);
    const text = site(i);
    writeFileSync(p, text);
    files.set(p, text);
    lines += LINES_PER_FILE;
  }
  return { dir, main, files, lines, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Best of `runs` wall times after `warmup` untimed runs: on a shared machine
 * the other processes only ever add time, so the minimum is what the code costs.
 */
function time(fn: () => void, runs: number, warmup = 2): number {
  for (let i = 0; i < warmup; i++) fn();
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    fn();
    best = Math.min(best, performance.now() - s);
  }
  return best;
}

/** Heap held by what `make` returns, measured between two full collections. */
function retainedBytes(make: () => unknown): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept = make();
  gc();
  const after = process.memoryUsage().heapUsed;
  return kept ? after - before : 0;
}

export interface BenchRow {
  name: string;
  value: string;
}

export async function benchParse(runs = RUNS): Promise<BenchRow[]> {
  const require = createRequire(import.meta.url);
  type Callback = (e: Error | null, tree?: unknown) => void;
  const { parse: nginxConfParse } = require('nginx-conf') as { parse: (s: string, cb: Callback) => void };
  const Webantic = require('@webantic/nginx-config-parser') as new () => { toJSON(s: string, o?: object): unknown };
  const tree = generate();
  try {
    const texts = [...tree.files.values()];
    const check = parseConfig(tree.main, { source: fileSource() });
    if (check.payload.status !== 'ok' || check.payload.config.length !== FILES + 2) {
      throw new Error(`the generated tree did not parse cleanly: ${JSON.stringify(check.payload.errors.slice(0, 3))}`);
    }
    const retained = retainedBytes(() => parseConfig(tree.main, { source: fileSource() }));
    const ours = time(() => parseConfig(tree.main, { source: fileSource() }), runs);
    const oursModel = time(() => buildModel(parseConfig(tree.main, { source: fileSource() })), runs);
    const oursMem = time(() => parseConfig(tree.main, { source: memorySource(tree.files) }), runs);
    // Every parser keeps what it produced until the run ends, as a caller would.
    const nginxConf = time(() => {
      const keep: unknown[] = [];
      for (const t of texts) nginxConfParse(t, (e, tree) => keep.push(e ?? tree));
    }, runs, 1);
    const webanticParser = new Webantic();
    const webantic = time(() => {
      const keep: unknown[] = [];
      for (const t of texts) keep.push(webanticParser.toJSON(t, { parseIncludes: false }));
    }, runs, 1);
    const rate = (ms: number) => `${Math.round(tree.lines / (ms / 1000)).toLocaleString('en-US')} lines/s`;
    const ms = (x: number) => `${x.toFixed(1)} ms`;
    const verdict = (x: number) =>
      `upstream-gate is ${(x / oursMem).toFixed(1)}x faster (target ${TARGET_RATIO}x: ${x / oursMem >= TARGET_RATIO ? 'met' : 'NOT met'})`;
    return [
      { name: 'input', value: `${tree.lines.toLocaleString('en-US')} lines in ${FILES + 2} files (${FILES} included by one glob)` },
      { name: 'upstream-gate: read files, follow includes, parse', value: `${ms(ours)} (${rate(ours)}), target under ${TARGET_MS} ms: ${ours <= TARGET_MS ? 'met' : 'NOT met'}` },
      { name: 'upstream-gate: heap kept by the result', value: `${(retained / 1e6).toFixed(1)} MB (payload and file texts)` },
      { name: 'upstream-gate: same, plus targets model', value: `${ms(oursModel)} (${rate(oursModel)})` },
      { name: 'upstream-gate: the same texts from memory', value: `${ms(oursMem)} (${rate(oursMem)})` },
      { name: 'nginx-conf 2.1.0, parse(): each file text', value: `${ms(nginxConf)} (${rate(nginxConf)}): ${verdict(nginxConf)}` },
      { name: '@webantic/nginx-config-parser 1.6.1, toJSON: each file text', value: `${ms(webantic)} (${rate(webantic)}): ${verdict(webantic)}` },
      { name: 'note', value: 'the npm parsers do not follow includes: each was fed every file text from memory, and is compared with upstream-gate parsing the same texts from memory (includes followed, args split, errors collected)' },
    ];
  } finally {
    tree.remove();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = await benchParse(RUNS);
  const w = Math.max(...rows.map((r) => r.name.length));
  process.stdout.write(
    `nginx config parse benchmark (best wall time of ${RUNS} runs each; Node ${process.version}; ${availableParallelism()} cores, load average ${loadavg()[0]?.toFixed(1)} at the end)\n\n`,
  );
  for (const r of rows) process.stdout.write(`${r.name.padEnd(w)}  ${r.value}\n`);
}
