// The machine the gate runs on, seen from the gate's own process: its
// network namespace, its user, its file system. Commands go through the
// Runner it is given (execa by default; the Action's records each one).
import type { Host } from '../host.js';
import { execaRunner, type Runner } from '../run.js';
import { fileSource } from './config-files.js';
import { dialLocal } from './dial.js';
import { readDirLocal, readFileLocal, statLocal } from './files.js';
import { listLocalListeners } from './listeners.js';
import { processNamesLocal } from './process-names.js';
import { resolveLocal } from './resolve.js';

/** The hosts localHost() made: only this machine can be entered as nginx's workers or its network namespace. */
const LOCAL_HOSTS = new WeakSet<Host>();

export function isLocalHost(host: Host): boolean {
  return LOCAL_HOSTS.has(host);
}

export function localHost(runner: Runner = execaRunner()): Host {
  const host: Host = {
    run: (file, args, options) => runner.run(file, args, options),
    resolve: resolveLocal,
    dial: dialLocal,
    stat: statLocal,
    readFile: readFileLocal,
    readDir: readDirLocal,
    processNames: processNamesLocal,
    listListeners: (options) => listLocalListeners(runner, options),
    user: async () => ({ uid: process.getuid?.() ?? -1, gid: process.getgid?.() ?? -1, groups: process.getgroups?.() ?? [] }),
    configSource: async () => fileSource(),
  };
  LOCAL_HOSTS.add(host);
  return host;
}
