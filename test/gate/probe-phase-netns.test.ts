// The probe phase inside network namespaces made for each test: the
// situations that need their own loopback, firewall, routes or hosts file.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { canNetns, netnsScope, type Netns } from '../helpers/netns.js';
import type { ProgressEvent } from '../../src/model/events.js';
import type { Finding, CheckOutcome } from '../../src/model/finding.js';

const DRIVER = fileURLToPath(new URL('./probe-phase-driver.ts', import.meta.url));
const PORT = 18080;

interface DriverOut {
  findings: Finding[];
  checks: CheckOutcome[];
  /** one per change of a check's state, with its attempt number */
  events: ProgressEvent[];
  elapsedMs: number;
}

async function drive(ns: Netns, spec: string, listen: object[] = []): Promise<DriverOut> {
  const r = await ns.run([process.execPath, '--import', 'tsx', DRIVER], { env: { UGATE_DRIVER: JSON.stringify({ spec, listen }) } });
  assert.equal(r.code, 0, `driver failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as DriverOut;
}

function only(out: DriverOut): Finding {
  assert.equal(out.findings.length, 1, JSON.stringify(out.findings, null, 1));
  return out.findings[0] as Finding;
}

const skip = !canNetns && 'needs root and ip netns';

describe('probe phase in a network namespace', { skip }, () => {
  const { ns, removeAll } = netnsScope();
  after(removeAll);

  test('localhost resolving to ::1 and 127.0.0.1, listener on 127.0.0.1 only: family mismatch on [::1], stopped after two confirmations', async () => {
    const n = ns({ hosts: '::1 localhost\n127.0.0.1 localhost\n' });
    const out = await drive(n, `version: 1\nservices:\n  api: { backend: "localhost:${PORT}" }\ngate: { deadline: 60s }\n`, [{ host: '127.0.0.1', port: PORT }]);
    const f = only(out);
    assert.equal(f.code, 'backend.family_mismatch');
    assert.equal(f.target, `[::1]:${PORT}`);
    assert.equal(f.errno, 111);
    assert.equal(f.errno_name, 'ECONNREFUSED');
    assert.match(f.message, new RegExp(`listens only on 127\\.0\\.0\\.1:${PORT}`));
    assert.ok(f.evidence?.some((l) => l.startsWith(`listener 127.0.0.1:${PORT} (node, pid`)), f.evidence?.join('\n'));
    assert.match(f.fix ?? '', new RegExp(`dial 127\\.0\\.0\\.1:${PORT} instead of localhost:${PORT}`));
    const v4 = out.checks.find((c) => c.name === `tcp 127.0.0.1:${PORT}`);
    const v6 = out.checks.find((c) => c.name === `tcp [::1]:${PORT}`);
    assert.equal(v4?.ok, true);
    assert.equal(v6?.ok, false);
    // stopped at the second confirmation in a row, not at the deadline (an attempt before them may have
    // lacked the listener view on a busy machine and said backend.down: it is not a confirmation)
    const v6events = out.events.filter((e) => e.check === `tcp [::1]:${PORT}`);
    const fail = v6events.at(-1);
    const before = v6events.at(-2);
    assert.equal(fail?.state, 'fail');
    assert.equal(fail?.code, 'backend.family_mismatch');
    assert.equal(fail?.attempt, v6?.attempts);
    assert.deepEqual([before?.state, before?.code, before?.attempt], ['waiting', 'backend.family_mismatch', (v6?.attempts ?? 0) - 1], JSON.stringify(v6events));
  });

  test('localhost on both families with a dual-stack listener: every address probed, IPv4 first as nginx orders them, health on each', async () => {
    const n = ns({ hosts: '::1 localhost\n127.0.0.1 localhost\n' });
    const out = await drive(n, `version: 1\nservices:\n  api: { backend: "localhost:${PORT}", health: /healthz }\ngate: { deadline: 10s }\n`, [{ host: '::', port: PORT, ipv6Only: false }]);
    assert.deepEqual(out.findings, []);
    assert.deepEqual(
      out.checks.map((c) => [c.name, c.ok]),
      [
        [`tcp 127.0.0.1:${PORT}`, true],
        [`tcp [::1]:${PORT}`, true],
        [`http GET /healthz 127.0.0.1:${PORT}`, true],
        [`http GET /healthz [::1]:${PORT}`, true],
      ],
    );
  });

  test('a listener on 127.0.0.2 only: wrong address', async () => {
    const n = ns();
    const f = only(await drive(n, `version: 1\nservices:\n  api: { backend: "127.0.0.1:${PORT}" }\ngate: { deadline: 30s }\n`, [{ host: '127.0.0.2', port: PORT }]));
    assert.equal(f.code, 'backend.wrong_address');
    assert.equal(f.errno, 111);
    assert.match(f.message, /listens only on 127\.0\.0\.2/);
  });

  test('the named process listens on another port: wrong port, naming it', async () => {
    const n = ns();
    const f = only(await drive(n, `version: 1\nservices:\n  api: { backend: "127.0.0.1:${PORT}", process: node }\ngate: { deadline: 30s }\n`, [{ host: '127.0.0.1', port: PORT + 1 }]));
    assert.equal(f.code, 'backend.wrong_port');
    assert.match(f.message, new RegExp(`listens on port ${PORT + 1} instead`));
    assert.ok(f.evidence?.some((l) => l.includes(`127.0.0.1:${PORT + 1}`)));
  });

  test('nothing listens: backend down, retried until the deadline, never a bare timeout', async () => {
    const n = ns();
    const out = await drive(n, `version: 1\nservices:\n  api: { backend: "127.0.0.1:${PORT}", health: /healthz }\ngate: { deadline: 4s, interval: 100ms }\n`);
    const f = only(out);
    assert.equal(f.code, 'backend.down');
    assert.equal(f.errno, 111);
    assert.ok(f.evidence?.includes(`no listener on port ${PORT}`));
    const c = out.checks.find((x) => x.name === `tcp 127.0.0.1:${PORT}`);
    // transient: retried while time is left; on a busy machine the first attempt, evidence included, may
    // use nearly all of it (a second after it is far more than the 100 ms the retry waits)
    const first = out.events.find((e) => e.check === c?.name && e.attempt === 1);
    assert.equal(first?.code, 'backend.down');
    assert.ok((c?.attempts ?? 0) >= 2 || (first?.elapsedMs ?? 0) >= 4000 - 1000, `1 attempt, which ended at ${first?.elapsedMs}ms of 4000`);
    // a transient reason is retried until the deadline (a lower bound: the loop cannot end sooner)
    assert.ok((c?.durationMs ?? 0) >= 3900, `ran ${c?.durationMs}ms`);
  });

  test('a REJECT rule in front of a listener: network.rejected with the rule', async () => {
    const n = ns();
    const fw = await n.run(['iptables', '-A', 'INPUT', '-p', 'tcp', '--dport', String(PORT), '-j', 'REJECT', '--reject-with', 'tcp-reset']);
    assert.equal(fw.code, 0, fw.stderr);
    const f = only(await drive(n, `version: 1\nservices:\n  api: { backend: "127.0.0.1:${PORT}" }\ngate: { deadline: 30s }\n`, [{ host: '127.0.0.1', port: PORT }]));
    assert.equal(f.code, 'network.rejected');
    assert.equal(f.errno, 111);
    assert.ok(f.evidence?.some((l) => l.includes(`--dport ${PORT}`) && l.includes('REJECT')), f.evidence?.join('\n'));
    assert.match(f.fix ?? '', /REJECT/);
  });

  test('an icmp-admin-prohibited REJECT in front of a listener: EHOSTUNREACH, still network.rejected', async () => {
    const n = ns();
    const fw = await n.run(['iptables', '-A', 'INPUT', '-p', 'tcp', '--dport', String(PORT), '-j', 'REJECT', '--reject-with', 'icmp-admin-prohibited']);
    assert.equal(fw.code, 0, fw.stderr);
    const f = only(await drive(n, `version: 1\nservices:\n  api: { backend: "127.0.0.1:${PORT}" }\ngate: { deadline: 30s }\n`, [{ host: '0.0.0.0', port: PORT }]));
    assert.equal(f.code, 'network.rejected');
    assert.equal(f.errno, 113);
    assert.equal(f.errno_name, 'EHOSTUNREACH');
    assert.ok(f.evidence?.some((l) => l.includes('icmp-admin-prohibited')), f.evidence?.join('\n'));
  });

  test('a DROP rule: network.timeout (110) with the rule', async () => {
    const n = ns();
    const fw = await n.run(['iptables', '-A', 'INPUT', '-p', 'tcp', '--dport', String(PORT), '-j', 'DROP']);
    assert.equal(fw.code, 0, fw.stderr);
    const f = only(await drive(n, `version: 1\nservices:\n  api: { backend: "127.0.0.1:${PORT}" }\ngate: { deadline: 3s, connect_timeout: 300ms }\n`, [{ host: '127.0.0.1', port: PORT }]));
    assert.equal(f.code, 'network.timeout');
    assert.equal(f.errno, 110);
    assert.equal(f.errno_name, 'ETIMEDOUT');
    assert.ok(f.evidence?.some((l) => l.includes('DROP')), f.evidence?.join('\n'));
  });

  test('no route to the network: network.unreachable', async () => {
    const n = ns();
    const f = only(await drive(n, `version: 1\nservices:\n  api: { backend: "10.77.0.1:${PORT}" }\ngate: { deadline: 500ms }\n`));
    assert.equal(f.code, 'network.unreachable');
    assert.equal(f.errno, 101);
    assert.equal(f.errno_name, 'ENETUNREACH');
  });

  test('a name that does not resolve: dns.unresolved', async () => {
    const n = ns({ hosts: '127.0.0.1 localhost\n', resolvConf: 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' });
    const f = only(await drive(n, `version: 1\nservices:\n  api: { backend: "backend.invalid:${PORT}" }\ngate: { deadline: 800ms }\n`));
    assert.equal(f.code, 'dns.unresolved');
    assert.match(f.message, /backend\.invalid does not resolve/);
  });
});
