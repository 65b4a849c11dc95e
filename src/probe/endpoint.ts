// What gets dialed. A name (`localhost`) is kept as written; the probe phase
// resolves it to every address, as nginx does at start-up.
import { isIP } from 'node:net';

export type Endpoint =
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'unix'; path: string };

/** `127.0.0.1:8000`, `[::1]:8000`, `localhost:8000`, `unix:/run/app.sock` */
export function formatEndpoint(e: Endpoint): string {
  if (e.kind === 'unix') return `unix:${e.path}`;
  return `${isIP(e.host) === 6 ? `[${e.host}]` : e.host}:${e.port}`;
}

export function sameEndpoint(a: Endpoint, b: Endpoint): boolean {
  if (a.kind === 'unix' || b.kind === 'unix') return a.kind === b.kind && (a as { path: string }).path === (b as { path: string }).path;
  return a.port === b.port && a.host.toLowerCase() === b.host.toLowerCase();
}

/** 4, 6, or 0 for a name that still needs resolving. */
export function ipFamily(host: string): 0 | 4 | 6 {
  return isIP(host) as 0 | 4 | 6;
}
