// The error-log lines that explain a 502/504 seen through nginx: upstream
// failures, for the service's server_name when the line names one; and what
// each form of line means, with its fix (the forms and their causes:
// nginx's ngx_http_upstream.c, ngx_event_openssl.c).
import { parseErrorLine, type ErrorLogEntry } from './error-log.js';

const UPSTREAM_FAILURE =
  /connect\(\) (to \S+ )?failed|upstream timed out|upstream prematurely closed|recv\(\) failed|no live upstreams|could not be resolved|upstream sent|SSL_do_handshake\(\) failed|upstream SSL certificate|peer closed connection in SSL handshake/;

export function gatewayLines(lines: readonly string[], serverNames: readonly string[]): string[] {
  const wanted = new Set(serverNames.map((s) => s.toLowerCase()));
  return lines.filter((line) => {
    const e = parseErrorLine(line);
    if (!e || !UPSTREAM_FAILURE.test(e.message)) return false;
    if (wanted.size === 0) return true;
    const server = e.server?.toLowerCase();
    const host = e.host?.toLowerCase().replace(/:\d+$/, '');
    return (server !== undefined && wanted.has(server)) || (host !== undefined && wanted.has(host)) || (!server && !host);
  });
}

/** What an upstream failure line says went wrong, and what to change. */
export interface GatewayCause {
  /** a short name of the line's form: `ssl-verify`, `too-big-header` ... */
  form: string;
  cause: string;
  fix: string;
}

interface Form {
  form: string;
  test: (e: ErrorLogEntry) => boolean;
  cause: (e: ErrorLogEntry) => string;
  fix: (e: ErrorLogEntry) => string;
}

const inHandshake = (e: ErrorLogEntry) => e.action === 'SSL handshaking to upstream';

// The first form that matches decides; connect() failures are left to the errno they carry.
const FORMS: readonly Form[] = [
  {
    form: 'ssl-verify',
    test: (e) => e.message.startsWith('upstream SSL certificate verify error'),
    cause: (e) => `nginx does not trust the backend's certificate ${/\([^)]*\)/.exec(e.message)?.[0] ?? ''}`.trimEnd(),
    fix: () =>
      "give nginx the CA that signed the backend's certificate (proxy_ssl_trusted_certificate), or fix the backend's chain (expired, self-signed); proxy_ssl_verify on checks it",
  },
  {
    form: 'ssl-name',
    test: (e) => e.message.startsWith('upstream SSL certificate does not match'),
    cause: (e) => `the backend's certificate does not name ${/"([^"]*)"/.exec(e.message)?.[1] ?? 'the name nginx checks'}`,
    fix: () => 'set proxy_ssl_name to a name the certificate holds (default: the proxy_pass host), or reissue the certificate with that name',
  },
  {
    form: 'ssl-handshake',
    test: (e) => e.message.startsWith('SSL_do_handshake() failed'),
    cause: (e) =>
      /wrong version number|unknown protocol|packet length too long|http request/i.test(e.message)
        ? 'nginx speaks TLS to a backend port that answers plain HTTP'
        : /alert handshake failure|alert number 40/i.test(e.message)
          ? 'the backend rejected nginx\'s TLS hello: most often it needs SNI, or a client certificate, or no protocol or cipher is common'
          : `the TLS handshake with the backend failed: ${/\(SSL: ([^)]*)\)/.exec(e.message)?.[1] ?? e.message}`,
    fix: (e) =>
      /wrong version number|unknown protocol|packet length too long|http request/i.test(e.message)
        ? 'proxy_pass http:// to a plain-HTTP port, or point https:// at the backend\'s TLS port'
        : 'proxy_ssl_server_name on; (and proxy_ssl_name) when the backend needs SNI; proxy_ssl_certificate when it needs a client certificate; else align proxy_ssl_protocols / proxy_ssl_ciphers with the backend',
  },
  {
    form: 'ssl-closed',
    test: (e) => e.message.startsWith('peer closed connection in SSL handshake'),
    cause: () => 'the backend closed the connection during the TLS handshake: not a TLS port, an SNI-based rejection, or an overloaded backend',
    fix: () => 'point proxy_pass https:// at the backend\'s TLS port; proxy_ssl_server_name on; when it selects certificates by name',
  },
  {
    form: 'too-big-header',
    test: (e) => e.message.startsWith('upstream sent too big header'),
    cause: () => "the backend's status line and headers do not fit in proxy_buffer_size (one page by default): big Set-Cookie, Location or CSP headers",
    fix: () => 'proxy_buffer_size 16k; (and proxy_buffers / proxy_busy_buffers_size to match; fastcgi_buffer_size for FastCGI), or send smaller headers',
  },
  {
    form: 'prematurely-closed',
    test: (e) => e.message.startsWith('upstream prematurely closed'),
    cause: (e) =>
      `the backend closed the connection ${e.action === 'reading upstream' ? 'in the middle of the body' : 'without an answer'}: a crash or uncaught exception, a killed worker (timeout, OOM, max requests)`,
    fix: () => "read the backend's log at that time; raise the worker's timeout (gunicorn --timeout, php-fpm request_terminate_timeout) if it kills slow requests",
  },
  {
    form: 'no-live-upstreams',
    test: (e) => e.message.startsWith('no live upstreams'),
    cause: (e) => `every server of upstream ${e.upstream ? `"${e.upstream.replace(/^\w+:\/\//, '').replace(/\/.*$/, '')}"` : 'group'} is marked failed (max_fails within fail_timeout) or down`,
    fix: () => 'the lines before it in the error log name why each server failed: fix those backends; tune max_fails / fail_timeout, or add a backup server',
  },
  {
    form: 'timed-out',
    test: (e) => e.message.startsWith('upstream timed out'),
    cause: (e) =>
      inHandshake(e)
        ? 'the backend accepted but did not finish the TLS handshake within proxy_connect_timeout'
        : e.action === 'connecting to upstream'
          ? "nginx's connect got no answer within proxy_connect_timeout: a firewall DROP, a dead route, or a full accept queue"
          : e.action === 'sending request to upstream'
            ? 'the backend stopped reading the request for proxy_send_timeout'
            : 'the backend did not answer within proxy_read_timeout (fastcgi_read_timeout for FastCGI): a slow or blocked backend, an exhausted worker pool',
    fix: (e) =>
      e.action === 'connecting to upstream' || inHandshake(e)
        ? 'make the backend accept (process running, accept queue not full) and the path to it open; proxy_connect_timeout bounds the wait'
        : 'make the backend answer faster, or raise proxy_read_timeout for that location',
  },
];

/** The cause and fix of the last line whose form is known; undefined when none is. */
export function gatewayCause(lines: readonly string[]): GatewayCause | undefined {
  for (let k = lines.length - 1; k >= 0; k--) {
    const e = parseErrorLine(lines[k] as string);
    if (!e) continue;
    const form = FORMS.find((f) => f.test(e));
    if (form) return { form: form.form, cause: form.cause(e), fix: form.fix(e) };
  }
  return undefined;
}

/** What the request through nginx learnt about nginx beside its answer. */
export interface GatewayFacts {
  /** nginx is not running: what was looked at (the pid file, the process list) */
  notRunning?: string[];
  /** a name nginx resolved at start that now resolves elsewhere, and the address nginx was seen dialing */
  stale?: StaleAddress;
  /** which error log was read, or why none could be */
  logNote?: string;
  /** how the path asked through nginx was chosen, when it is not the health path as it is */
  routeNote?: string;
}

export interface StaleAddress {
  name: string;
  port: number;
  /** the address in nginx's `upstream: "..."` */
  dialed: string;
  /** what the name resolves to now */
  now: string[];
  file: string;
  line: number;
  /** the line of the log that shows it, and when nginx started against the hosts file's change */
  evidence: string[];
}
