import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseErrorLine, upstreamAddress } from '../../src/diagnose/error-log.js';

const samples = readFileSync(new URL('../fixtures/error-log/nginx-1.22-samples.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter(Boolean);

test('every line nginx 1.22 wrote for the catalogued failures parses', () => {
  assert.ok(samples.length > 70);
  for (const line of samples) {
    const e = parseErrorLine(line);
    assert.ok(e, line);
    assert.match(e.time, /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d$/);
    assert.ok(e.message.length > 0, line);
    assert.ok(!e.message.includes(' while '), `action left in message: ${line}`);
    if (e.upstream !== undefined) assert.ok(!e.upstream.includes('"'), line);
  }
});

test('an async connect refusal: errno, action and every context field', () => {
  const e = parseErrorLine(
    '2026/11/24 01:23:06 [error] 25883#25883: *77 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: catalog.test, request: "GET /refused HTTP/1.1", upstream: "http://127.0.0.1:27001/refused", host: "catalog.test", referrer: "https://catalog.test/page.html"',
  );
  assert.deepEqual(e, {
    time: '2026/11/24 01:23:06',
    level: 'error',
    pid: 25883,
    tid: 25883,
    cid: 77,
    message: 'connect() failed',
    errno: 111,
    errnoText: 'Connection refused',
    action: 'connecting to upstream',
    client: '127.0.0.1',
    server: 'catalog.test',
    request: 'GET /refused HTTP/1.1',
    upstream: 'http://127.0.0.1:27001/refused',
    host: 'catalog.test',
    referrer: 'https://catalog.test/page.html',
  });
});

test('a raw request line holding quotes and commas does not shift the fields', () => {
  const e = parseErrorLine(
    '2026/11/24 01:23:06 [error] 7#7: *1 connect() failed (111: Connection refused) while connecting to upstream, client: ::1, server: a.test, request: "GET /x?q=", host: "y", upstream: "z" HTTP/1.1", upstream: "http://[::1]:8000/x?q=", host: "a.test"',
  );
  assert.equal(e?.request, 'GET /x?q=", host: "y", upstream: "z" HTTP/1.1');
  assert.equal(e?.upstream, 'http://[::1]:8000/x?q=');
  assert.equal(e?.host, 'a.test');
});

test('musl errno words and the #0 thread id parse the same way', () => {
  const e = parseErrorLine(
    '2026/11/24 01:22:35 [error] 12889#0: *53 connect() failed (113: Host is unreachable) while connecting to upstream, client: 10.0.0.1, server: _, request: "GET / HTTP/1.1", upstream: "http://10.1.2.3:80/", host: "x"',
  );
  assert.equal(e?.errno, 113);
  assert.equal(e?.tid, 0);
  assert.equal(e?.server, '_');
});

test('a line cut short keeps what it has', () => {
  const full =
    '2026/11/24 01:21:58 [error] 25883#25883: *3 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: catalog.test, request: "GET /refused HTTP/1.1", upstream: "http://127.0.0.1:27001/refused", host: "catalog.test"';
  const cut = full.slice(0, full.indexOf('/refused", host'));
  const e = parseErrorLine(cut);
  assert.equal(e?.errno, 111);
  assert.equal(e?.upstream, 'http://127.0.0.1:27001');
  assert.equal(e?.host, undefined);
  assert.equal(parseErrorLine('2026/11/24 01:21'), undefined);
  const early = parseErrorLine(full.slice(0, full.indexOf(', server')));
  assert.equal(early?.action, 'connecting to upstream');
  assert.equal(early?.errno, 111);
  assert.equal(early?.client, '127.0.0.1');
  const inContext = parseErrorLine(full.slice(0, full.indexOf('client: ') + 3));
  assert.equal(inContext?.action, 'connecting to upstream');
  assert.equal(inContext?.errno, 111);
});

test('syslog-wrapped lines, config errors, resolver lines and non-nginx lines', () => {
  const s = parseErrorLine(
    '<11>Nov 24 01:21:58 web1 nginx: 2026/11/24 01:21:58 [crit] 25883#25883: *35 connect() to unix:/run/app/missing.sock failed (2: No such file or directory) while connecting to upstream, client: 127.0.0.1, server: catalog.test, request: "GET / HTTP/1.1", upstream: "http://unix:/run/app/missing.sock:/", host: "catalog.test"',
  );
  assert.equal(s?.errno, 2);
  assert.equal(s?.message, 'connect() to unix:/run/app/missing.sock failed');
  const c = parseErrorLine('2026/11/24 01:23:41 [emerg] 26550#26550: host not found in upstream "php-fpm" in /etc/nginx/conf.d/php.conf:8');
  assert.equal(c?.message, 'host not found in upstream "php-fpm"');
  assert.equal(c?.confFile, '/etc/nginx/conf.d/php.conf');
  assert.equal(c?.confLine, 8);
  assert.equal(c?.cid, undefined);
  const r = parseErrorLine('2026/11/24 01:23:02 [error] 25883#25883: recv() failed (111: Connection refused) while resolving, resolver: 127.0.0.1:27054');
  assert.equal(r?.resolver, '127.0.0.1:27054');
  assert.equal(r?.action, 'resolving');
  assert.equal(r?.errno, 111);
  assert.equal(parseErrorLine('127.0.0.1 - - [24/Nov/2026:01:21:58 +0000] "GET / HTTP/1.1" 502 157'), undefined);
  assert.equal(parseErrorLine(''), undefined);
});

test('upstream addresses drop the URI and keep scheme, host, port or socket path', () => {
  const cases: [string, string][] = [
    ['http://127.0.0.1:27001/refused', 'http://127.0.0.1:27001'],
    ['http://[::1]:8000/a/b?c', 'http://[::1]:8000'],
    ['fastcgi://127.0.0.1:9000', 'fastcgi://127.0.0.1:9000'],
    ['http://unix:/run/app/missing.sock:/', 'http://unix:/run/app/missing.sock'],
    ['fastcgi://unix:/run/php/php8.2-fpm.sock:', 'fastcgi://unix:/run/php/php8.2-fpm.sock'],
    ['http://unix:/run/app/full.sock/', 'http://unix:/run/app/full.sock'],
    ['http://unix:/run/app/full.sock/deep/path', 'http://unix:/run/app/full.sock'],
    ['http://backend_pool/pool', 'http://backend_pool'],
    ['127.0.0.1:27001', '127.0.0.1:27001'],
    ['unix:/run/app/missing.sock', 'unix:/run/app/missing.sock'],
  ];
  for (const [raw, want] of cases) assert.equal(upstreamAddress(raw), want, raw);
});
