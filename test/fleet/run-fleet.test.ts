// The fleet runner on hosts that exist: this machine (a real backend on
// loopback), a host held in memory whose backend refuses, and hosts whose
// connection fails on a real refused connect. Each host gets its own
// verdict; the fleet fails when any host does; no more hosts are gated at
// once than asked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { localHost } from '../../src/host/local/local-host.js';
import type { Host } from '../../src/host/host.js';
import type { FleetTarget } from '../../src/fleet/inventory.js';
import { runFleet, type Connect, type ConnectResult } from '../../src/fleet/run-fleet.js';
import { parseSpec } from '../../src/spec/load.js';
import { toFleetJson } from '../../src/report/fleet-json.js';
import { startHttpBackend } from '../helpers/backend.js';
import { memoryHost } from '../helpers/memory-host.js';
import { freePort } from '../helpers/ports.js';

function spec(port: number) {
  return parseSpec(
    `version: 1\nservices:\n  api: { backend: "127.0.0.1:${port}", health: /healthz }\ngate: { deadline: 3s, interval: 20ms }\n`,
    join(process.cwd(), 'upstream-gate.yml'),
  );
}

/** A real connect: the target's port must accept a TCP connection; the host behind it is `hosts[name]`. */
function tcpConnect(hosts: Record<string, Host>, closed: string[]): Connect {
  return (target, signal) =>
    new Promise<ConnectResult>((resolve) => {
      const socket = createConnection({ host: target.address, port: target.port ?? 22, signal });
      socket.once('connect', () => {
        socket.destroy();
        resolve({ ok: true, host: hosts[target.name] as Host, close: async () => void closed.push(target.name) });
      });
      socket.once('error', (e: NodeJS.ErrnoException) => resolve({ ok: false, message: `connect ${e.code ?? 'error'} ${target.address}:${target.port}` }));
    });
}

test('each host its own verdict; an unreachable host fails with host.unreachable; the fleet fails when any host fails', async (t) => {
  const backend = await startHttpBackend({ host: '127.0.0.1' });
  t.after(() => backend.close());
  const reachable = await startHttpBackend({ host: '127.0.0.1' });
  t.after(() => reachable.close());
  const closedPort = await freePort();
  const targets: FleetTarget[] = [
    { name: 'web1', address: '127.0.0.1', port: reachable.port },
    { name: 'web2', address: '127.0.0.1', port: reachable.port },
    { name: 'web3', address: '127.0.0.1', port: closedPort, user: 'deploy' },
  ];
  const closed: string[] = [];
  const hosts = { web1: localHost(), web2: memoryHost({}) };
  const fleet = await runFleet(spec(backend.port), targets, { connect: tcpConnect(hosts, closed), phase: 'probe' });

  assert.equal(fleet.verdict, 'fail');
  assert.deepEqual(
    fleet.hosts.map((h) => [h.host, h.report.verdict, h.report.reason]),
    [
      ['web1', 'pass', undefined],
      ['web2', 'fail', 'backend.down'],
      ['web3', 'fail', 'host.unreachable'],
    ],
  );
  const unreachable = fleet.hosts[2]?.report.findings[0];
  assert.equal(unreachable?.target, `deploy@127.0.0.1:${closedPort}`);
  assert.match(unreachable?.message ?? '', /ECONNREFUSED/);
  // every connection that opened was closed, and only those
  assert.deepEqual(closed.sort(), ['web1', 'web2']);

  const json = JSON.parse(toFleetJson(fleet)) as { verdict: string; reason: string; hosts: { host: string; verdict: string; reason?: string; findings: unknown[] }[]; summary: { failed: number; failures: { host: string; reason: string }[] } };
  assert.equal(json.verdict, 'fail');
  assert.equal(json.reason, 'backend.down');
  assert.deepEqual(json.hosts.map((h) => [h.host, h.verdict, h.reason]), [['web1', 'pass', undefined], ['web2', 'fail', 'backend.down'], ['web3', 'fail', 'host.unreachable']]);
  assert.deepEqual(json.summary.failures.map((f) => [f.host, f.reason]), [['web2', 'backend.down'], ['web3', 'host.unreachable']]);
});

test('every host passing passes the fleet; no more hosts are gated at once than --concurrency; the report keeps the inventory order', async (t) => {
  const backend = await startHttpBackend({ host: '127.0.0.1' });
  t.after(() => backend.close());
  let inFlight = 0;
  let most = 0;
  const release: (() => void)[] = [];
  const connect: Connect = async () => {
    inFlight++;
    most = Math.max(most, inFlight);
    // each connection waits until the test lets it go, so the bound is what holds the others back
    await new Promise<void>((r) => release.push(r));
    return { ok: true, host: localHost(), close: async () => void inFlight-- };
  };
  const targets = Array.from({ length: 7 }, (_, i) => ({ name: `h${i}`, address: '127.0.0.1' }));
  const done = runFleet(spec(backend.port), targets, { connect, concurrency: 3, phase: 'probe' });
  const settled: string[] = [];
  while (settled.length < targets.length) {
    await new Promise((r) => setImmediate(r));
    const next = release.shift();
    if (next) {
      next();
      settled.push('x');
    }
  }
  const fleet = await done;
  assert.equal(most, 3);
  assert.equal(fleet.verdict, 'pass');
  assert.deepEqual(fleet.hosts.map((h) => h.host), targets.map((t) => t.name));
});

test('an interrupted fleet gates no further host: the hosts not begun are listed as not gated, and the fleet fails', async () => {
  const stop = new AbortController();
  let connects = 0;
  const connect: Connect = async () => {
    connects++;
    stop.abort();
    return { ok: false, code: 'ssh.auth', message: 'all authentication methods failed' };
  };
  const targets = Array.from({ length: 4 }, (_, i) => ({ name: `h${i}`, address: '127.0.0.1' }));
  const fleet = await runFleet(spec(1), targets, { connect, concurrency: 1, signal: stop.signal });
  assert.equal(connects, 1);
  assert.equal(fleet.verdict, 'fail');
  assert.equal(fleet.hosts[0]?.report.reason, 'ssh.auth');
  assert.deepEqual(fleet.hosts.slice(1).map((h) => h.report.findings[0]?.message), Array(3).fill('interrupted before this host was gated'));
});
