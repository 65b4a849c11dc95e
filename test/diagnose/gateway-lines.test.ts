import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayCause, gatewayLines } from '../../src/diagnose/gateway-lines.js';

const refusedApi =
  '2026/11/30 12:00:01 [error] 77#77: *5 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: api.test, request: "GET /healthz HTTP/1.1", upstream: "http://127.0.0.1:8000/healthz", host: "api.test"';
const timedOutShop =
  '2026/11/30 12:00:02 [error] 77#77: *6 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 127.0.0.1, server: shop.test, request: "GET /healthz HTTP/1.1", upstream: "http://127.0.0.1:9000/healthz", host: "shop.test"';
const notice = '2026/11/30 12:00:03 [notice] 77#77: signal process started';
const deniedDefault =
  '2026/11/30 12:00:04 [crit] 77#77: *7 connect() to unix:/run/php/php8.2-fpm.sock failed (13: Permission denied) while connecting to upstream, client: 127.0.0.1, server: , request: "GET /ping HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:"';

test('only upstream failures of the service, by server_name or Host', () => {
  assert.deepEqual(gatewayLines([refusedApi, timedOutShop, notice], ['api.test']), [refusedApi]);
  assert.deepEqual(gatewayLines([refusedApi, timedOutShop, notice], ['shop.test', 'www.shop.test']), [timedOutShop]);
});

test('lines that name no server are kept (a default server block); without server names every failure is kept', () => {
  assert.deepEqual(gatewayLines([refusedApi, deniedDefault], ['shop.test']), [deniedDefault]);
  assert.deepEqual(gatewayLines([refusedApi, timedOutShop, notice, deniedDefault], []), [refusedApi, timedOutShop, deniedDefault]);
});

const line = (message: string) =>
  `2026/11/24 01:22:44 [error] 25883#25883: *64 ${message}, client: 127.0.0.1, server: api.test, request: "GET /healthz HTTP/1.1", upstream: "https://127.0.0.1:27008/healthz", host: "api.test"`;

test('the SSL, header-size, premature-close, no-live and timeout forms are upstream failures, each with its cause and fix', () => {
  const forms: [string, string, RegExp, RegExp][] = [
    ['upstream SSL certificate verify error: (18:self-signed certificate) while SSL handshaking to upstream', 'ssl-verify', /does not trust .*\(18:self-signed certificate\)/, /proxy_ssl_trusted_certificate/],
    ['upstream SSL certificate does not match "backend.test" while SSL handshaking to upstream', 'ssl-name', /does not name backend\.test/, /proxy_ssl_name/],
    [
      'SSL_do_handshake() failed (SSL: error:0A00010B:SSL routines::wrong version number) while SSL handshaking to upstream',
      'ssl-handshake',
      /speaks TLS to a backend port that answers plain HTTP/,
      /proxy_pass http:\/\//,
    ],
    [
      'SSL_do_handshake() failed (SSL: error:0A000410:SSL routines::ssl/tls alert handshake failure:SSL alert number 40) while SSL handshaking to upstream',
      'ssl-handshake',
      /SNI/,
      /proxy_ssl_server_name on/,
    ],
    ['peer closed connection in SSL handshake (104: Connection reset by peer) while SSL handshaking to upstream', 'ssl-closed', /closed the connection during the TLS handshake/, /TLS port/],
    ['upstream sent too big header while reading response header from upstream', 'too-big-header', /proxy_buffer_size/, /proxy_buffer_size 16k/],
    ['upstream prematurely closed connection while reading response header from upstream', 'prematurely-closed', /without an answer/, /backend's log/],
    ['no live upstreams while connecting to upstream', 'no-live-upstreams', /marked failed/, /lines before it/],
    ['upstream timed out (110: Connection timed out) while reading response header from upstream', 'timed-out', /proxy_read_timeout/, /proxy_read_timeout/],
    ['upstream timed out (110: Connection timed out) while SSL handshaking to upstream', 'timed-out', /TLS handshake within proxy_connect_timeout/, /accept/],
  ];
  for (const [message, form, cause, fix] of forms) {
    const l = line(message);
    assert.deepEqual(gatewayLines([l], ['api.test']), [l], message);
    const c = gatewayCause([l]);
    assert.equal(c?.form, form, message);
    assert.match(c?.cause ?? '', cause, message);
    assert.match(c?.fix ?? '', fix, message);
  }
});

test('a connect() failure is left to its errno: no form decides it', () => {
  assert.equal(gatewayCause([refusedApi]), undefined);
});
