// A unix socket path against the connecting user: the file's type, mode and
// owner, search permission on every parent directory, and the sockets that do
// exist next to it (php8.1-fpm.sock absent, php8.2-fpm.sock present). All of
// it read through the Host, as the host's user.
import { basename, dirname, join } from 'node:path';
import type { FileFacts as HostFileFacts, Host, HostUser } from './host.js';

export interface FileFacts {
  path: string;
  type: 'socket' | 'file' | 'directory' | 'symlink' | 'other';
  /** `0600` */
  mode: string;
  uid: number;
  gid: number;
  owner: string;
  group: string;
}

export interface UserFacts {
  uid: number;
  gid: number;
  groups: number[];
  name: string;
}

export interface SocketFileEvidence {
  path: string;
  /** absent when the path does not exist */
  file?: FileFacts;
  /** the nearest parent that exists, when the path does not */
  existingParent?: string;
  /** a parent directory the user cannot search (x), with its facts */
  blockedBy?: FileFacts;
  /** socket files in the same directory */
  siblings: string[];
  user: UserFacts;
  notes: string[];
}

const MAX_SIBLINGS = 12;

/** uid -> name and gid -> name from the host's /etc/passwd and /etc/group (numbers when absent). */
async function names(host: Host, signal: AbortSignal | undefined): Promise<{ users: Map<number, string>; groups: Map<number, string> }> {
  const table = async (file: string) => {
    const m = new Map<number, string>();
    const r = await host.readFile(file, { ...(signal && { signal }) });
    const text = r.ok ? r.data.toString('utf8') : '';
    for (const line of text.split('\n')) {
      const f = line.split(':');
      if (f.length >= 3 && f[0]) m.set(Number(f[2]), f[0]);
    }
    return m;
  };
  const [users, groups] = await Promise.all([table('/etc/passwd'), table('/etc/group')]);
  return { users, groups };
}

function named(user: HostUser, userNames: Map<number, string>): UserFacts {
  return { ...user, name: userNames.get(user.uid) ?? String(user.uid) };
}

/** The permission bits that apply to `user` on `f`: 'rwx' subset. Root passes everything but x without any x bit. */
export function access(f: Pick<FileFacts, 'mode' | 'uid' | 'gid'>, user: UserFacts): { r: boolean; w: boolean; x: boolean } {
  const mode = parseInt(f.mode, 8);
  if (user.uid === 0) return { r: true, w: true, x: (mode & 0o111) !== 0 };
  const shift = f.uid === user.uid ? 6 : f.gid === user.gid || user.groups.includes(f.gid) ? 3 : 0;
  const bits = (mode >> shift) & 7;
  return { r: (bits & 4) !== 0, w: (bits & 2) !== 0, x: (bits & 1) !== 0 };
}

export async function readSocketFile(host: Host, path: string, options: { signal?: AbortSignal } = {}): Promise<SocketFileEvidence> {
  const { signal } = options;
  const [{ users, groups }, who] = await Promise.all([names(host, signal), host.user()]);
  const user = named(who, users);
  const notes: string[] = [];
  const lstat = async (p: string): Promise<HostFileFacts | undefined> => {
    const st = await host.stat(p, { followLinks: false, ...(signal && { signal }) });
    return st.ok ? st : undefined;
  };
  const facts = async (p: string): Promise<FileFacts | undefined> => {
    const st = await lstat(p);
    if (!st) return undefined;
    return {
      path: p,
      type: st.type === 'socket' || st.type === 'file' || st.type === 'directory' || st.type === 'symlink' ? st.type : 'other',
      mode: st.mode.toString(8).padStart(4, '0'),
      uid: st.uid,
      gid: st.gid,
      owner: users.get(st.uid) ?? String(st.uid),
      group: groups.get(st.gid) ?? String(st.gid),
    };
  };
  const file = await facts(path);
  const evidence: SocketFileEvidence = { path, siblings: [], user, notes, ...(file && { file }) };

  // connect() needs search permission on every directory on the way
  const parents: string[] = [];
  for (let d = dirname(path); ; d = dirname(d)) {
    parents.unshift(d);
    if (d === '/') break;
  }
  for (const d of parents) {
    const f = await facts(d);
    if (!f) {
      evidence.existingParent = dirname(d);
      break;
    }
    if (f.type === 'directory' && !access(f, user).x) {
      evidence.blockedBy = f;
      break;
    }
  }

  const dir = dirname(path);
  const listing = await host.readDir(dir, { ...(signal && { signal }) });
  if (!listing.ok && listing.code !== 'ENOENT') notes.push(`cannot list ${dir}: ${listing.code ?? listing.message}`);
  for (const name of (listing.ok ? listing.names : []).sort()) {
    if (evidence.siblings.length >= MAX_SIBLINGS) break;
    if (name === basename(path)) continue;
    const st = await lstat(join(dir, name));
    if (st?.type === 'socket') evidence.siblings.push(join(dir, name));
  }
  return evidence;
}

/** `srw------- www-data:www-data` */
export function describeFile(f: FileFacts): string {
  const kind = f.type === 'socket' ? 's' : f.type === 'directory' ? 'd' : f.type === 'symlink' ? 'l' : '-';
  const bits = parseInt(f.mode, 8);
  const rwx = [6, 3, 0].map((s) => ((bits >> s) & 4 ? 'r' : '-') + ((bits >> s) & 2 ? 'w' : '-') + ((bits >> s) & 1 ? 'x' : '-')).join('');
  return `${kind}${rwx} (${f.mode}) ${f.owner}:${f.group}`;
}
