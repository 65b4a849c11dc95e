// Probe result + host evidence + what the spec and nginx say -> one finding.
// Pure and ordered, like execa's failure message chain: the first branch that
// matches decides. Table-tested in test/diagnose/classify.test.ts.
import { formatEndpoint, ipFamily, type Endpoint } from '../model/endpoint.js';
import { errnoName, LINUX_ERRNO } from '../host/errno.js';
import { ABORTED, BAD_PROTOCOL, HTTP_STATUS, INCOMPLETE, UNEXPECTED, type ProbeResult } from '../model/probe-result.js';
import { describeMismatch } from '../model/expect.js';
import type { Evidence } from '../host/evidence.js';
import type { Listener } from '../host/listener.js';
import { SELINUX_BOOLEAN } from '../host/selinux.js';
import { access, describeFile } from '../host/socket-file.js';
import { describeUnit } from '../host/systemd.js';
import type { ReasonCode } from '../model/codes.js';
import type { Finding } from '../model/finding.js';
import { firstLine, listenerAddress, listenerLine, probeLine } from './evidence-lines.js';

export interface ClassifyService {
  name: string;
  backend: Endpoint;
  protocol: string;
  process?: string;
  unit?: string;
}

/** The nginx line that dials the endpoint, when the endpoint came from the config. */
export interface ClassifyDial {
  directive: string;
  scheme: string;
  file: string;
  /** `file` as fixes show it (relative to the main config's directory) */
  shownFile?: string;
  line: number;
  text: string;
  /** the `upstream {}` group whose `server` line this is */
  upstream?: string;
}

/** `conf.d/app.conf:12`, the way config-phase fixes name a line. */
function dialAt(d: ClassifyDial): string {
  return `${d.shownFile ?? d.file}:${d.line}`;
}

export interface ClassifyInput {
  service: ClassifyService;
  /** listener: connect only; health: GET / FastCGI request to the backend; front: GET through nginx */
  check: 'listener' | 'health' | 'front';
  /** as configured (a name is kept: `localhost:8000`) */
  endpoint: Endpoint;
  /** the address dialed when `endpoint` is a name */
  address?: string;
  dial?: ClassifyDial;
  probe: ProbeResult;
  evidence: Evidence;
  /** front: error-log lines nginx wrote since the gate started, about this request */
  errorLog?: string[];
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'ENODATA', 'ESERVFAIL', 'EAI_NODATA']);
const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL']);
/** errors only a connect can produce, whatever stage a probe had reached */
const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'ENOENT', 'EACCES', 'ENOTSOCK', ...UNREACHABLE]);

type Draft = Omit<Finding, 'severity' | 'service' | 'target'> & { code: ReasonCode };

export function classify(input: ClassifyInput): Finding | undefined {
  const { probe } = input;
  if (probe.ok) return undefined;
  const draft = decide(input);
  const errno = draft.errno ?? probe.errno;
  const name = errno === undefined ? undefined : (draft.errno_name ?? errnoName(errno));
  const dial = input.dial;
  return {
    code: draft.code,
    severity: 'error',
    service: input.service.name,
    target: targetOf(input),
    ...(errno !== undefined && { errno }),
    ...(name !== undefined && { errno_name: name }),
    message: draft.message,
    evidence: [...(draft.evidence ?? []), ...notes(input.evidence)],
    ...(draft.fix !== undefined && { fix: draft.fix }),
    ...(dial && { file: dial.file, line: dial.line }),
  };
}

function targetOf(i: ClassifyInput): string {
  if (i.check === 'front') return i.probe.target;
  if (i.endpoint.kind === 'unix') return formatEndpoint(i.endpoint);
  return formatEndpoint({ kind: 'tcp', host: i.address ?? i.endpoint.host, port: i.endpoint.port });
}

/** The ordered decision chain. */
function decide(i: ClassifyInput): Draft {
  const p = i.probe;
  // an attempt cut by the deadline before anything else was learnt timed out, whatever its stage
  const code = p.code === ABORTED ? 'ETIMEDOUT' : p.code;
  if (i.check === 'front' && p.code === HTTP_STATUS && (p.status === 502 || p.status === 504)) return badGateway(i);
  if (p.stage === 'resolve' || (code !== undefined && DNS_CODES.has(code))) return dns(i);
  if (p.stage === 'connect' || (code !== undefined && CONNECT_ERRORS.has(code))) {
    if (i.endpoint.kind === 'unix') return unixConnect(i, code);
    if (code === 'ECONNREFUSED') return refused(i);
    if (code === 'ETIMEDOUT') return connectTimeout(i);
    if (code !== undefined && UNREACHABLE.has(code)) return unreachable(i);
    if (code === 'EACCES') return selinux(i);
    if (code === 'EPERM') return (i.evidence.firewall?.rules.length ?? 0) > 0 ? rejected(i, []) : selinux(i);
    return down(i, `connect failed: ${p.code ?? p.message}`);
  }
  if (p.code === UNEXPECTED) return unexpected(i);
  if (p.code === HTTP_STATUS) return healthStatus(i);
  if (code === 'ETIMEDOUT') return healthTimeout(i);
  if (p.code === BAD_PROTOCOL || /^(HPE_|ERR_SSL_|ERR_TLS_|EPROTO$)/.test(p.code ?? '') || p.stage === 'tls') return protocol(i);
  if (p.code === 'ECONNRESET' || p.code === 'EPIPE' || p.code === INCOMPLETE) return reset(i);
  return protocol(i);
}

// ---- TCP connect ----------------------------------------------------------

function family(i: ClassifyInput): 4 | 6 {
  return ipFamily(dialedAddress(i)) === 6 ? 6 : 4;
}

function dialedAddress(i: ClassifyInput): string {
  return i.address ?? (i.endpoint.kind === 'tcp' ? i.endpoint.host : '');
}

const WILDCARD = new Set(['0.0.0.0', '::']);

/** Whether a connect to `address` in `fam` lands on listener `l`. */
function accepts(l: Listener, address: string, fam: 4 | 6): boolean {
  if (l.kind !== 'tcp') return false;
  if (l.dualStack) return true;
  if (l.family !== fam) return false;
  return WILDCARD.has(l.address ?? '') || l.address === address;
}

function tcpOnPort(e: Evidence, port: number): Listener[] {
  return (e.listeners?.listeners ?? []).filter((l) => l.kind === 'tcp' && l.port === port);
}

function processMatches(i: ClassifyInput): (l: Listener) => boolean {
  const wanted = i.service.process?.toLowerCase();
  const mainPid = Number(i.evidence.systemd?.state.MainPID ?? 0);
  const inCommand = wanted === undefined ? undefined : new RegExp(`(^|[\\s/])${escapeRe(wanted)}([\\s:.-]|$)`, 'i');
  return (l) =>
    l.processes.some(
      (p) =>
        (mainPid > 0 && p.pid === mainPid) ||
        (wanted !== undefined &&
          (p.name.toLowerCase() === wanted ||
            (p.name.length >= 15 && wanted.startsWith(p.name.toLowerCase())) ||
            (p.command !== undefined && (inCommand as RegExp).test(p.command)))),
    );
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function refused(i: ClassifyInput): Draft {
  if (i.endpoint.kind !== 'tcp') return down(i);
  const port = i.endpoint.port;
  const snap = i.evidence.listeners;
  if (!snap) return down(i);
  const addr = dialedAddress(i);
  const fam = family(i);
  const onPort = tcpOnPort(i.evidence, port);
  const present = onPort.filter((l) => accepts(l, addr, fam));
  if (present.length) return rejected(i, present);
  const sameFamily = onPort.filter((l) => l.family === fam && !l.dualStack);
  if (sameFamily.length) return wrongAddress(i, sameFamily);
  const otherFamily = onPort.filter((l) => l.family !== fam);
  if (otherFamily.length) return familyMismatch(i, otherFamily);
  // through the front it is nginx that is not listening: the service's process says nothing about it
  if (i.check !== 'front' && (i.service.process !== undefined || Number(i.evidence.systemd?.state.MainPID ?? 0) > 0)) {
    const ours = processMatches(i);
    const mine = (snap.listeners ?? []).filter((l) => l.kind === 'tcp' && l.port !== port && ours(l));
    if (mine.length && conclusive(mine)) return wrongPort(i, mine);
    // `process: node` may match unrelated servers: a definitive verdict needs one process on a few ports
    if (mine.length) return down(i, undefined, mine.slice(0, MAX_CANDIDATES).map((l) => `not conclusive: ${listenerLine(l)}`));
  }
  return down(i);
}

const MAX_WRONG_PORTS = 3;
const MAX_CANDIDATES = 5;

/** The matched listeners share a process (a master and its workers) and hold few ports. */
function conclusive(mine: Listener[]): boolean {
  const ports = new Set(mine.map((l) => l.port));
  const [first, ...rest] = mine.map((l) => new Set(l.processes.map((p) => p.pid)));
  const shared = [...(first ?? [])].some((pid) => rest.every((s) => s.has(pid)));
  return ports.size <= MAX_WRONG_PORTS && shared;
}

function connectEvidence(i: ClassifyInput, listeners: Listener[] = []): string[] {
  return [probeLine(i.probe), ...nameLine(i), ...listeners.map(listenerLine)];
}

function nameLine(i: ClassifyInput): string[] {
  if (i.endpoint.kind !== 'tcp' || i.address === undefined || i.address === i.endpoint.host) return [];
  return [`${i.endpoint.host} resolves to ${i.address} (nginx dials every address of the name)`];
}

function dialFix(i: ClassifyInput, host: string): string | undefined {
  const d = i.dial;
  if (!d || i.endpoint.kind !== 'tcp') return undefined;
  const hostPort = formatEndpoint({ kind: 'tcp', host, port: i.endpoint.port });
  if (d.upstream) return `server ${hostPort};  (upstream ${d.upstream}, ${dialAt(d)})`;
  const withScheme = d.directive === 'proxy_pass' || d.directive === 'grpc_pass' ? `${d.scheme}://${hostPort}` : hostPort;
  return `${d.directive} ${withScheme};  (${dialAt(d)})`;
}

function down(i: ClassifyInput, why?: string, more: string[] = []): Draft {
  const t = targetOf(i);
  if (i.check === 'front') {
    return {
      code: 'backend.down',
      message: why ?? `nothing listens on nginx's front ${t}`,
      evidence: connectEvidence(i),
      fix: 'start nginx, or set nginx.front to an address nginx listens on',
    };
  }
  const unit = unitLines(i);
  const known = i.evidence.listeners !== undefined;
  const port = i.endpoint.kind === 'tcp' ? i.endpoint.port : undefined;
  return {
    code: 'backend.down',
    message: why ?? `nothing listens on ${t}${known && port !== undefined ? ` (no listener on port ${port} in any family)` : ''}`,
    evidence: [...connectEvidence(i), ...(known ? [`no listener on port ${port ?? '?'}`] : []), ...more, ...unit],
    fix: i.service.unit
      ? `start ${i.service.unit} (systemctl status ${i.service.unit}; journalctl -u ${i.service.unit}) and make it listen on ${t}`
      : `start the backend and make it listen on ${t}`,
  };
}

function wrongPort(i: ClassifyInput, mine: Listener[]): Draft {
  const t = targetOf(i);
  const ports = [...new Set(mine.map((l) => l.port))].join(', ');
  const who = mine[0]?.processes[0]?.name ?? i.service.process ?? 'the service';
  return {
    code: 'backend.wrong_port',
    message: `nothing listens on ${t}; ${who} listens on port ${ports} instead`,
    evidence: [...connectEvidence(i, mine), ...unitLines(i)],
    fix: `make ${who} listen on port ${i.endpoint.kind === 'tcp' ? i.endpoint.port : '?'} (the bind setting rendered from the spec by \`upstream-gate render\`), or change \`backend\` in the spec and nginx together to port ${ports}`,
  };
}

function wrongAddress(i: ClassifyInput, others: Listener[]): Draft {
  const t = targetOf(i);
  const where = others.map(listenerAddress).join(', ');
  const first = others[0]?.address ?? '';
  return {
    code: 'backend.wrong_address',
    message: `nginx dials ${t} but port ${i.endpoint.kind === 'tcp' ? i.endpoint.port : ''} listens only on ${where}`,
    evidence: connectEvidence(i, others),
    fix: dialFix(i, first) ?? `bind the backend to ${dialedAddress(i)} (or ${family(i) === 6 ? '::' : '0.0.0.0'}), or dial ${formatEndpoint({ kind: 'tcp', host: first, port: i.endpoint.kind === 'tcp' ? i.endpoint.port : 0 })}`,
  };
}

function familyMismatch(i: ClassifyInput, others: Listener[]): Draft {
  const t = targetOf(i);
  const where = others.map(listenerAddress).join(', ');
  const fam = family(i);
  const first = others[0];
  const listenHost = first?.address && !WILDCARD.has(first.address) ? first.address : fam === 6 ? '127.0.0.1' : '::1';
  const port = i.endpoint.kind === 'tcp' ? i.endpoint.port : 0;
  const name = i.endpoint.kind === 'tcp' && i.address !== undefined && i.address !== i.endpoint.host ? i.endpoint.host : undefined;
  const dialed = dialFix(i, listenHost);
  const alt = `make the backend listen on ${formatEndpoint({ kind: 'tcp', host: dialedAddress(i), port })} too`;
  return {
    code: 'backend.family_mismatch',
    message: `nginx dials ${t}${name ? ` (${name})` : ''} but the backend listens only on ${where}`,
    evidence: connectEvidence(i, others),
    fix: dialed ?? (name ? `dial ${formatEndpoint({ kind: 'tcp', host: listenHost, port })} instead of ${name}:${port}, or ${alt}` : alt),
  };
}

function rejected(i: ClassifyInput, present: Listener[]): Draft {
  const t = targetOf(i);
  const rules = i.evidence.firewall?.rules ?? [];
  const port = i.endpoint.kind === 'tcp' ? i.endpoint.port : 0;
  return {
    code: 'network.rejected',
    message: present.length
      ? `${t} refused the connection although ${listenerAddress(present[0] as Listener)} listens: a firewall REJECT rule`
      : `${t}: the connect was blocked by a firewall rule`,
    evidence: [...connectEvidence(i, present), ...(rules.length ? rules.map((r) => `rule ${r}`) : ['no matching firewall rule was readable'])],
    fix: rules[0] ? `allow tcp port ${port} to ${dialedAddress(i)}: remove or narrow \`${rules[0].replace(/^\w+: /, '')}\`` : `find the rule that rejects tcp port ${port} (iptables -S; nft list ruleset) and allow it`,
  };
}

function connectTimeout(i: ClassifyInput): Draft {
  const t = targetOf(i);
  const rules = i.evidence.firewall?.rules ?? [];
  const port = i.endpoint.kind === 'tcp' ? i.endpoint.port : 0;
  const present = tcpOnPort(i.evidence, port).filter((l) => accepts(l, dialedAddress(i), family(i)));
  // The kernel drops the SYNs of a listener whose accept queue is full: a process too stalled or busy to accept, not a firewall.
  const stalled = rules.length === 0 ? present[0] : undefined;
  if (stalled) {
    return {
      code: 'network.timeout',
      errno: LINUX_ERRNO.ETIMEDOUT,
      message: `connect to ${t} timed out although ${listenerAddress(stalled)} listens: it is not accepting connections (its listen backlog is full)`,
      evidence: [...connectEvidence(i, present), 'no firewall rule matches the port'],
      fix: `the backend is stalled or overloaded: check its process and log; \`ss -ltn 'sport = :${port}'\` shows Recv-Q reaching the backlog (Send-Q) while it lasts`,
    };
  }
  return {
    code: 'network.timeout',
    errno: LINUX_ERRNO.ETIMEDOUT,
    message: `connect to ${t} timed out: ${rules.length ? 'a firewall DROP rule' : 'packets are dropped (firewall DROP or a dead route)'}`,
    evidence: [...connectEvidence(i, present), ...rules.map((r) => `rule ${r}`)],
    fix: rules[0] ? `allow tcp port ${port}: remove or narrow \`${rules[0].replace(/^\w+: /, '')}\`` : `check the firewall (iptables -S; nft list ruleset) and the route (ip route get ${dialedAddress(i)})`,
  };
}

function unreachable(i: ClassifyInput): Draft {
  const t = targetOf(i);
  const port = i.endpoint.kind === 'tcp' ? i.endpoint.port : 0;
  const present = tcpOnPort(i.evidence, port).filter((l) => accepts(l, dialedAddress(i), family(i)));
  const rules = i.evidence.firewall?.rules ?? [];
  // an icmp-*-unreachable REJECT looks like a dead route: the listener and the rule tell them apart
  if (present.length && rules.some((r) => /REJECT|reject/.test(r))) return rejected(i, present);
  return {
    code: 'network.unreachable',
    message: `${t} is unreachable: ${i.probe.code === 'ENETUNREACH' ? 'no route to its network' : 'no route to the host'}`,
    evidence: [...connectEvidence(i, present), ...rules.map((r) => `rule ${r}`)],
    fix: `check the address and the route: ip route get ${dialedAddress(i)}`,
  };
}

function selinux(i: ClassifyInput): Draft {
  const t = targetOf(i);
  const se = i.evidence.selinux;
  const bool = se?.booleans[SELINUX_BOOLEAN];
  const port = i.endpoint.kind === 'tcp' ? i.endpoint.port : 0;
  return {
    code: 'selinux.denied',
    errno: i.probe.errno ?? LINUX_ERRNO.EACCES,
    message: `connect to ${t} denied (${i.probe.code === 'EPERM' ? 'EPERM' : 'EACCES'})${se?.mode ? `: SELinux is ${se.mode}${bool ? `, ${SELINUX_BOOLEAN} is ${bool}` : ''}` : ': SELinux or another LSM policy'}`,
    evidence: [probeLine(i.probe), ...(se?.mode ? [`getenforce: ${se.mode}`] : []), ...(bool ? [`${SELINUX_BOOLEAN} --> ${bool}`] : []), ...(se?.denials ?? [])],
    fix: `setsebool -P ${SELINUX_BOOLEAN} 1  (or label the port: semanage port -a -t http_port_t -p tcp ${port})`,
  };
}

function dns(i: ClassifyInput): Draft {
  const host = i.endpoint.kind === 'tcp' ? i.endpoint.host : i.probe.target;
  return {
    code: 'dns.unresolved',
    message: `${host} does not resolve (${i.probe.code ?? i.probe.message})`,
    evidence: [`resolve ${host} -> ${i.probe.code ?? 'failed'}: ${i.probe.message}`],
    fix: `dial an IP address, or make ${host} resolve on this host (/etc/hosts or DNS); nginx resolves it once at start-up`,
  };
}

// ---- unix socket connect --------------------------------------------------

function unixConnect(i: ClassifyInput, code: string | undefined): Draft {
  const path = i.endpoint.kind === 'unix' ? i.endpoint.path : '';
  const sf = i.evidence.socketFile;
  if (code === 'ENOENT') {
    const siblings = sf?.siblings ?? [];
    const base = (p: string) => p.slice(p.lastIndexOf('/') + 1);
    const dirMissing = sf?.existingParent !== undefined;
    const sibling = siblings[0];
    const d = i.dial;
    return {
      code: 'socket.missing',
      errno: LINUX_ERRNO.ENOENT,
      message: dirMissing
        ? `${path} is absent: its directory does not exist`
        : sibling
          ? `${base(path)} is absent; ${siblings.map(base).join(', ')} exist${siblings.length === 1 ? 's' : ''}`
          : `${path} is absent and no socket exists next to it`,
      evidence: [probeLine(i.probe), ...(dirMissing ? [`nearest existing directory: ${sf?.existingParent}`] : []), ...siblings.map((s) => `sibling socket ${s}`), ...unitLines(i)],
      fix:
        siblings.length === 1 && sibling
          ? d
            ? `${d.upstream ? 'server' : d.directive} unix:${sibling};  (${dialAt(d)}), and \`backend: unix:${sibling}\` in the spec`
            : `point nginx and the spec at unix:${sibling}, or start the service that creates ${path}`
          : `start the service that creates ${path}${i.service.unit ? ` (${i.service.unit})` : ''}`,
    };
  }
  if (code === 'EACCES' || code === 'EPERM') {
    const user = sf?.user;
    const f = sf?.blockedBy ?? sf?.file;
    const what = f ? `${f.path} is ${describeFile(f)}` : `${path}`;
    const can = f && user ? access(f, user) : undefined;
    const lacks = sf?.blockedBy ? 'search (x) permission on the directory' : can && !can.w ? 'write permission (connect needs w)' : 'permission';
    return {
      code: 'socket.permission',
      errno: i.probe.errno ?? LINUX_ERRNO.EACCES,
      message: `${what}; user ${user?.name ?? '?'} (uid ${user?.uid ?? '?'}) lacks ${lacks}`,
      evidence: [probeLine(i.probe), ...(f ? [`${f.path}: ${describeFile(f)}`] : []), ...(user ? [`connecting user ${user.name} uid=${user.uid} gid=${user.gid} groups=${user.groups.join(',')}`] : [])],
      fix: sf?.blockedBy
        ? `chmod o+x ${sf.blockedBy.path} (or add nginx's user to group ${sf.blockedBy.group})`
        : `let nginx's user connect: socket mode 0660 with nginx's user in group ${f?.group ?? '?'} (php-fpm: listen.owner / listen.group / listen.mode = 0660)`,
    };
  }
  if (code === 'ECONNREFUSED' || code === 'ENOTSOCK' || code === 'EAGAIN') {
    const f = sf?.file;
    const notSocket = f && f.type !== 'socket';
    const accepting = (i.evidence.listeners?.listeners ?? []).filter((l) => l.kind === 'unix' && l.path === path);
    return {
      code: 'socket.refused',
      message:
        code === 'EAGAIN'
          ? `${path} refused: its listen backlog is full (the service accepts too slowly)`
          : notSocket
            ? `${path} is a ${f.type}, not a socket`
            : `${path} exists but nothing accepts on it: a stale socket file`,
      evidence: [probeLine(i.probe), ...(f ? [`${f.path}: ${describeFile(f)}`] : []), ...accepting.map(listenerLine), ...(i.evidence.listeners && !accepting.length ? ['no process listens on this path'] : []), ...unitLines(i)],
      fix:
        code === 'EAGAIN'
          ? 'raise the listen backlog (php-fpm: listen.backlog) or the worker count'
          : `restart the service that owns ${path}${i.service.unit ? ` (${i.service.unit})` : ''}; it recreates the socket${notSocket ? '; remove the non-socket file first' : ''}`,
    };
  }
  if (code === 'ETIMEDOUT') return connectTimeout(i);
  return { code: 'socket.refused', message: `${path}: connect failed (${i.probe.code ?? i.probe.message})`, evidence: [probeLine(i.probe), ...unitLines(i)], fix: `check the service that owns ${path}` };
}

// ---- answers --------------------------------------------------------------

function healthStatus(i: ClassifyInput): Draft {
  const p = i.probe;
  const what = i.check === 'front' ? `through nginx, ${p.target}` : p.target;
  return {
    code: 'health.status',
    message: `${what} answered ${p.status ?? '?'} (a status >= 400 fails the check)`,
    evidence: [probeLine(p), ...(p.body ? [`body: ${firstLine(p.body).slice(0, 160)}`] : []), ...unitLines(i)],
    fix:
      i.check === 'front' && p.status === 404
        ? 'nginx routes this Host and path elsewhere: check server_name and location'
        : `make ${p.target.replace(/^\w+:\/\/[^/]*/, '') || 'the health path'} answer 2xx once the service is ready (see the service's log)`,
  };
}

function unexpected(i: ClassifyInput): Draft {
  const p = i.probe;
  const front = i.check === 'front';
  const [first, ...more] = p.mismatches ?? [];
  const release = first?.identity === true;
  return {
    code: 'health.unexpected',
    message: `${front ? `through nginx, ${p.target}` : p.target} answered ${p.status ?? '?'}, but ${first ? describeMismatch(first) : 'not as expected'}`,
    evidence: [probeLine(p), ...(more.length ? more.map((m) => `also: ${describeMismatch(m)}`) : []), ...(p.body ? [`body: ${firstLine(p.body).slice(0, 160)}`] : []), ...unitLines(i)],
    fix: front
      ? `nginx still reaches a backend that answers ${release ? 'another release' : 'otherwise'}: check that it dials the new backend (a stale upstream, an old instance left in the pool) and that the spec's expect: is what the release answers`
      : `${release ? 'another release still answers' : 'the backend answers otherwise'}: check that the old process stopped and the new one started${i.service.unit ? ` (systemctl status ${i.service.unit}; journalctl -u ${i.service.unit})` : ''}, that no second instance holds the port, and that the spec's expect: is what the release answers`,
  };
}

function healthTimeout(i: ClassifyInput): Draft {
  const p = i.probe;
  return {
    code: 'health.timeout',
    errno: LINUX_ERRNO.ETIMEDOUT,
    message: `${p.target} accepted the connection but sent no complete response in time`,
    evidence: [probeLine(p), ...(p.firstBytes ? [`received: ${p.firstBytes}`] : ['nothing received']), ...unitLines(i)],
    fix: 'the service accepts but does not answer (workers busy or blocked, start-up not finished): check its log; raise gate.request_timeout if the health path is slow by design',
  };
}

function reset(i: ClassifyInput): Draft {
  const p = i.probe;
  return {
    code: 'health.reset',
    errno: p.errno ?? LINUX_ERRNO.ECONNRESET,
    message: `${p.target}: the connection was ${p.code === 'ECONNRESET' && p.message.includes('hang up') ? 'closed' : 'reset'} before a complete response`,
    evidence: [probeLine(p), ...(p.firstBytes ? [`received: ${p.firstBytes}`] : []), ...unitLines(i)],
    fix: 'the backend drops the request: check its log for a crash or a rejected request (wrong protocol, request too large, TLS expected)',
  };
}

function protocol(i: ClassifyInput): Draft {
  const p = i.probe;
  if (p.code === 'HPE_HEADER_OVERFLOW') {
    return {
      code: 'health.protocol',
      message: `${p.target} answers with headers larger than curl takes`,
      evidence: [probeLine(p)],
      fix: 'trim the health answer\'s headers (cookies, debug or trace headers): curl takes lines under 100 KiB and 300 KiB in all, and nginx, by default, 4 or 8 KiB (proxy_buffer_size)',
    };
  }
  const tlsAnswer = /TLS/.test(p.message);
  const expected = p.kind === 'fastcgi' ? 'FastCGI' : p.kind === 'https' ? 'TLS' : 'HTTP';
  return {
    code: 'health.protocol',
    message: `${p.target} does not answer ${expected}${tlsAnswer && p.kind === 'http' ? ': it answered TLS' : ''} (${p.code ?? 'bad answer'})`,
    evidence: [probeLine(p), ...(p.firstBytes ? [`received: ${p.firstBytes}`] : [])],
    fix:
      p.kind === 'http' && tlsAnswer
        ? 'the backend speaks TLS: set `protocol: https` and `proxy_pass https://...`'
        : p.kind === 'https'
          ? 'the backend does not speak TLS here: set `protocol: http` and `proxy_pass http://...`'
          : `check that \`protocol: ${i.service.protocol}\` is what listens on ${targetOf(i)}`,
  };
}

// ---- through nginx --------------------------------------------------------

const ERRNO_IN_LOG = /\((\d+): ([^)]*)\)/;

function badGateway(i: ClassifyInput): Draft {
  const p = i.probe;
  const lines = i.errorLog ?? [];
  const m = lines.map((l) => ERRNO_IN_LOG.exec(l)).find((x) => x !== null);
  const errno = m ? Number(m[1]) : undefined;
  const upstream = lines.map((l) => /upstream: "([^"]*)"/.exec(l)?.[1]).find((x) => x !== undefined);
  return {
    code: 'proxy.bad_gateway',
    ...(errno !== undefined && { errno }),
    message: `through nginx, ${p.target} answered ${p.status}${upstream ? `: nginx cannot reach ${upstream}` : ''}${m ? ` (${m[1]}: ${m[2]})` : ''}`,
    evidence: [probeLine(p), ...(lines.length ? lines.slice(-3) : ['no matching line in the error log since the gate started'])],
    fix:
      errno === LINUX_ERRNO.EACCES
        ? upstream?.includes('unix:')
          ? `nginx's user may not connect to ${upstream.replace(/^\w+:\/\/unix:/, '').replace(/:$/, '')}: give the socket to nginx's group with mode 0660 (php-fpm: listen.owner / listen.group / listen.mode)`
          : `nginx's workers are denied a connect the gate may make: SELinux (setsebool -P ${SELINUX_BOOLEAN} 1)`
        : upstream
          ? `nginx dials ${upstream}: make it the address the backend listens on (the config check names the line)`
          : "read nginx's error log for the upstream it dials",
  };
}

// ---- shared ---------------------------------------------------------------

function unitLines(i: ClassifyInput): string[] {
  const s = i.evidence.systemd;
  if (!s) return [];
  const d = describeUnit(s);
  return [...(d ? [d] : []), ...s.journal.slice(-3).map((l) => `journal: ${l}`)];
}

/** What degraded the evidence: said once, at the end. */
function notes(e: Evidence): string[] {
  return [...(e.listeners?.notes ?? []), ...(e.firewall?.notes ?? []), ...(e.selinux?.notes ?? []), ...(e.systemd?.notes ?? []), ...(e.socketFile?.notes ?? [])].map((n) => `note: ${n}`);
}
