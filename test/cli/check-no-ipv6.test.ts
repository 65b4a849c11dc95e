// A host with IPv6 disabled while its hosts file still maps localhost to ::1
// too: real nginx, a real backend and the real CLI inside one network
// namespace. nginx logs errno 99 for ::1 and moves on to 127.0.0.1; the gate
// names that cause at once, with the line to write.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Finding } from '../../src/model/finding.js';
import { CLI_SOURCE, TSX } from '../helpers/cli.js';
import { canNetns, createNetns } from '../helpers/netns.js';
import { hasNginx, NGINX_BINARY, startNginx } from '../helpers/nginx.js';
import { stopper } from '../helpers/process.js';

const PORT = 18081;
const LISTEN = 18082;

test('IPv6 disabled, nginx dials localhost: nginx serves through 127.0.0.1 after logging 99 for ::1; the gate says network.no_address_family with the fix', { skip: (!canNetns && 'needs root and ip netns') || (!hasNginx && 'nginx not installed') }, async (t) => {
  const ns = createNetns({ hosts: '127.0.0.1 localhost\n::1 localhost\n' });
  t.after(() => ns.remove());
  for (const key of ['all', 'default', 'lo']) {
    const r = await ns.run(['sysctl', '-q', '-w', `net.ipv6.conf.${key}.disable_ipv6=1`]);
    assert.equal(r.code, 0, r.stderr);
  }
  const app = `server {\n    listen 127.0.0.1:${LISTEN};\n    server_name app.test;\n    location / {\n        proxy_pass http://localhost:${PORT};\n    }\n}\n`;
  const nginx = await startNginx({ http: 'include conf.d/*.conf;', files: { 'conf.d/app.conf': app }, writeOnly: true });
  t.after(() => nginx.stop());
  const backend = spawn(
    'ip',
    ['netns', 'exec', ns.name, process.execPath, '-e', `require('http').createServer((q,s)=>s.end('ok\\n')).listen(${PORT},'127.0.0.1',()=>console.log('up'))`],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  t.after(stopper(backend));
  await once(backend.stdout, 'data');
  const master = spawn('ip', ['netns', 'exec', ns.name, NGINX_BINARY, '-p', nginx.prefix, '-c', nginx.conf], { stdio: ['ignore', 'ignore', 'inherit'] });
  t.after(stopper(master));
  // nginx is up once a request through it gets an answer; localhost's two addresses are two peers taken in turn, so of a few requests some dial ::1 first
  let through = { code: 1 as number | null, stdout: '', stderr: '' };
  for (let i = 0; i < 100 && through.stdout !== 'ok\n'; i++) through = await ns.run(['curl', '-s', '--retry-connrefused', '--retry', '5', `http://127.0.0.1:${LISTEN}/`]);
  assert.equal(through.stdout, 'ok\n', through.stderr);
  for (let i = 0; i < 3; i++) assert.equal((await ns.run(['curl', '-s', `http://127.0.0.1:${LISTEN}/`])).stdout, 'ok\n', 'nginx serves every request');

  const spec = join(nginx.prefix, 'upstream-gate.yml');
  writeFileSync(spec, `version: 1\nservices:\n  app:\n    backend: 127.0.0.1:${PORT}\n    health: /\n    server_name: app.test\nnginx:\n  config: nginx.conf\n  test: off\ngate:\n  deadline: 30s\n`);
  const r = await ns.run([process.execPath, '--import', TSX, CLI_SOURCE, 'check', '--format', 'json', '--spec', spec]);
  assert.equal(r.code, 1, r.stderr + r.stdout);
  const report = JSON.parse(r.stdout) as { reason: string; findings: Finding[] };
  assert.equal(report.reason, 'network.no_address_family', JSON.stringify(report.findings));
  const f = report.findings.find((x) => x.code === 'network.no_address_family');
  assert.equal(f?.target, `[::1]:${PORT}`);
  assert.equal(f?.errno, 99);
  assert.equal(f?.fix, `dial 127.0.0.1:${PORT} instead of localhost:${PORT} (proxy_pass http://127.0.0.1:${PORT};  (conf.d/app.conf:5)), or drop the ::1 mapping of localhost (/etc/hosts)`);
  assert.equal(f?.line, 5);
  // what nginx itself did: errno 99 for ::1, and the request still served
  assert.match(readFileSync(nginx.errorLog, 'utf8'), new RegExp(`connect\\(\\) to \\[::1\\]:${PORT} failed \\(99: Cannot assign requested address\\)`));
});
