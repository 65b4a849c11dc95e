// What listens on a host: TCP and unix listening sockets and their processes,
// as every Host implementation reports them.

export interface ListenerProcess {
  name: string;
  pid: number;
  /** the full command line, when it could be read (matching `process:` against it) */
  command?: string;
  /** its state as /proc/PID/stat says it, when it could be read: `T` stopped, `D` in uninterruptible sleep... */
  state?: string;
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
  /** the accept queue, as ss shows it for a listening socket: Recv-Q (connections not yet accepted) and Send-Q (the backlog) */
  queue?: { pending: number; backlog: number };
}

/** The kernel drops new connections to a listener whose accept queue holds more than its backlog: at or past it, it accepts nothing more. */
export function acceptQueueFull(l: Listener): boolean {
  return l.queue !== undefined && l.queue.pending > 0 && l.queue.pending >= l.queue.backlog;
}

export interface ListenerSnapshot {
  listeners: Listener[];
  /** the command or files they were read from */
  source: string;
  /** what degraded the view: missing tool, no process names without root... */
  notes: string[];
  /** not root: a listener without a process may belong to a process the gate cannot see, not to none */
  processesHidden?: boolean;
}
