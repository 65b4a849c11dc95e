import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayLines } from '../../src/diagnose/gateway-lines.js';

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
