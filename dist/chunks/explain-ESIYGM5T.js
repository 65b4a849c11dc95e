import { createRequire as __ugateCreateRequire } from 'node:module';
const require = __ugateCreateRequire(import.meta.url);
import {
  errnoName,
  mismatchCode,
  paint,
  parseErrorLine,
  plural,
  relate,
  upstreamAddress,
  useColor
} from "./chunk-RUJXOTV6.js";
import {
  formatEndpoint
} from "./chunk-OYS7LNVX.js";
import {
  parseBackend,
  speaks
} from "./chunk-KHLXKQJU.js";
import {
  forTerminal,
  maskCredentials
} from "./chunk-HTEQBA5G.js";
import {
  oneOf,
  parseFlags
} from "./chunk-YO23R7XW.js";
import {
  EXIT
} from "./chunk-IKZMOE63.js";
import {
  parseDuration
} from "./chunk-WQXZYGRM.js";
import {
  UserError
} from "./chunk-ZLXW7TD3.js";
import "./chunk-AZCQPZHH.js";

// src/cli/explain.ts
import { resolve } from "node:path";

// src/explain/error-log-stream.ts
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { addAbortSignal, Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
var CHUNK = 64 * 1024;
var READ = 16 * CHUNK;
var MAX_LINE = 64 * 1024;
async function checkReadable(paths) {
  for (const p of paths) {
    if (p === "-") continue;
    try {
      const fh = await open(p, "r");
      const st = await fh.stat();
      await fh.close();
      if (st.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    } catch (e) {
      const code = e.code;
      const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied (run as a user who may read it)" : code === "EISDIR" ? "is a directory" : String(code ?? e);
      throw new UserError(`cannot read error log: ${why}`, p);
    }
  }
}
async function readLogText(path, onText, opts = {}) {
  const summary = { bytes: 0, dropped: 0, truncatedGzip: false };
  const splitter = textSplitter(onText);
  const push = (chunk) => {
    opts.signal?.throwIfAborted();
    summary.bytes += chunk.length;
    splitter.push(chunk);
  };
  try {
    if (path === "-" || !await readPlain(path, push, opts.signal, opts.range)) {
      for await (const chunk of decompressed(source(path, opts), summary)) push(chunk);
    }
  } catch (e) {
    const code = e?.code;
    if (typeof code === "string" && code.startsWith("Z_")) throw new UserError(`not a readable gzip file (${e.message})`, path);
    throw e;
  }
  splitter.end();
  summary.dropped = splitter.dropped();
  return summary;
}
function eachLine(text, start, end, onLine) {
  for (let i = start; i < end; ) {
    let nl = text.indexOf("\n", i);
    if (nl < 0 || nl > end) nl = end;
    onLine(i, nl);
    i = nl + 1;
  }
}
function isGzip(head) {
  return head.length >= 2 && head[0] === 31 && head[1] === 139;
}
function source(path, opts) {
  if (path !== "-") return createReadStream(path, { highWaterMark: CHUNK, ...opts.signal && { signal: opts.signal } });
  const stdin = opts.stdin ?? process.stdin;
  if (opts.signal) addAbortSignal(opts.signal, stdin);
  return stdin;
}
async function readPlain(path, push, signal, range) {
  let fh;
  let pending;
  try {
    fh = await open(path, "r");
    const bufs = [Buffer.allocUnsafe(READ), Buffer.allocUnsafe(READ)];
    let k = 0;
    const start = range?.start ?? 0;
    const end = range?.end ?? Infinity;
    let skipping = start > 0;
    let position = skipping ? start - 1 : 0;
    const first = await fh.read(bufs[0], 0, READ, position);
    if (!range && isGzip(bufs[0].subarray(0, first.bytesRead))) return false;
    let n = first.bytesRead;
    while (n > 0) {
      signal?.throwIfAborted();
      const cur = bufs[k].subarray(0, n);
      const base = position;
      position += n;
      k ^= 1;
      pending = fh.read(bufs[k], 0, READ, position);
      let from = 0;
      if (skipping) {
        const nl = cur.indexOf(10);
        from = nl < 0 ? n : nl + 1;
        skipping = nl < 0;
        if (!skipping && base + from >= end) return true;
      }
      const last = position >= end ? cur.indexOf(10, Math.max(from, end - 1 - base)) : -1;
      if (last >= 0) {
        push(cur.subarray(from, last + 1));
        return true;
      }
      if (from < n) push(from === 0 ? cur : cur.subarray(from));
      n = (await pending).bytesRead;
      pending = void 0;
    }
    return true;
  } finally {
    await pending?.catch(() => {
    });
    await fh?.close();
  }
}
async function* decompressed(source2, summary) {
  const it = source2[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  const head = Buffer.isBuffer(first.value) ? first.value : Buffer.from(first.value);
  async function* rest() {
    yield head;
    for (; ; ) {
      const n = await it.next();
      if (n.done) return;
      yield n.value;
    }
  }
  if (!isGzip(head)) {
    yield* rest();
    return;
  }
  const gunzip = createGunzip({ chunkSize: CHUNK });
  const feeding = pipeline(Readable.from(rest()), gunzip);
  feeding.catch(() => {
  });
  try {
    for await (const chunk of gunzip) yield chunk;
    await feeding;
  } catch (e) {
    if (isTruncatedGzip(e)) summary.truncatedGzip = true;
    else throw e;
  }
}
function isTruncatedGzip(e) {
  return e?.code === "Z_BUF_ERROR";
}
function textSplitter(onText) {
  let carry = "";
  let skipping = false;
  let dropped = 0;
  function take(text, start) {
    if (skipping) return;
    carry += text.slice(start);
    if (carry.length > MAX_LINE) {
      carry = "";
      skipping = true;
      dropped++;
    }
  }
  function pushChunk(chunk) {
    const text = chunk.toString("latin1");
    let start = 0;
    if (carry || skipping) {
      const nl = text.indexOf("\n");
      if (nl < 0) return take(text, 0);
      if (skipping) skipping = false;
      else {
        const line = carry + text.slice(0, nl);
        carry = "";
        onText(line, 0, line.length);
      }
      start = nl + 1;
    }
    const last = text.lastIndexOf("\n");
    if (last >= start) {
      onText(text, start, last + 1, chunk);
      start = last + 1;
    }
    if (start < text.length) take(text, start);
  }
  return {
    push(chunk) {
      for (let at2 = 0; at2 < chunk.length; at2 += CHUNK) pushChunk(at2 === 0 && chunk.length <= CHUNK ? chunk : chunk.subarray(at2, at2 + CHUNK));
    },
    end() {
      if (carry && !skipping) onText(carry, 0, carry.length);
      carry = "";
    },
    dropped: () => dropped
  };
}

// src/explain/threads.ts
import { open as open2, stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

// src/explain/error-log-classify.ts
import { dirname } from "node:path";
var BSD_ERRNO = { 61: 111, 60: 110, 54: 104, 65: 113, 51: 101, 49: 99, 35: 11, 50: 100, 64: 112 };
var FAILURE_LEVELS = /* @__PURE__ */ new Set(["error", "crit", "alert", "emerg"]);
var connecting = (f) => f.e.action === "connecting to upstream";
var tlsToUpstream = (f) => f.e.action === "SSL handshaking to upstream";
var connectCall = (f) => /^(?:connect\(\)|kevent\(\) reported that connect\(\))/.test(f.e.message);
var msg = (prefix) => (f) => f.e.message.startsWith(prefix);
var quoted = (f) => /"([^"]*)"/.exec(f.e.message)?.[1];
var ssListen = (f) => f.port ? `ss -ltnp 'sport = :${f.port}'` : "ss -ltnp";
var where = (f) => f.e.confFile ? ` (${f.e.confFile}${f.e.confLine ? `:${f.e.confLine}` : ""})` : "";
var RULES = [
  // --- configuration (nginx -t, start, reload) ---
  {
    kind: "host_not_found",
    doc: '`[emerg] host not found in upstream "NAME" in FILE:LINE` (nginx -t, start, reload)',
    code: "dns.unresolved",
    when: (f) => f.e.level === "emerg" && msg("host not found in upstream")(f),
    addr: quoted,
    cause: (f) => `nginx could not resolve "${quoted(f)}" while loading its configuration${where(f)}: it does not start, and a reload is refused (the old configuration keeps running)`,
    fix: () => "fix the name, or make it resolvable before nginx starts (DNS, /etc/hosts, start the dependency first); for names that appear later, use a variable with `resolver` (or `server ... resolve` on nginx 1.27.3+)"
  },
  {
    kind: "config_upstream",
    doc: "`[emerg] invalid port / no port / invalid host in upstream`, `may not have port`, `no servers are inside upstream`, `invalid URL prefix`",
    code: "config.invalid",
    when: (f) => f.e.level === "emerg" && /^(?:invalid port in upstream|no port in upstream|invalid host in upstream|upstream ".*" may not have port|no servers are inside upstream|invalid URL prefix)/.test(f.e.message),
    addr: (f) => quoted(f) ?? f.e.confFile,
    cause: (f) => `nginx rejected an upstream address in its configuration${where(f)}: ${f.e.message}`,
    fix: () => "fastcgi_pass, uwsgi_pass and scgi_pass need HOST:PORT or unix:PATH; proxy_pass needs http:// or https://; a named upstream{} takes no port; run `nginx -t` after the fix"
  },
  // --- name resolution at run time (proxy_pass with variables and a resolver) ---
  {
    kind: "dns_not_found",
    doc: "`NAME could not be resolved (3: Host not found)` (run-time resolver)",
    code: "dns.unresolved",
    noErrno: true,
    when: (f) => / could not be resolved$/.test(f.e.message) && f.errno === 3,
    addr: (f) => f.e.message.slice(0, -" could not be resolved".length),
    cause: (f) => `the resolver answered that ${f.addr} does not exist (NXDOMAIN): the service or container name is wrong or gone`,
    fix: () => "fix the name in the variable used by the *_pass directive, or start the service that registers it (Docker: the container name on the same network)"
  },
  {
    kind: "dns_failed",
    doc: "`NAME could not be resolved (N: ...)`, other resolver answers and timeouts",
    code: "dns.unresolved",
    noErrno: true,
    when: (f) => / could not be resolved$/.test(f.e.message),
    addr: (f) => f.e.message.slice(0, -" could not be resolved".length),
    cause: (f) => `nginx's resolver could not resolve ${f.addr} (${f.e.errno}: ${f.e.errnoText}): the DNS server is down, unreachable or failing`,
    fix: () => "check the `resolver` address (Docker: 127.0.0.11, Kubernetes: the cluster DNS service) and `resolver_timeout`; the resolver lines of the log name the server"
  },
  {
    kind: "no_resolver",
    doc: "`no resolver defined to resolve NAME`",
    code: "dns.unresolved",
    when: msg("no resolver defined to resolve "),
    addr: (f) => f.e.message.slice("no resolver defined to resolve ".length),
    cause: (f) => `a *_pass directive holds a variable whose value is the host name ${f.addr}, and no \`resolver\` is configured: nginx cannot resolve names at run time`,
    fix: () => "add `resolver <dns-ip> valid=30s;` to the http{} or server{} block, or dial an upstream{} group or a literal address instead of a variable"
  },
  {
    kind: "resolver_unreachable",
    doc: "`recv() failed (...) while resolving, resolver: ADDR`",
    code: "dns.unresolved",
    when: (f) => f.e.action === "resolving",
    addr: (f) => f.e.resolver,
    cause: (f) => `nginx could not talk to its DNS resolver ${f.e.resolver ?? ""}: ${f.e.message}${f.errno !== void 0 ? ` (${f.errno}: ${f.e.errnoText})` : ""}`,
    fix: () => "fix the `resolver` address or start the DNS server it names; every name resolved at run time fails until then"
  },
  // --- choosing a peer ---
  {
    kind: "no_live_upstreams",
    doc: "`no live upstreams while connecting to upstream`",
    when: msg("no live upstreams"),
    cause: (f) => `every server of the upstream group ${f.addr} was marked failed (max_fails within fail_timeout) or is down: nginx did not even try to connect; the real cause is in the groups of the group's servers`,
    fix: () => "fix the servers' own failures (the other groups of this report); then consider max_fails / fail_timeout and a `backup` server"
  },
  {
    kind: "worker_connections",
    doc: "`N worker_connections are not enough while connecting to upstream`",
    when: (f) => / worker_connections are not enough$/.test(f.e.message),
    cause: () => "nginx ran out of worker_connections: each proxied request holds two (client and upstream); the request failed with 500",
    fix: () => "raise worker_connections (and worker_rlimit_nofile / LimitNOFILE= with it)"
  },
  {
    kind: "too_many_open_files",
    doc: "`socket() failed (24: Too many open files)`",
    when: (f) => msg("socket() failed")(f) && f.errno === 24,
    cause: () => "nginx hit its open-file limit while opening an upstream connection (500)",
    fix: () => "raise worker_rlimit_nofile and the service limit (systemd LimitNOFILE=)"
  },
  {
    kind: "bind_failed",
    doc: "`bind(ADDR) failed (99 / 98)` (proxy_bind)",
    when: msg("bind("),
    cause: (f) => `nginx could not bind the source address for the upstream connection (${f.e.message}): the proxy_bind / fastcgi_bind address is not configured on this host, or its port is taken`,
    fix: () => "fix or remove proxy_bind (fastcgi_bind, uwsgi_bind...) so it names an address this host owns"
  },
  // --- connecting: unix sockets ---
  {
    kind: "socket_missing",
    doc: "`connect() to unix:PATH failed (2: No such file or directory)`",
    code: "socket.missing",
    when: (f) => f.socket !== void 0 && f.errno === 2,
    cause: (f) => `the socket ${f.socket} does not exist: the service is not running, its listen path differs (php7.4-fpm.sock vs php8.2-fpm.sock), or it lives in another mount namespace (systemd PrivateTmp=, another container)`,
    fix: (f) => `compare the *_pass path with the service's listen setting (php-fpm \`listen =\`), start the service, then check: ls -l ${dirname(f.socket)}`
  },
  {
    kind: "socket_permission",
    doc: "`connect() to unix:PATH failed (13: Permission denied)`",
    code: "socket.permission",
    when: (f) => f.socket !== void 0 && f.errno === 13,
    cause: (f) => `nginx's worker user may not connect to ${f.socket}: it needs write permission on the socket and search (x) permission on every parent directory (or an SELinux/AppArmor label denies it)`,
    fix: (f) => `let the nginx user in: php-fpm \`listen.owner\`/\`listen.group\` = the nginx user, \`listen.mode = 0660\` (or add the nginx user to the socket's group); check with: namei -l ${f.socket}`
  },
  {
    kind: "socket_refused",
    doc: "`connect() to unix:PATH failed (111: Connection refused)`",
    code: "socket.refused",
    when: (f) => f.socket !== void 0 && f.errno === 111,
    cause: (f) => `${f.socket} exists but nothing accepts on it: a stale socket file left by a service that stopped or crashed, or it is restarting`,
    fix: (f) => `restart the service that owns ${f.socket} (it recreates the socket), and find why it stopped (journalctl -u <unit>)`
  },
  {
    kind: "socket_backlog",
    doc: "`connect() to unix:PATH failed (11: Resource temporarily unavailable)`",
    when: (f) => f.socket !== void 0 && f.errno === 11,
    cause: (f) => `the listen queue of ${f.socket} is full: the backend is saturated (php-fpm pm.max_children reached, slow requests)`,
    fix: () => "add workers (pm.max_children), raise listen.backlog and net.core.somaxconn, and find the slow requests"
  },
  // --- connecting: TCP ---
  {
    kind: "refused",
    doc: "`connect() failed (111: Connection refused) while connecting to upstream` (TCP; also BSD `kevent() reported that connect() failed (61: ...)`)",
    code: "backend.down",
    when: (f) => connecting(f) && connectCall(f) && f.errno === 111,
    cause: (f) => `nothing accepted connections on ${f.addr}: the backend is down or restarting, listens on another port, or is bound to another address${f.ipv6 ? ` (nginx dialed IPv6: a backend bound to 127.0.0.1 or 0.0.0.0 only refuses [::1]; \`localhost\` resolves to both)` : " (127.0.0.1 vs ::1 vs a container address)"}; a firewall REJECT looks the same`,
    fix: (f) => `start the backend, then compare where it listens (${ssListen(f)}) with what nginx dials; bind it to that address, or change the *_pass / upstream server line`
  },
  {
    kind: "selinux_denied",
    doc: "`connect() to IP:PORT failed (13: Permission denied)` (TCP)",
    code: "selinux.denied",
    when: (f) => connecting(f) && connectCall(f) && f.errno === 13,
    cause: () => "the kernel refused nginx the connect (EACCES on TCP): SELinux (httpd_can_network_connect off, or the port is not labelled http_port_t) or another security module",
    fix: (f) => `setsebool -P httpd_can_network_connect 1, or label the port: semanage port -a -t http_port_t -p tcp ${f.port ?? "<port>"}; check: ausearch -m avc -ts recent`
  },
  {
    kind: "connect_timeout",
    doc: "`upstream timed out (110) while connecting to upstream`, `connect() failed (110)`",
    code: "network.timeout",
    when: (f) => connecting(f) && f.errno === 110,
    cause: (f) => `nginx's SYN to ${f.addr} was never answered within proxy_connect_timeout: a firewall DROP rule or security group, a host that is down behind a router, or a wrong IP`,
    fix: (f) => `check the path to ${f.addr}: firewall rules (iptables -S, nft list ruleset), security groups, routing; with several servers, a short proxy_connect_timeout fails over sooner`
  },
  {
    kind: "unreachable",
    doc: "`connect() ... failed (113: No route to host / 101: Network is unreachable)`",
    code: "network.unreachable",
    when: (f) => connecting(f) && (f.errno === 113 || f.errno === 101 || f.errno === 100 || f.errno === 112),
    cause: (f) => f.errno === 101 || f.errno === 100 ? `no route to the network of ${f.addr}${f.ipv6 ? " (an IPv6 address on a host without IPv6 routing)" : ""}` : `${f.addr} is unreachable: the host is down (no ARP answer), or a router or firewall answered host-unreachable / admin-prohibited`,
    fix: (f) => f.ipv6 ? "dial an IPv4 address, or `resolver ... ipv6=off`, or fix IPv6 routing" : `check the backend host, its container network, and routes: ip route get ${hostOf(f.addr)}`
  },
  {
    kind: "local_ports_exhausted",
    doc: "`connect() to IP:PORT failed (99: Cannot assign requested address)`",
    when: (f) => connecting(f) && f.errno === 99,
    cause: () => "no free local port for a new upstream connection: too many short-lived connections in TIME_WAIT",
    fix: () => 'keep upstream connections alive: `keepalive 32;` in the upstream{}, `proxy_http_version 1.1;` and `proxy_set_header Connection "";`; widen net.ipv4.ip_local_port_range'
  },
  {
    kind: "connect_invalid",
    doc: "`connect() to IP:PORT failed (22: Invalid argument)`",
    when: (f) => connecting(f) && f.errno === 22,
    cause: () => "the source and destination addresses cannot be paired: proxy_bind to a loopback address with an off-host upstream, or a link-local IPv6 address without a scope",
    fix: () => "fix proxy_bind or the upstream address"
  },
  {
    kind: "connect_reset",
    doc: "`connect() failed (104: Connection reset by peer) while connecting to upstream`",
    code: "health.reset",
    when: (f) => connecting(f) && f.errno === 104,
    cause: (f) => `${f.addr} reset the connection during the TCP handshake (a middlebox, or a backend resetting its accept queue)`,
    fix: () => "check the backend's accept queue and anything in between (load balancer, firewall)"
  },
  {
    kind: "connect_failed",
    doc: "any other `connect()` failure while connecting to upstream",
    when: (f) => connecting(f) && connectCall(f),
    cause: (f) => `nginx could not connect to ${f.addr}: ${f.e.message}${f.errno !== void 0 ? ` (${f.errno}: ${f.e.errnoText})` : ""}`,
    fix: () => "look up the errno above; check that the backend listens where nginx dials"
  },
  // --- TLS to the upstream ---
  {
    kind: "tls_timeout",
    doc: "`upstream timed out (110) while SSL handshaking to upstream`",
    code: "health.timeout",
    when: (f) => tlsToUpstream(f) && f.errno === 110,
    cause: (f) => `${f.addr} accepted the connection but did not finish the TLS handshake within proxy_connect_timeout: it does not speak TLS on that port, or it is overloaded`,
    fix: () => "dial the TLS port with https://, or the plain port with http://; check the backend load"
  },
  {
    kind: "tls_plain",
    doc: "`SSL_do_handshake() failed (... wrong version number) while SSL handshaking to upstream`",
    code: "health.protocol",
    when: (f) => tlsToUpstream(f) && msg("SSL_do_handshake() failed")(f) && /wrong version number|unknown protocol|http request|packet length too long|record layer failure/.test(f.e.message),
    cause: (f) => `nginx spoke TLS (https://) to ${f.addr}, which answered in plain text: a plain-HTTP port`,
    fix: () => "use proxy_pass http:// for that port, or point https:// at the TLS port"
  },
  {
    kind: "tls_closed",
    doc: "`peer closed connection in SSL handshake while SSL handshaking to upstream`",
    code: "health.protocol",
    when: (f) => tlsToUpstream(f) && msg("peer closed connection in SSL handshake")(f),
    cause: (f) => `${f.addr} closed or reset the connection during the TLS handshake: not a TLS port, a rejected SNI name, or an overloaded backend`,
    fix: () => "check that the port speaks TLS; send the name it expects with `proxy_ssl_server_name on;` and `proxy_ssl_name`"
  },
  {
    kind: "tls_verify",
    doc: "`upstream SSL certificate verify error: (N:...)`",
    when: (f) => tlsToUpstream(f) && msg("upstream SSL certificate verify error")(f),
    cause: (f) => `nginx does not trust the certificate of ${f.addr}: ${f.e.message.replace(/^upstream SSL certificate verify error: /, "")}`,
    fix: () => "add the issuing CA to proxy_ssl_trusted_certificate, fix the chain on the backend (or renew an expired certificate), or raise proxy_ssl_verify_depth"
  },
  {
    kind: "tls_name",
    doc: '`upstream SSL certificate does not match "NAME"`',
    when: (f) => tlsToUpstream(f) && msg("upstream SSL certificate does not match")(f),
    cause: (f) => `the certificate of ${f.addr} does not name ${quoted(f) ?? "the name nginx checks"} (proxy_ssl_name, by default the proxy_pass host)`,
    fix: () => "set `proxy_ssl_name` to a name in the certificate (with `proxy_ssl_server_name on;`), or reissue the certificate with that name"
  },
  {
    kind: "tls_handshake",
    doc: "any other `SSL_do_handshake() failed` while SSL handshaking to upstream",
    when: (f) => tlsToUpstream(f) && msg("SSL_do_handshake() failed")(f),
    cause: (f) => `the TLS handshake with ${f.addr} failed: ${f.e.message.replace(/^SSL_do_handshake\(\) failed /, "")}; most often the backend needs SNI, a client certificate, or another protocol version`,
    fix: () => "`proxy_ssl_server_name on;` (+ proxy_ssl_name); proxy_ssl_certificate if the backend wants a client certificate; align proxy_ssl_protocols"
  },
  // --- waiting for the answer ---
  {
    kind: "send_timeout",
    doc: "`upstream timed out (110) while sending request to upstream`",
    code: "health.timeout",
    when: (f) => f.e.action === "sending request to upstream" && f.errno === 110,
    cause: (f) => `${f.addr} stopped reading the request body for proxy_send_timeout: busy, blocked, or not reading uploads`,
    fix: () => "find why the backend stalls on uploads; raise proxy_send_timeout only for slow clients of that location"
  },
  {
    kind: "send_failed",
    doc: "`writev() / send() / sendfile() failed (32 / 104) while sending request to upstream`",
    code: "health.reset",
    when: (f) => f.e.action === "sending request to upstream" && /^(?:writev|send|sendfile)\(\) failed/.test(f.e.message),
    cause: (f) => `${f.addr} closed the connection while nginx was still sending the request: an upload over the backend's size limit, a killed worker, or a keepalive connection the backend timed out first`,
    fix: () => "align the backend's body limit with client_max_body_size; make the backend's keepalive timeout longer than the upstream{} keepalive_timeout"
  },
  {
    kind: "read_timeout",
    doc: "`upstream timed out (110) while reading response header from upstream`",
    code: "health.timeout",
    when: (f) => f.e.action === "reading response header from upstream" && f.errno === 110,
    cause: (f) => `${f.addr} accepted the request but sent no response header within proxy_read_timeout: slow queries, lock waits, or an exhausted worker pool`,
    fix: () => "find the slow requests in the backend's log; raise proxy_read_timeout (fastcgi_read_timeout) only for locations that are slow by design"
  },
  {
    kind: "premature_close",
    doc: "`upstream prematurely closed connection while reading response header from upstream`",
    code: "health.reset",
    when: (f) => f.e.action === "reading response header from upstream" && /^upstream prematurely closed (?:connection|FastCGI)/.test(f.e.message),
    cause: (f) => `${f.addr} closed the connection without answering: the app crashed on the request, its worker was killed (gunicorn --timeout, php-fpm request_terminate_timeout, the OOM killer), or a keepalive race`,
    fix: () => "read the backend's log (and dmesg for the OOM killer) at the times above"
  },
  {
    kind: "reset",
    doc: "`recv() failed (104: Connection reset by peer)` before the response body (mostly while reading the response header)",
    code: "health.reset",
    when: (f) => f.errno === 104 && /^(?:recv|readv|read)\(\) failed/.test(f.e.message) && f.e.action !== "reading upstream",
    cause: (f) => `${f.addr} reset the connection before answering: a crash, a limit, proxy_pass http:// to a TLS port, or a PROXY-protocol mismatch`,
    fix: () => "read the backend's log at the times above; if that port speaks TLS, use https://"
  },
  {
    kind: "too_big_header",
    doc: "`upstream sent too big header while reading response header from upstream`",
    when: msg("upstream sent too big header"),
    cause: (f) => `the response headers of ${f.addr} are larger than proxy_buffer_size (one memory page by default): big cookies, long Location/Link/CSP headers, JWTs`,
    fix: () => "proxy_buffer_size 16k; proxy_buffers 8 16k; proxy_busy_buffers_size 32k; (fastcgi_buffer_size for PHP) - or shrink the headers"
  },
  {
    kind: "invalid_header",
    doc: '`upstream sent invalid header: "..."`',
    when: msg("upstream sent invalid header"),
    cause: (f) => `${f.addr} sent a malformed response header: ${f.e.message.replace(/^upstream sent invalid header: /, "")}`,
    fix: () => "fix the header in the backend (header names cannot hold spaces or control characters)"
  },
  {
    kind: "not_http",
    doc: "`upstream sent no valid HTTP/1.0 header`",
    code: "health.protocol",
    when: msg("upstream sent no valid HTTP/1.0 header"),
    cause: (f) => `${f.addr} did not answer in HTTP: nginx dials the wrong port (SSH, Redis, a database) or the backend writes garbage before the status line`,
    fix: (f) => `check which process listens there (${ssListen(f)}) and point the *_pass at the HTTP port`
  },
  {
    kind: "fastcgi_protocol",
    doc: "`upstream sent unsupported FastCGI protocol version: N` (and invalid record type / request id)",
    code: "health.protocol",
    when: (f) => /^upstream sent (?:unsupported FastCGI protocol version|invalid FastCGI record type|unexpected FastCGI request id)/.test(f.e.message),
    cause: (f) => `fastcgi_pass dials ${f.addr}, which does not speak FastCGI${/version: 72$/.test(f.e.message) ? " (72 is the 'H' of an HTTP answer)" : ""}`,
    fix: () => "point fastcgi_pass at the FastCGI listener (php-fpm), or use proxy_pass for an HTTP backend"
  },
  {
    kind: "fastcgi_stderr",
    doc: '`FastCGI sent in stderr: "..."` (`Primary script unknown` explained)',
    when: msg("FastCGI sent in stderr"),
    cause: (f) => /Primary script unknown/.test(f.e.message) ? "php-fpm found no script at SCRIPT_FILENAME: `root` or `fastcgi_param SCRIPT_FILENAME` is wrong, or the file is missing" : `the FastCGI application wrote to stderr: ${f.e.message.replace(/^FastCGI sent in stderr: /, "")}`,
    fix: (f) => /Primary script unknown/.test(f.e.message) ? "fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name; with the right `root`, and check the file exists for the php-fpm user" : "read the application's error; these lines are the app's own messages, not a transport failure"
  },
  // --- the body, after the status went out ---
  {
    kind: "body_timeout",
    doc: "`upstream timed out (110) while reading upstream` (body, after the status)",
    code: "health.timeout",
    when: (f) => f.e.action === "reading upstream" && f.errno === 110,
    cause: (f) => `${f.addr} stalled in the middle of a response body for proxy_read_timeout (streams without keep-alive pings, slow downloads); the client got a truncated body`,
    fix: () => "send keep-alive data on long streams, or raise proxy_read_timeout for that location"
  },
  {
    kind: "body_closed",
    doc: "`upstream prematurely closed connection` / `readv() failed (104)` while reading upstream",
    code: "health.reset",
    when: (f) => f.e.action === "reading upstream" && (msg("upstream prematurely closed")(f) || f.errno === 104),
    cause: (f) => `${f.addr} closed or reset the connection in the middle of a response body (a crash, or a wrong Content-Length); the client got a truncated body`,
    fix: () => "read the backend's log at the times above"
  },
  {
    kind: "bad_chunked",
    doc: "`upstream sent invalid chunked response while reading upstream`",
    when: msg("upstream sent invalid chunked response"),
    cause: (f) => `${f.addr} sent broken chunked framing; nginx closed the client connection`,
    fix: () => "fix the backend's chunked encoding (or let it send Content-Length)"
  },
  {
    kind: "stream_timeout",
    doc: "stream{} UDP: `upstream timed out (110) while proxying connection`",
    when: (f) => f.e.action === "proxying connection" && f.errno === 110 && msg("upstream timed out")(f),
    cause: (f) => `${f.addr} sent fewer UDP replies than proxy_responses before proxy_timeout`,
    fix: () => "check the UDP backend, or proxy_responses / proxy_timeout"
  }
];
var OTHER = {
  kind: "other",
  doc: "any other `[error]` or worse line with an `upstream:` field: kept, with its message as the cause",
  when: () => true,
  cause: (f) => `nginx reported an upstream failure explain does not classify: ${f.e.message}${f.errno !== void 0 ? ` (${f.errno}: ${f.e.errnoText})` : ""}`,
  fix: () => "read the sample line, and the backend's log at the times above"
};
var LOG_FORMS = [...RULES, OTHER].map((r) => ({
  kind: r.kind,
  doc: r.doc,
  ...r.code !== void 0 && { code: r.code }
}));
function classifyErrorLine(e) {
  if (!FAILURE_LEVELS.has(e.level)) return void 0;
  const addr = e.upstream !== void 0 ? upstreamAddress(e.upstream) : "";
  const errno = e.errno !== void 0 && e.message.startsWith("kevent()") ? BSD_ERRNO[e.errno] ?? e.errno : e.errno;
  const f = { e, addr, ipv6: /(?:^|\/\/)\[/.test(addr), ...errno !== void 0 && { errno } };
  const unix = /(?:^|\/\/)unix:(.*)$/.exec(addr) ?? /^connect\(\) to unix:(\S+) failed/.exec(e.message);
  if (unix) f.socket = unix[1];
  const port = /:(\d+)$/.exec(addr);
  if (port && !unix) f.port = port[1];
  const rule = RULES.find((r) => r.when(f)) ?? (e.upstream !== void 0 ? OTHER : void 0);
  if (!rule) return void 0;
  const upstream = rule.addr?.(f) ?? (addr || (f.socket ? `unix:${f.socket}` : ""));
  if (!upstream) return void 0;
  const d = { kind: rule.kind, upstream, cause: rule.cause({ ...f, addr: upstream }), fix: rule.fix({ ...f, addr: upstream }) };
  if (rule.code) d.code = rule.code;
  if (!rule.noErrno && e.errno !== void 0) {
    d.errno = e.errno;
    const name2 = errnoName(errno);
    if (name2) d.errnoName = name2;
  }
  return d;
}
function hostOf(addr) {
  const a = addr.replace(/^[a-z]+:\/\//, "");
  const v6 = /^\[([^\]]+)\]/.exec(a);
  if (v6) return v6[1];
  return a.replace(/:\d+$/, "");
}

// src/explain/record.ts
var R_START = 0;
var R_END = 1;
var R_MSG = 2;
var R_CLIENT = 3;
var R_SERVER = 4;
var R_SERVER_END = 5;
var R_UP = 6;
var R_UP_CLOSE = 7;
var R_HOST = 8;
var R_HOST_END = 9;
var R_SAME = 10;
var R_FORM = 11;
var RECORD = 12;
var FORM_NEW = 1 << 30;
var UNKNOWN = -2;

// src/explain/js-scanner.ts
var PREFIX_TAIL = /\[(?:debug|info|notice|warn|error|crit|alert|emerg)\] \d+#\d+: (?:\*\d+ )?/y;
var CLIENT = ", client: ";
var SERVER = ", server: ";
var UPSTREAM = ', upstream: "';
var HOST = ', host: "';
var Cursor = class {
  constructor(needle) {
    this.needle = needle;
  }
  needle;
  from = 0;
  at = -2;
  /** a new text */
  reset() {
    this.at = -2;
  }
  /** The first occurrence at or after `from`, or -1. */
  find(text, from) {
    if (this.at !== -2 && from >= this.from && (this.at < 0 || from <= this.at)) return this.at;
    this.from = from;
    this.at = text.indexOf(this.needle, from);
    return this.at;
  }
  /** The first occurrence in [from, end), or -1. */
  within(text, from, end) {
    const at2 = this.find(text, from);
    return at2 < end ? at2 : -1;
  }
  /** The last occurrence in [from, end), or -1: the last, because a client can put any text into its request line. */
  last(text, from, end) {
    let at2 = this.within(text, from, end);
    if (at2 < 0) return -1;
    for (let next = this.within(text, at2 + 1, end); next >= 0; next = this.within(text, next + 1, end)) at2 = next;
    return at2;
  }
};
function createJsScanner() {
  const client = new Cursor(CLIENT);
  const server = new Cursor(SERVER);
  const upstream = new Cursor(UPSTREAM);
  const host = new Cursor(HOST);
  return {
    reset() {
      client.reset();
      server.reset();
      upstream.reset();
      host.reset();
    },
    line(t, s, e, rec) {
      if (e - s > MAX_LINE) return false;
      if (e > s && t.charCodeAt(e - 1) === 13) e--;
      rec[R_START] = s;
      rec[R_END] = e;
      rec[R_MSG] = -1;
      if (e - s < 24 || t.charCodeAt(s + 4) !== 47 || t.charCodeAt(s + 19) !== 32 || t.charCodeAt(s + 20) !== 91) return true;
      PREFIX_TAIL.lastIndex = s + 20;
      if (!PREFIX_TAIL.test(t) || PREFIX_TAIL.lastIndex > e) return true;
      const msg2 = PREFIX_TAIL.lastIndex;
      rec[R_MSG] = msg2;
      const level = t.charCodeAt(s + 21);
      if (level !== 101 && level !== 99 && level !== 97) return true;
      rec[R_SAME] = 0;
      rec[R_FORM] = -1;
      rec[R_SERVER] = UNKNOWN;
      rec[R_HOST] = UNKNOWN;
      const c = client.within(t, msg2, e);
      rec[R_CLIENT] = c;
      const u = c < 0 ? -1 : upstream.last(t, c, e);
      let v = -1;
      let close = -1;
      if (u >= 0) {
        v = u + UPSTREAM.length;
        close = t.indexOf('"', v);
        if (close < 0 || close > e) close = e;
      }
      rec[R_UP] = v;
      rec[R_UP_CLOSE] = close;
      return true;
    },
    findServer(t, c, e, rec) {
      const at2 = server.within(t, c, e);
      const v = at2 < 0 ? -1 : at2 + SERVER.length;
      let end = 0;
      if (v >= 0) {
        end = t.indexOf(", ", v);
        if (end < 0 || end > e) end = e;
      }
      rec[R_SERVER] = v;
      rec[R_SERVER_END] = end;
    },
    findHost(t, c, e, hostAt, rec) {
      const at2 = hostAt >= 0 ? holds(t, hostAt, HOST) ? hostAt : -1 : host.within(t, c, e);
      const v = at2 < 0 ? -1 : at2 + HOST.length;
      let end = 0;
      if (v >= 0) {
        end = t.indexOf('"', v);
        if (end < 0 || end > e) end = e;
      }
      rec[R_HOST] = v;
      rec[R_HOST_END] = end;
    }
  };
}
function holds(t, at2, needle) {
  if (at2 + needle.length > t.length) return false;
  for (let i = 0; i < needle.length; i++) if (t.charCodeAt(at2 + i) !== needle.charCodeAt(i)) return false;
  return true;
}

// src/explain/scan-wasm.ts
var SCAN_WASM_BASE64 = "AGFzbQEAAAABFgRgAAF/YAF/AX9gAABgBX9/f39/AX8DDAsBAgABAAAAAAMAAAUEAQDAAQYLAn8BQQALfwFBAAsHgAEKCWZvcm1Db3VudAAHCmFyZW5hQnl0ZXMACg1hcmVuYUNhcGFjaXR5AAkKcmVzZXRGb3JtcwABDWlucHV0Q2FwYWNpdHkABQxvdXRwdXRPZmZzZXQABApyZWNvcmRTaXplAAIKZm9ybU5ld0JpdAAGBHNjYW4AAAZtZW1vcnkCAArnFAu6CwEOfyAAQQBBwAD8CwBBfyECA0AgACAESgRAIAQiAQJ/A0AgACABSgRAIAH9AAQA/QwKCgoKCgoKCgoKCgoKCgoK/SP9ZCIDBEAgASADaGoiASAAIAAgAUobDAMLIAFBEGohAQwBCwsgAAsiCSIBSAR/IAFBAWstAABBDUYFQQALBH8gAUEBawUgAQshByAKQTBsQYCACGohDiAKQQFqIQogDiAENgIAIA4gBzYCBCAOIAcgBGtBGE4EfyAELQAEQS9GBUEACwR/IAQtABNBIEYFQQALBH8gBC0AFEHbAEYFQQALBH8gBEEUahADIgEgB0oEf0F/BSABCwVBfwsiCDYCCEEAIQwgCEEATgRAIAJBAE4Ef0EAIQECfwNAIAFBCGoiA0ETTARAQQAgASAEaikDACABIAJqKQMAUg0CGiADIQEMAQsLA0AgAUETSARAQQAgASAEai0AACABIAJqLQAARw0CGiABQQFqIQEMAQsLQQELBUEAC0EARyEMIAQhAgsgDiAMNgIoQX8hDEF/IQVBfyEDQX8hCyAIQQBOBEAgCCEGA0AgBiAHSARAIAb9AAQA/QwsLCwsLCwsLCwsLCwsLCws/SP9ZCENA0AgDQRAAkAgBiANaGohASANIA1BAWtxIQ0gASAHTg0AIAxBAEgEQCABIAwgASkDAEKswIzjlq2Zt/QAUQR/IAEvAQhBusAARgVBAAsbIQwFIAVBAEgEfyABKQMAQqzAzKumzt2y8gBRBH8gAS8BCEG6wABGBUEACwVBAAsEQCABIQUFIAEtAABBLEYEfyABKQMBQqDqwZvHztyy4QBRBUEACwR/IAEoAglB7fSAkQJGBUEACwRAIAEhAwUgASALIAtBAEgEfyABKQMAQqzAoPu2jp2dIFEEfyABLQAIQSJGBUEACwVBAAsbIQsLCwsMAgsLCyAGQRBqIQYMAQsLCyAOIAw2AgxBfyENIAVBAE4EfyAFQQpqIg0hAQJ/A0AgASAHSARAIAcgBwJ/A0AgASAHSARAIAH9AAQA/QwsLCwsLCwsLCwsLCwsLCws/SP9ZCIFBEAgASAFaGoiASAHIAEgB0gbDAMLIAFBEGohAQwBCwsgBwsiAUwNAhogASABQQFqIgEtAABBIEYNAhoMAQsLIAcLBUF/CyEBIA4gDTYCECAOIAE2AhRBfyEBQX8hBSADQQBOBH8gA0ENaiIBIQYCfwNAIAYgB0gEQCAG/QAEAP0MIiIiIiIiIiIiIiIiIiIiIv0j/WQiAwRAIAYgA2hqIgMgByADIAdIGwwDCyAGQRBqIQYMAQsLIAcLIgVBCmpBfyAFQQFqIgMpAwBCrMCg+7aOnZ0gUQR/IAMtAAhBIkYFQQALGwVBfyALQQlqIAtBAEgbCyEGIA4gATYCGCAOIAU2AhwgDiAGNgIgIA4gBkEATgR/An8DQCAGIAdIBEAgBv0ABAD9DCIiIiIiIiIiIiIiIiIiIiL9I/1kIgMEQCAGIANoaiIDIAcgAyAHSBsMAwsgBkEQaiEGDAELCyAHCwVBfws2AiQgDiAIQQBOBH8gBC0AFQVBAAsiA0HjAEYgA0HlAEZyIANB4QBGcgR/IAwgByAMQQBOGyEGIAFBACABQQBOIgMbIQcgAwRAIAEhAwNAIANBA2ogBUwEQAJAIAMtAABBOkYEfyADLQABQS9GBUEACwR/IAMtAAJBL0YFQQALBEAgA0EDaiEBDAELIANBAWohAwwCCwsLIAFBBWogBUwEfyABKAIAQfXcpcMHRgVBAAsEfyABLQAEQTpGBUEAC0UEQANAIAEgBUgEQAJAIAH9AAQA/QwvLy8vLy8vLy8vLy8vLy8v/SP9ZCIDBEAgASADaGoiASAFIAEgBUgbIQUMAQsgAUEQaiEBDAILCwsLBUEAIQULIARBFWogCCAGIAcgBRAIBUF/CzYCLCAJQQFqIQQMAQsLIAoLGABBgICAAkEAQYCAIPwLAEEAJABBACQBCwQAQQwL0AMBAX8CQCAALQAAQdsARw0AIABBAWoiACgCACIBQeTKiasHRgR/IAAtAARB5wBGBUEACwR/QQUFIAFB6dyZ+wZGBH9BBAUgAUHu3tHLBkYEfyAALwEEQePKAUYFQQALBH9BBgUgAUH3wsnzBkYEf0EEBSABQeXkyfsGRgR/IAAtAARB8gBGBUEACwR/QQUFIAFB4+SlowdGBH9BBAUgAUHh2JWTB0YEfyAALQAEQfQARgVBAAsEf0EFBSABQeXalZMHRgR/IAAtAARB5wBGBUEAC0UNB0EACxpBBQsLCwsLCyAAaiIALQAAQd0ARwR/QQEFIAAtAAFBIEcLDQAgAEECaiIALQAAQTBrQQpPDQADQCAALQAAQTBrQQpJBEAgAEEBaiEADAELCyAALQAAQSNHDQAgAEEBaiIALQAAQTBrQQpPDQADQCAALQAAQTBrQQpJBEAgAEEBaiEADAELCyAALQAAQTpHBH9BAQUgAC0AAUEgRwsNACAAQQJqIgEtAABBKkYEfyABLQABQTBrQQpJBUEACwRAIAFBAWohAANAIAAtAABBMGtBCkkEQCAAQQFqIQAMAQsLIAAtAABBIEYEQCAAQQFqDwsLIAEPC0F/CwYAQYCACAsGAEGAgAQLCABBgICAgAQLBAAjAAuPBQIIfwF+IAQgA2siCyACIAFrIgxBA2pqIgogAC8BAHNBsfPd8XlsIQcgASEFA0AgBUEIaiIGIAJMBEAgBSkDACINpyANQiCIp3MgB3NBsfPd8XlsIQcgBiEFDAELCwNAIAIgBUoEQCAFIgZBAWohBSAHIAYtAABzQbHz3fF5bCEHDAELCyADIQUDQCAEIAVKBEAgBS0AAEGAAmogB3NBsfPd8XlsIQcgBUEBaiEFDAELCyAHIAdBD3ZzIgZFBEBBASEGCyAGQf//AXEhBANAIARBBHRBgICAAmoiCSgCACICBEAgAiAGRgR/IAkoAgwgCkYFQQALBEAgCSgCCEGAgKACaiIILwEAIAAvAQBGBH8gCEECaiEHQQAhAgJ/A0AgAkEIaiIFIAxMBEBBACACIAdqKQMAIAEgAmopAwBSDQIaIAUhAgwBCwsDQCACIAxIBEBBACACIAdqLQAAIAEgAmotAABHDQIaIAJBAWohAgwBCwtBAQsFQQALBH8gCEECaiAMai0AAAVBAQsEf0EABSAIQQNqIAxqIQdBACECAn8DQCACQQhqIgUgC0wEQEEAIAIgB2opAwAgAiADaikDAFINAhogBSECDAELCwNAIAIgC0gEQEEAIAIgB2otAAAgAiADai0AAEcNAhogAkEBaiECDAELC0EBCwsEQCAJKAIEDwsLIARBAWpB//8BcSEEDAELCyMBQYCAoAJqIgIgAC8BADsBACACQQJqIgAgASAM/AoAACAAIAxqQQA6AAAgAkEDaiAMaiADIAv8CgAAIARBBHRBgICAAmoiACAGNgIAIAAjADYCBCAAIwE2AgggACAKNgIMIwEgCmokASMAIgBBAWokACAAQYCAgIAEagsHAEGAgIACCwQAIwEL";

// src/explain/wasm-scanner.ts
var instance;
function wasmScanner() {
  if (instance === void 0) {
    try {
      const wa = globalThis.WebAssembly;
      const x = new wa.Instance(new wa.Module(Buffer.from(SCAN_WASM_BASE64, "base64"))).exports;
      if (x.recordSize() !== RECORD || x.formNewBit() !== FORM_NEW) throw new Error("scanner layout");
      const capacity = x.inputCapacity();
      const input = new Uint8Array(x.memory.buffer, 0, capacity);
      const records = new Int32Array(x.memory.buffer, x.outputOffset(), RECORD * (capacity + 1));
      instance = {
        capacity,
        records,
        scan(bytes) {
          input.set(bytes);
          return x.scan(bytes.length);
        },
        forms: () => x.formCount(),
        full: () => x.arenaBytes() > x.arenaCapacity(),
        resetForms: () => x.resetForms(),
        owner: void 0
      };
    } catch {
      instance = null;
    }
  }
  return instance ?? void 0;
}

// src/explain/explain.ts
var MAX_NAMES = 20;
var MAX_GROUPS = 1e3;
var MAX_CACHED = 2e4;
var BUCKETS = 4096;
var NOT_COUNTED = null;
var TIME = /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d$/;
function createExplainer(window = {}, opts = {}) {
  const wasm = opts.wasm === false ? void 0 : wasmScanner();
  const js = createJsScanner();
  const line = new Int32Array(RECORD);
  const scannedSlots = [];
  const groups = /* @__PURE__ */ new Map();
  let buckets = new Array(BUCKETS);
  let forms = 0;
  const stats = { lines: 0, unparsed: 0, failures: 0, outside: 0, ungrouped: 0 };
  const since = window.since;
  const until = window.until;
  let from;
  let to;
  let second = "";
  let outside = false;
  function setSecond(t) {
    second = t;
    outside = since !== void 0 && t < since || until !== void 0 && t > until;
    if (from === void 0 || t < from) from = t;
    if (to === void 0 || t > to) to = t;
  }
  function resolve2(text) {
    const e = parseErrorLine(text);
    if (!e) return NOT_COUNTED;
    const d = classifyErrorLine(e);
    if (!d) return NOT_COUNTED;
    const key = `${d.upstream}\0${d.errno ?? ""}\0${d.kind}`;
    let acc = groups.get(key);
    if (acc) return acc;
    if (groups.size >= MAX_GROUPS) return "ungrouped";
    const group = {
      upstream: utf8(d.upstream),
      ...d.errno !== void 0 && { errno: d.errno },
      ...d.errnoName !== void 0 && { errno_name: d.errnoName },
      ...d.code !== void 0 && { code: d.code },
      count: 0,
      first: "",
      last: "",
      servers: [],
      hosts: [],
      sample: "",
      cause: utf8(d.cause),
      fix: utf8(d.fix),
      kind: d.kind,
      ...e.confFile !== void 0 && { file: utf8(e.confFile) },
      ...e.confLine !== void 0 && { line: e.confLine }
    };
    acc = { group, servers: [], hosts: [], first: "", last: "", second: "", lastServer: "\0", lastHost: "\0" };
    groups.set(key, acc);
    return acc;
  }
  function lookup(t, s, e, level, msg2, msgEnd, up) {
    const len = msgEnd - msg2;
    const h = len * 31 + up.length * 131 + t.charCodeAt(msgEnd - 1) + t.charCodeAt(msg2 + (len >> 1)) * 7 + level * 17 + (up.length ? up.charCodeAt(up.length - 1) : 0) & BUCKETS - 1;
    let bucket = buckets[h];
    if (bucket) {
      for (let i = 0; i < bucket.length; i++) {
        const f = bucket[i];
        if (f.level === level && f.message.length === len && f.upstream === up && t.slice(msg2, msgEnd) === f.message) return f.slot;
      }
    }
    const slot = resolve2(t.slice(s, e));
    if (++forms > MAX_CACHED) {
      buckets = new Array(BUCKETS);
      forms = 1;
      bucket = void 0;
    }
    if (!bucket) buckets[h] = bucket = [];
    bucket.push({ level, message: copy(t.slice(msg2, msgEnd)), upstream: copy(up), slot });
    return slot;
  }
  function tally(slot, t, rec, k, base, s, e) {
    if (slot === NOT_COUNTED) return;
    if (outside) {
      stats.outside++;
      return;
    }
    stats.failures++;
    if (slot === "ungrouped") {
      stats.ungrouped++;
      return;
    }
    const acc = slot;
    acc.group.count++;
    if (acc.second !== second) {
      acc.second = second;
      if (acc.first === "" || second < acc.first) {
        acc.first = second;
        acc.group.sample = utf8(t.slice(s, e));
      }
      if (second > acc.last) acc.last = second;
    }
    const c = at(rec, k + R_CLIENT, base);
    if (c < 0) return;
    if (acc.servers.length < MAX_NAMES) {
      if (rec[k + R_SERVER] === UNKNOWN) js.findServer(t, c, e, rec);
      const v = at(rec, k + R_SERVER, base);
      if (v >= 0) acc.lastServer = name(acc.servers, acc.lastServer, t, v, at(rec, k + R_SERVER_END, base));
    }
    if (acc.hosts.length < MAX_NAMES) {
      if (rec[k + R_HOST] === UNKNOWN) {
        const up = rec[k + R_UP];
        js.findHost(t, c, e, up < 0 ? -1 : at(rec, k + R_UP_CLOSE, base) + 1, rec);
      }
      const v = at(rec, k + R_HOST, base);
      if (v >= 0) acc.lastHost = name(acc.hosts, acc.lastHost, t, v, at(rec, k + R_HOST_END, base));
    }
  }
  function slow(text) {
    const e = parseErrorLine(text);
    if (!e) {
      if (text.trim() !== "") stats.unparsed++;
      return;
    }
    if (e.time !== second) setSecond(copy(e.time));
    if (e.level !== "error" && e.level !== "crit" && e.level !== "alert" && e.level !== "emerg") return;
    js.reset();
    line[R_CLIENT] = text.indexOf(CLIENT);
    line[R_UP] = -1;
    line[R_SERVER] = UNKNOWN;
    line[R_HOST] = UNKNOWN;
    tally(resolve2(text), text, line, 0, 0, 0, text.length);
    js.reset();
  }
  function count(t, rec, k, base, timeKnown) {
    const s = base + rec[k + R_START];
    const e = base + rec[k + R_END];
    const m = rec[k + R_MSG];
    if (m < 0) {
      slow(t.slice(s, e));
      return false;
    }
    if (!timeKnown && !sameSecond(t, s, second)) {
      const time = copy(t.slice(s, s + 19));
      if (!TIME.test(time)) {
        slow(t.slice(s, e));
        return false;
      }
      setSecond(time);
    }
    const level = t.charCodeAt(s + 21);
    if (level !== 101 && level !== 99 && level !== 97) return true;
    const form = rec[k + R_FORM];
    let slot;
    if (form >= 0) {
      const id = form & FORM_NEW - 1;
      slot = form & FORM_NEW ? scannedSlots[id] = resolve2(t.slice(s, e)) : scannedSlots[id];
    } else {
      const c = at(rec, k + R_CLIENT, base);
      const upV = at(rec, k + R_UP, base);
      const up = upV < 0 ? "" : upstreamAddress(t.slice(upV, at(rec, k + R_UP_CLOSE, base)));
      slot = lookup(t, s, e, level * 256 + t.charCodeAt(s + 22), base + m, c < 0 ? e : c, up);
    }
    tally(slot, t, rec, k, base, s, e);
    return true;
  }
  function scanBytes(wasm2, t, start, end, bytes) {
    if (wasm2.owner !== scannedSlots || wasm2.forms() > MAX_CACHED || wasm2.full()) {
      wasm2.resetForms();
      scannedSlots.length = 0;
      wasm2.owner = scannedSlots;
    }
    const n = wasm2.scan(bytes.subarray(start, end));
    const r = wasm2.records;
    let timeKnown = false;
    for (let i = 0, k = 0; i < n; i++, k += RECORD) {
      stats.lines++;
      timeKnown = count(t, r, k, start, timeKnown && r[k + R_SAME] === 1);
    }
  }
  function scanLine(t, s, e) {
    stats.lines++;
    if (js.line(t, s, e, line)) count(t, line, 0, 0, false);
  }
  function addText(text, start, end, bytes) {
    js.reset();
    if (bytes && wasm && end - start <= wasm.capacity) return scanBytes(wasm, text, start, end, bytes);
    eachLine(text, start, end, (s, e) => scanLine(text, s, e));
  }
  function state() {
    return {
      stats: { ...stats, ...from !== void 0 && { from }, ...to !== void 0 && { to } },
      groups: [...groups].map(([key, a]) => ({ key, group: a.group, servers: a.servers, hosts: a.hosts, first: a.first, last: a.last }))
    };
  }
  function merge(other) {
    const o = other.stats;
    stats.lines += o.lines;
    stats.unparsed += o.unparsed;
    stats.failures += o.failures;
    stats.outside += o.outside;
    stats.ungrouped += o.ungrouped;
    if (o.from !== void 0 && (from === void 0 || o.from < from)) from = o.from;
    if (o.to !== void 0 && (to === void 0 || o.to > to)) to = o.to;
    for (const g of other.groups) {
      const acc = groups.get(g.key);
      if (!acc) {
        if (groups.size >= MAX_GROUPS) {
          stats.ungrouped += g.group.count;
          continue;
        }
        groups.set(g.key, { group: { ...g.group }, servers: [...g.servers], hosts: [...g.hosts], first: g.first, last: g.last, second: "", lastServer: "\0", lastHost: "\0" });
        continue;
      }
      acc.group.count += g.group.count;
      acc.second = "";
      if (g.first !== "" && (acc.first === "" || g.first < acc.first)) {
        acc.first = g.first;
        acc.group.sample = g.group.sample;
      }
      if (g.last > acc.last) acc.last = g.last;
      for (const n of g.servers) if (acc.servers.length < MAX_NAMES && !acc.servers.includes(n)) acc.servers.push(n);
      for (const n of g.hosts) if (acc.hosts.length < MAX_NAMES && !acc.hosts.includes(n)) acc.hosts.push(n);
    }
  }
  return {
    add(text) {
      js.reset();
      scanLine(text, 0, text.length);
    },
    addText,
    state,
    merge,
    result() {
      const out = [...groups.values()].filter((a) => a.group.count > 0).map((a) => ({
        ...a.group,
        first: isoTime(a.first),
        last: isoTime(a.last),
        servers: a.servers.map(utf8).sort(),
        hosts: a.hosts.map(utf8).sort()
      }));
      out.sort((a, b) => b.count - a.count || (a.first < b.first ? -1 : a.first > b.first ? 1 : 0) || a.upstream.localeCompare(b.upstream));
      return { ...stats, ...from !== void 0 && { from }, ...to !== void 0 && { to }, groups: out };
    }
  };
}
function at(rec, i, base) {
  const x = rec[i];
  return x < 0 ? x : base + x;
}
function sameSecond(t, s, second) {
  return t.charCodeAt(s + 18) === second.charCodeAt(18) && t.slice(s, s + 19) === second;
}
function name(names, previous, t, v, end) {
  if (end - v === previous.length && t.slice(v, end) === previous) return previous;
  if (end === v) return previous;
  const value = t.slice(v, end);
  for (let i = 0; i < names.length; i++) if (names[i] === value) return names[i];
  if (names.length >= MAX_NAMES) return previous;
  const kept = copy(value);
  names.push(kept);
  return kept;
}
function copy(s) {
  return Buffer.from(s, "latin1").toString("latin1");
}
function utf8(s) {
  return Buffer.from(s, "latin1").toString("utf8");
}
function isoTime(logTime2) {
  return `${logTime2.slice(0, 10).replace(/\//g, "-")}T${logTime2.slice(11)}`;
}
function logTime(d) {
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}/${p(d.getMonth() + 1)}/${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

// src/explain/threads.ts
var PARALLEL_MIN_BYTES = 32 * 1024 * 1024;
var DEFAULT_MAX_THREADS = 2;
var WORKER_YOUNG_MB = 3;
var WORKER = "upstream-gate explain worker";
var WORKER_FAILURES = /* @__PURE__ */ new Set(["ERR_WORKER_INIT_FAILED", "ERR_WORKER_OUT_OF_MEMORY", "ERR_WORKER_EXITED"]);
function defaultThreads() {
  return Math.max(1, Math.min(DEFAULT_MAX_THREADS, availableParallelism()));
}
async function explainLog(path, explainer, opts = {}) {
  const threads = opts.threads ?? 1;
  const size = path === "-" || threads < 2 ? 0 : await plainSize(path);
  if (size < PARALLEL_MIN_BYTES) return { ...await readLogText(path, explainer.addText, opts), workers: 0 };
  const parts = Math.min(threads, Math.floor(size / (PARALLEL_MIN_BYTES / 2)));
  const ranges = Array.from({ length: parts }, (_, i) => ({ start: Math.floor(size * i / parts), end: i === parts - 1 ? size : Math.floor(size * (i + 1) / parts) }));
  const window = opts.window ?? {};
  opts.signal?.throwIfAborted();
  const stop = new AbortController();
  const onAbort = () => stop.abort(opts.signal?.reason);
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  const workers = ranges.map((range) => inWorker({ [WORKER]: true, path, range, window }, stop.signal));
  for (const w of workers) w.catch(() => {
  });
  const summary = { bytes: size, dropped: 0, truncatedGzip: false, workers: 0 };
  try {
    for (const [i, w] of workers.entries()) {
      let byWorker = true;
      const done = await w.catch((e) => {
        opts.signal?.throwIfAborted();
        if (!WORKER_FAILURES.has(e.code ?? "")) throw e;
        byWorker = false;
        return inThisThread(path, ranges[i], window, opts.signal);
      });
      if (byWorker) summary.workers++;
      explainer.merge(done.state);
      summary.dropped += done.dropped;
    }
  } catch (e) {
    stop.abort(e);
    throw e;
  } finally {
    opts.signal?.removeEventListener("abort", onAbort);
  }
  return summary;
}
async function plainSize(path) {
  const st = await stat(path);
  if (!st.isFile() || st.size < PARALLEL_MIN_BYTES) return 0;
  const fh = await open2(path, "r");
  try {
    const head = Buffer.alloc(2);
    await fh.read(head, 0, 2, 0);
    return isGzip(head) ? 0 : st.size;
  } finally {
    await fh.close();
  }
}
async function inThisThread(path, range, window, signal) {
  const ex = createExplainer(window);
  const read = await readLogText(path, ex.addText, { range, ...signal && { signal } });
  return { state: ex.state(), dropped: read.dropped };
}
function inWorker(job, signal) {
  return new Promise((resolve2, reject) => {
    signal?.throwIfAborted();
    const worker = spawn(job);
    const stop = () => void worker.terminate();
    signal?.addEventListener("abort", stop, { once: true });
    let done;
    worker.once("message", (m) => done = m);
    worker.once("error", reject);
    worker.once("exit", (code) => {
      signal?.removeEventListener("abort", stop);
      if (done) resolve2(done);
      else reject(Object.assign(new Error(`explain worker exited with code ${code} before it finished`), { code: "ERR_WORKER_EXITED" }));
    });
  });
}
function spawn(job) {
  const self = new URL(import.meta.url);
  const options = { workerData: job, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } };
  if (!self.pathname.endsWith(".ts")) return new Worker(self, options);
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(self.href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}
if (!isMainThread && workerData?.[WORKER] === true) {
  const job = workerData;
  const done = await inThisThread(job.path, job.range, job.window);
  parentPort?.postMessage(done);
}

// src/explain/spec-match.ts
import { basename } from "node:path";
function crossCheck(groups, spec) {
  for (const g of groups) {
    const m = matchGroup(g, spec.services);
    if (m) g.spec = m;
  }
}
function matchGroup(g, services) {
  const dialed = endpointOf(g.upstream);
  if (dialed) {
    const own = services.find((s) => sameBackend(s.backend, dialed));
    const scheme = schemeOf(g.upstream);
    if (own && scheme !== void 0 && !speaks(own.protocol, scheme)) {
      return {
        match: "mismatch",
        service: own.name,
        backend: own.backendText,
        code: "config.protocol_mismatch",
        note: `nginx dials ${formatEndpoint(dialed)}, the spec's backend of ${own.name}, as ${scheme}:// but the spec says it speaks ${own.protocol}`
      };
    }
    if (own) {
      return { match: "backend", service: own.name, backend: own.backendText, note: `${formatEndpoint(dialed)} is the spec's backend of ${own.name}: the backend itself failed` };
    }
  }
  if (!dialed) return void 0;
  const candidates = services.filter((s) => s.serverNames.some((n) => g.servers.includes(n) || g.hosts.includes(n)));
  const byServer = closest(candidates, dialed, schemeOf(g.upstream));
  if (!byServer) {
    return { match: "unknown", note: `no service of the spec has ${formatEndpoint(dialed)} as its backend or ${g.servers.join(", ") || "this server"} as its server_name` };
  }
  const relation = relate(dialed, byServer.backend, sameHost);
  const code = mismatchCode(relation === "match" ? "host" : relation);
  return {
    match: "mismatch",
    service: byServer.name,
    backend: byServer.backendText,
    code,
    note: `the log's upstream is not the spec's backend: nginx dialed ${formatEndpoint(dialed)} for ${byServer.serverNames.join(", ")}, the spec says ${byServer.name} listens on ${byServer.backendText} (${code}); run \`upstream-gate check\` to find the line`
  };
}
function closest(services, dialed, scheme) {
  let best;
  let bestScore = -1;
  for (const s of services) {
    let score = 0;
    if (s.backend.kind === dialed.kind) score += 4;
    if (scheme !== void 0 && speaks(s.protocol, scheme)) score += 2;
    if (s.backend.kind === "tcp" && dialed.kind === "tcp" && s.backend.port === dialed.port) score += 1;
    if (s.backend.kind === "unix" && dialed.kind === "unix" && basename(s.backend.path) === basename(dialed.path)) score += 1;
    if (score > bestScore) {
      best = s;
      bestScore = score;
    }
  }
  return best;
}
function schemeOf(upstream) {
  return /^([a-z]+):\/\//.exec(upstream)?.[1];
}
function endpointOf(upstream) {
  const bare = upstream.replace(/^[a-z]+:\/\//, "");
  const e = parseBackend(bare);
  return typeof e === "string" ? void 0 : e;
}
function sameBackend(spec, dialed) {
  return relate(dialed, spec, sameHost) === "match";
}
function sameHost(dialed, spec) {
  return dialed.toLowerCase() === spec.toLowerCase() || spec === "localhost" && (dialed === "127.0.0.1" || dialed === "::1");
}

// src/report/explain-json.ts
function explainJson(r, meta) {
  const out = {
    groups: r.groups.map(groupJson),
    files: meta.files,
    lines: r.lines,
    failures: r.failures,
    unparsed: r.unparsed
  };
  if (r.ungrouped > 0) out.ungrouped = r.ungrouped;
  if (meta.interrupted) out.interrupted = true;
  if (meta.truncated?.length) out.truncated_gzip = meta.truncated;
  if (meta.dropped) out.dropped_lines = meta.dropped;
  if (meta.since !== void 0 || meta.until !== void 0) {
    out.outside_window = r.outside;
    if (meta.since !== void 0) out.since = isoTime(meta.since);
    if (meta.until !== void 0) out.until = isoTime(meta.until);
  }
  if (r.from !== void 0) out.from = isoTime(r.from);
  if (r.to !== void 0) out.to = isoTime(r.to);
  return `${JSON.stringify(out, null, 2)}
`;
}
function groupJson(g) {
  const o = { upstream: maskCredentials(g.upstream) };
  if (g.errno !== void 0) o.errno = g.errno;
  if (g.errno_name !== void 0) o.errno_name = g.errno_name;
  if (g.code !== void 0) o.code = g.code;
  o.count = g.count;
  o.first = g.first;
  o.last = g.last;
  o.servers = g.servers;
  o.sample = maskCredentials(g.sample);
  o.cause = maskCredentials(g.cause);
  o.fix = g.fix;
  o.kind = g.kind;
  o.hosts = g.hosts;
  if (g.file !== void 0) o.file = g.file;
  if (g.line !== void 0) o.line = g.line;
  if (g.spec !== void 0) o.spec = g.spec;
  return o;
}

// src/report/explain-text.ts
function explainText(r, meta, opts) {
  const p = paint(opts.color);
  const out = [];
  const read = `${plural(r.lines, "line")} of ${meta.files.map(forTerminal).join(", ")}`;
  const span = r.from !== void 0 && r.to !== void 0 ? `, ${isoTime(r.from)} .. ${isoTime(r.to)}` : "";
  const window = meta.since !== void 0 || meta.until !== void 0 ? `; window ${meta.since !== void 0 ? isoTime(meta.since) : "..."} .. ${meta.until !== void 0 ? isoTime(meta.until) : "now"}, ${plural(r.outside, "failure")} outside it` : "";
  if (r.groups.length === 0) out.push(`${p.green("no upstream failures")} in ${read}${span}${window}`);
  else {
    out.push(`${p.bold(plural(r.failures, "upstream failure"))} in ${plural(r.groups.length, "group")} (${read}${span}${window})`, "");
    r.groups.forEach((g, i) => out.push(...groupLines(g, i + 1, p), ""));
  }
  if (meta.truncated?.length) out.push(p.yellow(`${meta.truncated.map(forTerminal).join(", ")}: the gzip data ends early (still being compressed?): read as far as it goes`));
  if (meta.dropped) out.push(p.yellow(`${plural(meta.dropped, "run")} of more than 64 KiB without a newline skipped: not error-log lines`));
  if (meta.interrupted) out.push(p.yellow(`interrupted: these are the first ${plural(r.lines, "line")} only`));
  if (r.ungrouped > 0) out.push(p.yellow(`${plural(r.ungrouped, "more failure")} in groups beyond the first ${MAX_GROUPS} (distinct upstreams, errnos and failures) are counted but not shown`));
  if (r.unparsed > 0 && r.unparsed * 2 >= r.lines) out.push(p.yellow(`${r.unparsed} of ${plural(r.lines, "line")} are not nginx error-log lines: is this the access log? nginx writes upstream failures to the error_log file`));
  return `${out.join("\n").trimEnd()}
`;
}
var PAD = "   ";
function groupLines(g, n, p) {
  const errno = g.errno !== void 0 ? `  ${p.dim(`(${g.errno_name ?? "errno"} ${g.errno})`)}` : "";
  const when = g.first === g.last ? g.first : `${g.first} .. ${g.last}`;
  const lines = [`${n}. ${p.cyan(g.code ?? g.kind)}  ${p.bold(forTerminal(g.upstream))}${errno}  ${p.bold(`x${g.count}`)}  ${p.dim(when)}`];
  const names = [g.servers.length && `servers: ${g.servers.map(forTerminal).join(", ")}`, g.hosts.length && `hosts: ${g.hosts.map(forTerminal).join(", ")}`].filter(Boolean);
  if (names.length) lines.push(`${PAD}${names.join("   ")}`);
  if (g.file !== void 0) lines.push(`${PAD}at:      ${forTerminal(g.file)}${g.line !== void 0 ? `:${g.line}` : ""}`);
  lines.push(`${PAD}cause:   ${forTerminal(g.cause)}`);
  lines.push(`${PAD}${p.bold("fix:")}     ${forTerminal(g.fix)}`);
  if (g.spec) lines.push(`${PAD}spec:    ${g.spec.match === "mismatch" ? p.red(forTerminal(g.spec.note)) : forTerminal(g.spec.note)}`);
  lines.push(`${PAD}sample:  ${p.dim(forTerminal(g.sample))}`);
  return lines;
}

// src/cli/explain.ts
var DEFAULT_ERROR_LOG = "/var/log/nginx/error.log";
var help = `Usage: upstream-gate explain [ERROR_LOG ...] [--since TIME] [--until TIME]
                            [--format text|json] [--spec FILE] [--threads N]

Read nginx error logs and group the upstream failures by upstream address
(scheme, host, port or socket path), errno and failure, most frequent first,
with counts, first and last time, the server names and Host headers that saw
them, one original line, the likely cause and the fix.

Arguments:
  ERROR_LOG          error log files (default ${DEFAULT_ERROR_LOG}, or the
                     spec's nginx.error_log with --spec); "-" reads standard
                     input; rotated .gz files are read as they are

Options:
  --since TIME       only failures at or after TIME: a duration ago (30s, 15m,
                     2h, 1d) or a local time (2026-11-24T01:20 or
                     "2026-11-24 01:20:00"; nginx logs local time)
  --until TIME       only failures at or before TIME (same forms)
  --format FORMAT    text (default) or json
  --spec FILE        cross-check each upstream against the spec's backends
                     and server names
  --threads N        threads for a plain log over 32 MB (default 2, or 1 on
                     a single core); 1 reads it in one pass, gentler on a
                     busy server
  -h, --help         this help

Exit codes: 0 it ran (failures found or not), 2 bad input.`;
var explainCommand = {
  help,
  async run(args, io) {
    const { values, positionals } = parseFlags(
      "explain",
      args,
      { since: { type: "string" }, until: { type: "string" }, format: { type: "string" }, spec: { type: "string" }, threads: { type: "string" } },
      true
    );
    if (values.help) {
      io.stdout.write(`${help}
`);
      return EXIT.pass;
    }
    const format = oneOf("format", values.format, ["text", "json"], "text");
    const threads = values.threads === void 0 ? defaultThreads() : threadsFlag(values.threads);
    const now = /* @__PURE__ */ new Date();
    const window = {
      ...values.since !== void 0 && { since: timeFlag("since", values.since, now) },
      ...values.until !== void 0 && { until: timeFlag("until", values.until, now, true) }
    };
    if (window.since !== void 0 && window.until !== void 0 && window.since > window.until) {
      throw new UserError(`--since (${values.since}) is after --until (${values.until})`);
    }
    const spec = values.spec === void 0 ? void 0 : await (await import("./load-MK4GBGY2.js")).loadSpecFile(resolve(io.cwd, values.spec));
    const files = positionals.length ? positionals : [spec?.nginx.errorLog ?? DEFAULT_ERROR_LOG];
    if (files.filter((f) => f === "-").length > 1) throw new UserError('"-" (standard input) can be given once');
    const paths = files.map((f) => f === "-" ? f : resolve(io.cwd, f));
    await checkReadable(paths);
    const explainer = createExplainer(window);
    let interrupted = false;
    const truncated = [];
    let dropped = 0;
    try {
      for (const [i, p] of paths.entries()) {
        const read = await explainLog(p, explainer, { stdin: io.stdin, signal: io.signal, window, threads });
        if (read.truncatedGzip) truncated.push(files[i]);
        dropped += read.dropped;
      }
    } catch (e) {
      if (!io.signal.aborted) throw e;
      interrupted = true;
    }
    const result = explainer.result();
    if (spec) crossCheck(result.groups, spec);
    const meta = { files, ...window, ...interrupted && { interrupted }, ...truncated.length > 0 && { truncated }, ...dropped > 0 && { dropped } };
    io.stdout.write(format === "json" ? explainJson(result, meta) : explainText(result, meta, { color: useColor(io.stdout, io.env) }));
    return EXIT.pass;
  }
};
function threadsFlag(value) {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > 64) throw new UserError(`--threads "${value}" is not a whole number from 1 to 64`);
  return n;
}
var ABSOLUTE = /^(\d{4})[-/](\d\d)[-/](\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d))?)?$/;
function timeFlag(flag, value, now, end = false) {
  const v = value.trim();
  const abs = ABSOLUTE.exec(v);
  if (abs) {
    const [, y, mo, d, h, mi, s] = abs;
    const outOfRange = Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31 || Number(h ?? 0) > 23 || Number(mi ?? 0) > 59 || Number(s ?? 0) > 59;
    if (outOfRange) throw new UserError(`--${flag} "${value}" is not a valid time`);
    const time = h === void 0 ? end ? "23:59:59" : "00:00:00" : `${h}:${mi}:${s ?? (end ? "59" : "00")}`;
    return `${y}/${mo}/${d} ${time}`;
  }
  const ms = agoMs(v);
  if (ms === void 0) throw new UserError(`--${flag} "${value}" is neither a duration (30s, 15m, 2h, 1d) nor a time (2026-11-24T01:20)`);
  return logTime(new Date(now.getTime() - ms));
}
function agoMs(v) {
  const long = /^(\d+(?:\.\d+)?)(h|d)$/.exec(v);
  if (long) return Number(long[1]) * (long[2] === "h" ? 36e5 : 864e5);
  return parseDuration(v);
}
export {
  DEFAULT_ERROR_LOG,
  explainCommand
};
