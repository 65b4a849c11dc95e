// A resolver that drops every query: the deadline holds, a signal is obeyed
// within moments, and the report says the resolver did not answer. Run by the
// real CLI in a network namespace whose resolv.conf names 127.0.0.1, where a
// UDP socket receives the queries and never answers.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CLI_SOURCE, runNode, TSX } from '../helpers/cli.js';
import { canNetns, createNetns, type Netns } from '../helpers/netns.js';
import { hasNginx, NGINX_BINARY } from '../helpers/nginx.js';
import { stopper } from '../helpers/process.js';
import { tempDir } from '../helpers/tmp.js';

const skip = (!canNetns || !hasNginx) && 'needs root, ip netns and nginx';
/** enough names that lookups left in a threadpool of 4 would take minutes to drain */
const NAMES = 120;
const PORT = 8000;

let ns: Netns | undefined;
let dropper: ChildProcess | undefined;
let dir = '';
const cleanup: (() => void | Promise<void>)[] = [];
after(async () => {
  for (const c of cleanup.reverse()) await c();
});

before(async () => {
  if (skip) return;
  // glibc's own give-up (5 s a try, 2 tries by default) must come after any deadline here: the resolver
  // never answers, so what ends each lookup is the gate's deadline, not EAI_AGAIN
  ns = createNetns({ hosts: '127.0.0.1\tlocalhost\n', resolvConf: 'nameserver 127.0.0.1\noptions timeout:30 attempts:5\n' });
  cleanup.push(() => ns?.remove());
  const d = spawn('ip', ['netns', 'exec', ns.name, process.execPath, '-e', 'const s = require("dgram").createSocket("udp4"); s.on("message", () => {}); s.bind(53, "127.0.0.1", () => console.log("up"));'], { stdio: ['ignore', 'pipe', 'inherit'] });
  dropper = d;
  cleanup.push(stopper(d));
  await new Promise((r) => d.stdout?.once('data', r));
  const tmp = tempDir('ugate-dns-');
  cleanup.push(tmp.remove);
  dir = tmp.dir;
  // the service's own upstream, and a pool of other names nginx resolves as well
  const servers = Array.from({ length: NAMES }, (_, i) => `    server other${i}.example.test:${PORT + 1 + i};`).join('\n');
  writeFileSync(
    join(dir, 'nginx.conf'),
    `events {}\nhttp {\n  upstream pool {\n${servers}\n  }\n  server {\n    listen 127.0.0.1:18080;\n    location / { proxy_pass http://svc0.example.test:${PORT}; }\n    location /other/ { proxy_pass http://pool; }\n  }\n}\n`,
  );
});

function spec(name: string, extra: string): string {
  const file = join(dir, name);
  writeFileSync(file, `version: 1\nservices:\n  app: { backend: "svc0.example.test:${PORT}" }\nnginx: { config: nginx.conf, binary: ${NGINX_BINARY}${extra} }\n`);
  return file;
}

interface Report {
  verdict: string;
  reason?: string;
  findings: { code?: string; severity: string; message: string; evidence?: string[] }[];
}

/** The processes left in the namespace: only the dropper once the gate has exited. */
function leftInNamespace(): number[] {
  const r = spawnSync('ip', ['netns', 'pids', ns?.name ?? ''], { encoding: 'utf8' });
  return r.stdout.split('\n').filter(Boolean).map(Number).filter((pid) => pid !== dropper?.pid);
}

test('--deadline against a resolver that never answers: exit 1, dns.unresolved saying the resolver did not answer within the deadline', { skip }, async () => {
  // the outer timeout only guards the test run: the outcome is asserted, not the time;
  // connect_timeout longer than the deadline, so that every lookup is bounded by the deadline alone;
  // a deadline long enough that the config phase's half of it (nginx -t, lookups) still leaves the
  // probes theirs on a loaded machine, where starting nginx -t and the lookup process is slow
  const file = spec('deadline.yml', '');
  writeFileSync(file, `${readFileSync(file, 'utf8')}gate: { connect_timeout: 30s }\n`);
  const r = await runNode(['netns', 'exec', ns?.name ?? '', process.execPath, '--import', TSX, CLI_SOURCE, 'check', '--spec', file, '--deadline', '10s', '--format', 'json'], {
    node: 'ip',
    timeoutMs: 60_000,
  });
  assert.equal(r.signal, null, `the gate did not exit by itself: ${r.stderr}`);
  assert.equal(r.code, 1, r.stderr + r.stdout);
  const report = JSON.parse(r.stdout) as Report;
  assert.equal(report.reason, 'dns.unresolved', r.stdout);
  const f = report.findings.find((x) => x.code === 'dns.unresolved');
  assert.match(f?.message ?? '', /^svc0\.example\.test does not resolve \(the resolver did not answer within the gate's deadline, \d+ ms\)$/);
  // nginx -t resolves the names too (getaddrinfo, as nginx does at start): stopped at the deadline, and said why
  assert.ok(report.findings.some((x) => x.severity === 'info' && /-t -c .* did not finish within \d+ ms \(nginx resolves every upstream name/.test(x.message)), JSON.stringify(report.findings));
  assert.deepEqual(leftInNamespace(), []);
});

for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  test(`${sig} while lookups hang: exit ${sig === 'SIGINT' ? 130 : 143}, the report written, nothing left running`, { skip }, async () => {
    let pid = 0;
    let sent = false;
    const r = await runNode(['netns', 'exec', ns?.name ?? '', process.execPath, '--import', TSX, CLI_SOURCE, 'check', '--spec', spec(`${sig}.yml`, ', test: off'), '--format', 'json'], {
      node: 'ip',
      timeoutMs: 60_000,
      onSpawn: (p) => (pid = p),
      // signalled once the probe phase waits on the name, not at a guessed moment
      onStderr: (all) => {
        if (!sent && /waiting dns\.unresolved/.test(all)) {
          sent = true;
          process.kill(pid, sig);
        }
      },
    });
    assert.equal(sent, true, r.stderr);
    assert.equal(r.signal, null, `the gate did not exit by itself: ${r.stderr}`);
    assert.equal(r.code, sig === 'SIGINT' ? 130 : 143, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    assert.equal(report.verdict, 'fail');
    assert.ok(report.findings.some((x) => /interrupted/.test(x.message)), JSON.stringify(report.findings));
    assert.deepEqual(leftInNamespace(), []);
  });
}
