// One SSH connection to the target: through a proxy command's stdio when one
// is given (a jump host, a network namespace), the host key checked against
// known_hosts or a pinned key before anything is sent, the user authenticated
// by a key (file or text) or the agent. What fails is one line for the user;
// no key or passphrase is ever part of it.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import type { Client as SshClient, ConnectConfig, ServerHostKeyAlgorithm } from 'ssh2';
import { stopStarted } from '../run.js';
import { keyType, knownKeys, pinnedMatches, verifyHostKey, type KnownKey, fingerprint } from './known-hosts.js';
import { splitCommand, substitute } from './proxy-command.js';
import { formatTarget, knownHostsName, type SshTarget } from './target.js';

export interface SshOptions {
  /** a private key file */
  keyFile?: string;
  /** the private key's text (from a secret or UPSTREAM_GATE_SSH_KEY) */
  key?: string;
  passphrase?: string;
  /** known_hosts file (default ~/.ssh/known_hosts) */
  knownHosts?: string;
  /** known_hosts lines themselves (from a CI variable), instead of a file */
  knownHostsText?: string;
  /** the host key instead of known_hosts: `SHA256:...` or `TYPE BASE64` */
  hostKey?: string;
  /** OpenSSH ProxyCommand style: `ip netns exec NS nc %h %p`, run without a shell */
  proxy?: string;
  /** run nginx, ss, iptables and nft, and read files, through `sudo -n` */
  sudo?: boolean;
  /** SSH_AUTH_SOCK */
  agent?: string;
  connectTimeoutMs?: number;
}

export type Connected = { ok: true; client: SshClient; close(): Promise<void> } | { ok: false; message: string };

const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

/** known_hosts key type -> the host key algorithms that show it (an RSA key signs with SHA-2 too) */
const HOST_KEY_ALGORITHMS: Record<string, string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

/** The option's text, or the message that says which option is wrong. */
export function proxyArgv(proxy: string, target: SshTarget, user: string): string[] | string {
  const words = splitCommand(proxy);
  if (typeof words === 'string') return `--ssh-proxy: ${words}`;
  const argv = substitute(words, { host: target.host, port: target.port, user });
  return typeof argv === 'string' ? `--ssh-proxy: ${argv}` : argv;
}

export function loginName(target: SshTarget): string {
  if (target.user) return target.user;
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'root';
  }
}

function privateKey(options: SshOptions): { key?: Buffer; error?: string } {
  if (options.key !== undefined) return { key: Buffer.from(options.key.replace(/\r\n/g, '\n')) };
  const file = options.keyFile;
  if (file !== undefined) {
    try {
      return { key: readFileSync(file) };
    } catch (e) {
      return { error: `--ssh-key ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
    }
  }
  return {};
}

function defaultKey(): Buffer | undefined {
  for (const name of DEFAULT_KEYS) {
    try {
      return readFileSync(join(homedir(), '.ssh', name));
    } catch {
      // the next one
    }
  }
  return undefined;
}

export async function connectSsh(target: SshTarget, options: SshOptions & { signal?: AbortSignal }): Promise<Connected> {
  const user = loginName(target);
  const where = formatTarget({ ...target, user });
  const name = knownHostsName(target);
  const knownFile = options.knownHosts ?? join(homedir(), '.ssh', 'known_hosts');
  let known: KnownKey[] = [];
  if (options.knownHostsText !== undefined) {
    known = knownKeys(options.knownHostsText, 'the known hosts given', name);
  } else if (options.hostKey === undefined) {
    let text: string;
    try {
      text = readFileSync(knownFile, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' || options.knownHosts !== undefined) return { ok: false, message: `known hosts ${knownFile}: cannot read it (${code ?? 'error'})` };
      text = '';
    }
    known = knownKeys(text, knownFile, name);
  }
  const { key, error } = privateKey(options);
  if (error) return { ok: false, message: error };
  const agent = options.agent ?? process.env.SSH_AUTH_SOCK;
  const fallbackKey = key === undefined && !agent ? defaultKey() : undefined;
  if (key === undefined && !agent && fallbackKey === undefined) {
    return { ok: false, message: `ssh ${where}: no key: give --ssh-key FILE (or UPSTREAM_GATE_SSH_KEY), or run an ssh-agent (SSH_AUTH_SOCK)` };
  }

  let proxy: ChildProcess | undefined;
  let proxyErr = '';
  let sock: Duplex | undefined;
  if (options.proxy !== undefined) {
    const argv = proxyArgv(options.proxy, target, user);
    if (typeof argv === 'string') return { ok: false, message: argv };
    const [file, ...args] = argv as [string, ...string[]];
    proxy = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const spawned = await new Promise<string | undefined>((resolve) => {
      proxy?.once('spawn', () => resolve(undefined));
      proxy?.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    });
    if (spawned !== undefined) return { ok: false, message: `--ssh-proxy: cannot run ${file} (${spawned})` };
    proxy.stderr?.on('data', (d: Buffer) => {
      if (proxyErr.length < 2000) proxyErr += d.toString('utf8');
    });
    proxy.on('error', () => {});
    sock = Duplex.from({ readable: proxy.stdout, writable: proxy.stdin });
    // a proxy that exits at once (no such namespace, host or route) closes the stream early: ssh2 reports it as the connection closing, with the proxy's stderr
    sock.on('error', () => {});
  }

  const { Client } = await import('ssh2');
  const client = new Client();
  let hostKeyProblem: string | undefined;
  const knownTypes = [...new Set(known.filter((k) => !k.revoked).flatMap((k) => HOST_KEY_ALGORITHMS[k.type] ?? []))];
  const config: ConnectConfig = {
    host: target.host,
    port: target.port,
    username: user,
    readyTimeout: options.connectTimeoutMs ?? 20_000,
    keepaliveInterval: 15_000,
    keepaliveCountMax: 3,
    ...(sock && { sock }),
    ...(key !== undefined && { privateKey: key }),
    ...(fallbackKey !== undefined && { privateKey: fallbackKey }),
    ...(options.passphrase !== undefined && { passphrase: options.passphrase }),
    ...(agent && { agent }),
    // as OpenSSH does: ask for the key types already known for this host first
    ...(knownTypes.length > 0 && { algorithms: { serverHostKey: [...new Set([...knownTypes, ...Object.values(HOST_KEY_ALGORITHMS).flat()])] as ServerHostKeyAlgorithm[] } }),
    hostVerifier: (hostKey: Buffer) => {
      if (options.hostKey !== undefined) {
        if (pinnedMatches(options.hostKey, hostKey)) return true;
        hostKeyProblem = `the host key of ${name} is not the pinned one: it shows ${keyType(hostKey)} ${fingerprint(hostKey)}`;
        return false;
      }
      const v = verifyHostKey(hostKey, known, name, options.knownHostsText !== undefined ? 'the known hosts given' : knownFile);
      if (v.ok) return true;
      hostKeyProblem = v.message;
      return false;
    },
  };

  const stopProxy = () => {
    if (proxy) stopStarted(proxy);
  };
  const ready = await new Promise<string | undefined>((resolve) => {
    const onAbort = () => {
      client.end();
      resolve('stopped before the connection was made');
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    client.once('ready', () => {
      options.signal?.removeEventListener('abort', onAbort);
      resolve(undefined);
    });
    client.once('error', (e: Error & { level?: string }) => {
      options.signal?.removeEventListener('abort', onAbort);
      resolve(connectError(e, hostKeyProblem, proxyErr));
    });
    client.once('close', () => resolve(hostKeyProblem ?? `the connection closed before it was ready${proxyErr ? `: ${oneLine(proxyErr)}` : ''}`));
    try {
      client.connect(config);
    } catch (e) {
      // ssh2 refuses a key it cannot parse (or decrypt) before connecting
      resolve(`the private key cannot be used: ${keyWords((e as Error).message)}`);
    }
  });
  if (ready !== undefined) {
    client.end();
    stopProxy();
    return { ok: false, message: `ssh ${where}: ${ready}` };
  }
  client.on('error', () => {});
  return {
    ok: true,
    client,
    close: async () => {
      await new Promise<void>((resolve) => {
        const done = () => resolve();
        client.once('close', done);
        client.end();
        setTimeout(done, 1000).unref();
      });
      stopProxy();
    },
  };
}

function oneLine(s: string): string {
  return s.trim().split('\n').filter(Boolean).slice(-1)[0]?.slice(0, 300) ?? '';
}

/** ssh2's words for a key problem, never the key */
function keyWords(message: string): string {
  if (/passphrase/i.test(message)) return 'it is encrypted: give its passphrase (UPSTREAM_GATE_SSH_PASSPHRASE)';
  if (/bad passphrase|decrypt/i.test(message)) return 'the passphrase does not decrypt it';
  return 'not a private key ssh2 can read (OpenSSH or PEM format)';
}

function connectError(e: Error & { level?: string; code?: string }, hostKeyProblem: string | undefined, proxyErr: string): string {
  if (hostKeyProblem) return hostKeyProblem;
  if (e.level === 'client-authentication') return `authentication failed: the host accepted none of the keys offered (${e.message.replace(/^All configured authentication methods failed$/, 'publickey')})`;
  if (e.level === 'client-timeout') return 'no SSH handshake within the connect timeout';
  if (e.code) return `${e.code}${proxyErr ? ` (${oneLine(proxyErr)})` : ''}`;
  if (/passphrase|private key|Cannot parse/i.test(e.message)) return `the private key cannot be used: ${keyWords(e.message)}`;
  return `${e.message.replace(/\s+/g, ' ').slice(0, 300)}${proxyErr ? ` (${oneLine(proxyErr)})` : ''}`;
}
