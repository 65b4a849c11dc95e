// A unix socket path against the connecting user: the file's type, mode and
// owner, search permission on every parent directory, and the sockets that do
// exist next to it (php8.1-fpm.sock absent, php8.2-fpm.sock present).
import { lstat, readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

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

function typeOf(st: import('node:fs').Stats): FileFacts['type'] {
  if (st.isSocket()) return 'socket';
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'directory';
  if (st.isSymbolicLink()) return 'symlink';
  return 'other';
}

/** uid -> name and gid -> name from /etc/passwd and /etc/group (numbers when absent). */
async function names(): Promise<{ users: Map<number, string>; groups: Map<number, string> }> {
  const table = async (file: string) => {
    const m = new Map<number, string>();
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const line of text.split('\n')) {
      const f = line.split(':');
      if (f.length >= 3 && f[0]) m.set(Number(f[2]), f[0]);
    }
    return m;
  };
  const [users, groups] = await Promise.all([table('/etc/passwd'), table('/etc/group')]);
  return { users, groups };
}

export function currentUser(userNames: Map<number, string>): UserFacts {
  const uid = process.getuid?.() ?? -1;
  const gid = process.getgid?.() ?? -1;
  return { uid, gid, groups: process.getgroups?.() ?? [], name: userNames.get(uid) ?? String(uid) };
}

/** The permission bits that apply to `user` on `f`: 'rwx' subset. Root passes everything but x without any x bit. */
export function access(f: Pick<FileFacts, 'mode' | 'uid' | 'gid'>, user: UserFacts): { r: boolean; w: boolean; x: boolean } {
  const mode = parseInt(f.mode, 8);
  if (user.uid === 0) return { r: true, w: true, x: (mode & 0o111) !== 0 };
  const shift = f.uid === user.uid ? 6 : f.gid === user.gid || user.groups.includes(f.gid) ? 3 : 0;
  const bits = (mode >> shift) & 7;
  return { r: (bits & 4) !== 0, w: (bits & 2) !== 0, x: (bits & 1) !== 0 };
}

export async function readSocketFile(path: string): Promise<SocketFileEvidence> {
  const { users, groups } = await names();
  const user = currentUser(users);
  const notes: string[] = [];
  const facts = async (p: string): Promise<FileFacts | undefined> => {
    const st = await lstat(p).catch(() => undefined);
    if (!st) return undefined;
    return {
      path: p,
      type: typeOf(st),
      mode: (st.mode & 0o7777).toString(8).padStart(4, '0'),
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
  const entries = await readdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT') notes.push(`cannot list ${dir}: ${e.code ?? e.message}`);
    return [] as string[];
  });
  for (const name of entries.sort()) {
    if (evidence.siblings.length >= MAX_SIBLINGS) break;
    if (name === basename(path)) continue;
    const st = await lstat(join(dir, name)).catch(() => undefined);
    if (st?.isSocket()) evidence.siblings.push(join(dir, name));
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
