import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveAll } from '../../src/probe/resolve.js';

test('an address resolves to itself without a lookup', async () => {
  assert.deepEqual(await resolveAll('::1', { timeoutMs: 1000 }), { ok: true, addresses: ['::1'], durationMs: 0 });
});

test('localhost resolves through the hosts file, IPv4 first as nginx orders them', async () => {
  const r = await resolveAll('localhost', { timeoutMs: 2000 });
  assert.equal(r.ok, true);
  if (!r.ok) return;
  assert.ok(r.addresses.includes('127.0.0.1'));
  const firstV6 = r.addresses.findIndex((a) => a.includes(':'));
  const lastV4 = r.addresses.map((a) => !a.includes(':')).lastIndexOf(true);
  assert.ok(firstV6 === -1 || lastV4 < firstV6, r.addresses.join(', '));
});

test('an invalid name fails with a code, not a throw', async () => {
  const r = await resolveAll('no-such-host.invalid', { timeoutMs: 3000 });
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.match(r.code ?? '', /^(ENOTFOUND|EAI_AGAIN|EAI_NONAME|EAI_FAIL)$/);
});

test('a name dialed directly (nginx front) is looked up the same abandonable way: localhost connects, a bad name fails with its code', async () => {
  const { createServer } = await import('node:net');
  const { probeConnect } = await import('../../src/probe/connect.js');
  const srv = createServer((s) => s.destroy());
  await new Promise<void>((r) => srv.listen({ host: '127.0.0.1', port: 0 }, r));
  try {
    const port = (srv.address() as { port: number }).port;
    const ok = await probeConnect({ kind: 'tcp', host: 'localhost', port }, { timeoutMs: 3000 });
    // localhost may list ::1 first, where nothing listens here: either answer came through the lookup
    assert.ok(ok.ok || ok.code === 'ECONNREFUSED', JSON.stringify(ok));
    const bad = await probeConnect({ kind: 'tcp', host: 'no-such-host.invalid', port }, { timeoutMs: 3000 });
    assert.equal(bad.ok, false);
    assert.match(bad.code ?? '', /^(ENOTFOUND|EAI_AGAIN|EAI_NONAME|EAI_FAIL)$/);
  } finally {
    srv.close();
  }
});
