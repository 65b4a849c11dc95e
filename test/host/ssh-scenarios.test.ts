// The local fault scenarios, each run both ways on the same test host: the
// gate run on the host itself (inside its network namespace), and the gate
// run here over SSH (--ssh through the namespace's sshd). Both must give the
// same verdict, reason code and errno; the SSH run must use one connection
// and leave nothing on the host.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { CLI_SOURCE, runCli, TSX } from '../helpers/cli.js';
import { canSshHost, createSshHost, startBackendsIn } from '../helpers/ssh-host.js';
import { tempDir } from '../helpers/tmp.js';
import type { Finding } from '../../src/model/finding.js';

const P = 18080;

interface Scenario {
  name: string;
  /** the service's keys (YAML flow map body); DIR is the scenario's temp dir */
  service: string;
  listen?: object[];
  /** iptables rules inside the host's namespace */
  iptables?: string[][];
  hosts?: string;
  gate?: string;
  /** run both gates as a user of their own (made for the test), not root */
  asUser?: boolean;
  reason: string | undefined;
  errno?: number;
}

/** a gate that ends at its deadline: short, with room for a busy machine */
const QUICK = 'gate: { deadline: 8s, connect_timeout: 3s, request_timeout: 2s }';
/** a definitive reason stops the gate at its second confirmation: a long deadline costs nothing */
const LONG = 'gate: { deadline: 60s }';
const SCENARIOS: Scenario[] = [
  { name: 'healthy', service: `backend: "127.0.0.1:${P}", health: /healthz`, listen: [{ host: '127.0.0.1', port: P }], reason: undefined },
  { name: 'down', service: `backend: "127.0.0.1:${P}"`, gate: 'gate: { deadline: 4s }', reason: 'backend.down', errno: 111 },
  { name: 'wrong port', service: `backend: "127.0.0.1:${P}", process: node`, listen: [{ host: '127.0.0.1', port: P + 1 }], gate: LONG, reason: 'backend.wrong_port', errno: 111 },
  {
    name: 'family mismatch',
    service: `backend: "localhost:${P}"`,
    hosts: '::1 localhost\n127.0.0.1 localhost\n',
    listen: [{ host: '127.0.0.1', port: P }],
    gate: LONG,
    reason: 'backend.family_mismatch',
    errno: 111,
  },
  { name: 'socket missing', service: 'backend: "unix:DIR/run/missing.sock"', gate: 'gate: { deadline: 4s }', reason: 'socket.missing', errno: 2 },
  { name: 'socket refused', service: 'backend: "unix:DIR/run/app.sock"', listen: [{ path: 'DIR/run/app.sock', mode: 'stale' }], gate: 'gate: { deadline: 4s }', reason: 'socket.refused', errno: 111 },
  {
    name: 'socket permission',
    service: 'backend: "unix:DIR/run/app.sock"',
    listen: [{ path: 'DIR/run/app.sock', chmod: 0o600 }],
    asUser: true,
    gate: LONG,
    reason: 'socket.permission',
    errno: 13,
  },
  {
    name: 'REJECT',
    service: `backend: "127.0.0.1:${P}"`,
    listen: [{ host: '127.0.0.1', port: P }],
    iptables: [['-I', 'INPUT', '-p', 'tcp', '--dport', String(P), '-j', 'REJECT']],
    gate: LONG,
    reason: 'network.rejected',
    errno: 111,
  },
  {
    name: 'DROP',
    service: `backend: "127.0.0.1:${P}"`,
    listen: [{ host: '127.0.0.1', port: P }],
    iptables: [['-I', 'INPUT', '-p', 'tcp', '--dport', String(P), '-j', 'DROP']],
    gate: QUICK,
    reason: 'network.timeout',
    errno: 110,
  },
  { name: 'health 500', service: `backend: "127.0.0.1:${P}", health: /healthz`, listen: [{ host: '127.0.0.1', port: P, mode: 'status' }], gate: QUICK, reason: 'health.status' },
  { name: 'health hangs', service: `backend: "127.0.0.1:${P}", health: /healthz`, listen: [{ host: '127.0.0.1', port: P, mode: 'silent' }], gate: QUICK, reason: 'health.timeout' },
  { name: 'health reset', service: `backend: "127.0.0.1:${P}", health: /healthz`, listen: [{ host: '127.0.0.1', port: P, mode: 'reset' }], gate: QUICK, reason: 'health.reset', errno: 104 },
];

interface Outcome {
  code: number | null;
  verdict: string;
  reason?: string;
  errno?: number;
  target?: string;
}

function outcome(r: { code: number | null; stdout: string; stderr: string }): Outcome {
  assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
  const report = JSON.parse(r.stdout) as { verdict: string; reason?: string; findings: Finding[] };
  const deciding = report.findings.find((f) => f.severity === 'error');
  return {
    code: r.code,
    verdict: report.verdict,
    ...(report.reason && { reason: report.reason }),
    ...(deciding?.errno !== undefined && { errno: deciding.errno }),
    ...(deciding?.target !== undefined && { target: deciding.target }),
  };
}

let users = 0;

/** A login user of the test's own (a shell, no home, not locked), removed afterwards. */
function testUser(): { name: string; uid: number; gid: number; remove: () => void } {
  const name = `ugate${process.pid}u${++users}`;
  const r = spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/bin/sh', '--password', '*', '--user-group', name], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`useradd: ${r.stderr}`);
  const [uid, gid] = ['-u', '-g'].map((f) => Number(spawnSync('id', [f, name], { encoding: 'utf8' }).stdout.trim())) as [number, number];
  return { name, uid, gid, remove: () => void spawnSync('userdel', [name]) };
}

const skip = !canSshHost && 'needs root, ip netns, sshd and nc';

describe('the fault scenarios give the same code over SSH as on the host itself', { skip, concurrency: 2 }, () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  after(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  for (const s of SCENARIOS) {
    test(`${s.name}: ${s.reason ?? 'pass'}${s.errno ? ` (${s.errno})` : ''}`, async () => {
      const user = s.asUser ? testUser() : undefined;
      if (user) cleanups.push(user.remove);
      const host = await createSshHost({ ...(s.hosts && { hosts: s.hosts }), ...(user && { login: user.name }) });
      cleanups.push(() => host.cleanup());
      const t = tempDir();
      cleanups.push(t.remove);
      mkdirSync(`${t.dir}/run`);
      const sub = (x: string) => x.replaceAll('DIR', t.dir);
      const spec = `${t.dir}/upstream-gate.yml`;
      writeFileSync(spec, `version: 1\nservices:\n  app: { ${sub(s.service)} }\n${s.gate ?? 'gate: { deadline: 20s }'}\n`);
      if (s.listen?.length) cleanups.push(await startBackendsIn(host, JSON.parse(sub(JSON.stringify(s.listen))) as object[]));
      for (const rule of s.iptables ?? []) assert.equal((await host.ns.run(['iptables', ...rule])).code, 0);

      const check = ['check', '--phase', 'probe', '--format', 'json', '--spec', spec];
      const as = user ? ['setpriv', `--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups'] : [];
      const local = outcome(await host.ns.run([...as, process.execPath, '--import', TSX, CLI_SOURCE, ...check]));
      const before = host.connections();
      const remoteRun = await runCli([...check, '--ssh', host.target, '--ssh-key', host.keyFile, '--known-hosts', host.knownHosts, '--ssh-proxy', host.proxy]);
      const remote = outcome(remoteRun);
      // each finding of a probe says the machine it was seen from
      const seenFrom = (JSON.parse(remoteRun.stdout) as { findings: Finding[] }).findings.filter((f) => f.code !== undefined && f.severity === 'error').map((f) => f.vantage?.host);
      assert.ok(seenFrom.every((h) => h !== undefined && h.includes(host.ns.name)), `vantage of the SSH findings: ${JSON.stringify(seenFrom)}`);

      assert.equal(local.reason, s.reason, `on the host: ${JSON.stringify(local)}`);
      assert.deepEqual(remote, local);
      if (s.errno !== undefined) assert.equal(remote.errno, s.errno);
      assert.equal(host.connections() - before, 1, 'one SSH connection for the gate');
      assert.deepEqual(host.leftovers(), [], 'nothing written in the home or TMPDIR of the login user');
    });
  }
});
