// `node --import tsx bench/fleet.ts [HOSTS]`: a fleet over SSH. HOSTS (default
// 50) test hosts, each a network namespace with its own sshd on
// 127.0.0.1:22 and a listener on 127.0.0.1:18080 (netcat); one in ten has
// its listener on the wrong port (backend.wrong_port: definitive, fails
// fast), one in ten has none (backend.down: retried to the deadline, the
// slowest host). Measured, each beside the others in the same run:
//   - the fleet: `check --inventory` over SSH, every host at once, wall time
//     and peak RSS, SSH connections per host (sshd's log);
//   - each host alone over SSH (`check --ssh`), one after another: the
//     slowest single host, and the sum;
//   - the local CLI run on each host one after another (inside its namespace).
// Goal: the fleet's wall time at most the slowest single host + 1 s.
// upstream-gate is measured from the bundle dist/cli.js (`npm run build`).
// Never part of the tests: the machine's load is printed beside the figures.
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, type RunResult } from './lib/measure.js';
import { installCleanupHandlers, onCleanup } from './lib/cleanup.js';
import { createSshHost, type SshTestHost } from '../test/helpers/ssh-host.js';
import { tempDir } from '../test/helpers/tmp.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const N = Number(process.argv[2] ?? 50);
const PORT = 18080;
const DEADLINE = '5s';
const PROXY = 'ip netns exec %h nc 127.0.0.1 %p';

type Kind = 'ok' | 'wrong_port' | 'down';
const kindOf = (i: number): Kind => (i % 10 === 3 ? 'wrong_port' : i % 10 === 7 ? 'down' : 'ok');

installCleanupHandlers();
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
const loadStart = load();
const tmp = tempDir('ugate-bench-fleet-');
onCleanup(tmp.remove);
const hosts: SshTestHost[] = [];
process.stderr.write(`starting ${N} hosts (sshd in a namespace each)...\n`);
for (let i = 0; i < N; i++) {
  const h = await createSshHost();
  hosts.push(h);
  const kind = kindOf(i);
  if (kind !== 'down') {
    // -k: accept one connection after another, for as long as the bench runs
    const child = spawn('ip', ['netns', 'exec', h.ns.name, 'nc', '-lk', '127.0.0.1', String(kind === 'ok' ? PORT : PORT + 1)], { stdio: 'ignore', detached: true });
    onCleanup(() => process.kill(-(child.pid as number), 'SIGKILL'));
  }
}
const stopHosts = async () => {
  for (const h of hosts) await h.cleanup();
};
try {
  const spec = join(tmp.dir, 'upstream-gate.yml');
  writeFileSync(spec, `version: 1\nservices:\n  app: { backend: "127.0.0.1:${PORT}", process: nc }\ngate: { deadline: ${DEADLINE} }\n`);
  const knownHosts = join(tmp.dir, 'known_hosts');
  writeFileSync(knownHosts, hosts.map((h) => readFileSync(h.knownHosts, 'utf8')).join(''));
  const inventory = join(tmp.dir, 'hosts.ini');
  writeFileSync(inventory, `[fleet]\n${hosts.map((h, i) => `h${String(i).padStart(2, '0')} ansible_host=${h.ns.name} ansible_user=root ansible_ssh_private_key_file=${h.keyFile}`).join('\n')}\n`);
  const common = ['check', '--phase', 'probe', '--spec', spec, '--known-hosts', knownHosts, '--ssh-proxy', PROXY, '--quiet'];
  await new Promise((r) => setTimeout(r, 500));

  const connectionsBefore = hosts.map((h) => h.connections());
  const fleet = await measure([process.execPath, CLI, ...common, '--inventory', inventory, '--concurrency', String(N), '--format', 'json'], { timeoutMs: 300_000 });
  const perHost = hosts.map((h, i) => h.connections() - (connectionsBefore[i] ?? 0));
  const fleetReport = JSON.parse(fleet.stdout) as { hosts: { host: string; verdict: string; reason?: string }[] };
  const fleet10 = await measure([process.execPath, CLI, ...common, '--inventory', inventory, '--format', 'json'], { timeoutMs: 300_000 });

  const alone: RunResult[] = [];
  for (const h of hosts) alone.push(await measure([process.execPath, CLI, ...common, '--ssh', h.target, '--ssh-key', h.keyFile], { timeoutMs: 60_000 }));
  const local: RunResult[] = [];
  for (const h of hosts) local.push(await measure([process.execPath, CLI, 'check', '--phase', 'probe', '--spec', spec, '--quiet'], { timeoutMs: 60_000, netns: h.ns.name }));

  const slowest = Math.max(...alone.map((r) => r.ms));
  const sum = (rs: RunResult[]) => rs.reduce((t, r) => t + r.ms, 0);
  const maxRss = (rs: RunResult[]) => Math.max(...rs.map((r) => r.maxRssKb ?? 0));
  const mib = (kb: number | undefined) => `${((kb ?? 0) / 1024).toFixed(1)} MiB`;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const verdicts = fleetReport.hosts.reduce<Record<string, number>>((acc, h) => ({ ...acc, [h.reason ?? h.verdict]: (acc[h.reason ?? h.verdict] ?? 0) + 1 }), {});
  const expected = hosts.reduce<Record<string, number>>((acc, _h, i) => {
    const k = kindOf(i);
    const key = k === 'ok' ? 'pass' : `backend.${k}`;
    return { ...acc, [key]: (acc[key] ?? 0) + 1 };
  }, {});
  const lines = [
    `## Fleet over SSH (${N} hosts)`,
    '',
    `- date: ${new Date().toISOString()}; ${cpus().length} cores; load average (1, 5, 15 min) ${loadStart} at the start, ${load()} at the end`,
    `- Node ${process.version}; upstream-gate from \`dist/cli.js\`; spec: one service, listener probe, \`process: nc\`, deadline ${DEADLINE}`,
    `- hosts: network namespaces, each with its own sshd (reached through \`${PROXY}\`); ${expected.pass ?? 0} healthy, ${expected['backend.wrong_port'] ?? 0} listening on the wrong port, ${expected['backend.down'] ?? 0} with nothing listening (retried to the deadline)`,
    '',
    '| run | wall time | peak RSS | verdicts |',
    '| --- | --- | --- | --- |',
    `| fleet: \`check --inventory\`, --concurrency ${N} | ${s(fleet.ms)} | ${mib(fleet.maxRssKb)} | ${Object.entries(verdicts).map(([k, v]) => `${v} ${k}`).join(', ')} (exit ${fleet.code}) |`,
    `| fleet: \`check --inventory\`, default --concurrency 10 | ${s(fleet10.ms)} | ${mib(fleet10.maxRssKb)} | exit ${fleet10.code} |`,
    `| slowest single host alone over SSH (\`check --ssh\`) | ${s(slowest)} | ${mib(maxRss(alone))} (largest) | |`,
    `| every host over SSH, one after another (sum) | ${s(sum(alone))} | ${mib(maxRss(alone))} (largest) | |`,
    `| the local CLI on each host, one after another (sum) | ${s(sum(local))} | ${mib(maxRss(local))} (largest) | |`,
    '',
    `- goal, fleet wall time at most the slowest single host + 1 s: ${fleet.ms <= slowest + 1000 ? 'met' : 'MISSED'} (${s(fleet.ms)} vs ${s(slowest)} + 1 s)`,
    `- SSH connections per host during the fleet run: ${[...new Set(perHost)].sort().join(', ')} (goal 1: ${perHost.every((c) => c === 1) ? 'met' : 'MISSED'})`,
    `- verdicts as built: ${Object.entries(expected).map(([k, v]) => `${v} ${k}`).join(', ')}`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await stopHosts();
}
