// Backends inside a test host's network namespace, for the SSH scenarios:
// started by `ip netns exec NS node --import tsx THIS`, listening as
// UGATE_BACKENDS asks, "ready" on stdout once every one listens, until killed.
//   UGATE_BACKENDS = [{"host": "127.0.0.1", "port": 8000, "mode": "ok"}, {"path": "/tmp/x.sock", "mode": "stale"}]
import { createServer as createHttp } from 'node:http';
import { createServer as createTcp, type Server } from 'node:net';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync } from 'node:fs';

interface Listen {
  host?: string;
  port?: number;
  path?: string;
  /** ok: 200; status: 500; silent: accept, never answer; reset: RST to the request; stale: a socket file nothing accepts on (its process died) */
  mode?: 'ok' | 'status' | 'silent' | 'reset' | 'stale';
  /** the socket file's mode */
  chmod?: number;
}

const servers: Server[] = [];
for (const l of JSON.parse(process.env.UGATE_BACKENDS ?? '[]') as Listen[]) {
  if (l.mode === 'stale' && l.path) {
    // a process that listened and died: its socket file stays, nothing accepts on it
    const r = spawnSync(process.execPath, ['-e', 'require("net").createServer().listen(process.argv[1], () => process.exit(0))', l.path]);
    if (r.status !== 0 || !existsSync(l.path)) throw new Error(`no stale socket at ${l.path}`);
    continue;
  }
  const server =
    l.mode === 'silent'
      ? createTcp(() => {})
      : l.mode === 'reset'
        ? // the request is answered with a reset: a plain connect (the listener check) still succeeds
          createTcp((s) => s.once('data', () => s.resetAndDestroy()))
        : createHttp((_req, res) => {
            res.writeHead(l.mode === 'status' ? 500 : 200);
            res.end(l.mode === 'status' ? 'broken\n' : 'ok\n');
          });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if (l.path) server.listen(l.path, resolve);
    else server.listen({ host: l.host, port: l.port }, resolve);
  });
  if (l.path && l.chmod !== undefined) chmodSync(l.path, l.chmod);
  servers.push(server as Server);
}
process.stdout.write('ready\n');
process.on('SIGTERM', () => process.exit(0));
