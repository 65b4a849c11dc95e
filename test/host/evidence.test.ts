// Which collectors a failure calls for: each runs only when its answer can
// change the classification, and a broken collector never throws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { evidenceCollector } from '../../src/host/evidence.js';
import { localHost } from '../../src/host/local/local-host.js';
import type { Runner } from '../../src/host/run.js';
import type { ProbeResult } from '../../src/model/probe-result.js';
import { fixtureRunner } from '../helpers/fixture-runner.js';

const base = { kind: 'tcp' as const, target: '127.0.0.1:8000', message: 'x', timings: { totalMs: 1 } };
const tcp = { kind: 'tcp' as const, host: '127.0.0.1', port: 8000 };
const SS = { stdout: 'LISTEN 0 511 127.0.0.1:8001 0.0.0.0:* users:(("app",pid=7,fd=3))\n' };

function tools(calls: string[]): string[] {
  return [...new Set(calls.map((c) => c.split(' ')[0] ?? ''))].sort();
}

test('a refused TCP connect reads listeners and the firewall, and the unit when there is one', async () => {
  const runner = fixtureRunner({ ss: SS, iptables: { stdout: '-P INPUT ACCEPT\n' }, nft: { stdout: '' }, systemctl: { stdout: 'ActiveState=failed\n' }, journalctl: { stdout: '' } });
  const probe: ProbeResult = { ...base, ok: false, stage: 'connect', code: 'ECONNREFUSED', errno: 111 };
  const e = await evidenceCollector(localHost(runner)).gather(probe, tcp, '127.0.0.1', 'app.service');
  assert.deepEqual(tools(runner.calls), ['iptables', 'journalctl', 'nft', 'ss', 'systemctl']);
  assert.equal(e.listeners?.listeners[0]?.port, 8001);
  assert.deepEqual(e.firewall?.rules, []);
  assert.equal(e.systemd?.state.ActiveState, 'failed');
  assert.equal(e.selinux, undefined);
});

test('EACCES on a TCP connect also asks SELinux', async () => {
  const runner = fixtureRunner({ ss: SS, getenforce: { stdout: 'Enforcing\n' }, getsebool: { stdout: 'httpd_can_network_connect --> off\n' }, ausearch: { exitCode: 1 } });
  const probe: ProbeResult = { ...base, ok: false, stage: 'connect', code: 'EACCES', errno: 13 };
  const e = await evidenceCollector(localHost(runner)).gather(probe, tcp, '127.0.0.1', undefined);
  assert.ok(tools(runner.calls).includes('getenforce'));
  assert.equal(e.selinux?.mode, 'Enforcing');
  assert.deepEqual(e.firewall?.notes, ['iptables not installed', 'nft not installed']);
});

test('a failed unix connect reads the socket file and unix listeners, not the firewall', async () => {
  const runner = fixtureRunner({ ss: { stdout: '' } });
  const probe: ProbeResult = { ...base, ok: false, kind: 'unix', stage: 'connect', code: 'ENOENT', errno: 2 };
  const e = await evidenceCollector(localHost(runner)).gather(probe, { kind: 'unix', path: '/nonexistent-dir/app.sock' }, undefined, undefined);
  assert.deepEqual(tools(runner.calls), ['ss']);
  assert.equal(e.socketFile?.existingParent, '/');
  assert.equal(e.firewall, undefined);
});

test('an answer-level failure reads only the unit; a pass reads nothing', async () => {
  const runner = fixtureRunner({});
  const view = evidenceCollector(localHost(runner));
  const status: ProbeResult = { ...base, ok: false, kind: 'http', stage: 'response', code: 'HTTP_STATUS', status: 503 };
  assert.deepEqual(await view.gather(status, tcp, '127.0.0.1', undefined), {});
  assert.deepEqual(runner.calls, []);
  const e = await view.gather(status, tcp, '127.0.0.1', 'app.service');
  assert.deepEqual(tools(runner.calls), ['journalctl', 'systemctl']);
  assert.deepEqual(e.systemd?.notes, ['systemctl not installed', 'journalctl not installed']);
  runner.calls.length = 0;
  assert.deepEqual(await view.gather({ ...base, ok: true, stage: 'connect' }, tcp, '127.0.0.1', 'app.service'), {});
  assert.deepEqual(runner.calls, []);
});

test('evidence is shared for a moment: concurrent checks do not run ss twice', async () => {
  const runner = fixtureRunner({ ss: SS });
  const view = evidenceCollector(localHost(runner));
  const probe: ProbeResult = { ...base, ok: false, stage: 'connect', code: 'ECONNREFUSED', errno: 111 };
  await Promise.all([view.gather(probe, tcp, '127.0.0.1', undefined), view.gather(probe, { ...tcp, port: 8002 }, '127.0.0.1', undefined)]);
  assert.equal(runner.calls.filter((c) => c.startsWith('ss ')).length, 2, 'ss -Hltnp and ss -Hlxp, once');
});

test('a collector still running is joined, not started again: checks failing one after another on a busy machine spawn one ss at a time', async () => {
  // ss slower than the cache's lifetime, as on a loaded host: each run takes 400 ms
  let running = 0;
  let most = 0;
  const canned = fixtureRunner({ ss: SS, iptables: { stdout: '-P INPUT ACCEPT\n' }, nft: { stdout: '' } });
  const slow: Runner = {
    async run(file, args, options) {
      running++;
      most = Math.max(most, running);
      await sleep(400);
      running--;
      return canned.run(file, args, options);
    },
  };
  const view = evidenceCollector(localHost(slow));
  const probe: ProbeResult = { ...base, ok: false, stage: 'connect', code: 'ECONNREFUSED', errno: 111 };
  // checks fail one after another, every 50 ms, while the first collection is still under way
  const gathers: Promise<unknown>[] = [];
  for (let i = 0; i < 12; i++) {
    gathers.push(view.gather(probe, tcp, '127.0.0.1', undefined));
    await sleep(50);
  }
  await Promise.all(gathers);
  // one listener view (ss -Hltnp, ss -Hlxp) and one firewall view (iptables, nft) at a time
  assert.ok(most <= 4, `${most} commands ran at once`);
  assert.ok(canned.calls.filter((c) => c.startsWith('ss ')).length <= 4, canned.calls.join('\n'));
});
