// The gate takes nginx's vantage: it connects as nginx's workers (so a unix
// socket nginx may not connect to fails the gate as it fails nginx), and it
// probes from nginx's network namespace when nginx runs in another one (a
// container), entered through the master's /proc/PID/ns/net. Real nginx, real
// backends, real namespaces; the gate as root in-process, and as a non-root
// user through setpriv.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, chmodSync, copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { runGate } from '../../src/gate/run.js';
import { toText } from '../../src/report/text.js';
import type { Report } from '../../src/model/finding.js';
import { parseSpec } from '../../src/spec/load.js';
import { startHttpBackend, type Backend } from '../helpers/backend.js';
import { CLI_BUNDLE, CLI_SOURCE, runNode, TSX } from '../helpers/cli.js';
import { canNetns, createNetns, type Netns } from '../helpers/netns.js';
import { hasNginx, NGINX_BINARY, startNginx, type NginxInstance } from '../helpers/nginx.js';
import { freePort } from '../helpers/ports.js';
import { stopper } from '../helpers/process.js';
import { tempDir } from '../helpers/tmp.js';

const root = process.getuid?.() === 0;
const canSwitchUser = root && ['/usr/bin/setpriv', '/bin/setpriv'].some((p) => existsSync(p));
const NOBODY = 65534;
const NOGROUP = 65534;
/** a system user other than root and nobody, for the gate run as non-root */
const DAEMON = 1;

/** What nginx itself answers on 127.0.0.1:port (in the gate's namespace). */
function viaNginx(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/healthz' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

function gateSpec(dir: string, backend: string, conf: string): string {
  const file = join(dir, 'upstream-gate.yml');
  writeFileSync(file, `version: 1\nservices:\n  app:\n    backend: "${backend}"\n    health: /healthz\nnginx:\n  config: ${conf}\n  test: off\ngate:\n  deadline: 10s\n`);
  return file;
}

async function gate(file: string): Promise<Report> {
  return runGate(parseSpec(readFileSync(file, 'utf8'), file), {});
}

/** The CLI from source, as another user; its JSON report. */
function gateAs(uid: number, gid: number, file: string): Promise<{ code: number | null; report: Report; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('setpriv', [`--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', process.execPath, '--import', TSX, CLI_SOURCE, 'check', '--spec', file, '--format', 'json'], {
      cwd: '/',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(guard);
      let report: Report;
      try {
        report = JSON.parse(stdout) as Report;
      } catch {
        report = { verdict: 'fail', findings: [{ severity: 'error', message: `no JSON report: ${stdout}${stderr}` }] };
      }
      resolve({ code, report, stderr });
    });
  });
}

describe('as nginx\'s workers', { skip: (!hasNginx && 'nginx is not installed') || (!canSwitchUser && 'needs root and setpriv') }, () => {
  const cleanups: (() => unknown)[] = [];
  after(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  /** A unix socket HTTP backend, nginx (`user nobody nogroup;`) proxying to it on a loopback port, and the spec. */
  async function setup(): Promise<{ sock: string; port: number; file: string; nginx: NginxInstance }> {
    const tmp = tempDir('ugate-vantage-');
    cleanups.push(tmp.remove);
    const sock = join(tmp.dir, 'app.sock');
    const backend: Backend = await startHttpBackend({ path: sock });
    cleanups.push(() => backend.close());
    const port = await freePort();
    const nginx = await startNginx({ user: 'nobody nogroup', http: `server {\n  listen 127.0.0.1:${port};\n  location / { proxy_pass http://unix:${sock}:; }\n}` });
    cleanups.push(() => nginx.stop());
    return { sock, port, file: gateSpec(tmp.dir, `unix:${sock}`, nginx.conf), nginx };
  }

  test('a socket 0660 root:root: nginx (nobody) gets 502, and the gate, as root, fails with socket.permission naming nobody and the socket', async () => {
    const { sock, port, file } = await setup();
    chmodSync(sock, 0o660);
    assert.equal(await viaNginx(port), 502, 'nginx itself cannot connect');
    const r = await gate(file);
    assert.equal(r.verdict, 'fail', JSON.stringify(r.findings));
    assert.equal(r.reason, 'socket.permission');
    const f = r.findings.find((x) => x.code === 'socket.permission');
    assert.match(f?.message ?? '', /srw-rw---- \(0660\) root:root; user nobody \(uid 65534\) lacks write permission/);
    assert.equal(f?.errno, 13);
    assert.deepEqual(f?.vantage?.user, 'nobody');
    assert.ok(f?.evidence?.some((l) => l.startsWith('connecting user nobody uid=65534 gid=65534')), f?.evidence?.join('\n'));
  });

  test("the same socket in nginx's group (root:nogroup 0660): nginx gets 200 and the gate passes", async () => {
    const { sock, port, file } = await setup();
    chmodSync(sock, 0o660);
    chownSync(sock, 0, NOGROUP);
    assert.equal(await viaNginx(port), 200);
    const r = await gate(file);
    assert.equal(r.verdict, 'pass', JSON.stringify(r.findings));
  });

  test('the gate as another user than root cannot connect as nobody: it says so once and judges the socket from its mode', async () => {
    const { sock, port, file } = await setup();
    // the gate's user may connect, nginx's may not
    chownSync(sock, DAEMON, DAEMON);
    chmodSync(sock, 0o660);
    assert.equal(await viaNginx(port), 502);
    const { code, report } = await gateAs(DAEMON, DAEMON, file);
    assert.equal(code, 1, JSON.stringify(report));
    assert.equal(report.reason, 'socket.permission');
    const f = report.findings.find((x) => x.code === 'socket.permission');
    assert.match(f?.message ?? '', /srw-rw---- \(0660\) daemon:daemon; user nobody \(uid 65534\) lacks write permission/);
    assert.ok(f?.evidence?.includes('connecting user nobody uid=65534 gid=65534 groups=65534'), f?.evidence?.join('\n'));
    const said = report.findings.filter((x) => x.severity === 'info' && /cannot connect as nginx's user nobody/.test(x.message));
    assert.equal(said.length, 1, JSON.stringify(report.findings));
  });
});

describe("from nginx's network namespace", { skip: (!hasNginx && 'nginx is not installed') || (!canNetns && 'needs root and ip netns') }, () => {
  const cleanups: (() => unknown)[] = [];
  after(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  /** Starts `argv` inside the namespace (ip netns exec execs it: the child's pid is the command's), stopped by pid at the end. */
  function inNetns(ns: Netns, argv: string[]): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', ns.name, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    cleanups.push(stopper(child));
    return child;
  }

  async function until(what: string, ok: () => boolean | Promise<boolean>): Promise<void> {
    for (let i = 0; i < 500; i++) {
      if (await ok()) return;
      await sleep(20);
    }
    throw new Error(`${what} did not happen`);
  }

  /** nginx and (unless `broken`) its backend in a fresh namespace, on ports free in the gate's own. */
  async function setup(broken: boolean): Promise<{ file: string; port: number; nginxPid: number }> {
    const ns = createNetns();
    cleanups.push(() => ns.remove());
    const tmp = tempDir('ugate-vantage-ns-');
    cleanups.push(tmp.remove);
    const port = await freePort();
    const front = await freePort();
    if (!broken) {
      const backend = inNetns(ns, [
        process.execPath,
        '-e',
        `require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1', () => console.log('ready'))`,
      ]);
      await new Promise<void>((resolve, reject) => {
        backend.stdout?.once('data', () => resolve());
        backend.once('exit', (c) => reject(new Error(`backend exited ${c}`)));
      });
    }
    const conf = await startNginx({ writeOnly: true, http: `server {\n  listen 127.0.0.1:${front};\n  location / { proxy_pass http://127.0.0.1:${port}; }\n}` });
    cleanups.push(() => conf.stop());
    const nginx = inNetns(ns, [NGINX_BINARY, '-p', conf.prefix, '-c', conf.conf, '-e', conf.errorLog]);
    await until('nginx writing its pid file', () => existsSync(join(conf.prefix, 'nginx.pid')) || nginx.exitCode !== null);
    assert.equal(nginx.exitCode, null, 'nginx runs');
    return { file: gateSpec(tmp.dir, `127.0.0.1:${port}`, conf.conf), port, nginxPid: nginx.pid as number };
  }

  test("a healthy backend beside nginx in its namespace: the gate, on the host, probes from nginx's namespace and passes", async () => {
    const { file, port, nginxPid } = await setup(false);
    const r = await gate(file);
    assert.equal(r.verdict, 'pass', JSON.stringify(r.findings));
    assert.deepEqual(
      r.checks?.map((c) => [c.name, c.ok]),
      [
        ['config', true],
        [`tcp 127.0.0.1:${port}`, true],
        ['http GET /healthz', true],
        // through nginx too, at its listen address in its namespace
        ['front GET /healthz', true],
      ],
    );
    const from = r.findings.find((f) => f.vantage?.netns);
    assert.match(from?.message ?? '', new RegExp(`from nginx's network namespace net:\\[\\d+\\] \\(master pid ${nginxPid}\\)`));
  });

  test("nothing listens in nginx's namespace: backend.down, observed from that namespace", async () => {
    const { file, port } = await setup(true);
    const r = await gate(file);
    assert.equal(r.reason, 'backend.down', JSON.stringify(r.findings));
    const f = r.findings.find((x) => x.code === 'backend.down');
    assert.equal(f?.target, `127.0.0.1:${port}`);
    assert.match(f?.vantage?.netns ?? '', /^net:\[\d+\]$/);
    // the text report says where, compactly
    const text = toText(r, { color: false });
    assert.ok(text.includes(`\n    from:     ${hostname()}, netns ${f?.vantage?.netns}\n`), text);
  });

  test("the bundled CLI, copied alone into a directory, probes from nginx's namespace too: its JSON finding carries the vantage", async () => {
    const { file, port } = await setup(true);
    const b = tempDir('ugate-vantage-bundle-');
    cleanups.push(b.remove);
    const cli = join(b.dir, 'cli.js');
    copyFileSync(CLI_BUNDLE, cli);
    const r = await runNode([cli, 'check', '--spec', file, '--format', 'json'], { cwd: b.dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as { reason: string; findings: { code?: string; target?: string; vantage?: { host: string; netns?: string } }[] };
    assert.equal(report.reason, 'backend.down');
    const f = report.findings.find((x) => x.code === 'backend.down');
    assert.equal(f?.target, `127.0.0.1:${port}`);
    assert.equal(f?.vantage?.host, hostname());
    assert.match(f?.vantage?.netns ?? '', /^net:\[\d+\]$/);
  });

  test("the gate as nobody cannot enter nginx's namespace: vantage.other_netns, and no backend is blamed", { skip: !canSwitchUser && 'needs setpriv' }, async () => {
    const { file, nginxPid } = await setup(false);
    const { code, report } = await gateAs(NOBODY, NOGROUP, file);
    assert.equal(code, 1, JSON.stringify(report));
    assert.equal(report.reason, 'vantage.other_netns');
    const f = report.findings.find((x) => x.code === 'vantage.other_netns');
    assert.match(f?.message ?? '', new RegExp(`^nginx runs in another network namespace \\(master pid ${nginxPid}\\)`));
    assert.deepEqual(report.findings.filter((x) => x.severity === 'error').map((x) => x.code), ['vantage.other_netns']);
  });
});
