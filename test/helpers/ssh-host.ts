// A test host reached over SSH: a network namespace with its own loopback and
// an sshd listening inside it on 127.0.0.1:22 with its own config, host key
// and authorized key (all in a temp dir, made per call), reached through
// `ip netns exec NS nc 127.0.0.1 22` as a ProxyCommand. The login user's home
// is an empty tmpfs in sshd's mount namespace and its TMPDIR a dir of the
// temp dir, so a test can check nothing was written there; sshd logs each
// connection (LogLevel VERBOSE), so a test can count them.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TSX } from './cli.js';
import { createNetns, type Netns } from './netns.js';
import { stopper } from './process.js';
import { tempDir } from './tmp.js';

export const SSHD = '/usr/sbin/sshd';
export const canSshHost = process.getuid?.() === 0 && existsSync(SSHD) && spawnSync('ip', ['netns', 'list']).status === 0 && spawnSync('nc', ['-h']).error === undefined;

export interface SshTestHost {
  ns: Netns;
  /** USER@HOST for --ssh: the namespace's name is the host's */
  target: string;
  keyFile: string;
  knownHosts: string;
  /** for --ssh-proxy */
  proxy: string;
  /** the host key's public line (TYPE BASE64), for a pinned key */
  hostKey: string;
  dir: string;
  /** accepted SSH connections so far, from sshd's log */
  connections(): number;
  /** entries in the login user's home and TMPDIR, as sshd's sessions see them */
  leftovers(): string[];
  cleanup(): Promise<void>;
}

function keygen(file: string, comment: string): void {
  const r = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ssh-keygen: ${r.stderr}`);
}

/** `login`: the user to log in as (default root); its home is not made a tmpfs unless it is root's. */
export async function createSshHost(opts: { hosts?: string; login?: string } = {}): Promise<SshTestHost> {
  const ns = createNetns({ hosts: opts.hosts ?? '127.0.0.1 localhost\n::1 localhost ip6-localhost\n' });
  const tmp = tempDir('ugate-sshd-');
  const dir = tmp.dir;
  let stop: (() => Promise<void>) | undefined;
  try {
    keygen(join(dir, 'host_ed25519'), 'host');
    keygen(join(dir, 'client_ed25519'), 'client');
    writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client_ed25519.pub')));
    const remoteTmp = join(dir, 'remote-tmp');
    mkdirSync(remoteTmp);
    // sshd's privilege separation directory, as the openssh-server package makes it
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    const conf = join(dir, 'sshd_config');
    const log = join(dir, 'sshd.log');
    writeFileSync(
      conf,
      [
        'ListenAddress 127.0.0.1:22',
        `HostKey ${join(dir, 'host_ed25519')}`,
        `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
        `PidFile ${join(dir, 'sshd.pid')}`,
        'StrictModes no',
        'UsePAM no',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PermitRootLogin prohibit-password',
        'AllowTcpForwarding yes',
        'AllowStreamLocalForwarding yes',
        'LogLevel VERBOSE',
        `SetEnv TMPDIR=${remoteTmp}`,
        'MaxStartups 100',
        '',
      ].join('\n'),
    );
    // a fresh, empty home in sshd's own mount namespace (ip netns exec gives it one)
    const start = join(dir, 'start-sshd');
    writeFileSync(start, `#!/bin/sh\nmount -t tmpfs -o size=1m,mode=0700 ugate-home /root || exit 1\nexec ${SSHD} -D -f ${conf} -E ${log}\n`, { mode: 0o755 });
    const child = spawn('ip', ['netns', 'exec', ns.name, start], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    stop = stopper(child);
    // up when it accepts on 127.0.0.1:22 inside the namespace
    for (let i = 0; ; i++) {
      const r = await ns.run(['nc', '-z', '127.0.0.1', '22'], { timeoutMs: 5000 });
      if (r.code === 0) break;
      if (child.exitCode !== null || i > 200) throw new Error(`sshd did not start: ${stderr}${existsSync(log) ? readFileSync(log, 'utf8') : ''}`);
      await new Promise((r2) => setTimeout(r2, 50));
    }
    const hostKey = readFileSync(join(dir, 'host_ed25519.pub'), 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
    const knownHosts = join(dir, 'known_hosts');
    writeFileSync(knownHosts, `${ns.name} ${hostKey}\n`);
    const sshdPid = () => Number(readFileSync(join(dir, 'sshd.pid'), 'utf8').trim());
    const stopSshd = stop;
    return {
      ns,
      target: `${opts.login ?? 'root'}@${ns.name}`,
      keyFile: join(dir, 'client_ed25519'),
      knownHosts,
      proxy: `ip netns exec ${ns.name} nc 127.0.0.1 22`,
      hostKey,
      dir,
      connections: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter((l) => /Connection from .* port \d+ on 127\.0\.0\.1 port 22/.test(l)).length : 0),
      leftovers: () => [
        ...readdirSync(`/proc/${sshdPid()}/root/root`).map((n) => `~/${n}`),
        ...readdirSync(remoteTmp).map((n) => `$TMPDIR/${n}`),
      ],
      async cleanup() {
        await stopSshd();
        ns.remove();
        tmp.remove();
      },
    };
  } catch (e) {
    await stop?.();
    ns.remove();
    tmp.remove();
    throw e;
  }
}

const BACKEND_DRIVER = fileURLToPath(new URL('../host/ssh-backend-driver.ts', import.meta.url));

/** Backends inside the host's namespace (test/host/ssh-backend-driver.ts); stopped by the returned function. */
export async function startBackendsIn(host: SshTestHost, listen: object[]): Promise<() => Promise<void>> {
  const child = spawn('ip', ['netns', 'exec', host.ns.name, process.execPath, '--import', TSX, BACKEND_DRIVER], {
    env: { ...process.env, UGATE_BACKENDS: JSON.stringify(listen) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = stopper(child);
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const ready = await new Promise<boolean>((resolve) => {
    child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve(true));
    child.on('exit', () => resolve(false));
  });
  if (!ready) throw new Error(`backends did not start: ${err}`);
  return stop;
}
