// The reason codes of the public contract (DESIGN.md), each with its phase,
// its retry class, where it is decided and its meaning. One table: the
// classifier, the retry policy, the renderers and the generated docs all read it.

/** `host`: reaching the machine at all (a remote host, a fleet's member), before either phase. */
export type Phase = 'host' | 'config' | 'probe';

/** How the retry policy treats a probe-phase reason. */
export type RetryClass =
  /** may fix itself while the deploy finishes: retry until the deadline */
  | 'transient'
  /** will not fix itself by waiting: stop after two consecutive confirmations */
  | 'definitive';

/**
 * Where a probe-phase reason is decided: `connect` when the transport alone
 * answers (resolving, connecting), so retrying costs next to nothing;
 * `answer` when the backend's answer (or its absence) decides.
 */
export type Level = 'connect' | 'answer';

export type CodeInfo =
  | { phase: 'host'; retry: RetryClass; meaning: string }
  | { phase: 'config'; retry: RetryClass; meaning: string }
  | { phase: 'probe'; retry: RetryClass; level: Level; meaning: string };

export const CODES = {
  'host.unreachable': {
    phase: 'host',
    retry: 'transient',
    meaning: 'the host to check could not be reached (the SSH connection was refused, timed out, or its name did not resolve): neither phase ran on it',
  },
  'ssh.auth': { phase: 'host', retry: 'definitive', meaning: 'the SSH server refused every key or method offered: neither phase ran on the host' },
  'ssh.host_key': {
    phase: 'host',
    retry: 'definitive',
    meaning: "the host's SSH key is not the known or pinned one (or is unknown): the gate does not trust it, so neither phase ran",
  },
  'config.invalid': { phase: 'config', retry: 'definitive', meaning: 'nginx config does not parse, or `nginx -t` fails (file:line)' },
  'config.no_target': { phase: 'config', retry: 'definitive', meaning: 'no `*_pass` / upstream server for the service was found' },
  'config.port_mismatch': { phase: 'config', retry: 'definitive', meaning: 'nginx dials another port than the spec' },
  'config.host_mismatch': { phase: 'config', retry: 'definitive', meaning: 'nginx dials another host or address than the spec' },
  'config.localhost_ambiguous': { phase: 'config', retry: 'definitive', meaning: 'the dialed name resolves to several addresses / IP families (localhost -> 127.0.0.1 and ::1)' },
  'config.socket_mismatch': { phase: 'config', retry: 'definitive', meaning: 'nginx dials another unix socket path than the spec' },
  'config.protocol_mismatch': { phase: 'config', retry: 'definitive', meaning: 'proxy_pass vs fastcgi_pass vs https etc. differ from the spec' },
  'config.pool_mismatch': {
    phase: 'config',
    retry: 'definitive',
    meaning: "nginx's upstream group and the spec's pool differ: a member the spec names is missing, or marked `down` (warning), or the group has a member the spec does not name; each member is one finding",
  },
  'config.dynamic_target': { phase: 'config', retry: 'definitive', meaning: 'the target holds variables and cannot be checked statically (warning)' },
  'config.untrusted_code': {
    phase: 'config',
    retry: 'definitive',
    meaning: 'the config loads code from outside the system module directories (load_module, ssl_engine, Perl, njs, Lua): `nginx -t` is not run on it unless `nginx.test: always` (warning)',
  },
  'config.timeout': {
    phase: 'config',
    retry: 'definitive',
    meaning: 'the config phase (nginx -t, name lookups) used the whole deadline: no probe ran',
  },
  'backend.down': { phase: 'probe', retry: 'transient', level: 'connect', meaning: 'ECONNREFUSED (111): nothing listens on that port in any family' },
  'backend.wrong_port': { phase: 'probe', retry: 'definitive', level: 'connect', meaning: "refused; the service's process listens on another port" },
  'backend.wrong_address': { phase: 'probe', retry: 'definitive', level: 'connect', meaning: 'refused; something listens on that port but bound to another address of the same family' },
  'backend.family_mismatch': { phase: 'probe', retry: 'definitive', level: 'connect', meaning: 'refused on one IP family while the port listens on the other' },
  'backend.not_accepting': {
    phase: 'probe',
    retry: 'transient',
    level: 'connect',
    meaning: "connect timed out (110) while the listener's accept queue is full (ss: Recv-Q >= Send-Q): its process is stopped or too busy to accept",
  },
  'socket.missing': { phase: 'probe', retry: 'transient', level: 'connect', meaning: 'ENOENT (2): the unix socket path does not exist (siblings listed)' },
  'socket.refused': { phase: 'probe', retry: 'transient', level: 'connect', meaning: 'ECONNREFUSED on a unix socket: stale file, nothing accepting' },
  'socket.permission': { phase: 'probe', retry: 'definitive', level: 'connect', meaning: 'EACCES (13) on a unix socket: file mode / owner vs the connecting user' },
  'network.rejected': { phase: 'probe', retry: 'definitive', level: 'connect', meaning: 'refused although a listener is present: a firewall REJECT rule' },
  'network.timeout': { phase: 'probe', retry: 'transient', level: 'connect', meaning: 'connect timed out (110): a firewall DROP or a dead route' },
  'network.unreachable': { phase: 'probe', retry: 'transient', level: 'connect', meaning: 'EHOSTUNREACH (113) / ENETUNREACH (101)' },
  'network.no_address_family': {
    phase: 'probe',
    retry: 'definitive',
    level: 'connect',
    meaning: 'EADDRNOTAVAIL (99): the address is of a family the host has no address in (IPv6 disabled while localhost maps to ::1)',
  },
  'dns.unresolved': { phase: 'probe', retry: 'transient', level: 'connect', meaning: 'the upstream host name does not resolve' },
  'selinux.denied': { phase: 'probe', retry: 'definitive', level: 'connect', meaning: 'EACCES (13) on a TCP connect: SELinux (`httpd_can_network_connect`)' },
  'health.status': { phase: 'probe', retry: 'transient', level: 'answer', meaning: 'health endpoint answered HTTP >= 400 (`curl -f` fails)' },
  'health.timeout': { phase: 'probe', retry: 'transient', level: 'answer', meaning: 'connected, but no complete response within request_timeout' },
  'health.reset': { phase: 'probe', retry: 'transient', level: 'answer', meaning: 'connection reset or closed before a response (104)' },
  'health.protocol': { phase: 'probe', retry: 'definitive', level: 'answer', meaning: 'the answer is not HTTP, or TLS where plain HTTP was expected, or the reverse' },
  'health.unexpected': {
    phase: 'probe',
    retry: 'transient',
    level: 'answer',
    meaning: "the health answer (directly or through `front`) is not the service's `expect:` (status, header, body, JSON field): another release answers; the observed value beside the expected one",
  },
  'proxy.bad_gateway': { phase: 'probe', retry: 'transient', level: 'answer', meaning: 'through `front`, nginx answered 502/504; the matching error-log line is attached' },
  'nginx.not_running': {
    phase: 'probe',
    retry: 'transient',
    level: 'connect',
    meaning: 'the spec expects nginx to serve (a server_name or nginx.front, and its config) but no nginx master runs: the pid file and the process list are the evidence',
  },
  'nginx.stale_address': {
    phase: 'probe',
    retry: 'definitive',
    level: 'answer',
    meaning: 'running nginx dials an address a name of its config resolved to when nginx started, and the name now resolves elsewhere (reload nginx, or resolve at run time)',
  },
  'vantage.other_netns': {
    phase: 'probe',
    retry: 'definitive',
    level: 'connect',
    meaning: "nginx runs in another network namespace (a container) that the gate cannot enter (not root, no CAP_SYS_ADMIN): nginx's backends were not probed, none is blamed",
  },
} as const satisfies Record<string, CodeInfo>;

export type ReasonCode = keyof typeof CODES;

export const REASON_CODES = Object.keys(CODES) as ReasonCode[];

/** Will this reason not fix itself by waiting? */
export function isDefinitive(code: ReasonCode | undefined): boolean {
  return code !== undefined && CODES[code].retry === 'definitive';
}

/** Is this reason decided by the transport alone (see Level)? */
export function isConnectLevel(code: ReasonCode | undefined): boolean {
  if (code === undefined) return false;
  const info: CodeInfo = CODES[code];
  return info.phase === 'probe' && info.level === 'connect';
}
