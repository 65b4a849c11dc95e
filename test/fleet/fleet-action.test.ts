// The Action's `inventory` input end to end, the bundle run as the runner runs
// it: real hosts (network namespaces, each with its own sshd and backends), an
// Ansible inventory naming them. The step's outputs, its JSON report, its log
// (annotations named by host, host text only inside stop-commands regions)
// and its summary are the fleet's; `limit` narrows it; the key given as a
// secret is masked.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runAction } from '../action/run-action.js';
import { readWorkflowLog } from '../action/workflow-log.js';
import { canSshHost, createSshHost, startBackendsIn } from '../helpers/ssh-host.js';
import { tempDir } from '../helpers/tmp.js';

const PORT = 18081;

describe('the Action with an inventory', { skip: !canSshHost && 'needs root, ip netns, sshd and nc' }, () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  after(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  test('a passing host and a host whose backend is down: the step fails with the fleet\'s outputs, report, annotations and summary; limit narrows it', async () => {
    const up = await createSshHost();
    cleanups.push(() => up.cleanup());
    const down = await createSshHost();
    cleanups.push(() => down.cleanup());
    cleanups.push(await startBackendsIn(up, [{ host: '127.0.0.1', port: PORT }]));
    const ws = tempDir();
    cleanups.push(ws.remove);
    writeFileSync(join(ws.dir, 'upstream-gate.yml'), `version: 1\nservices:\n  app: { backend: "127.0.0.1:${PORT}", health: /healthz }\ngate: { deadline: 10s }\n`);
    writeFileSync(join(ws.dir, 'known_hosts'), readFileSync(up.knownHosts, 'utf8') + readFileSync(down.knownHosts, 'utf8'));
    // web1 takes the key of the ssh-key input (a secret), web2 its own key file
    writeFileSync(
      join(ws.dir, 'hosts.ini'),
      ['[web]', `web1 ansible_host=${up.ns.name}`, `web2 ansible_host=${down.ns.name} ansible_ssh_private_key_file=${down.keyFile}`, '[all:vars]', 'ansible_user=root', ''].join('\n'),
    );
    const key = readFileSync(up.keyFile, 'utf8');
    const inputs = { inventory: 'hosts.ini', 'ssh-key': key, 'known-hosts': 'known_hosts', 'ssh-proxy': 'ip netns exec %h nc 127.0.0.1 %p', phase: 'probe', concurrency: '2' };

    const { r, outputs, summary } = await runAction(ws.dir, inputs);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.equal(outputs.verdict, 'fail', r.stdout);
    assert.equal(outputs.reason, 'backend.down');
    const report = JSON.parse(readFileSync(outputs.report!, 'utf8')) as { verdict: string; hosts: { host: string; verdict: string; reason?: string }[]; summary: { failed: number } };
    assert.deepEqual(
      report.hosts.map((h) => [h.host, h.verdict, h.reason]),
      [
        ['web1', 'pass', undefined],
        ['web2', 'fail', 'backend.down'],
      ],
    );
    assert.equal(report.summary.failed, 1);

    const log = readWorkflowLog(r.stdout);
    assert.equal(log.endedStopped, false);
    const errors = log.commands.filter((c) => c.name === 'error');
    assert.ok(errors.length > 0 && errors.every((c) => c.properties.title?.startsWith('upstream-gate [web2]:')), JSON.stringify(errors));
    assert.ok(
      log.lines.filter((l) => /== web[12] /.test(l.text)).every((l) => l.stopped),
      'the hosts\' reports reach the log inside stop-commands regions',
    );
    const secretLine = key.split('\n')[1] as string;
    assert.ok(r.stdout.includes(`::add-mask::${secretLine}`), 'the key is registered as a secret');
    assert.ok(r.stdout.split('\n').filter((l) => l.includes(secretLine)).every((l) => l.startsWith('::add-mask::')));

    assert.match(summary, /^## :x: upstream-gate: fail \(1 of 2 hosts\)/);
    assert.match(summary, /^\| web1 .* \| :white_check_mark: pass \|/m);
    assert.match(summary, /^\| web2 .* \| :x: fail \| `backend\.down` \|/m);

    const narrowed = await runAction(ws.dir, { ...inputs, limit: 'web:!web2' });
    assert.equal(narrowed.r.code, 0, narrowed.r.stdout + narrowed.r.stderr);
    assert.equal(narrowed.outputs.verdict, 'pass');
    assert.equal(narrowed.outputs.reason, '');
    assert.match(narrowed.summary, /^## :white_check_mark: upstream-gate: pass \(1 host\)/);
  });

  test('a limit that selects no host is the error verdict, one line, no host reached', async () => {
    const ws = tempDir();
    cleanups.push(ws.remove);
    writeFileSync(join(ws.dir, 'upstream-gate.yml'), 'version: 1\nservices:\n  app: { backend: "127.0.0.1:8000" }\n');
    writeFileSync(join(ws.dir, 'hosts.ini'), '[web]\nweb1\n');
    const { r, outputs } = await runAction(ws.dir, { inventory: 'hosts.ini', limit: 'db' });
    assert.equal(r.code, 1);
    assert.equal(outputs.verdict, 'error');
    assert.equal(outputs.reason, 'input.invalid');
    const failed = readWorkflowLog(r.stdout).commands.filter((c) => c.name === 'error');
    assert.deepEqual(failed.map((c) => c.data), ['upstream-gate: input "limit" db: no host of hosts.ini matches']);
  });
});
