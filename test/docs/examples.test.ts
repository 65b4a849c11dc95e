// The examples are what users copy: each must be valid for the tool that
// reads it, use only inputs and outputs the Action has, and the deploy
// script must really roll back a release the gate rejects.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { loadSpecFile } from '../../src/spec/load.js';
import { CLI_SOURCE, TSX } from '../helpers/cli.js';
import { hasNginx, NGINX_BINARY, startNginx } from '../helpers/nginx.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tmp.js';

const examples = (rel: string) => fileURLToPath(new URL(`../../examples/${rel}`, import.meta.url));
const action = parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as { inputs: Record<string, unknown>; outputs: Record<string, unknown> };

test('the example spec is valid', async () => {
  const spec = await loadSpecFile(examples('upstream-gate.yml'));
  assert.deepEqual(spec.services.map((s) => s.name), ['api', 'shop']);
});

test('the GitHub workflow uses only inputs and outputs the Action has', () => {
  const wf = parse(readFileSync(examples('github-actions/deploy.yml'), 'utf8')) as { jobs: Record<string, { steps: { id?: string; uses?: string; with?: Record<string, unknown> }[] }> };
  const steps = Object.values(wf.jobs).flatMap((j) => j.steps);
  const gate = steps.find((s) => s.uses?.startsWith('upstream-gate/upstream-gate@'));
  assert.ok(gate?.id, 'the gate step has an id, so later steps can read its outputs');
  for (const k of Object.keys(gate.with ?? {})) assert.ok(k in action.inputs, `unknown input ${k}`);
  const text = readFileSync(examples('github-actions/deploy.yml'), 'utf8');
  for (const m of text.matchAll(new RegExp(`steps\\.${gate.id}\\.outputs\\.([\\w-]+)`, 'g'))) assert.ok((m[1] as string) in action.outputs, `unknown output ${m[1]}`);
});

test('the GitLab job writes JUnit and publishes that same file as its test report', () => {
  const ci = parse(readFileSync(examples('gitlab-ci/gitlab-ci.yml'), 'utf8')) as Record<string, { script?: string[]; artifacts?: { when?: string; reports?: { junit?: string } } }>;
  const job = ci['upstream-gate'];
  const line = job?.script?.find((s) => s.includes('upstream-gate check')) ?? '';
  assert.match(line, /--format junit/);
  const out = /> (\S+)\s*$/.exec(line)?.[1];
  assert.equal(job?.artifacts?.reports?.junit, out);
  assert.equal(job?.artifacts?.when, 'always', 'a failed gate must still publish its report');
});

test('the systemd units pass systemd-analyze verify', { skip: !existsSync('/usr/bin/systemd-analyze') && 'systemd-analyze not installed' }, (t) => {
  // verify checks that ExecStart= programs exist: point them at stand-ins in a temp root
  const tmp = tempDir(`ugate-units-${process.pid}-`);
  t.after(() => tmp.remove());
  const exe = (p: string) => {
    const file = join(tmp.dir, p);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, '#!/bin/sh\n');
    chmodSync(file, 0o755);
    return file;
  };
  const map: Record<string, string> = {
    '/srv/app/current/bin/server': exe('srv/app/current/bin/server'),
    '/usr/bin/upstream-gate': exe('usr/bin/upstream-gate'),
    '/usr/local/bin/app-rollback.sh': exe('usr/local/bin/app-rollback.sh'),
  };
  for (const unit of ['app.service', 'app-rollback.service']) {
    let text = readFileSync(examples(`post-deploy/${unit}`), 'utf8');
    for (const [from, to] of Object.entries(map)) text = text.split(from).join(to);
    writeFileSync(join(tmp.dir, unit), text);
  }
  const r = spawnSync('systemd-analyze', ['verify', '--man=no', join(tmp.dir, 'app.service'), join(tmp.dir, 'app-rollback.service')], { encoding: 'utf8' });
  const problems = `${r.stdout}${r.stderr}`
    .split('\n')
    .filter((l) => l.includes('app') && !/User=app|user app|Failed to resolve user|network-online/.test(l));
  assert.deepEqual(problems, []);
  const unit = readFileSync(examples('post-deploy/app.service'), 'utf8');
  assert.match(unit, /^ExecStartPost=\/usr\/bin\/upstream-gate check --spec \S+/m);
  assert.match(unit, /^OnFailure=app-rollback\.service$/m);
});

/** An app release: a tiny HTTP server on the port its `port` file names. */
function release(root: string, name: string, port: number): string {
  const dir = join(root, 'releases', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'server.mjs'),
    `import { createServer } from 'node:http';
createServer((req, res) => { res.writeHead(200); res.end(${JSON.stringify(name)} + '\\n'); }).listen(${port}, '127.0.0.1');
`,
  );
  return dir;
}

test('deploy.sh: a good release goes live; one that listens on the wrong port is rolled back', { skip: !hasNginx && 'nginx not installed' }, async (t: TestContext) => {
  const tmp = tempDir(`ugate-deploy-${process.pid}-`);
  const root = join(tmp.dir, 'app');
  mkdirSync(root);
  const pidFile = join(tmp.dir, 'app.pid');
  const killApp = () => {
    if (!existsSync(pidFile)) return;
    // an empty or torn pid file reads as 0: process.kill(0) would hit this whole process group
    const pid = Number(readFileSync(pidFile, 'utf8'));
    if (!Number.isInteger(pid) || pid <= 0) return;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  t.after(() => {
    killApp();
    tmp.remove();
  });
  const port = await freePort();
  const wrong = await freePort();
  const good = release(root, 'v1', port);
  const bad = release(root, 'v2', wrong);
  // the restart command: stop the running app by its pid, start current/server.mjs
  const restart = join(tmp.dir, 'restart.mjs');
  writeFileSync(
    restart,
    `import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
const pidFile = ${JSON.stringify(pidFile)};
if (existsSync(pidFile)) {
  const pid = Number(readFileSync(pidFile, 'utf8'));
  if (Number.isInteger(pid) && pid > 0) {
    try { process.kill(pid, 'SIGTERM'); } catch {}
    for (let i = 0; i < 100; i++) { try { process.kill(pid, 0); await new Promise((r) => setTimeout(r, 20)); } catch { break; } }
  }
}
const child = spawn(process.execPath, [${JSON.stringify(join(root, 'current', 'server.mjs'))}], { detached: true, stdio: 'ignore' });
writeFileSync(pidFile, String(child.pid));
child.unref();
`,
  );
  const front = await freePort();
  const nginx = await startNginx({ http: `server { listen 127.0.0.1:${front}; server_name app.test; location / { proxy_pass http://127.0.0.1:${port}; } }` });
  t.after(() => nginx.stop());
  const spec = join(tmp.dir, 'upstream-gate.yml');
  writeFileSync(
    spec,
    `version: 1
services:
  app:
    backend: 127.0.0.1:${port}
    health: /
    server_name: app.test
nginx:
  config: ${nginx.conf}
  binary: ${NGINX_BINARY}
gate:
  deadline: 4s
  interval: 50ms
`,
  );
  const env = {
    ...process.env,
    APP_ROOT: root,
    RESTART: `${process.execPath} ${restart}`,
    UPSTREAM_GATE: `${process.execPath} --import ${TSX} ${CLI_SOURCE}`,
    GATE_SPEC: spec,
    GATE_REPORT: join(tmp.dir, 'report.json'),
    NO_COLOR: '1',
  };
  const deploy = (dir: string) =>
    new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn('bash', [examples('post-deploy/deploy.sh'), dir], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.on('close', (code) => resolve({ code, out }));
    });
  const served = async () => (await (await fetch(`http://127.0.0.1:${front}/`)).text()).trim();

  const first = await deploy(good);
  assert.equal(first.code, 0, first.out);
  assert.equal(readlinkSync(join(root, 'current')), good);
  assert.equal(await served(), 'v1');

  const second = await deploy(bad);
  assert.equal(second.code, 1, second.out);
  assert.match(second.out, /rolling back to .*v1/);
  assert.match(second.out, /v1 is live again/);
  assert.equal(readlinkSync(join(root, 'current')), good);
  assert.equal(readlinkSync(join(root, 'previous')), good);
  assert.equal(await served(), 'v1');
  const report = JSON.parse(readFileSync(env.GATE_REPORT, 'utf8')) as { verdict: string; reason: string };
  assert.equal(report.verdict, 'fail');
  assert.match(report.reason, /^backend\./);

  const usage = await deploy(join(tmp.dir, 'no-such-release'));
  assert.equal(usage.code, 2);
});

