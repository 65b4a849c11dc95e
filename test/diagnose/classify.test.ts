// The classifier, one row per decision: probe result + evidence + config ->
// code, errno, message, evidence and fix. Pure: no sockets here (the probe
// phase tests produce the same codes from real situations).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { classify, type ClassifyInput } from '../../src/diagnose/classify.js';
import type { Evidence } from '../../src/host/evidence.js';
import type { Listener } from '../../src/host/listener.js';
import type { ProbeResult } from '../../src/model/probe-result.js';
import type { ReasonCode } from '../../src/model/codes.js';
import { CODES } from '../../src/model/codes.js';

const timings = { totalMs: 0.3 };

function fail(over: Partial<ProbeResult>): ProbeResult {
  return { ok: false, kind: 'tcp', target: '127.0.0.1:8000', stage: 'connect', message: 'failed', timings, ...over };
}

const refused = fail({ code: 'ECONNREFUSED', errno: 111, message: 'connect ECONNREFUSED 127.0.0.1:8000' });

function tcp(address: string, port: number, extra: Partial<Listener> = {}): Listener {
  return { kind: 'tcp', family: address.includes(':') ? 6 : 4, address, port, processes: [{ name: 'uvicorn', pid: 412 }], ...extra };
}

function listeners(...l: Listener[]): Evidence {
  return { listeners: { listeners: l, source: 'ss', notes: [] } };
}

const service = { name: 'api', backend: { kind: 'tcp' as const, host: '127.0.0.1', port: 8000 }, protocol: 'http' };

function input(over: Partial<ClassifyInput>): ClassifyInput {
  return { service, check: 'listener', endpoint: service.backend, probe: refused, evidence: listeners(), ...over };
}

interface Row {
  name: string;
  input: ClassifyInput;
  code: ReasonCode;
  errno?: number;
  errnoName?: string;
  message: RegExp;
  evidence?: RegExp;
  fix?: RegExp;
}

const v6 = { kind: 'tcp' as const, host: '::1', port: 8000 };
const sock = { kind: 'unix' as const, path: '/run/php/php8.1-fpm.sock' };
const user = { uid: 33, gid: 33, groups: [33], name: 'www-data' };
const dial = { directive: 'proxy_pass', scheme: 'http', file: '/etc/nginx/conf.d/app.conf', line: 12, text: 'proxy_pass http://[::1]:8000;' };

const rows: Row[] = [
  {
    name: 'refused, nothing on the port in any family',
    input: input({}),
    code: 'backend.down',
    errno: 111,
    errnoName: 'ECONNREFUSED',
    message: /^nothing listens on 127\.0\.0\.1:8000 \(no listener on port 8000 in any family\)$/,
    evidence: /no listener on port 8000/,
    fix: /start the backend/,
  },
  {
    name: 'refused, listeners unknown: still down, and the note says why',
    input: input({ evidence: {} }),
    code: 'backend.down',
    message: /^nothing listens on 127\.0\.0\.1:8000$/,
  },
  {
    name: 'refused while a listener is present on that address: a REJECT rule',
    input: input({ evidence: { ...listeners(tcp('127.0.0.1', 8000)), firewall: { rules: ['iptables: -A INPUT -p tcp -m tcp --dport 8000 -j REJECT --reject-with tcp-reset'], notes: [] } } }),
    code: 'network.rejected',
    errno: 111,
    message: /refused the connection although 127\.0\.0\.1:8000 listens: a firewall REJECT rule/,
    evidence: /rule iptables: -A INPUT .*--dport 8000 -j REJECT/,
    fix: /remove or narrow `-A INPUT/,
  },
  {
    name: 'refused while a dual-stack wildcard listens: rejected, not a family problem',
    input: input({ evidence: listeners(tcp('::', 8000, { dualStack: true })) }),
    code: 'network.rejected',
    message: /although \*:8000 \(IPv4 and IPv6\) listens/,
  },
  {
    name: 'refused on ::1, listener on 127.0.0.1: family mismatch, nginx line as fix',
    input: input({ endpoint: v6, dial, evidence: listeners(tcp('127.0.0.1', 8000)) }),
    code: 'backend.family_mismatch',
    errno: 111,
    message: /^nginx dials \[::1\]:8000 but the backend listens only on 127\.0\.0\.1:8000$/,
    evidence: /listener 127\.0\.0\.1:8000 \(uvicorn, pid 412\)/,
    fix: /^proxy_pass http:\/\/127\.0\.0\.1:8000;  \(\/etc\/nginx\/conf\.d\/app\.conf:12\)$/,
  },
  {
    name: 'the fix names the nginx file as the config phase shows it',
    input: input({ endpoint: v6, dial: { ...dial, shownFile: 'conf.d/app.conf' }, evidence: listeners(tcp('127.0.0.1', 8000)) }),
    code: 'backend.family_mismatch',
    message: /^nginx dials \[::1\]:8000 but the backend listens only on 127\.0\.0\.1:8000$/,
    fix: /^proxy_pass http:\/\/127\.0\.0\.1:8000;  \(conf\.d\/app\.conf:12\)$/,
  },
  {
    name: 'a dial from an upstream group: the fix is its server line',
    input: input({ endpoint: v6, dial: { ...dial, directive: 'proxy_pass', text: 'server [::1]:8000;', line: 3, upstream: 'app' }, evidence: listeners(tcp('127.0.0.1', 8000)) }),
    code: 'backend.family_mismatch',
    message: /nginx dials \[::1\]:8000/,
    fix: /^server 127\.0\.0\.1:8000;  \(upstream app, \/etc\/nginx\/conf\.d\/app\.conf:3\)$/,
  },
  {
    name: 'localhost resolved to ::1, listener on 0.0.0.0: family mismatch naming the name',
    input: input({ endpoint: { kind: 'tcp', host: 'localhost', port: 8000 }, address: '::1', evidence: listeners(tcp('0.0.0.0', 8000)) }),
    code: 'backend.family_mismatch',
    message: /nginx dials \[::1\]:8000 \(localhost\) but the backend listens only on 0\.0\.0\.0:8000/,
    evidence: /localhost resolves to ::1/,
    fix: /dial 127\.0\.0\.1:8000 instead of localhost:8000/,
  },
  {
    name: 'refused on 127.0.0.1, IPv6-only wildcard listener: family mismatch',
    input: input({ evidence: listeners(tcp('::', 8000)) }),
    code: 'backend.family_mismatch',
    message: /listens only on \[::\]:8000/,
  },
  {
    name: 'refused on 127.0.0.1, listener on 10.0.0.5: wrong address',
    input: input({ evidence: listeners(tcp('10.0.0.5', 8000)) }),
    code: 'backend.wrong_address',
    errno: 111,
    message: /^nginx dials 127\.0\.0\.1:8000 but port 8000 listens only on 10\.0\.0\.5:8000$/,
    fix: /bind the backend to 127\.0\.0\.1 \(or 0\.0\.0\.0\)/,
  },
  {
    name: 'refused, the named process listens on 8001: wrong port naming it',
    input: input({ service: { ...service, process: 'uvicorn' }, evidence: listeners(tcp('127.0.0.1', 8001)) }),
    code: 'backend.wrong_port',
    errno: 111,
    message: /^nothing listens on 127\.0\.0\.1:8000; uvicorn listens on port 8001 instead$/,
    fix: /listen on port 8000/,
  },
  {
    name: 'refused, process matched by command line (gunicorn under python3)',
    input: input({
      service: { ...service, process: 'gunicorn' },
      evidence: listeners(tcp('127.0.0.1', 9000, { processes: [{ name: 'python3', pid: 7, command: '/usr/bin/python3 /srv/app/.venv/bin/gunicorn app:app' }] })),
    }),
    code: 'backend.wrong_port',
    message: /python3 listens on port 9000/,
  },
  {
    name: 'refused, the unit main pid listens elsewhere: wrong port through systemd',
    input: input({
      service: { ...service, unit: 'app.service' },
      evidence: { ...listeners(tcp('127.0.0.1', 8080, { processes: [{ name: 'java', pid: 900 }] })), systemd: { unit: 'app.service', state: { ActiveState: 'active', SubState: 'running', MainPID: '900' }, journal: [], notes: [] } },
    }),
    code: 'backend.wrong_port',
    message: /java listens on port 8080/,
    evidence: /app\.service: active \(running\), pid 900/,
  },
  {
    name: 'refused, the process name matches several processes on many ports: down, the candidates shown',
    input: input({
      service: { ...service, process: 'node' },
      evidence: listeners(
        tcp('127.0.0.1', 3000, { processes: [{ name: 'node', pid: 10 }] }),
        tcp('127.0.0.1', 3001, { processes: [{ name: 'node', pid: 11 }] }),
      ),
    }),
    code: 'backend.down',
    message: /nothing listens on 127\.0\.0\.1:8000/,
    evidence: /not conclusive: listener 127\.0\.0\.1:3000 \(node, pid 10\)/,
  },
  {
    name: 'refused, a master and its workers share the listener on another port: wrong port',
    input: input({
      service: { ...service, process: 'gunicorn' },
      evidence: listeners(tcp('127.0.0.1', 8001, { processes: [{ name: 'gunicorn', pid: 1287 }, { name: 'gunicorn', pid: 1288 }] }), tcp('::1', 8001, { processes: [{ name: 'gunicorn', pid: 1287 }] })),
    }),
    code: 'backend.wrong_port',
    message: /gunicorn listens on port 8001 instead$/,
  },
  {
    name: 'refused, another process listens elsewhere: down (no guessing)',
    input: input({ service: { ...service, process: 'uvicorn' }, evidence: listeners(tcp('127.0.0.1', 5432, { processes: [{ name: 'postgres', pid: 5 }] })) }),
    code: 'backend.down',
    message: /nothing listens/,
  },
  {
    name: 'down with a failed unit: state and journal in the evidence',
    input: input({
      service: { ...service, unit: 'app.service' },
      evidence: {
        ...listeners(),
        systemd: { unit: 'app.service', state: { ActiveState: 'failed', SubState: 'failed', Result: 'exit-code', ExecMainStatus: '1', MainPID: '0' }, journal: ['2026-11-30T12:01:02+0000 vm app[77]: ImportError: No module named app'], notes: [] },
      },
    }),
    code: 'backend.down',
    evidence: /app\.service: failed \(failed\), Result=exit-code, status 1[\s\S]*journal: .*ImportError/,
    message: /nothing listens/,
    fix: /start app\.service \(systemctl status app\.service; journalctl -u app\.service\)/,
  },
  {
    name: 'connect timed out with a DROP rule',
    input: input({ probe: fail({ code: 'ETIMEDOUT', errno: 110, message: 'connect timed out after 2000ms' }), evidence: { ...listeners(tcp('127.0.0.1', 8000)), firewall: { rules: ['nft: tcp dport 8000 drop'], notes: [] } } }),
    code: 'network.timeout',
    errno: 110,
    errnoName: 'ETIMEDOUT',
    message: /timed out: a firewall DROP rule/,
    evidence: /rule nft: tcp dport 8000 drop/,
  },
  {
    name: 'connect timed out, no rule visible: DROP or a dead route',
    input: input({ probe: fail({ code: 'ETIMEDOUT', errno: 110 }), evidence: { firewall: { rules: [], notes: ['iptables -S failed: Permission denied (you must be root)'] } } }),
    code: 'network.timeout',
    message: /firewall DROP or a dead route/,
    evidence: /note: iptables -S failed/,
    fix: /ip route get 127\.0\.0\.1/,
  },
  {
    name: 'aborted by the deadline during the first connect: a timeout, not "aborted"',
    input: input({ probe: fail({ code: 'ABORT_ERR', message: 'aborted after 900ms' }) }),
    code: 'network.timeout',
    errno: 110,
    message: /timed out/,
  },
  {
    name: 'EHOSTUNREACH, no listener: unreachable',
    input: input({ probe: fail({ code: 'EHOSTUNREACH', errno: 113 }), endpoint: { kind: 'tcp', host: '10.1.2.3', port: 8000 } }),
    code: 'network.unreachable',
    errno: 113,
    errnoName: 'EHOSTUNREACH',
    message: /10\.1\.2\.3:8000 is unreachable: no route to the host/,
  },
  {
    name: 'ENETUNREACH: unreachable, no route to the network',
    input: input({ probe: fail({ code: 'ENETUNREACH', errno: 101 }) }),
    code: 'network.unreachable',
    errno: 101,
    message: /no route to its network/,
  },
  {
    name: 'EHOSTUNREACH while listening, with an icmp REJECT rule: rejected',
    input: input({ probe: fail({ code: 'EHOSTUNREACH', errno: 113 }), evidence: { ...listeners(tcp('0.0.0.0', 8000)), firewall: { rules: ['iptables: -A INPUT -p tcp -m tcp --dport 8000 -j REJECT --reject-with icmp-admin-prohibited'], notes: [] } } }),
    code: 'network.rejected',
    errno: 113,
    message: /a firewall REJECT rule/,
  },
  {
    name: 'name does not resolve',
    input: input({ endpoint: { kind: 'tcp', host: 'api.internal', port: 8000 }, probe: fail({ stage: 'resolve', code: 'ENOTFOUND', message: 'api.internal: ENOTFOUND', target: 'api.internal' }) }),
    code: 'dns.unresolved',
    message: /^api\.internal does not resolve \(ENOTFOUND\)$/,
    fix: /resolves it once at start-up/,
  },
  {
    name: 'EACCES on TCP with SELinux enforcing: selinux.denied with the boolean and the AVC',
    input: input({
      probe: fail({ code: 'EACCES', errno: 13 }),
      evidence: {
        selinux: {
          mode: 'Enforcing',
          booleans: { httpd_can_network_connect: 'off' },
          denials: ['type=AVC msg=audit(1764504000.123:412): avc:  denied  { name_connect } for  pid=1234 comm="nginx" dest=8000 scontext=system_u:system_r:httpd_t:s0 tcontext=system_u:object_r:unreserved_port_t:s0 tclass=tcp_socket permissive=0'],
          notes: [],
        },
      },
    }),
    code: 'selinux.denied',
    errno: 13,
    errnoName: 'EACCES',
    message: /SELinux is Enforcing, httpd_can_network_connect is off/,
    evidence: /avc: +denied +\{ name_connect \}/,
    fix: /^setsebool -P httpd_can_network_connect 1 .*semanage port -a -t http_port_t -p tcp 8000/,
  },
  {
    name: 'EPERM on TCP with a matching OUTPUT rule: the firewall, not SELinux',
    input: input({ probe: fail({ code: 'EPERM', errno: 1 }), evidence: { firewall: { rules: ['iptables: -A OUTPUT -p tcp -m tcp --dport 8000 -j DROP'], notes: [] } } }),
    code: 'network.rejected',
    errno: 1,
    message: /blocked by a firewall rule/,
  },
  {
    name: 'unix ENOENT with one sibling: socket.missing names both and the fix points at it',
    input: input({
      endpoint: sock,
      dial: { directive: 'fastcgi_pass', scheme: 'fastcgi', file: '/etc/nginx/sites-enabled/php', line: 20, text: 'fastcgi_pass unix:/run/php/php8.1-fpm.sock;' },
      probe: fail({ kind: 'unix', code: 'ENOENT', errno: 2, target: 'unix:/run/php/php8.1-fpm.sock' }),
      evidence: { socketFile: { path: sock.path, siblings: ['/run/php/php8.2-fpm.sock'], user, notes: [] } },
    }),
    code: 'socket.missing',
    errno: 2,
    errnoName: 'ENOENT',
    message: /^php8\.1-fpm\.sock is absent; php8\.2-fpm\.sock exists$/,
    fix: /^fastcgi_pass unix:\/run\/php\/php8\.2-fpm\.sock;  \(\/etc\/nginx\/sites-enabled\/php:20\)/,
  },
  {
    name: 'unix ENOENT, directory missing',
    input: input({ endpoint: sock, probe: fail({ kind: 'unix', code: 'ENOENT', errno: 2 }), evidence: { socketFile: { path: sock.path, existingParent: '/run', siblings: [], user, notes: [] } } }),
    code: 'socket.missing',
    message: /its directory does not exist/,
    evidence: /nearest existing directory: \/run/,
  },
  {
    name: 'unix EACCES: socket.permission with mode, owner and user',
    input: input({
      endpoint: sock,
      probe: fail({ kind: 'unix', code: 'EACCES', errno: 13 }),
      evidence: { socketFile: { path: sock.path, file: { path: sock.path, type: 'socket', mode: '0600', uid: 0, gid: 0, owner: 'root', group: 'root' }, siblings: [], user, notes: [] } },
    }),
    code: 'socket.permission',
    errno: 13,
    message: /^\/run\/php\/php8\.1-fpm\.sock is srw------- \(0600\) root:root; user www-data \(uid 33\) lacks write permission/,
    fix: /listen\.mode = 0660/,
  },
  {
    name: 'unix EACCES from a parent directory without search permission',
    input: input({
      endpoint: sock,
      probe: fail({ kind: 'unix', code: 'EACCES', errno: 13 }),
      evidence: { socketFile: { path: sock.path, blockedBy: { path: '/run/php', type: 'directory', mode: '0700', uid: 0, gid: 0, owner: 'root', group: 'root' }, siblings: [], user, notes: [] } },
    }),
    code: 'socket.permission',
    message: /\/run\/php is drwx------ \(0700\) root:root; user www-data \(uid 33\) lacks search \(x\) permission/,
    fix: /chmod o\+x \/run\/php/,
  },
  {
    name: 'unix ECONNREFUSED: stale socket file',
    input: input({
      endpoint: sock,
      probe: fail({ kind: 'unix', code: 'ECONNREFUSED', errno: 111 }),
      evidence: { ...listeners(), socketFile: { path: sock.path, file: { path: sock.path, type: 'socket', mode: '0660', uid: 33, gid: 33, owner: 'www-data', group: 'www-data' }, siblings: [], user, notes: [] } },
    }),
    code: 'socket.refused',
    errno: 111,
    message: /exists but nothing accepts on it: a stale socket file/,
    evidence: /no process listens on this path/,
  },
  {
    name: 'unix EAGAIN: backlog full',
    input: input({ endpoint: sock, probe: fail({ kind: 'unix', code: 'EAGAIN', errno: 11 }) }),
    code: 'socket.refused',
    errno: 11,
    message: /listen backlog is full/,
  },
  {
    name: 'HTTP 503: health.status with the body',
    input: input({ check: 'health', probe: fail({ kind: 'http', stage: 'response', code: 'HTTP_STATUS', status: 503, message: 'HTTP/1.1 503 Service Unavailable', body: 'warming up', target: 'http://127.0.0.1:8000/healthz' }) }),
    code: 'health.status',
    message: /^http:\/\/127\.0\.0\.1:8000\/healthz answered 503/,
    evidence: /body: warming up/,
  },
  {
    name: 'request timed out after connecting: health.timeout',
    input: input({ check: 'health', probe: fail({ kind: 'http', stage: 'request', code: 'ETIMEDOUT', errno: 110, target: 'http://127.0.0.1:8000/healthz' }) }),
    code: 'health.timeout',
    errno: 110,
    message: /accepted the connection but sent no complete response/,
    evidence: /nothing received/,
  },
  {
    name: 'socket hang up: health.reset with 104',
    input: input({ check: 'health', probe: fail({ kind: 'http', stage: 'request', code: 'ECONNRESET', errno: 104, message: 'socket hang up' }) }),
    code: 'health.reset',
    errno: 104,
    errnoName: 'ECONNRESET',
    message: /closed before a complete response/,
  },
  {
    name: 'FastCGI stream cut before END_REQUEST: health.reset',
    input: input({ check: 'health', probe: fail({ kind: 'fastcgi', stage: 'response', code: 'INCOMPLETE_RESPONSE', message: 'closed before END_REQUEST' }) }),
    code: 'health.reset',
    errno: 104,
    message: /reset before a complete response/,
  },
  {
    name: 'not HTTP: health.protocol with the bytes',
    input: input({ check: 'health', probe: fail({ kind: 'http', stage: 'response', code: 'HPE_INVALID_CONSTANT', message: 'Parse Error', firstBytes: 'SSH-2.0-OpenSSH_9.2\\r\\n' }) }),
    code: 'health.protocol',
    message: /does not answer HTTP \(HPE_INVALID_CONSTANT\)/,
    evidence: /received: SSH-2\.0/,
  },
  {
    name: 'TLS where plain HTTP was expected: health.protocol, fix says https',
    input: input({ check: 'health', probe: fail({ kind: 'http', stage: 'response', code: 'BAD_PROTOCOL', message: 'answered TLS to a plain HTTP request (ECONNRESET)' }) }),
    code: 'health.protocol',
    message: /it answered TLS/,
    fix: /protocol: https/,
  },
  {
    name: 'plain HTTP where TLS was expected: health.protocol, fix says http',
    input: input({ check: 'health', probe: fail({ kind: 'https', stage: 'tls', code: 'ERR_SSL_WRONG_VERSION_NUMBER', message: 'TLS handshake failed' }) }),
    code: 'health.protocol',
    message: /does not answer TLS/,
    fix: /protocol: http`/,
  },
  {
    name: 'refused during the health request (backend restarted): classified as a connect',
    input: input({ check: 'health', probe: fail({ kind: 'http', stage: 'request', code: 'ECONNREFUSED', errno: 111 }) }),
    code: 'backend.down',
    errno: 111,
    message: /nothing listens/,
  },
  {
    name: '502 through nginx with the error-log line: proxy.bad_gateway carrying its errno',
    input: input({
      check: 'front',
      probe: fail({ kind: 'http', stage: 'response', code: 'HTTP_STATUS', status: 502, message: 'HTTP/1.1 502 Bad Gateway', target: 'http://127.0.0.1:80/healthz' }),
      errorLog: [
        '2026/11/30 12:00:01 [error] 77#77: *5 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: api.example.com, request: "GET /healthz HTTP/1.1", upstream: "http://[::1]:8000/healthz", host: "api.example.com"',
      ],
    }),
    code: 'proxy.bad_gateway',
    errno: 111,
    errnoName: 'ECONNREFUSED',
    message: /answered 502: nginx cannot reach http:\/\/\[::1\]:8000\/healthz \(111: Connection refused\)/,
    evidence: /connect\(\) failed \(111: Connection refused\)/,
  },
  {
    name: '502 through nginx with EACCES on a TCP upstream: SELinux denies nginx what the gate may do',
    input: input({
      check: 'front',
      probe: fail({ kind: 'http', stage: 'response', code: 'HTTP_STATUS', status: 502, message: 'HTTP/1.1 502 Bad Gateway', target: 'http://127.0.0.1:80/healthz' }),
      errorLog: [
        '2026/11/30 12:00:01 [crit] 77#77: *5 connect() to 127.0.0.1:8000 failed (13: Permission denied) while connecting to upstream, client: 127.0.0.1, server: api.example.com, request: "GET /healthz HTTP/1.1", upstream: "http://127.0.0.1:8000/healthz", host: "api.example.com"',
      ],
    }),
    code: 'proxy.bad_gateway',
    errno: 13,
    message: /\(13: Permission denied\)/,
    fix: /setsebool -P httpd_can_network_connect 1/,
  },
  {
    name: 'nothing listens on the front: nginx is down, the service process is not blamed',
    input: input({
      check: 'front',
      service: { ...service, process: 'uvicorn' },
      endpoint: { kind: 'tcp', host: '127.0.0.1', port: 80 },
      probe: fail({ kind: 'http', code: 'ECONNREFUSED', errno: 111, target: 'http://127.0.0.1:80/healthz' }),
      evidence: listeners(tcp('127.0.0.1', 8001)),
    }),
    code: 'backend.down',
    errno: 111,
    message: /^nothing listens on nginx's front http:\/\/127\.0\.0\.1:80\/healthz$/,
    fix: /start nginx/,
  },
  {
    name: '404 through nginx: health.status, the fix points at server_name',
    input: input({ check: 'front', probe: fail({ kind: 'http', stage: 'response', code: 'HTTP_STATUS', status: 404, message: 'HTTP/1.1 404 Not Found', target: 'http://127.0.0.1:80/healthz' }) }),
    code: 'health.status',
    message: /through nginx/,
    fix: /server_name and location/,
  },
  {
    name: 'the previous release answers: health.unexpected with the observed value beside the expected one',
    input: input({
      check: 'health',
      probe: fail({
        kind: 'http',
        stage: 'response',
        code: 'UNEXPECTED_ANSWER',
        status: 200,
        message: 'HTTP/1.1 200 OK; X-Release differs',
        target: 'http://127.0.0.1:8000/healthz',
        mismatches: [
          { subject: 'X-Release', observed: '3f2a9c1', expected: '8d41e07', identity: true },
          { subject: 'JSON field version', observed: '1.4.1', expected: '1.4.2', identity: true },
        ],
      }),
    }),
    code: 'health.unexpected',
    message: /^http:\/\/127\.0\.0\.1:8000\/healthz answered 200, but X-Release is 3f2a9c1 \(the previous release\?\), expected 8d41e07$/,
    evidence: /also: JSON field version is 1\.4\.1 \(the previous release\?\), expected 1\.4\.2/,
    fix: /old process stopped/,
  },
  {
    name: 'through nginx, a body that is not JSON: health.unexpected says so, the fix points at the upstream',
    input: input({
      check: 'front',
      probe: fail({
        kind: 'http',
        stage: 'response',
        code: 'UNEXPECTED_ANSWER',
        status: 200,
        message: 'HTTP/1.1 200 OK; JSON field version differs',
        target: 'http://127.0.0.1:80/healthz',
        mismatches: [{ subject: 'JSON field version', expected: '1.4.2', problem: 'the body is not JSON: Unexpected token' }],
      }),
    }),
    code: 'health.unexpected',
    message: /^through nginx, http:\/\/127\.0\.0\.1:80\/healthz answered 200, but the body is not JSON: Unexpected token, expected JSON field version 1\.4\.2$/,
    fix: /stale upstream/,
  },
];

describe('classify', () => {
  for (const row of rows) {
    test(row.name, () => {
      const f = classify(row.input);
      assert.ok(f, 'a failed probe always yields a finding');
      assert.equal(f.code, row.code, f.message);
      assert.equal(f.severity, 'error');
      assert.equal(f.service, 'api');
      assert.ok(CODES[f.code as ReasonCode].phase === 'probe');
      if (row.errno !== undefined) assert.equal(f.errno, row.errno);
      if (row.errnoName !== undefined) assert.equal(f.errno_name, row.errnoName);
      assert.match(f.message, row.message);
      assert.ok(!f.message.includes('\n'), 'one line');
      assert.ok((f.evidence?.length ?? 0) > 0, 'evidence is never empty');
      if (row.evidence) assert.match(f.evidence?.join('\n') ?? '', row.evidence);
      assert.ok(f.fix, 'every finding has a fix');
      if (row.fix) assert.match(f.fix, row.fix);
    });
  }

  test('a passing probe yields no finding', () => {
    assert.equal(classify(input({ probe: { ok: true, kind: 'tcp', target: '127.0.0.1:8000', stage: 'connect', message: 'connected', timings } })), undefined);
  });

  test('every probe-phase code is produced by at least one row', () => {
    const produced = new Set(rows.map((r) => r.code));
    const missing = (Object.keys(CODES) as ReasonCode[]).filter((c) => CODES[c].phase === 'probe' && !produced.has(c));
    assert.deepEqual(missing, []);
  });

  test('the nginx line travels with the finding', () => {
    const f = classify(input({ endpoint: v6, dial, evidence: listeners(tcp('127.0.0.1', 8000)) }));
    assert.equal(f?.file, '/etc/nginx/conf.d/app.conf');
    assert.equal(f?.line, 12);
    assert.equal(f?.target, '[::1]:8000');
  });
});
