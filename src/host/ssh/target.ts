// `[USER@]HOST[:PORT]`, `[USER@][IPV6]:PORT`: the host to gate over SSH.
import { isIP } from 'node:net';

export interface SshTarget {
  user?: string;
  host: string;
  port: number;
}

/** The target, or why the text is not one (one line). */
export function parseSshTarget(text: string): SshTarget | string {
  const at = text.lastIndexOf('@');
  const user = at >= 0 ? text.slice(0, at) : undefined;
  const rest = at >= 0 ? text.slice(at + 1) : text;
  if (user !== undefined && !/^[A-Za-z0-9._][A-Za-z0-9._-]*\$?$/.test(user)) return `"${user}" is not a user name`;
  let host = rest;
  let port = 22;
  const bracket = /^\[([^\]]+)\](?::(.*))?$/.exec(rest);
  let portText: string | undefined;
  if (bracket) {
    host = bracket[1] as string;
    portText = bracket[2];
    if (isIP(host) !== 6) return `[${host}] is not an IPv6 address`;
  } else {
    const colons = rest.split(':').length - 1;
    if (colons === 1) [host, portText] = rest.split(':') as [string, string];
    else if (colons > 1 && isIP(rest) !== 6) return `"${rest}" is not HOST[:PORT] (an IPv6 address is written [ADDRESS]:PORT)`;
  }
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) return `port "${portText}" is not 1-65535`;
    port = Number(portText);
  }
  if (host === '' || !/^[A-Za-z0-9._:%-]+$/.test(host) || host.startsWith('-')) return `"${host}" is not a host name or address`;
  return { ...(user !== undefined && { user }), host, port };
}

/** As known_hosts names it: `host`, or `[host]:port` off port 22. */
export function knownHostsName(t: Pick<SshTarget, 'host' | 'port'>): string {
  return t.port === 22 ? t.host : `[${t.host}]:${t.port}`;
}

export function formatTarget(t: SshTarget): string {
  const host = isIP(t.host) === 6 ? `[${t.host}]` : t.host;
  return `${t.user ? `${t.user}@` : ''}${host}${t.port === 22 ? '' : `:${t.port}`}`;
}
