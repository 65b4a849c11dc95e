// Backends inside a test host's network namespace, for the SSH scenarios:
// started by `ip netns exec NS node --import tsx THIS`, listening as
// UGATE_BACKENDS asks, "ready" on stdout once every one listens, until killed.
//   UGATE_BACKENDS = [{"host": "127.0.0.1", "port": 8000, "mode": "ok"}, {"path": "/tmp/x.sock", "mode": "stale"}]
import { createServer as createHttp } from 'node:http';
import { createServer as createTcp, type Server } from 'node:net';
import { chmodSync } from 'node:fs';

interface Listen {
  host?: string;
  port?: number;
  path?: string;
  /** ok: 200; status: 500; silent: accept, never answer; reset: accept, then RST; stale: a socket file nothing accepts on */
  mode?: 'ok' | 'status' | 'silent' | 'reset' | 'stale';
  /** the socket file's mode */
  chmod?: number;
}

const servers: Server[] = [];
for (const l of JSON.parse(process.env.UGATE_BACKENDS ?? '[]') as Listen[]) {
  const server =
    l.mode === 'silent'
      ? createTcp(() => {})
      : l.mode === 'reset'
        ? createTcp((s) => s.resetAndDestroy())
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
  // a stale socket: the file stays, nothing accepts (the listening fd is closed without unlinking)
  if (l.mode === 'stale') (server as unknown as { _handle: { close(): void } | null })._handle?.close();
  else servers.push(server as Server);
}
process.stdout.write('ready\n');
process.on('SIGTERM', () => process.exit(0));
