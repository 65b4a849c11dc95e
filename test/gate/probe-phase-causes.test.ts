// Causes the first classifier did not know, made real in network namespaces:
// an IPv6 connect on a host without IPv6 (errno 99), a backend whose accept
// queue is full because its process is stopped, and a gate that does not run
// as root and so cannot see which process owns another user's listener.
import { after, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { canNetns, netnsScope, type Netns } from '../helpers/netns.js';
import { stopper } from '../helpers/process.js';
import type { ProgressEvent } from '../../src/model/events.js';
import type { Finding, CheckOutcome } from '../../src/model/finding.js';

const DRIVER = fileURLToPath(new URL('./probe-phase-driver.ts', import.meta.url));
const PORT = 18080;
const AS_NOBODY = ['setpriv', '--reuid', 'nobody', '--regid', 'nogroup', '--clear-groups'];

interface DriverOut {
  findings: Finding[];
  checks: CheckOutcome[];
  events: ProgressEvent[];
}

async function drive(ns: Netns, spec: string, opts: { listen?: object[]; asNobody?: boolean } = {}): Promise<DriverOut> {
  const argv = [...(opts.asNobody ? AS_NOBODY : []), process.execPath, '--import', 'tsx', DRIVER];
  const r = await ns.run(argv, { env: { UGATE_DRIVER: JSON.stringify({ spec, listen: opts.listen ?? [] }) } });
  assert.equal(r.code, 0, `driver failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as DriverOut;
}

function only(out: DriverOut): Finding {
  assert.equal(out.findings.length, 1, JSON.stringify(out.findings, null, 1));
  return out.findings[0] as Finding;
}

/** A long-running node process inside the namespace, as root; its first line of output once it is ready. */
async function inNetns(t: TestContext, ns: Netns, script: string): Promise<{ child: ChildProcess; ready: string }> {
  // `ip netns exec` execs the command: the child's pid is node's
  const child = spawn('ip', ['netns', 'exec', ns.name, process.execPath, '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const stop = stopper(child);
  t.after(async () => {
    child.kill('SIGCONT');
    await stop();
  });
  const [line] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
  return { child, ready: line.toString().trim() };
}

const skip = !canNetns && 'needs root and ip netns';

describe('probe phase: causes beyond the seed list', { skip }, () => {
  const { ns, removeAll } = netnsScope();
  after(removeAll);

  test('IPv6 disabled, localhost mapping to ::1 and 127.0.0.1: errno 99 on [::1] is network.no_address_family, definitive, with the 127.0.0.1 fix', async () => {
    const n = ns({ hosts: '::1 localhost\n127.0.0.1 localhost\n' });
    for (const key of ['all', 'default', 'lo']) {
      const r = await n.run(['sysctl', '-q', '-w', `net.ipv6.conf.${key}.disable_ipv6=1`]);
      assert.equal(r.code, 0, r.stderr);
    }
    const out = await drive(n, `version: 1\nservices:\n  api: { backend: "localhost:${PORT}", health: /healthz }\ngate: { deadline: 60s }\n`, { listen: [{ host: '127.0.0.1', port: PORT }] });
    const f = only(out);
    assert.equal(f.code, 'network.no_address_family');
    assert.equal(f.target, `[::1]:${PORT}`);
    assert.equal(f.errno, 99);
    assert.equal(f.errno_name, 'EADDRNOTAVAIL');
    assert.match(f.message, /IPv6 is disabled \(net\.ipv6\.conf\.all\.disable_ipv6 = 1\)/);
    assert.ok(f.evidence?.includes('no IPv6 address on any interface (/proc/net/if_inet6)'), f.evidence?.join('\n'));
    assert.equal(f.fix, `dial 127.0.0.1:${PORT} instead of localhost:${PORT}, or drop the ::1 mapping of localhost (/etc/hosts)`);
    const v4 = out.checks.find((c) => c.name === `tcp 127.0.0.1:${PORT}`);
    const v6 = out.checks.find((c) => c.name === `tcp [::1]:${PORT}`);
    assert.equal(v4?.ok, true);
    assert.equal(v6?.ok, false);
    // definitive: it ends on its second confirmation in a row, not at the deadline
    const v6events = out.events.filter((e) => e.check === `tcp [::1]:${PORT}`);
    const fail = v6events.at(-1);
    const before = v6events.at(-2);
    assert.equal(fail?.state, 'fail');
    assert.equal(fail?.code, 'network.no_address_family');
    assert.deepEqual([before?.state, before?.code, before?.attempt], ['waiting', 'network.no_address_family', (v6?.attempts ?? 0) - 1], JSON.stringify(v6events));
  });

  test('a SIGSTOPped node backend with backlog 1, its queue filled; the gate run as nobody: backend.not_accepting, and the hidden process said', async (t) => {
    const n = ns();
    const { child } = await inNetns(t, n, `const s=require('net').createServer().listen({host:'127.0.0.1',port:${PORT},backlog:1},()=>console.log('listening'))`);
    child.kill('SIGSTOP');
    // the kernel completes backlog + 1 handshakes for the stopped process, then drops SYNs
    await inNetns(
      t,
      n,
      `const net=require('net');let c=0;for(let i=0;i<4;i++){const s=net.connect(${PORT},'127.0.0.1');s.on('error',()=>{});s.on('connect',()=>{if(++c===2)console.log('filled')})}`,
    );
    const f = only(await drive(n, `version: 1\nservices:\n  api: { backend: "127.0.0.1:${PORT}" }\ngate: { deadline: 5s, connect_timeout: 300ms }\n`, { asNobody: true }));
    assert.equal(f.code, 'backend.not_accepting');
    assert.equal(f.errno, 110);
    assert.match(f.message, new RegExp(`^connect to 127\\.0\\.0\\.1:${PORT} timed out: 127\\.0\\.0\\.1:${PORT} listens, but its process does not accept`));
    assert.ok(f.evidence?.some((l) => new RegExp(`^accept queue of 127\\.0\\.0\\.1:${PORT}: Recv-Q \\d+ >= Send-Q 1`).test(l)), f.evidence?.join('\n'));
    assert.ok(f.evidence?.includes(`not visible: the process that owns 127.0.0.1:${PORT} (ss names other users' processes only to root)`), f.evidence?.join('\n'));
    assert.doesNotMatch(f.message, /firewall|dead route/);
  });

  test('the gate as nobody, the named process a root listener on another port: backend.down that says which evidence it cannot see', async (t) => {
    const n = ns();
    await inNetns(t, n, `require('net').createServer().listen({host:'127.0.0.1',port:${PORT + 1}},()=>console.log('listening'))`);
    const spec = `version: 1\nservices:\n  api: { backend: "127.0.0.1:${PORT}", process: node }\ngate: { deadline: 2s }\n`;
    const f = only(await drive(n, spec, { asNobody: true }));
    assert.equal(f.code, 'backend.down');
    assert.match(f.message, /whether node listens on another port cannot be seen: the processes of 1 listener are hidden from a gate not run as root$/);
    assert.ok(f.evidence?.includes(`not visible: the process of listener 127.0.0.1:${PORT + 1}`), f.evidence?.join('\n'));
    // as root, the same situation is decided: the process is seen on its port
    const root = only(await drive(n, spec));
    assert.equal(root.code, 'backend.wrong_port');
    assert.match(root.message, new RegExp(`listens on port ${PORT + 1} instead`));
  });
});
