// The decision chain over every line nginx 1.22 wrote for the catalogued
// failures: each line's failure form, reason code and the address it groups by.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { classifyErrorLine } from '../../src/explain/error-log-classify.js';
import { parseErrorLine } from '../../src/diagnose/error-log.js';

const lines = readFileSync(new URL('../fixtures/error-log/nginx-1.22-samples.txt', import.meta.url), 'utf8').split('\n').filter(Boolean);

/** line number in the fixture -> [kind, code, upstream, errno]; absent: not an upstream failure */
const expected: Record<number, [string, string | undefined, string, number | undefined]> = {
  1: ['refused', 'backend.down', 'http://127.0.0.1:27001', 111],
  2: ['refused', 'backend.down', 'http://[::1]:27009', 111],
  3: ['premature_close', 'health.reset', 'http://127.0.0.1:27002', undefined],
  4: ['reset', 'health.reset', 'http://127.0.0.1:27003', 104],
  5: ['read_timeout', 'health.timeout', 'http://127.0.0.1:27004', 110],
  6: ['too_big_header', undefined, 'http://127.0.0.1:27005', undefined],
  7: ['invalid_header', undefined, 'http://127.0.0.1:27006', undefined],
  8: ['not_http', 'health.protocol', 'http://127.0.0.1:27007', undefined],
  9: ['body_closed', 'health.reset', 'http://127.0.0.1:27012', undefined],
  10: ['body_timeout', 'health.timeout', 'http://127.0.0.1:27013', 110],
  11: ['bad_chunked', undefined, 'http://127.0.0.1:27014', undefined],
  14: ['send_timeout', 'health.timeout', 'http://127.0.0.1:27016', 110],
  15: ['refused', 'backend.down', 'http://127.0.0.1:27001', 111],
  16: ['refused', 'backend.down', 'http://127.0.0.1:27021', 111],
  19: ['no_live_upstreams', undefined, 'http://backend_pool', undefined],
  20: ['socket_missing', 'socket.missing', 'http://unix:/run/app/missing.sock', 2],
  21: ['socket_permission', 'socket.permission', 'http://unix:/run/app/app-0600.sock', 13],
  22: ['socket_refused', 'socket.refused', 'http://unix:/run/app/stale.sock', 111],
  23: ['fastcgi_stderr', undefined, 'fastcgi://127.0.0.1:27018', undefined],
  24: ['socket_missing', 'socket.missing', 'fastcgi://unix:/run/app/php8.2-fpm.sock', 2],
  25: ['refused', 'backend.down', 'fastcgi://127.0.0.1:27001', 111],
  26: ['refused', 'backend.down', 'uwsgi://127.0.0.1:27001', 111],
  27: ['refused', 'backend.down', 'scgi://127.0.0.1:27001', 111],
  28: ['refused', 'backend.down', 'grpc://127.0.0.1:27001', 111],
  29: ['unreachable', 'network.unreachable', 'http://192.0.2.77:80', 113],
  30: ['connect_timeout', 'network.timeout', 'http://192.0.2.78:80', 110],
  31: ['bind_failed', undefined, 'http://127.0.0.1:27009', 99],
  32: ['unreachable', 'network.unreachable', 'http://224.0.0.1:80', 101],
  33: ['connect_invalid', undefined, 'http://192.0.2.77:80', 22],
  34: ['tls_plain', 'health.protocol', 'https://127.0.0.1:27009', undefined],
  35: ['tls_verify', undefined, 'https://127.0.0.1:27008', undefined],
  36: ['reset', 'health.reset', 'http://127.0.0.1:27008', 104],
  37: ['dns_not_found', 'dns.unresolved', 'nx.example.invalid', undefined],
  38: ['resolver_unreachable', 'dns.unresolved', '127.0.0.1:27054', 111],
  39: ['dns_failed', 'dns.unresolved', 'slow.example.invalid', undefined],
  40: ['no_resolver', 'dns.unresolved', 'app.internal', undefined],
  42: ['refused', 'backend.down', 'http://127.0.0.1:27001', 111],
  43: ['refused', 'backend.down', 'http://127.0.0.1:27001', 111],
  44: ['refused', 'backend.down', 'http://127.0.0.1:27001', 111],
  46: ['socket_backlog', undefined, 'http://unix:/run/app/full.sock', 11],
  47: ['socket_backlog', undefined, 'http://unix:/run/app/full.sock', 11],
  48: ['socket_backlog', undefined, 'http://unix:/run/app/full.sock', 11],
  49: ['read_timeout', 'health.timeout', 'http://unix:/run/app/full.sock', 110],
  50: ['refused', 'backend.down', '127.0.0.1:27001', 111],
  52: ['connect_timeout', 'network.timeout', '192.0.2.78:80', 110],
  55: ['refused', 'backend.down', '127.0.0.1:27001', 111],
  56: ['refused', 'backend.down', '127.0.0.1:27021', 111],
  60: ['no_live_upstreams', undefined, 'stream_pool', undefined],
  61: ['socket_missing', 'socket.missing', 'unix:/run/app/missing.sock', 2],
  62: ['host_not_found', 'dns.unresolved', 'php-fpm', undefined],
  63: ['config_upstream', 'config.invalid', '127.0.0.1', undefined],
  64: ['host_not_found', 'dns.unresolved', 'api.nx-example.invalid', undefined],
  65: ['config_upstream', 'config.invalid', '127.0.0.1:99999', undefined],
  66: ['config_upstream', 'config.invalid', '/srv/ngx/conf/t-invalidurl.conf', undefined],
  67: ['config_upstream', 'config.invalid', 'app', undefined],
  68: ['config_upstream', 'config.invalid', '/srv/ngx/conf/t-noservers.conf', undefined],
  69: ['host_not_found', 'dns.unresolved', 'app-1.nx-example.invalid:8080', undefined],
  70: ['tls_name', undefined, 'https://127.0.0.1:27008', undefined],
  71: ['tls_closed', 'health.protocol', 'https://127.0.0.1:27002', undefined],
  72: ['tls_closed', 'health.protocol', 'https://127.0.0.1:27003', 104],
  73: ['tls_timeout', 'health.timeout', 'https://127.0.0.1:27016', 110],
  74: ['reset', 'health.reset', 'http://127.0.0.1:27019', 104],
  75: ['refused', 'backend.down', 'http://127.0.0.1:27001', 111],
  76: ['refused', 'backend.down', 'http://127.0.0.1:27001', 111],
  78: ['not_http', 'health.protocol', 'http://127.0.0.1:27007', undefined],
  79: ['bad_chunked', undefined, 'http://127.0.0.1:27014', undefined],
  80: ['body_closed', 'health.reset', 'http://127.0.0.1:27025', 104],
  81: ['worker_connections', undefined, 'http://127.0.0.1:27004', undefined],
  82: ['fastcgi_protocol', 'health.protocol', 'fastcgi://127.0.0.1:27009', undefined],
};

test('every catalogued line gets its failure form, code and address; the rest are not failures', () => {
  assert.equal(lines.length, 82);
  lines.forEach((line, i) => {
    const n = i + 1;
    const e = parseErrorLine(line);
    assert.ok(e, `line ${n} parses`);
    const d = classifyErrorLine(e);
    const want = expected[n];
    if (!want) {
      assert.equal(d, undefined, `line ${n} is not an upstream failure: ${line}`);
      return;
    }
    assert.ok(d, `line ${n} is classified: ${line}`);
    assert.deepEqual([d.kind, d.code, d.upstream, d.errno], want, `line ${n}: ${line}`);
    assert.ok(d.cause.length > 20 && d.fix.length > 10, `line ${n} has a cause and a fix`);
  });
});

test('errno names come with the number; DNS answer codes are not errnos', () => {
  const refused = classifyErrorLine(parseErrorLine(lines[0] as string)!);
  assert.equal(refused?.errnoName, 'ECONNREFUSED');
  const nx = classifyErrorLine(parseErrorLine(lines[36] as string)!);
  assert.equal(nx?.errno, undefined);
  assert.equal(nx?.errnoName, undefined);
});

test('musl and BSD wordings classify by number', () => {
  const musl = parseErrorLine(
    '2026/11/24 01:22:35 [error] 31#31: *53 connect() failed (113: Host is unreachable) while connecting to upstream, client: 10.0.0.1, server: api.test, request: "GET / HTTP/1.1", upstream: "http://10.1.2.3:8080/", host: "api.test"',
  )!;
  assert.equal(classifyErrorLine(musl)?.code, 'network.unreachable');
  const bsd = parseErrorLine(
    '2026/11/24 01:22:35 [error] 31#0: *9 kevent() reported that connect() failed (61: Connection refused) while connecting to upstream, client: 10.0.0.1, server: api.test, request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:8000/", host: "api.test"',
  )!;
  const d = classifyErrorLine(bsd);
  assert.equal(d?.code, 'backend.down');
  assert.equal(d?.errno, 61);
  assert.equal(d?.errnoName, 'ECONNREFUSED');
});

test('errno 99 on an IPv6 address (a host with IPv6 disabled): network.no_address_family, not exhausted local ports', () => {
  // written by nginx 1.22 in a network namespace with net.ipv6.conf.all.disable_ipv6=1, dialing localhost
  const line =
    '2026/12/07 04:05:57 [crit] 12189#12189: *3 connect() to [::1]:18081 failed (99: Cannot assign requested address) while connecting to upstream, client: 127.0.0.1, server: app.test, request: "GET / HTTP/1.1", upstream: "http://[::1]:18081/", host: "127.0.0.1:18082"';
  const d = classifyErrorLine(parseErrorLine(line)!);
  assert.deepEqual([d?.kind, d?.code, d?.upstream, d?.errno], ['no_ipv6', 'network.no_address_family', 'http://[::1]:18081', 99]);
  assert.match(d?.fix ?? '', /127\.0\.0\.1 instead of localhost/);
  const v4 = classifyErrorLine(parseErrorLine(line.replaceAll('[::1]', '127.0.0.1'))!);
  assert.equal(v4?.kind, 'local_ports_exhausted');
});

test('the IPv6 loopback refusal says which family nginx dialed', () => {
  const d = classifyErrorLine(parseErrorLine(lines[1] as string)!);
  assert.match(d?.cause ?? '', /IPv6/);
  assert.match(d?.fix ?? '', /sport = :27009/);
});

test('an unknown failure with an upstream is kept, not dropped', () => {
  const e = parseErrorLine(
    '2026/11/24 01:22:35 [error] 31#31: *53 upstream sent duplicate header line: "Content-Length: 1", previous value: "Content-Length: 2" while reading response header from upstream, client: 10.0.0.1, server: api.test, request: "GET / HTTP/1.1", upstream: "http://10.1.2.3:8080/", host: "api.test"',
  )!;
  const d = classifyErrorLine(e);
  assert.equal(d?.kind, 'other');
  assert.equal(d?.upstream, 'http://10.1.2.3:8080');
  assert.match(d?.cause ?? '', /duplicate header line/);
});

test("a client's own TLS handshake failure is not an upstream failure", () => {
  const e = parseErrorLine(
    '2026/11/24 01:22:35 [error] 31#31: *53 SSL_do_handshake() failed (SSL: error:0A00006C:SSL routines::bad key share) while SSL handshaking, client: 10.0.0.1, server: 0.0.0.0:443',
  )!;
  assert.equal(classifyErrorLine(e), undefined);
});
