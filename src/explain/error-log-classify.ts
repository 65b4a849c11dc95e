// One parsed error-log line -> what failed, the likely cause and the fix.
// One ordered, pure decision chain over the errno number (never libc's words:
// musl words them differently), the phase (`while ...`) and nginx's fixed
// message prefixes. Catalogue: nginx 1.22-1.31 source and lines reproduced
// with Debian's nginx (see the test fixtures).
import { dirname } from 'node:path';
import { errnoName } from '../host/errno.js';
import type { ReasonCode } from '../model/codes.js';
import { upstreamAddress, type ErrorLogEntry } from '../diagnose/error-log.js';

export interface LogDiagnosis {
  /** stable id of the failure form: one explain group per upstream, errno and kind */
  kind: string;
  /** a reason code where the log alone supports it */
  code?: ReasonCode;
  /** the address nginx dialed (URI dropped), a host name for DNS failures, a group name for `no live upstreams` */
  upstream: string;
  errno?: number;
  errnoName?: string;
  cause: string;
  fix: string;
}

export interface Facts {
  e: ErrorLogEntry;
  addr: string;
  /** socket path when the upstream is a unix socket */
  socket?: string;
  port?: string;
  ipv6: boolean;
  errno?: number;
}

export interface Rule {
  kind: string;
  /** the log lines it matches, for the generated reference */
  doc: string;
  code?: ReasonCode;
  when(f: Facts): boolean;
  cause(f: Facts): string;
  fix(f: Facts): string;
  /** the errno is not an errno (DNS answer codes): keep it out of the group */
  noErrno?: boolean;
  /** the group's address when it is not the upstream field */
  addr?(f: Facts): string | undefined;
}

/** BSD kqueue builds report BSD errno numbers: mapped to Linux ones before classifying. */
const BSD_ERRNO: Record<number, number> = { 61: 111, 60: 110, 54: 104, 65: 113, 51: 101, 49: 99, 35: 11, 50: 100, 64: 112 };

const FAILURE_LEVELS = new Set(['error', 'crit', 'alert', 'emerg']);

const connecting = (f: Facts) => f.e.action === 'connecting to upstream';
/** TLS to the backend, not a client's handshake with nginx (`while SSL handshaking`) */
const tlsToUpstream = (f: Facts) => f.e.action === 'SSL handshaking to upstream';
const connectCall = (f: Facts) => /^(?:connect\(\)|kevent\(\) reported that connect\(\))/.test(f.e.message);
const msg = (prefix: string) => (f: Facts) => f.e.message.startsWith(prefix);
const quoted = (f: Facts) => /"([^"]*)"/.exec(f.e.message)?.[1];
const ssListen = (f: Facts) => (f.port ? `ss -ltnp 'sport = :${f.port}'` : 'ss -ltnp');
const where = (f: Facts) => (f.e.confFile ? ` (${f.e.confFile}${f.e.confLine ? `:${f.e.confLine}` : ''})` : '');

const RULES: Rule[] = [
  // --- configuration (nginx -t, start, reload) ---
  {
    kind: 'host_not_found',
    doc: '`[emerg] host not found in upstream "NAME" in FILE:LINE` (nginx -t, start, reload)',
    code: 'dns.unresolved',
    when: (f) => f.e.level === 'emerg' && msg('host not found in upstream')(f),
    addr: quoted,
    cause: (f) =>
      `nginx could not resolve "${quoted(f)}" while loading its configuration${where(f)}: it does not start, and a reload is refused (the old configuration keeps running)`,
    fix: () =>
      'fix the name, or make it resolvable before nginx starts (DNS, /etc/hosts, start the dependency first); for names that appear later, use a variable with `resolver` (or `server ... resolve` on nginx 1.27.3+)',
  },
  {
    kind: 'config_upstream',
    doc: '`[emerg] invalid port / no port / invalid host in upstream`, `may not have port`, `no servers are inside upstream`, `invalid URL prefix`',
    code: 'config.invalid',
    when: (f) =>
      f.e.level === 'emerg' &&
      /^(?:invalid port in upstream|no port in upstream|invalid host in upstream|upstream ".*" may not have port|no servers are inside upstream|invalid URL prefix)/.test(f.e.message),
    addr: (f) => quoted(f) ?? f.e.confFile,
    cause: (f) => `nginx rejected an upstream address in its configuration${where(f)}: ${f.e.message}`,
    fix: () =>
      'fastcgi_pass, uwsgi_pass and scgi_pass need HOST:PORT or unix:PATH; proxy_pass needs http:// or https://; a named upstream{} takes no port; run `nginx -t` after the fix',
  },
  // --- name resolution at run time (proxy_pass with variables and a resolver) ---
  {
    kind: 'dns_not_found',
    doc: '`NAME could not be resolved (3: Host not found)` (run-time resolver)',
    code: 'dns.unresolved',
    noErrno: true,
    when: (f) => / could not be resolved$/.test(f.e.message) && f.errno === 3,
    addr: (f) => f.e.message.slice(0, -' could not be resolved'.length),
    cause: (f) => `the resolver answered that ${f.addr} does not exist (NXDOMAIN): the service or container name is wrong or gone`,
    fix: () => 'fix the name in the variable used by the *_pass directive, or start the service that registers it (Docker: the container name on the same network)',
  },
  {
    kind: 'dns_failed',
    doc: '`NAME could not be resolved (N: ...)`, other resolver answers and timeouts',
    code: 'dns.unresolved',
    noErrno: true,
    when: (f) => / could not be resolved$/.test(f.e.message),
    addr: (f) => f.e.message.slice(0, -' could not be resolved'.length),
    cause: (f) => `nginx's resolver could not resolve ${f.addr} (${f.e.errno}: ${f.e.errnoText}): the DNS server is down, unreachable or failing`,
    fix: () => 'check the `resolver` address (Docker: 127.0.0.11, Kubernetes: the cluster DNS service) and `resolver_timeout`; the resolver lines of the log name the server',
  },
  {
    kind: 'no_resolver',
    doc: '`no resolver defined to resolve NAME`',
    code: 'dns.unresolved',
    when: msg('no resolver defined to resolve '),
    addr: (f) => f.e.message.slice('no resolver defined to resolve '.length),
    cause: (f) => `a *_pass directive holds a variable whose value is the host name ${f.addr}, and no \`resolver\` is configured: nginx cannot resolve names at run time`,
    fix: () => 'add `resolver <dns-ip> valid=30s;` to the http{} or server{} block, or dial an upstream{} group or a literal address instead of a variable',
  },
  {
    kind: 'resolver_unreachable',
    doc: '`recv() failed (...) while resolving, resolver: ADDR`',
    code: 'dns.unresolved',
    when: (f) => f.e.action === 'resolving',
    addr: (f) => f.e.resolver,
    cause: (f) => `nginx could not talk to its DNS resolver ${f.e.resolver ?? ''}: ${f.e.message}${f.errno !== undefined ? ` (${f.errno}: ${f.e.errnoText})` : ''}`,
    fix: () => 'fix the `resolver` address or start the DNS server it names; every name resolved at run time fails until then',
  },
  // --- choosing a peer ---
  {
    kind: 'no_live_upstreams',
    doc: '`no live upstreams while connecting to upstream`',
    when: msg('no live upstreams'),
    cause: (f) =>
      `every server of the upstream group ${f.addr} was marked failed (max_fails within fail_timeout) or is down: nginx did not even try to connect; the real cause is in the groups of the group's servers`,
    fix: () => "fix the servers' own failures (the other groups of this report); then consider max_fails / fail_timeout and a `backup` server",
  },
  {
    kind: 'worker_connections',
    doc: '`N worker_connections are not enough while connecting to upstream`',
    when: (f) => / worker_connections are not enough$/.test(f.e.message),
    cause: () => 'nginx ran out of worker_connections: each proxied request holds two (client and upstream); the request failed with 500',
    fix: () => 'raise worker_connections (and worker_rlimit_nofile / LimitNOFILE= with it)',
  },
  {
    kind: 'too_many_open_files',
    doc: '`socket() failed (24: Too many open files)`',
    when: (f) => msg('socket() failed')(f) && f.errno === 24,
    cause: () => 'nginx hit its open-file limit while opening an upstream connection (500)',
    fix: () => 'raise worker_rlimit_nofile and the service limit (systemd LimitNOFILE=)',
  },
  {
    kind: 'bind_failed',
    doc: '`bind(ADDR) failed (99 / 98)` (proxy_bind)',
    when: msg('bind('),
    cause: (f) => `nginx could not bind the source address for the upstream connection (${f.e.message}): the proxy_bind / fastcgi_bind address is not configured on this host, or its port is taken`,
    fix: () => 'fix or remove proxy_bind (fastcgi_bind, uwsgi_bind...) so it names an address this host owns',
  },
  // --- connecting: unix sockets ---
  {
    kind: 'socket_missing',
    doc: '`connect() to unix:PATH failed (2: No such file or directory)`',
    code: 'socket.missing',
    when: (f) => f.socket !== undefined && f.errno === 2,
    cause: (f) =>
      `the socket ${f.socket} does not exist: the service is not running, its listen path differs (php7.4-fpm.sock vs php8.2-fpm.sock), or it lives in another mount namespace (systemd PrivateTmp=, another container)`,
    fix: (f) => `compare the *_pass path with the service's listen setting (php-fpm \`listen =\`), start the service, then check: ls -l ${dirname(f.socket as string)}`,
  },
  {
    kind: 'socket_permission',
    doc: '`connect() to unix:PATH failed (13: Permission denied)`',
    code: 'socket.permission',
    when: (f) => f.socket !== undefined && f.errno === 13,
    cause: (f) => `nginx's worker user may not connect to ${f.socket}: it needs write permission on the socket and search (x) permission on every parent directory (or an SELinux/AppArmor label denies it)`,
    fix: (f) =>
      `let the nginx user in: php-fpm \`listen.owner\`/\`listen.group\` = the nginx user, \`listen.mode = 0660\` (or add the nginx user to the socket's group); check with: namei -l ${f.socket}`,
  },
  {
    kind: 'socket_refused',
    doc: '`connect() to unix:PATH failed (111: Connection refused)`',
    code: 'socket.refused',
    when: (f) => f.socket !== undefined && f.errno === 111,
    cause: (f) => `${f.socket} exists but nothing accepts on it: a stale socket file left by a service that stopped or crashed, or it is restarting`,
    fix: (f) => `restart the service that owns ${f.socket} (it recreates the socket), and find why it stopped (journalctl -u <unit>)`,
  },
  {
    kind: 'socket_backlog',
    doc: '`connect() to unix:PATH failed (11: Resource temporarily unavailable)`',
    when: (f) => f.socket !== undefined && f.errno === 11,
    cause: (f) => `the listen queue of ${f.socket} is full: the backend is saturated (php-fpm pm.max_children reached, slow requests)`,
    fix: () => 'add workers (pm.max_children), raise listen.backlog and net.core.somaxconn, and find the slow requests',
  },
  // --- connecting: TCP ---
  {
    kind: 'refused',
    doc: '`connect() failed (111: Connection refused) while connecting to upstream` (TCP; also BSD `kevent() reported that connect() failed (61: ...)`)',
    code: 'backend.down',
    when: (f) => connecting(f) && connectCall(f) && f.errno === 111,
    cause: (f) =>
      `nothing accepted connections on ${f.addr}: the backend is down or restarting, listens on another port, or is bound to another address${
        f.ipv6 ? ` (nginx dialed IPv6: a backend bound to 127.0.0.1 or 0.0.0.0 only refuses [::1]; \`localhost\` resolves to both)` : ' (127.0.0.1 vs ::1 vs a container address)'
      }; a firewall REJECT looks the same`,
    fix: (f) => `start the backend, then compare where it listens (${ssListen(f)}) with what nginx dials; bind it to that address, or change the *_pass / upstream server line`,
  },
  {
    kind: 'selinux_denied',
    doc: '`connect() to IP:PORT failed (13: Permission denied)` (TCP)',
    code: 'selinux.denied',
    when: (f) => connecting(f) && connectCall(f) && f.errno === 13,
    cause: () => 'the kernel refused nginx the connect (EACCES on TCP): SELinux (httpd_can_network_connect off, or the port is not labelled http_port_t) or another security module',
    fix: (f) => `setsebool -P httpd_can_network_connect 1, or label the port: semanage port -a -t http_port_t -p tcp ${f.port ?? '<port>'}; check: ausearch -m avc -ts recent`,
  },
  {
    kind: 'connect_timeout',
    doc: '`upstream timed out (110) while connecting to upstream`, `connect() failed (110)`',
    code: 'network.timeout',
    when: (f) => connecting(f) && f.errno === 110,
    cause: (f) => `nginx's SYN to ${f.addr} was never answered within proxy_connect_timeout: a firewall DROP rule or security group, a host that is down behind a router, or a wrong IP`,
    fix: (f) => `check the path to ${f.addr}: firewall rules (iptables -S, nft list ruleset), security groups, routing; with several servers, a short proxy_connect_timeout fails over sooner`,
  },
  {
    kind: 'unreachable',
    doc: '`connect() ... failed (113: No route to host / 101: Network is unreachable)`',
    code: 'network.unreachable',
    when: (f) => connecting(f) && (f.errno === 113 || f.errno === 101 || f.errno === 100 || f.errno === 112),
    cause: (f) =>
      f.errno === 101 || f.errno === 100
        ? `no route to the network of ${f.addr}${f.ipv6 ? ' (an IPv6 address on a host without IPv6 routing)' : ''}`
        : `${f.addr} is unreachable: the host is down (no ARP answer), or a router or firewall answered host-unreachable / admin-prohibited`,
    fix: (f) =>
      f.ipv6 ? 'dial an IPv4 address, or `resolver ... ipv6=off`, or fix IPv6 routing' : `check the backend host, its container network, and routes: ip route get ${hostOf(f.addr)}`,
  },
  {
    kind: 'no_ipv6',
    doc: '`connect() to [IPv6]:PORT failed (99: Cannot assign requested address)`',
    code: 'network.no_address_family',
    when: (f) => connecting(f) && f.errno === 99 && f.ipv6,
    cause: (f) => `nginx dialed ${f.addr}, an IPv6 address, on a host without IPv6 (disabled, so not even ::1 exists): the connect fails at once, and nginx moves on to the next address of the name`,
    fix: () => 'dial an IPv4 address (127.0.0.1 instead of localhost), or drop the ::1 mapping of the name (/etc/hosts)',
  },
  {
    kind: 'local_ports_exhausted',
    doc: '`connect() to IP:PORT failed (99: Cannot assign requested address)`',
    when: (f) => connecting(f) && f.errno === 99,
    cause: () => "no free local port for a new upstream connection: too many short-lived connections in TIME_WAIT",
    fix: () => 'keep upstream connections alive: `keepalive 32;` in the upstream{}, `proxy_http_version 1.1;` and `proxy_set_header Connection "";`; widen net.ipv4.ip_local_port_range',
  },
  {
    kind: 'connect_invalid',
    doc: '`connect() to IP:PORT failed (22: Invalid argument)`',
    when: (f) => connecting(f) && f.errno === 22,
    cause: () => 'the source and destination addresses cannot be paired: proxy_bind to a loopback address with an off-host upstream, or a link-local IPv6 address without a scope',
    fix: () => 'fix proxy_bind or the upstream address',
  },
  {
    kind: 'connect_reset',
    doc: '`connect() failed (104: Connection reset by peer) while connecting to upstream`',
    code: 'health.reset',
    when: (f) => connecting(f) && f.errno === 104,
    cause: (f) => `${f.addr} reset the connection during the TCP handshake (a middlebox, or a backend resetting its accept queue)`,
    fix: () => "check the backend's accept queue and anything in between (load balancer, firewall)",
  },
  {
    kind: 'connect_failed',
    doc: 'any other `connect()` failure while connecting to upstream',
    when: (f) => connecting(f) && connectCall(f),
    cause: (f) => `nginx could not connect to ${f.addr}: ${f.e.message}${f.errno !== undefined ? ` (${f.errno}: ${f.e.errnoText})` : ''}`,
    fix: () => 'look up the errno above; check that the backend listens where nginx dials',
  },
  // --- TLS to the upstream ---
  {
    kind: 'tls_timeout',
    doc: '`upstream timed out (110) while SSL handshaking to upstream`',
    code: 'health.timeout',
    when: (f) => tlsToUpstream(f) && f.errno === 110,
    cause: (f) => `${f.addr} accepted the connection but did not finish the TLS handshake within proxy_connect_timeout: it does not speak TLS on that port, or it is overloaded`,
    fix: () => 'dial the TLS port with https://, or the plain port with http://; check the backend load',
  },
  {
    kind: 'tls_plain',
    doc: '`SSL_do_handshake() failed (... wrong version number) while SSL handshaking to upstream`',
    code: 'health.protocol',
    when: (f) => tlsToUpstream(f) && msg('SSL_do_handshake() failed')(f) && /wrong version number|unknown protocol|http request|packet length too long|record layer failure/.test(f.e.message),
    cause: (f) => `nginx spoke TLS (https://) to ${f.addr}, which answered in plain text: a plain-HTTP port`,
    fix: () => 'use proxy_pass http:// for that port, or point https:// at the TLS port',
  },
  {
    kind: 'tls_closed',
    doc: '`peer closed connection in SSL handshake while SSL handshaking to upstream`',
    code: 'health.protocol',
    when: (f) => tlsToUpstream(f) && msg('peer closed connection in SSL handshake')(f),
    cause: (f) => `${f.addr} closed or reset the connection during the TLS handshake: not a TLS port, a rejected SNI name, or an overloaded backend`,
    fix: () => 'check that the port speaks TLS; send the name it expects with `proxy_ssl_server_name on;` and `proxy_ssl_name`',
  },
  {
    kind: 'tls_verify',
    doc: '`upstream SSL certificate verify error: (N:...)`',
    when: (f) => tlsToUpstream(f) && msg('upstream SSL certificate verify error')(f),
    cause: (f) => `nginx does not trust the certificate of ${f.addr}: ${f.e.message.replace(/^upstream SSL certificate verify error: /, '')}`,
    fix: () => 'add the issuing CA to proxy_ssl_trusted_certificate, fix the chain on the backend (or renew an expired certificate), or raise proxy_ssl_verify_depth',
  },
  {
    kind: 'tls_name',
    doc: '`upstream SSL certificate does not match "NAME"`',
    when: (f) => tlsToUpstream(f) && msg('upstream SSL certificate does not match')(f),
    cause: (f) => `the certificate of ${f.addr} does not name ${quoted(f) ?? 'the name nginx checks'} (proxy_ssl_name, by default the proxy_pass host)`,
    fix: () => 'set `proxy_ssl_name` to a name in the certificate (with `proxy_ssl_server_name on;`), or reissue the certificate with that name',
  },
  {
    kind: 'tls_handshake',
    doc: 'any other `SSL_do_handshake() failed` while SSL handshaking to upstream',
    when: (f) => tlsToUpstream(f) && msg('SSL_do_handshake() failed')(f),
    cause: (f) => `the TLS handshake with ${f.addr} failed: ${f.e.message.replace(/^SSL_do_handshake\(\) failed /, '')}; most often the backend needs SNI, a client certificate, or another protocol version`,
    fix: () => '`proxy_ssl_server_name on;` (+ proxy_ssl_name); proxy_ssl_certificate if the backend wants a client certificate; align proxy_ssl_protocols',
  },
  // --- waiting for the answer ---
  {
    kind: 'send_timeout',
    doc: '`upstream timed out (110) while sending request to upstream`',
    code: 'health.timeout',
    when: (f) => f.e.action === 'sending request to upstream' && f.errno === 110,
    cause: (f) => `${f.addr} stopped reading the request body for proxy_send_timeout: busy, blocked, or not reading uploads`,
    fix: () => 'find why the backend stalls on uploads; raise proxy_send_timeout only for slow clients of that location',
  },
  {
    kind: 'send_failed',
    doc: '`writev() / send() / sendfile() failed (32 / 104) while sending request to upstream`',
    code: 'health.reset',
    when: (f) => f.e.action === 'sending request to upstream' && /^(?:writev|send|sendfile)\(\) failed/.test(f.e.message),
    cause: (f) => `${f.addr} closed the connection while nginx was still sending the request: an upload over the backend's size limit, a killed worker, or a keepalive connection the backend timed out first`,
    fix: () => "align the backend's body limit with client_max_body_size; make the backend's keepalive timeout longer than the upstream{} keepalive_timeout",
  },
  {
    kind: 'read_timeout',
    doc: '`upstream timed out (110) while reading response header from upstream`',
    code: 'health.timeout',
    when: (f) => f.e.action === 'reading response header from upstream' && f.errno === 110,
    cause: (f) => `${f.addr} accepted the request but sent no response header within proxy_read_timeout: slow queries, lock waits, or an exhausted worker pool`,
    fix: () => "find the slow requests in the backend's log; raise proxy_read_timeout (fastcgi_read_timeout) only for locations that are slow by design",
  },
  {
    kind: 'premature_close',
    doc: '`upstream prematurely closed connection while reading response header from upstream`',
    code: 'health.reset',
    when: (f) => f.e.action === 'reading response header from upstream' && /^upstream prematurely closed (?:connection|FastCGI)/.test(f.e.message),
    cause: (f) => `${f.addr} closed the connection without answering: the app crashed on the request, its worker was killed (gunicorn --timeout, php-fpm request_terminate_timeout, the OOM killer), or a keepalive race`,
    fix: () => "read the backend's log (and dmesg for the OOM killer) at the times above",
  },
  {
    kind: 'reset',
    doc: '`recv() failed (104: Connection reset by peer)` before the response body (mostly while reading the response header)',
    code: 'health.reset',
    when: (f) => f.errno === 104 && /^(?:recv|readv|read)\(\) failed/.test(f.e.message) && f.e.action !== 'reading upstream',
    cause: (f) => `${f.addr} reset the connection before answering: a crash, a limit, proxy_pass http:// to a TLS port, or a PROXY-protocol mismatch`,
    fix: () => "read the backend's log at the times above; if that port speaks TLS, use https://",
  },
  {
    kind: 'too_big_header',
    doc: '`upstream sent too big header while reading response header from upstream`',
    when: msg('upstream sent too big header'),
    cause: (f) => `the response headers of ${f.addr} are larger than proxy_buffer_size (one memory page by default): big cookies, long Location/Link/CSP headers, JWTs`,
    fix: () => 'proxy_buffer_size 16k; proxy_buffers 8 16k; proxy_busy_buffers_size 32k; (fastcgi_buffer_size for PHP) - or shrink the headers',
  },
  {
    kind: 'invalid_header',
    doc: '`upstream sent invalid header: "..."`',
    when: msg('upstream sent invalid header'),
    cause: (f) => `${f.addr} sent a malformed response header: ${f.e.message.replace(/^upstream sent invalid header: /, '')}`,
    fix: () => 'fix the header in the backend (header names cannot hold spaces or control characters)',
  },
  {
    kind: 'not_http',
    doc: '`upstream sent no valid HTTP/1.0 header`',
    code: 'health.protocol',
    when: msg('upstream sent no valid HTTP/1.0 header'),
    cause: (f) => `${f.addr} did not answer in HTTP: nginx dials the wrong port (SSH, Redis, a database) or the backend writes garbage before the status line`,
    fix: (f) => `check which process listens there (${ssListen(f)}) and point the *_pass at the HTTP port`,
  },
  {
    kind: 'fastcgi_protocol',
    doc: '`upstream sent unsupported FastCGI protocol version: N` (and invalid record type / request id)',
    code: 'health.protocol',
    when: (f) => /^upstream sent (?:unsupported FastCGI protocol version|invalid FastCGI record type|unexpected FastCGI request id)/.test(f.e.message),
    cause: (f) => `fastcgi_pass dials ${f.addr}, which does not speak FastCGI${/version: 72$/.test(f.e.message) ? " (72 is the 'H' of an HTTP answer)" : ''}`,
    fix: () => 'point fastcgi_pass at the FastCGI listener (php-fpm), or use proxy_pass for an HTTP backend',
  },
  {
    kind: 'fastcgi_stderr',
    doc: '`FastCGI sent in stderr: "..."` (`Primary script unknown` explained)',
    when: msg('FastCGI sent in stderr'),
    cause: (f) =>
      /Primary script unknown/.test(f.e.message)
        ? 'php-fpm found no script at SCRIPT_FILENAME: `root` or `fastcgi_param SCRIPT_FILENAME` is wrong, or the file is missing'
        : `the FastCGI application wrote to stderr: ${f.e.message.replace(/^FastCGI sent in stderr: /, '')}`,
    fix: (f) =>
      /Primary script unknown/.test(f.e.message)
        ? 'fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name; with the right `root`, and check the file exists for the php-fpm user'
        : "read the application's error; these lines are the app's own messages, not a transport failure",
  },
  // --- the body, after the status went out ---
  {
    kind: 'body_timeout',
    doc: '`upstream timed out (110) while reading upstream` (body, after the status)',
    code: 'health.timeout',
    when: (f) => f.e.action === 'reading upstream' && f.errno === 110,
    cause: (f) => `${f.addr} stalled in the middle of a response body for proxy_read_timeout (streams without keep-alive pings, slow downloads); the client got a truncated body`,
    fix: () => 'send keep-alive data on long streams, or raise proxy_read_timeout for that location',
  },
  {
    kind: 'body_closed',
    doc: '`upstream prematurely closed connection` / `readv() failed (104)` while reading upstream',
    code: 'health.reset',
    when: (f) => f.e.action === 'reading upstream' && (msg('upstream prematurely closed')(f) || f.errno === 104),
    cause: (f) => `${f.addr} closed or reset the connection in the middle of a response body (a crash, or a wrong Content-Length); the client got a truncated body`,
    fix: () => "read the backend's log at the times above",
  },
  {
    kind: 'bad_chunked',
    doc: '`upstream sent invalid chunked response while reading upstream`',
    when: msg('upstream sent invalid chunked response'),
    cause: (f) => `${f.addr} sent broken chunked framing; nginx closed the client connection`,
    fix: () => "fix the backend's chunked encoding (or let it send Content-Length)",
  },
  {
    kind: 'stream_timeout',
    doc: 'stream{} UDP: `upstream timed out (110) while proxying connection`',
    when: (f) => f.e.action === 'proxying connection' && f.errno === 110 && msg('upstream timed out')(f),
    cause: (f) => `${f.addr} sent fewer UDP replies than proxy_responses before proxy_timeout`,
    fix: () => 'check the UDP backend, or proxy_responses / proxy_timeout',
  },
];

const OTHER: Rule = {
  kind: 'other',
  doc: 'any other `[error]` or worse line with an `upstream:` field: kept, with its message as the cause',
  when: () => true,
  cause: (f) => `nginx reported an upstream failure explain does not classify: ${f.e.message}${f.errno !== undefined ? ` (${f.errno}: ${f.e.errnoText})` : ''}`,
  fix: () => "read the sample line, and the backend's log at the times above",
};

/** What explain recognises, in decision order: for docs/reason-codes.md. */
export const LOG_FORMS: readonly { kind: string; code?: ReasonCode; doc: string }[] = [...RULES, OTHER].map((r) => ({
  kind: r.kind,
  doc: r.doc,
  ...(r.code !== undefined && { code: r.code }),
}));

/**
 * The diagnosis of one line, or undefined when the line is not an upstream
 * failure (access noise, `open() failed` for a missing file, a client that
 * gave up, [warn]/[info] lines such as `upstream server temporarily disabled`).
 */
export function classifyErrorLine(e: ErrorLogEntry): LogDiagnosis | undefined {
  const form = classifyForm(e);
  return form && describeForm(form);
}

/** What the classification decides before any text is written: enough for a line's group. */
export interface LogForm {
  kind: string;
  upstream: string;
  /** the errno the group keeps (none for the DNS answer codes) */
  errno?: number;
  rule: Rule;
  f: Facts;
}

/** classifyErrorLine's decision without its cause and fix: for lines whose group is already known, or full. */
export function classifyForm(e: ErrorLogEntry): LogForm | undefined {
  if (!FAILURE_LEVELS.has(e.level)) return undefined;
  const addr = e.upstream !== undefined ? upstreamAddress(e.upstream) : '';
  const errno = e.errno !== undefined && e.message.startsWith('kevent()') ? (BSD_ERRNO[e.errno] ?? e.errno) : e.errno;
  const f: Facts = { e, addr, ipv6: /(?:^|\/\/)\[/.test(addr), ...(errno !== undefined && { errno }) };
  const unix = /(?:^|\/\/)unix:(.*)$/.exec(addr) ?? /^connect\(\) to unix:(\S+) failed/.exec(e.message);
  if (unix) f.socket = unix[1] as string;
  const port = /:(\d+)$/.exec(addr);
  if (port && !unix) f.port = port[1] as string;

  const rule = RULES.find((r) => r.when(f)) ?? (e.upstream !== undefined ? OTHER : undefined);
  if (!rule) return undefined;
  const upstream = rule.addr?.(f) ?? (addr || (f.socket ? `unix:${f.socket}` : ''));
  if (!upstream) return undefined;
  return { kind: rule.kind, upstream, ...(!rule.noErrno && e.errno !== undefined && { errno: e.errno }), rule, f };
}

/** The diagnosis of a classified line: its cause and fix written out. */
export function describeForm(form: LogForm): LogDiagnosis {
  const { rule, f, upstream } = form;
  const d: LogDiagnosis = { kind: rule.kind, upstream, cause: rule.cause({ ...f, addr: upstream }), fix: rule.fix({ ...f, addr: upstream }) };
  if (rule.code) d.code = rule.code;
  if (form.errno !== undefined) {
    d.errno = form.errno;
    const name = errnoName(f.errno);
    if (name) d.errnoName = name;
  }
  return d;
}

function hostOf(addr: string): string {
  const a = addr.replace(/^[a-z]+:\/\//, '');
  const v6 = /^\[([^\]]+)\]/.exec(a);
  if (v6) return v6[1] as string;
  return a.replace(/:\d+$/, '');
}
