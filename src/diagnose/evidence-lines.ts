// Evidence as lines a human reads: what was dialed and what came back, what
// listens, what the host said. Shared by every classification branch.
import { formatEndpoint } from '../model/endpoint.js';
import type { ProbeResult } from '../model/probe-result.js';
import { HTTP_STATUS } from '../model/probe-result.js';
import type { Listener } from '../host/listener.js';

function ms(n: number | undefined): string {
  if (n === undefined) return '';
  return n < 10 ? `${n.toFixed(1)}ms` : `${Math.round(n)}ms`;
}

/** `connect [::1]:8000 -> ECONNREFUSED (111) in 0.2ms`, `GET /healthz -> 503 Service Unavailable in 12ms` */
export function probeLine(p: ProbeResult): string {
  const verb = p.kind === 'tcp' || p.kind === 'unix' || p.stage === 'connect' ? 'connect' : p.kind === 'fastcgi' ? 'fastcgi' : 'GET';
  const what = verb === 'connect' ? p.target.replace(/^\w+:\/\/([^/]*).*$/, '$1') : p.target;
  const outcome = p.ok
    ? p.status !== undefined
      ? String(p.status)
      : 'connected'
    : p.code === HTTP_STATUS
      ? p.message
      : `${p.code ?? 'failed'}${p.errno !== undefined ? ` (${p.errno})` : ''}${p.code && p.message.includes(p.code) ? '' : `: ${p.message}`}`;
  return `${verb} ${what} -> ${outcome} after ${ms(p.timings.totalMs)}`;
}

export function listenerAddress(l: Listener): string {
  if (l.kind === 'unix') return `unix:${l.path ?? ''}`;
  if (l.dualStack) return `*:${l.port} (IPv4 and IPv6)`;
  return formatEndpoint({ kind: 'tcp', host: l.address ?? '?', port: l.port ?? 0 });
}

/** `listener 127.0.0.1:8000 (uvicorn, pid 412)` */
export function listenerLine(l: Listener): string {
  const who = l.processes.map((p) => `${p.name}, pid ${p.pid}`).join('; ');
  return `listener ${listenerAddress(l)}${who ? ` (${who})` : ''}`;
}

export function firstLine(s: string): string {
  return (s.split('\n')[0] ?? '').trim();
}
