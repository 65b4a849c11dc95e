// The local host's resolver: getaddrinfo, in the order nginx dials the
// addresses, a failure as a code and never a throw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { localHost } from '../../src/host/local/local-host.js';

const local = localHost();

test('an address resolves to itself without a lookup', async () => {
  assert.deepEqual(await local.resolve('::1', { timeoutMs: 1000 }), { ok: true, addresses: ['::1'], durationMs: 0 });
});

test('localhost resolves through the hosts file, IPv4 first as nginx orders them', async () => {
  const r = await local.resolve('localhost', { timeoutMs: 2000 });
  assert.equal(r.ok, true);
  if (!r.ok) return;
  assert.ok(r.addresses.includes('127.0.0.1'));
  const firstV6 = r.addresses.findIndex((a) => a.includes(':'));
  const lastV4 = r.addresses.map((a) => !a.includes(':')).lastIndexOf(true);
  assert.ok(firstV6 === -1 || lastV4 < firstV6, r.addresses.join(', '));
});

test('an invalid name fails with a code, not a throw', async () => {
  const r = await local.resolve('no-such-host.invalid', { timeoutMs: 3000 });
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.match(r.code ?? '', /^(ENOTFOUND|EAI_AGAIN|EAI_NONAME|EAI_FAIL)$/);
});
