// The Host port: everything the gate asks of the machine it checks. The local
// machine is one implementation (local/local-host.ts); nginx's network
// namespace, nginx's worker user and a host over SSH are others. Every
// operation is bounded by a timeout and the gate's AbortSignal, and none
// throws for what the machine answers: a failure has the same shape as a
// success, with Node's code and the errno kept for evidence.
import type { Duplex } from 'node:stream';
import type { FileType } from '../input-file.js';
import type { ConfigSource } from './config-source.js';
import type { Endpoint } from '../model/endpoint.js';
import type { ListenerSnapshot } from './listener.js';
import type { CommandResult, Runner } from './run.js';

export interface HostOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** What the machine answered instead: `ENOENT`, `ECONNREFUSED` (errno 111), `ETIMEDOUT`, `ABORT_ERR`... */
export interface HostFailure {
  ok: false;
  code?: string;
  /** positive, as Linux numbers it */
  errno?: number;
  /** one line, for evidence */
  message: string;
  durationMs: number;
}

/**
 * A name's addresses in the order nginx dials them: getaddrinfo's, every IPv4
 * address first (ngx_inet_resolve_host). A failure without a code: nothing
 * answered in time (`durationMs`: how long it was waited for).
 */
export type Resolution = { ok: true; addresses: string[]; durationMs: number } | HostFailure;

/** A connected stream; the caller owns it and destroys it. */
export type Dialed = { ok: true; stream: Duplex; connectMs: number; local?: { address: string; port: number } } | HostFailure;

export interface FileFacts {
  type: FileType;
  /** permission bits and set-id bits (mode & 0o7777) */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** the inode and its device: a namespace's identity (`/proc/PID/ns/net`) */
  ino?: number;
  dev?: number;
  /** last modification, epoch ms */
  mtimeMs?: number;
}

/** Whom the host's dials and file reads are made as. */
export interface HostUser {
  uid: number;
  gid: number;
  groups: number[];
}

export interface Host extends Runner {
  /** One name to every address, nginx's order. An IP literal is its own address. */
  resolve(name: string, options: HostOptions & { timeoutMs: number }): Promise<Resolution>;
  /** One TCP address (a name: its first address) or unix socket. */
  dial(endpoint: Endpoint, options: HostOptions & { timeoutMs: number }): Promise<Dialed>;
  /** `followLinks: false`: the link itself (lstat). */
  stat(path: string, options: HostOptions & { followLinks: boolean }): Promise<({ ok: true } & FileFacts) | HostFailure>;
  /** `offset` and `length`: one range of the file; otherwise all of it. */
  readFile(path: string, options?: HostOptions & { offset?: number; length?: number }): Promise<{ ok: true; data: Buffer } | HostFailure>;
  /** Entry names, unsorted. */
  readDir(path: string, options?: HostOptions): Promise<{ ok: true; names: string[] } | HostFailure>;
  /**
   * Each process's command name (/proc/PID/comm), in the order asked;
   * undefined for one that cannot be read. Absent: each is read with readFile.
   */
  processNames?(pids: readonly number[], options?: HostOptions): Promise<{ ok: true; names: (string | undefined)[] } | HostFailure>;
  /** Listening TCP and unix sockets with their processes; what degraded the view is said in `notes`. */
  listListeners(options?: HostOptions): Promise<ListenerSnapshot>;
  user(options?: HostOptions): Promise<HostUser>;
  /**
   * The nginx config's files for the parser, which reads synchronously as it
   * finds includes: a host that cannot answer synchronously fetches them here,
   * once, and hands back the files it holds.
   */
  configSource(main: string, options?: HostOptions): Promise<ConfigSource>;
  /**
   * A host on another file system than the gate's (SSH) runs `nginx -T` there
   * instead of nginx -t in a local sandbox: its output is both the config and
   * nginx -t's verdict. Absent: the local sandbox.
   */
  nginxDump?(binary: string, config: string, options?: HostOptions): Promise<CommandResult>;
  /** Another machine's host (SSH): its name as the gate reached it (`root@web1:22`), which a finding names as where it was seen from. */
  readonly remoteName?: string;
}
