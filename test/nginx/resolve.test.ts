import assert from 'node:assert/strict';
import { test } from 'node:test';
import { localHost } from '../../src/host/local/local-host.js';
import { hostResolver } from '../../src/nginx/resolve.js';
import { canonicalIp } from '../../src/model/endpoint.js';

test('addresses have one spelling (RFC 5952)', () => {
  const rows: [string, string][] = [
    ['::1', '::1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['2001:DB8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['::ffff:127.0.0.1', '::ffff:127.0.0.1'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ['127.0.0.1', '127.0.0.1'],
  ];
  for (const [a, want] of rows) assert.equal(canonicalIp(a), want, a);
});

test('the resolver returns literals as they are, names through getaddrinfo, [] for a name that does not resolve', async () => {
  const resolve = hostResolver(localHost(), 2000);
  const signal = new AbortController().signal;
  assert.deepEqual(await resolve('0:0::1', signal), ['::1']);
  assert.ok((await resolve('localhost', signal)).includes('127.0.0.1'));
  assert.deepEqual(await resolve('does-not-exist.invalid', signal), []);
});

test('an aborted signal ends a lookup at once with no addresses', async () => {
  const c = new AbortController();
  c.abort(new Error('deadline'));
  assert.deepEqual(await hostResolver(localHost(), 2000)('localhost', c.signal), []);
});
