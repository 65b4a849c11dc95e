// The spec's `backend`: HOST:PORT, [IPv6]:PORT, or unix:/path.sock.
import { isIP } from 'node:net';
import type { Endpoint } from '../model/endpoint.js';

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62}))*\.?$/;

export const BACKEND_FORMS = 'HOST:PORT, [IPv6]:PORT or unix:/path.sock';

/**
 * Why a backend that is not text is not an address. A bare port (`backend: 8000`)
 * is the usual one: show the address to write for it.
 */
export function backendNotText(input: unknown, described: string): string {
  if (typeof input !== 'number') return `expected ${BACKEND_FORMS}, got ${described}`;
  const port = Number.isInteger(input) && input >= 1 && input <= 65535 ? input : 8000;
  return `${input} is a number, not an address: write HOST:PORT, e.g. 127.0.0.1:${port}`;
}

/** Returns the endpoint, or a sentence saying what is wrong. */
export function parseBackend(s: string): Endpoint | string {
  if (s.startsWith('unix:')) {
    const path = s.slice(5);
    if (!path.startsWith('/')) return `a unix socket needs an absolute path: unix:/run/app.sock, got "${s}"`;
    if (path.includes('\0')) return 'a socket path cannot contain NUL';
    return { kind: 'unix', path };
  }
  let host: string;
  let portText: string;
  if (s.startsWith('[')) {
    const end = s.indexOf(']');
    if (end < 0 || s[end + 1] !== ':') return `expected [IPv6]:PORT, got "${s}"`;
    host = s.slice(1, end);
    portText = s.slice(end + 2);
    if (isIP(host) !== 6) return `"${host}" is not an IPv6 address`;
  } else {
    const colon = s.lastIndexOf(':');
    if (colon < 0) return `expected ${BACKEND_FORMS}, got "${s}"`;
    host = s.slice(0, colon);
    portText = s.slice(colon + 1);
    if (host.includes(':')) return `an IPv6 address needs brackets: [${host}]:${portText}`;
    if (isIP(host) === 0 && !HOSTNAME.test(host)) return `"${host}" is not a valid host name or address`;
  }
  if (!/^\d{1,5}$/.test(portText)) return `port "${portText}" is not a number`;
  const port = Number(portText);
  if (port < 1 || port > 65535) return `port ${port} is outside 1-65535`;
  return { kind: 'tcp', host, port };
}
