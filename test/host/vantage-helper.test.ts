// The helper that dials and resolves from nginx's vantage: its sockets are
// real sockets connected as the user it runs as, its environment is none of
// the gate's, and it keeps the Host's contract (a failure has the shape of a
// success, an aborted signal answers at once, a helper that died is started
// again).
import assert from 'node:assert/strict';
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startHelper, type Helper } from '../../src/host/vantage/helper.js';
import { startHttpBackend } from '../helpers/backend.js';
import { tempDir } from '../helpers/tmp.js';

const canSwitchUser = process.getuid?.() === 0;

describe('the vantage helper', { skip: !canSwitchUser && 'needs root (setpriv)' }, () => {
  const helpers: Helper[] = [];
  const cleanups: (() => unknown)[] = [];
  after(async () => {
    helpers.forEach((h) => h.close());
    for (const c of cleanups.reverse()) await c();
  });
  async function asNobody(): Promise<Helper> {
    const started = await startHelper({ user: { uid: 65534, gid: 65534, groups: [] } }, { timeoutMs: 10_000 });
    assert.ok(started.ok, started.ok ? '' : started.message);
    helpers.push(started.helper);
    return started.helper;
  }

  test("runs as the user it was given, with none of the gate's environment", async () => {
    process.env.GITHUB_TOKEN = 'ghp_not_for_the_helper';
    try {
      const h = await asNobody();
      assert.equal(h.user.uid, 65534);
      assert.equal(h.user.gid, 65534);
      const environ = readFileSync(`/proc/${h.pid()}/environ`, 'utf8').split('\0').filter(Boolean);
      assert.deepEqual(environ.map((e) => e.slice(0, e.indexOf('='))).filter((k) => !k.startsWith('NODE_CHANNEL_')).sort(), ['LC_ALL', 'PATH']);
    } finally {
      delete process.env.GITHUB_TOKEN;
    }
  });

  test('a unix socket 0660 root:root: EACCES as nobody; 0666: a socket the gate talks HTTP over', async () => {
    const { dir, remove } = tempDir('ugate-helper-');
    cleanups.push(remove);
    const path = join(dir, 'app.sock');
    const backend = await startHttpBackend({ path });
    cleanups.push(() => backend.close());
    const h = await asNobody();
    chmodSync(path, 0o660);
    const denied = await h.dial({ kind: 'unix', path }, { timeoutMs: 5000 });
    assert.equal(denied.ok, false);
    assert.equal(denied.ok ? undefined : [denied.code, denied.errno].join(' '), 'EACCES 13');
    chmodSync(path, 0o666);
    const d = await h.dial({ kind: 'unix', path }, { timeoutMs: 5000 });
    assert.ok(d.ok, d.ok ? '' : d.message);
    d.stream.write('GET /healthz HTTP/1.0\r\n\r\n');
    let answer = '';
    for await (const chunk of d.stream) answer += String(chunk);
    assert.match(answer, /^HTTP\/1\.1 200 /);
  });

  test('TCP: a refused connect keeps its code and errno; a name resolves in nginx order', async () => {
    const backend = await startHttpBackend({});
    const port = backend.port;
    await backend.close();
    const h = await asNobody();
    const refused = await h.dial({ kind: 'tcp', host: '127.0.0.1', port }, { timeoutMs: 5000 });
    assert.deepEqual(refused.ok ? undefined : [refused.code, refused.errno], ['ECONNREFUSED', 111]);
    const r = await h.resolve('localhost', { timeoutMs: 5000 });
    assert.ok(r.ok && r.addresses.includes('127.0.0.1'), JSON.stringify(r));
    const bad = await h.resolve('no-such-name.invalid', { timeoutMs: 5000 });
    assert.equal(bad.ok, false);
    assert.equal(bad.ok ? undefined : bad.code, 'ENOTFOUND');
  });

  test('an aborted signal answers ABORT_ERR at once; a helper that died is started again for the next dial', async () => {
    const backend = await startHttpBackend({});
    cleanups.push(() => backend.close());
    const h = await asNobody();
    const c = new AbortController();
    c.abort();
    const aborted = await h.dial({ kind: 'tcp', host: '127.0.0.1', port: backend.port }, { timeoutMs: 5000, signal: c.signal });
    assert.equal(aborted.ok ? undefined : aborted.code, 'ABORT_ERR');
    const first = h.pid();
    assert.ok(first);
    process.kill(first, 'SIGKILL');
    while (h.pid() === first) await sleep(10);
    const d = await h.dial({ kind: 'tcp', host: '127.0.0.1', port: backend.port }, { timeoutMs: 5000 });
    assert.ok(d.ok, d.ok ? '' : d.message);
    d.stream.destroy();
    assert.notEqual(h.pid(), first);
  });

  test('closed: the process ends', async () => {
    const h = await asNobody();
    const pid = h.pid() as number;
    h.close();
    for (let i = 0; i < 500 && alive(pid); i++) await sleep(10);
    assert.equal(alive(pid), false);
  });
});

function alive(pid: number): boolean {
  try {
    // a zombie is gone for our purpose
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}
