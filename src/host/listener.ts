// What listens on a host: TCP and unix listening sockets and their processes,
// as every Host implementation reports them.

export interface ListenerProcess {
  name: string;
  pid: number;
  /** the full command line, when it could be read (matching `process:` against it) */
  command?: string;
}

export interface Listener {
  kind: 'tcp' | 'unix';
  /** tcp: 4 or 6 */
  family?: 4 | 6;
  /** tcp: `127.0.0.1`, `::1`, `0.0.0.0`, `::` */
  address?: string;
  port?: number;
  /** tcp: an IPv6 wildcard without IPV6_V6ONLY, so IPv4 connects land on it too (`*:PORT` in ss) */
  dualStack?: boolean;
  /** unix: the socket path */
  path?: string;
  processes: ListenerProcess[];
}

export interface ListenerSnapshot {
  listeners: Listener[];
  /** the command or files they were read from */
  source: string;
  /** what degraded the view: missing tool, no process names without root... */
  notes: string[];
}
