// What a healthy gate costs: it says where its time went (the JSON report's
// `timings`, `check --debug`), and it runs nothing that only a failure needs:
// no listener list, no firewall rules, no SELinux or systemd queries. The host
// commands are observed through a PATH of wrappers that record each call and
// run the real command.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startHttpBackend } from '../helpers/backend.js';
import { runCli } from '../helpers/cli.js';
import { hasNginx, NGINX_BINARY, startNginx } from '../helpers/nginx.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tmp.js';

const skip = !hasNginx && 'nginx not installed';

/** Commands the evidence of a failure runs (host/listeners.ts, firewall.ts, selinux.ts, systemd.ts). */
const EVIDENCE_COMMANDS = ['ss', 'iptables', 'ip6tables', 'nft', 'getenforce', 'getsebool', 'ausearch', 'systemctl', 'journalctl'];

/** A directory of wrappers, first on PATH: each appends its name and arguments to `log`, then runs the real command. */
function recordingPath(dir: string): { path: string; calls: () => string[] } {
  const bin = join(dir, 'recording-bin');
  const log = join(dir, 'calls.log');
  mkdirSync(bin);
  writeFileSync(log, '');
  for (const name of EVIDENCE_COMMANDS) {
    const real = ['/usr/sbin', '/usr/bin', '/sbin', '/bin'].map((d) => join(d, name)).find((p) => existsSync(p));
    writeFileSync(join(bin, name), `#!/bin/sh\necho "${name} $*" >> '${log}'\n${real ? `exec '${real}' "$@"` : 'exit 127'}\n`);
    chmodSync(join(bin, name), 0o755);
  }
  return { path: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, calls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

async function deployment(t: TestContext, backendPort: number, unit?: string): Promise<{ dir: string; spec: string }> {
  const listen = await freePort();
  const app = `server { listen 127.0.0.1:${listen}; server_name app.test; location / { proxy_pass http://127.0.0.1:${backendPort}; } }\n`;
  const nginx = await startNginx({ http: 'include conf.d/*.conf;', files: { 'conf.d/app.conf': app } });
  t.after(() => nginx.stop());
  const spec = join(nginx.prefix, 'upstream-gate.yml');
  writeFileSync(
    spec,
    [
      'version: 1',
      'services:',
      '  app:',
      `    backend: 127.0.0.1:${backendPort}`,
      '    health: /healthz',
      '    server_name: app.test',
      ...(unit ? [`    unit: ${unit}`] : []),
      'nginx:',
      '  config: nginx.conf',
      `  binary: ${NGINX_BINARY}`,
      'gate:',
      '  deadline: 60s',
      '  interval: 50ms',
      '',
    ].join('\n'),
  );
  return { dir: nginx.prefix, spec };
}

test('a healthy gate runs no evidence command (ss, firewall, SELinux, systemd); a failing one does', { skip }, async (t) => {
  const b = await startHttpBackend({});
  t.after(() => b.close());
  const d = await deployment(t, b.port, 'app.service');
  const rec = recordingPath(d.dir);
  const env = { ...process.env, PATH: rec.path };
  const healthy = await runCli(['check', '--spec', d.spec, '--format', 'json'], { cwd: d.dir, env });
  assert.equal(healthy.code, 0, healthy.stderr + healthy.stdout);
  assert.deepEqual(rec.calls(), []);

  // the wrappers do see the gate's commands: the same deploy with its backend gone needs the evidence
  const down = await deployment(t, await freePort());
  const failing = await runCli(['check', '--spec', down.spec, '--format', 'json', '--phase', 'probe', '--deadline', '10s'], { cwd: down.dir, env });
  assert.equal(failing.code, 1, failing.stderr + failing.stdout);
  assert.ok(rec.calls().some((c) => c.startsWith('ss ')), rec.calls().join('\n'));
});

test('the JSON report says where the time went, stage by stage; --debug prints the same on stderr', { skip }, async (t) => {
  const b = await startHttpBackend({});
  t.after(() => b.close());
  const d = await deployment(t, b.port);
  const r = await runCli(['check', '--spec', d.spec, '--format', 'json', '--debug'], { cwd: d.dir });
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const report = JSON.parse(r.stdout) as { timings?: { stages: { stage: string; start_ms: number; ms: number }[] } };
  const stages = report.timings?.stages ?? [];
  for (const s of stages) {
    assert.deepEqual(Object.keys(s), ['stage', 'start_ms', 'ms']);
    assert.ok(typeof s.stage === 'string' && s.start_ms >= 0 && s.ms >= 0, JSON.stringify(s));
  }
  const names = stages.map((s) => s.stage);
  for (const want of ['node start', 'code loading', 'spec load', 'config phase', 'config read and parse', 'nginx -t', 'name lookups', 'config compare', 'probe phase']) {
    assert.ok(names.includes(want), `${want} in ${names.join(', ')}`);
  }
  assert.ok(names.some((n) => /^probe app: tcp 127\.0\.0\.1:\d+$/.test(n)), names.join(', '));
  assert.ok(names.some((n) => n === 'probe app: http GET /healthz'), names.join(', '));
  // the probes ran inside the probe phase, which followed the config phase
  const at = (n: string) => stages.find((s) => s.stage === n)!;
  assert.ok(at('probe phase').start_ms >= at('config phase').start_ms + at('config phase').ms - 0.2);

  const lines = r.stderr.split('\n');
  const header = lines.indexOf("timings (ms from the process's start):");
  assert.ok(header >= 0, r.stderr);
  for (const name of [...names, 'report']) assert.ok(lines.slice(header).some((l) => l.trimStart().startsWith(`${name} `)), `${name} in\n${r.stderr}`);
});

test('without --debug, the text report prints no timings', { skip }, async (t) => {
  const b = await startHttpBackend({});
  t.after(() => b.close());
  const d = await deployment(t, b.port);
  const r = await runCli(['check', '--spec', d.spec], { cwd: d.dir });
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.doesNotMatch(r.stderr + r.stdout, /timings/);
});

test('a healthy gate writes its report and nothing else: no runtime warning on stderr, even while it looks for nginx in the process list', async (t) => {
  const b = await startHttpBackend({});
  t.after(() => b.close());
  const { dir, remove } = tempDir();
  t.after(remove);
  // nginx is not running from this config: its pid file is missing, so the gate reads every process's /proc entries
  // (and, with no request through nginx asked for, passes without it)
  writeFileSync(
    join(dir, 'nginx.conf'),
    `pid ${join(dir, 'nginx.pid')};\nevents {}\nhttp { server { listen 127.0.0.1:${await freePort()}; server_name app.test; location / { proxy_pass http://127.0.0.1:${b.port}; } } }\n`,
  );
  const spec = join(dir, 'upstream-gate.yml');
  writeFileSync(spec, `version: 1\nservices:\n  app: {backend: "127.0.0.1:${b.port}", server_name: app.test, health: /healthz}\nnginx: {config: nginx.conf, test: "off", front: "off"}\ngate: {deadline: 60s}\n`);
  const r = await runCli(['check', '--spec', spec, '--quiet'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.doesNotMatch(r.stderr, /Warning|\(node:\d+\)/);
});
