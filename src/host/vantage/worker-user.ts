// Whom nginx's workers run as, and so whom a connect to a backend is made as:
// the running workers' credentials; else, when the master is (or will be)
// root, the config's `user NAME [GROUP]` resolved as nginx resolves it
// (getpwnam, getgrnam of GROUP or of NAME, initgroups); else nginx's compiled
// default, nobody:nogroup (Debian's, and the packages' that build with
// configure's defaults).
import type { Host, HostOptions, HostUser } from '../host.js';
import type { NginxLookup } from '../nginx-process.js';

export interface WorkerUser extends HostUser {
  name: string;
  /** where the credentials come from */
  from: 'workers' | 'user directive' | "nginx's default user";
  /** the `user` directive, when it decided */
  site?: { file: string; line: number };
}

export interface ConfigUser {
  name: string;
  group?: string;
  file: string;
  line: number;
}

const DEFAULT_USER = 'nobody';
const DEFAULT_GROUPS = ['nogroup', 'nobody'];

interface Accounts {
  users: Map<string, { uid: number; gid: number }>;
  names: Map<number, string>;
  groups: Map<string, { gid: number; members: string[] }>;
}

async function accounts(host: Host, o: HostOptions): Promise<Accounts> {
  const read = async (file: string) => {
    const r = await host.readFile(file, o);
    return r.ok ? r.data.toString('utf8').split('\n') : [];
  };
  const [passwd, group] = await Promise.all([read('/etc/passwd'), read('/etc/group')]);
  const users = new Map<string, { uid: number; gid: number }>();
  const names = new Map<number, string>();
  for (const line of passwd) {
    const [name, , uid, gid] = line.split(':');
    if (!name || !/^\d+$/.test(uid ?? '') || !/^\d+$/.test(gid ?? '') || users.has(name)) continue;
    users.set(name, { uid: Number(uid), gid: Number(gid) });
    if (!names.has(Number(uid))) names.set(Number(uid), name);
  }
  const groups = new Map<string, { gid: number; members: string[] }>();
  for (const line of group) {
    const [name, , gid, members] = line.split(':');
    if (!name || !/^\d+$/.test(gid ?? '') || groups.has(name)) continue;
    groups.set(name, { gid: Number(gid), members: (members ?? '').split(',').filter(Boolean) });
  }
  return { users, names, groups };
}

/**
 * nginx's workers' user, or why it cannot be known (`note`). `configUser`:
 * the config's `user` directive, when the config phase read one.
 */
export async function workerUser(host: Host, lookup: NginxLookup, configUser: ConfigUser | undefined, o: HostOptions = {}): Promise<{ user?: WorkerUser; note?: string }> {
  const acc = await accounts(host, o);
  if (lookup.running) {
    const w = lookup.process.workers[0];
    if (w) return { user: { uid: w.uid, gid: w.gid, groups: w.groups, name: w.user ?? acc.names.get(w.uid) ?? String(w.uid), from: 'workers' } };
    // a master that is not root cannot switch user: its workers run as it does, with credentials not visible here
    if (lookup.process.masterUid !== 0) return { note: `nginx's master runs as uid ${lookup.process.masterUid} and none of its workers is visible` };
  }
  const name = configUser?.name ?? DEFAULT_USER;
  const pw = acc.users.get(name);
  if (!pw) return { note: `nginx's user ${name} is not in /etc/passwd` };
  const groupNames = configUser ? [configUser.group ?? name] : DEFAULT_GROUPS;
  const group = groupNames.map((g) => acc.groups.get(g)).find((g) => g !== undefined);
  if (!group) return { note: `nginx's group ${groupNames[0]} is not in /etc/group` };
  // initgroups(name, gid): the group itself and every group that lists the user
  const groups = [group.gid, ...[...acc.groups.values()].filter((g) => g.members.includes(name)).map((g) => g.gid)];
  return {
    user: {
      uid: pw.uid,
      gid: group.gid,
      groups: [...new Set(groups)],
      name,
      from: configUser ? 'user directive' : "nginx's default user",
      ...(configUser && { site: { file: configUser.file, line: configUser.line } }),
    },
  };
}
