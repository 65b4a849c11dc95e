// `check --inventory` end to end: real hosts (network namespaces, each with
// its own sshd on 127.0.0.1:22 and its own backends), an Ansible inventory
// naming them, the CLI gating them over SSH. Each host gets its own verdict
// and reason; a host that cannot be reached or refuses the key fails on its
// own; one SSH connection per host; nothing is left on the hosts. Bad
// inventories and limits are exit 2 before any host is reached.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { canSshHost, createSshHost, startBackendsIn } from '../helpers/ssh-host.js';
import { tempDir } from '../helpers/tmp.js';

const PORT = 18080;

interface FleetJson {
  verdict: string;
  reason?: string;
  hosts: { host: string; target: string; verdict: string; reason?: string; findings: { code?: string; severity: string; message: string; errno?: number }[] }[];
  summary: { hosts: number; passed: number; failed: number; failures: { host: string; reason?: string }[] };
}

describe('check --inventory over SSH', { skip: !canSshHost && 'needs root, ip netns, sshd and nc' }, () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  after(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  test('a passing host, a host whose backend is down, a host that does not exist and a host that refuses the key: each its own verdict, the fleet fails', async () => {
    const up = await createSshHost();
    cleanups.push(() => up.cleanup());
    const down = await createSshHost();
    cleanups.push(() => down.cleanup());
    cleanups.push(await startBackendsIn(up, [{ host: '127.0.0.1', port: PORT }]));
    const t = tempDir();
    cleanups.push(t.remove);
    const spec = join(t.dir, 'upstream-gate.yml');
    writeFileSync(spec, `version: 1\nservices:\n  app: { backend: "127.0.0.1:${PORT}", health: /healthz }\ngate: { deadline: 10s }\n`);
    const knownHosts = join(t.dir, 'known_hosts');
    writeFileSync(knownHosts, readFileSync(up.knownHosts, 'utf8') + readFileSync(down.knownHosts, 'utf8'));
    const inventory = join(t.dir, 'hosts.ini');
    writeFileSync(
      inventory,
      [
        '[web]',
        `web1 ansible_host=${up.ns.name} ansible_ssh_private_key_file=${up.keyFile}`,
        `web2 ansible_host=${down.ns.name} ansible_ssh_private_key_file=${down.keyFile}`,
        '[gone]',
        `web3 ansible_host=${up.ns.name}-gone ansible_ssh_private_key_file=${up.keyFile}`,
        '[wrongkey]',
        `web4 ansible_host=${down.ns.name} ansible_ssh_private_key_file=${up.keyFile}`,
        '[all:vars]',
        'ansible_user=root',
        '',
      ].join('\n'),
    );
    const before = [up.connections(), down.connections()];
    const args = ['check', '--phase', 'probe', '--spec', spec, '--inventory', inventory, '--known-hosts', knownHosts, '--ssh-proxy', 'ip netns exec %h nc 127.0.0.1 %p', '--concurrency', '4'];
    const r = await runCli([...args, "--format", "json"]);
    if (!r.stdout) assert.fail(`exit ${r.code}: ${r.stderr}`);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as FleetJson;
    assert.equal(report.verdict, 'fail');
    assert.deepEqual(
      report.hosts.map((h) => [h.host, h.verdict, h.reason]),
      [
        ['web1', 'pass', undefined],
        ['web2', 'fail', 'backend.down'],
        ['web3', 'fail', 'host.unreachable'],
        ['web4', 'fail', 'ssh.auth'],
      ],
    );
    assert.equal(report.hosts[1]?.findings.find((f) => f.severity === 'error')?.errno, 111);
    assert.equal(report.hosts[0]?.target, `root@${up.ns.name}`);
    assert.deepEqual(report.summary, {
      hosts: 4,
      passed: 1,
      failed: 3,
      failures: report.summary.failures,
    });
    assert.deepEqual(report.summary.failures.map((f) => [f.host, f.reason]), [['web2', 'backend.down'], ['web3', 'host.unreachable'], ['web4', 'ssh.auth']]);
    // one connection for each host gated (web1 on `up`; web2 and web4 on `down`), nothing left behind
    assert.deepEqual([up.connections() - (before[0] ?? 0), down.connections() - (before[1] ?? 0)], [1, 2]);
    assert.deepEqual(up.leftovers(), []);
    assert.deepEqual(down.leftovers(), []);

    // the text report: the fleet at a glance at the bottom, a --limit selecting a group
    const text = await runCli([...args, '--limit', 'web:!web1']);
    assert.equal(text.code, 1, text.stderr);
    assert.doesNotMatch(text.stdout, /== web1/);
    assert.match(text.stdout, /== web2 \(root@\S+\) ==/);
    assert.match(text.stdout, /Fleet:\n {2}FAIL {2}web2 {2}backend\.down: /);
    assert.match(text.stdout, /FAIL {2}fleet: web2 \(backend\.down\) {2}\(1 host, 1 failed, /);

    // JUnit: a suite per host
    const junit = await runCli([...args, '--limit', 'web', '--format', 'junit']);
    assert.equal(junit.code, 1, junit.stderr);
    assert.deepEqual([...junit.stdout.matchAll(/<testsuite name="([^"]+)"/g)].map((m) => m[1]), ['web1', 'web2']);
    assert.match(junit.stdout, /<failure type="backend.down"/);

    // every host passing: exit 0
    const pass = await runCli([...args, '--limit', 'web1', '--format', 'json']);
    assert.equal(pass.code, 0, pass.stderr);
    assert.equal((JSON.parse(pass.stdout) as FleetJson).verdict, 'pass');
  });
});

describe('bad fleet input: exit 2, one line naming where, no host reached', () => {
  const cases: [string, string, string[], RegExp][] = [
    ['an unknown section type', '[web:other]\nweb1\n', [], /hosts\.ini:1: section \[web:other\] has an unknown type/],
    ['a host line with a stray word', '[web]\nweb1 ansible_port=22 oops\n', [], /hosts\.ini:2: expected key=value host variable, got "oops"/],
    ['a child group never declared', '[prod:children]\nweb\n', [], /hosts\.ini:2: section \[prod:children\] names a group that is never declared: web/],
    ['a port that is not one', '[web]\nweb1 ansible_port=http\n', [], /hosts\.ini:2: host "web1": ansible_port must be a port number/],
    ['a limit that matches nothing', '[web]\nweb1\n', ['--limit', 'db'], /--limit db: no host of hosts\.ini matches/],
    ['a bad range', '[web]\nweb[3:1]x[a:\n', [], /hosts\.ini:2: /],
  ];
  for (const [name, text, extra, expected] of cases) {
    test(name, async (t) => {
      const tmp = tempDir();
      t.after(tmp.remove);
      writeFileSync(join(tmp.dir, 'upstream-gate.yml'), 'version: 1\nservices:\n  app: { backend: "127.0.0.1:1" }\n');
      writeFileSync(join(tmp.dir, 'hosts.ini'), text);
      const r = await runCli(['check', '--inventory', 'hosts.ini', ...extra], { cwd: tmp.dir });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, expected);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.equal(r.stdout, '');
    });
  }

  test('a YAML inventory with a key that is not hosts, vars or children names its line', async (t) => {
    const tmp = tempDir();
    t.after(tmp.remove);
    writeFileSync(join(tmp.dir, 'upstream-gate.yml'), 'version: 1\nservices:\n  app: { backend: "127.0.0.1:1" }\n');
    writeFileSync(join(tmp.dir, 'hosts.yml'), 'all:\n  children:\n    web:\n      host:\n        web1:\n');
    const r = await runCli(['check', '--inventory', 'hosts.yml'], { cwd: tmp.dir });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /hosts\.yml:4: group "web": unexpected key "host" \(hosts, vars or children\)/);
  });
});
