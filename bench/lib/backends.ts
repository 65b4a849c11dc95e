// HTTP backends for the scenarios, in the bench process (so the moment a
// backend becomes ready is stamped on the same clock as the tools' exits).
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { onCleanup } from './cleanup.js';

export interface BenchBackend {
  /** TCP port, 0 for a unix socket */
  port: number;
  /** performance.now() when the backend became ready */
  readyAt: number;
  /** only with startUnready: from now on answer 200; stamps readyAt */
  markReady(): void;
  close(): Promise<void>;
}

export interface BackendOptions {
  host?: string;
  port?: number;
  path?: string;
  /** answer 503 until markReady() is called (an app booting behind its listener) */
  startUnready?: boolean;
}

export function startBackend(opts: BackendOptions): Promise<BenchBackend> {
  let ready = !opts.startUnready;
  const server: Server = createServer((_req, res) => {
    res.writeHead(ready ? 200 : 503, { 'content-type': 'text/plain', connection: 'close' });
    res.end(ready ? 'ok\n' : 'starting\n');
  });
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const stop = () => {
    for (const s of sockets) s.destroy();
    server.close();
  };
  const undo = onCleanup(stop);
  return new Promise((resolve, reject) => {
    server.once('error', (e) => {
      undo();
      reject(e);
    });
    const onListen = () => {
      const listenedAt = performance.now();
      const a = server.address();
      const backend: BenchBackend = {
        port: typeof a === 'object' && a ? (a as AddressInfo).port : 0,
        readyAt: ready ? listenedAt : Number.NaN,
        markReady() {
          ready = true;
          backend.readyAt = performance.now();
        },
        close: () =>
          new Promise<void>((r) => {
            server.once('close', () => r());
            undo();
          }),
      };
      resolve(backend);
    };
    if (opts.path) server.listen(opts.path, onListen);
    else server.listen({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 0, exclusive: true }, onListen);
  });
}
