// Real HTTP backends on loopback, in this process, closed by the test.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Backend {
  port: number;
  host: string;
  server: Server;
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export const ok: Handler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('ok\n');
};

export function status(code: number, body = `status ${code}\n`): Handler {
  return (_req, res) => {
    res.writeHead(code, { 'content-type': 'text/plain' });
    res.end(body);
  };
}

/** Listen on host:port (0 = any free port) or a unix socket path. */
export function startHttpBackend(opts: { host?: string; port?: number; path?: string; handler?: Handler }): Promise<Backend> {
  const server = createServer(opts.handler ?? ok);
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    const onListen = () => {
      const a = server.address();
      resolve({
        port: typeof a === 'object' && a ? (a as AddressInfo).port : 0,
        host: opts.host ?? '127.0.0.1',
        server,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    };
    if (opts.path) server.listen(opts.path, onListen);
    else server.listen({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 0, ipv6Only: opts.host === '::1' || opts.host === '::' ? true : undefined }, onListen);
  });
}
