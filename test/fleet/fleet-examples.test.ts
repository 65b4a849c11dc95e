// The fleet examples run for real on two test hosts (network namespaces
// with their own sshd and backends): the Ansible playbook through
// ansible-playbook, the GitHub matrix by running its gate step's command
// line once per matrix entry. On each, the host whose backend is up passes
// and the host whose backend is down fails with backend.down. The hosts are
// namespaces, reachable only through `ip netns exec`, so the runs add
// `--ssh-proxy` (and `--phase probe`: the test hosts run no nginx) to the
// example's own flags.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { CLI_SOURCE, TSX } from '../helpers/cli.js';
import { stopper } from '../helpers/process.js';
import { canSshHost, createSshHost, type SshTestHost } from '../helpers/ssh-host.js';
import { tempDir } from '../helpers/tmp.js';

const examples = (rel: string) => fileURLToPath(new URL(`../../examples/${rel}`, import.meta.url));
const DRIVER = fileURLToPath(new URL('../host/ssh-backend-driver.ts', import.meta.url));
const PORT = 18080;
const PROXY = 'ip netns exec %h nc 127.0.0.1 %p';
const hasAnsible = spawnSync('ansible-playbook', ['--version']).status === 0;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the fleet examples gate two real hosts', { skip: !canSshHost && 'needs root, ip netns, sshd and nc', concurrency: 1 }, () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  let up: SshTestHost;
  let down: SshTestHost;
  let dir: string;
  before(async () => {
    up = await createSshHost();
    cleanups.push(() => up.cleanup());
    down = await createSshHost();
    cleanups.push(() => down.cleanup());
    const child = spawn('ip', ['netns', 'exec', up.ns.name, process.execPath, '--import', TSX, DRIVER], {
      env: { ...process.env, UGATE_BACKENDS: JSON.stringify([{ host: '127.0.0.1', port: PORT }]) },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    cleanups.push(stopper(child));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      child.on('exit', () => reject(new Error('backends did not start')));
    });
    const t = tempDir();
    cleanups.push(t.remove);
    dir = t.dir;
    writeFileSync(join(dir, 'upstream-gate.yml'), `version: 1\nservices:\n  app: { backend: "127.0.0.1:${PORT}", health: /healthz }\ngate: { deadline: 10s }\n`);
    mkdirSync(join(dir, '.github'));
    writeFileSync(join(dir, '.github/known_hosts'), readFileSync(up.knownHosts, 'utf8') + readFileSync(down.knownHosts, 'utf8'));
  });
  after(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  test('the Ansible playbook: one task per host on the controller; the host that fails is the one whose backend is down', { skip: !hasAnsible && 'ansible-playbook not installed (Debian: ansible-core)' }, async () => {
    const inventory = join(dir, 'inventory.ini');
    writeFileSync(
      inventory,
      `[web]\nweb1 ansible_host=${up.ns.name} ansible_ssh_private_key_file=${up.keyFile}\nweb2 ansible_host=${down.ns.name} ansible_ssh_private_key_file=${down.keyFile}\n[all:vars]\nansible_user=root\nansible_port=22\n`,
    );
    const vars = join(dir, 'vars.json');
    writeFileSync(
      vars,
      JSON.stringify({
        upstream_gate_command: [process.execPath, '--import', TSX, CLI_SOURCE],
        upstream_gate_spec: join(dir, 'upstream-gate.yml'),
        upstream_gate_args: ['--known-hosts', join(dir, '.github/known_hosts'), '--ssh-proxy', PROXY, '--phase', 'probe', '--format', 'json'],
      }),
    );
    const before2 = [up.connections(), down.connections()];
    const r = await run('ansible-playbook', ['-i', inventory, '-e', `@${vars}`, '-f', '2', examples('ansible/gate.yml')], {
      // the tree callback writes each host's task result, as JSON, to a file named by the host
      env: { ANSIBLE_CALLBACKS_ENABLED: 'tree', ANSIBLE_CALLBACK_TREE_DIR: join(dir, 'tree'), ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCALHOST_WARNING: 'false', ANSIBLE_RETRY_FILES_ENABLED: 'false' },
    });
    // ansible-playbook exits 2 when a host's task failed
    assert.equal(r.code, 2, r.stderr + r.stdout.slice(-2000));
    const hosts = Object.fromEntries(['web1', 'web2'].map((h) => [h, JSON.parse(readFileSync(join(dir, 'tree', h), 'utf8')) as { rc: number; stdout: string; cmd: string[] }]));
    assert.match(r.stdout, /web1 +: ok=1 .* failed=0/);
    assert.match(r.stdout, /web2 +: ok=0 .* failed=1/);
    const verdicts = Object.fromEntries(Object.entries(hosts).map(([h, v]) => [h, [v.rc, (JSON.parse(v.stdout) as { reason?: string }).reason]]));
    assert.deepEqual(verdicts, { web1: [0, undefined], web2: [1, 'backend.down'] });
    assert.deepEqual(hosts.web1?.cmd.slice(4, 9), ['check', '--spec', join(dir, 'upstream-gate.yml'), '--ssh', `root@${up.ns.name}:22`]);
    assert.deepEqual([up.connections() - (before2[0] ?? 0), down.connections() - (before2[1] ?? 0)], [1, 1]);
  });

  test("the GitHub matrix: each entry's gate step, as written, run with that entry's values", async () => {
    const wf = parse(readFileSync(examples('github-matrix.yml'), 'utf8')) as {
      jobs: { gate: { strategy: { matrix: { host: Record<string, string | number>[] } }; steps: { run?: string; env?: Record<string, string> }[] } };
    };
    const job = wf.jobs.gate;
    const step = job.steps.find((s) => s.run?.includes('upstream-gate check'));
    assert.ok(step?.run);
    assert.ok('UPSTREAM_GATE_SSH_KEY' in (step.env ?? {}), 'the key comes from a secret through the environment');
    // the example's matrix entries have the keys the step reads
    const keys = [...step.run.matchAll(/\$\{\{ matrix\.host\.(\w+) \}\}/g)].map((m) => m[1] as string);
    for (const entry of job.strategy.matrix.host) for (const k of keys) assert.ok(k in entry, `matrix entry ${JSON.stringify(entry)} lacks ${k}`);

    const cli = [process.execPath, '--import', TSX, CLI_SOURCE].map((a) => `'${a}'`).join(' ');
    const results: Record<string, [number | null, string | undefined]> = {};
    for (const [host, entry] of [
      [up, { name: 'web1', address: up.ns.name, port: 22, user: 'root' }],
      [down, { name: 'web2', address: down.ns.name, port: 22, user: 'root' }],
    ] as const) {
      const line = step.run.replace(/\$\{\{ matrix\.host\.(\w+) \}\}/g, (_, k: string) => String(entry[k as keyof typeof entry])).replace('npx --yes upstream-gate', cli);
      const r = await run('bash', ['-e', '-c', `${line} --ssh-proxy '${PROXY}' --phase probe`], { cwd: dir, env: { UPSTREAM_GATE_SSH_KEY: readFileSync(host.keyFile, 'utf8') } });
      const report = JSON.parse(readFileSync(join(dir, `gate-${entry.name}.json`), 'utf8')) as { reason?: string };
      results[entry.name] = [r.code, report.reason];
      assert.doesNotMatch(r.stdout + r.stderr, /PRIVATE KEY/);
    }
    assert.deepEqual(results, { web1: [0, undefined], web2: [1, 'backend.down'] });
  });
});
