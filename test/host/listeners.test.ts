import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { parseSs, readListeners } from '../../src/host/listeners.js';
import { localHost } from '../../src/host/local/local-host.js';
import { decodeProcAddress, parseProcTcp, parseProcUnix } from '../../src/host/local/procnet.js';
import { fixtureRunner } from '../helpers/fixture-runner.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/host/${name}`, import.meta.url), 'utf8');

describe('ss output', () => {
  const tcp = parseSs(fixture('ss-ltnp.txt'));

  test('addresses, families, ports and every process of a listener', () => {
    assert.deepEqual(
      tcp.map((l) => [l.family, l.address, l.port, l.dualStack ?? false]),
      [
        [4, '127.0.0.53', 53, false],
        [4, '127.0.0.1', 8000, false],
        [4, '0.0.0.0', 22, false],
        [4, '127.0.0.1', 8001, false],
        [6, '::', 80, true],
        [6, '::', 22, false],
        [6, '::1', 9000, false],
        [4, '127.0.0.1', 5005, false],
        [6, 'fe80::1', 7000, false],
      ],
    );
    assert.deepEqual(tcp[1]?.processes, [
      { name: 'uvicorn', pid: 412 },
      { name: 'uvicorn', pid: 418 },
    ]);
    assert.deepEqual(tcp[8]?.processes, []);
  });

  test("each listener's accept queue: Recv-Q (waiting to be accepted) and Send-Q (the backlog)", () => {
    assert.deepEqual(tcp[1]?.queue, { pending: 0, backlog: 511 });
    const [full] = parseSs('LISTEN 2      1          127.0.0.1:8000         0.0.0.0:*    users:(("node",pid=77,fd=21))\n');
    assert.deepEqual([full?.address, full?.port, full?.queue, full?.processes], ['127.0.0.1', 8000, { pending: 2, backlog: 1 }, [{ name: 'node', pid: 77 }]]);
    const [unix] = parseSs('u_str LISTEN 5 5 /run/app.sock 4242 * 0\n');
    assert.deepEqual(unix?.queue, { pending: 5, backlog: 5 });
  });

  test('unix listeners, abstract names and paths with spaces', () => {
    const unix = parseSs(fixture('ss-lxp.txt'));
    assert.deepEqual(
      unix.map((l) => [l.kind, l.path, l.processes[0]?.name]),
      [
        ['unix', '/run/systemd/private', 'systemd'],
        ['unix', '/run/php/php8.2-fpm.sock', 'php-fpm8.2'],
        ['unix', '@/tmp/.X11-unix/X0', undefined],
        ['unix', '/run/app/with space.sock', 'app'],
      ],
    );
  });
});

describe('procfs', () => {
  test('addresses are decoded word by word in host order', () => {
    assert.deepEqual(decodeProcAddress('0100007F:1F40'), { address: '127.0.0.1', port: 8000 });
    assert.deepEqual(decodeProcAddress('00000000000000000000000001000000:2328'), { address: '::1', port: 9000 });
    assert.deepEqual(decodeProcAddress('00000000000000000000000000000000:0050'), { address: '::', port: 80 });
    assert.deepEqual(decodeProcAddress('0000000000000000FFFF00000100007F:138D'), { address: '::ffff:127.0.0.1', port: 5005 });
    assert.deepEqual(decodeProcAddress('000080FE00000000FF005452EFBE0000:1B58'), { address: 'fe80::5254:ff:0:beef', port: 7000 });
  });

  test('only LISTEN rows; a v6 wildcard is dual-stack when bindv6only is 0; mapped addresses are IPv4', () => {
    const v4 = parseProcTcp(fixture('proc-net-tcp.txt'), 4, true);
    assert.deepEqual(v4.map((l) => `${l.address}:${l.port}`), ['127.0.0.1:8000', '0.0.0.0:22', '127.0.0.2:8001']);
    const v6 = parseProcTcp(fixture('proc-net-tcp6.txt'), 6, true);
    assert.deepEqual(
      v6.map((l) => [l.family, l.address, l.port, l.dualStack ?? false]),
      [
        [6, '::1', 9000, false],
        [6, '::', 80, true],
        [4, '127.0.0.1', 5005, false],
        [6, 'fe80::5254:ff:0:beef', 7000, false],
      ],
    );
    assert.equal(parseProcTcp(fixture('proc-net-tcp6.txt'), 6, false)[1]?.dualStack, undefined);
  });

  test('unix: only accepting sockets, with their paths', () => {
    assert.deepEqual(parseProcUnix(fixture('proc-net-unix.txt')).map((l) => l.path), ['/run/systemd/private', '/run/php/php8.2-fpm.sock', '/run/app/with space.sock']);
  });
});

describe('readListeners', () => {
  test("not root, some listeners without a process: the note says other users' processes are hidden, and the snapshot says so", async () => {
    const ss = 'LISTEN 0 511 127.0.0.1:8000 0.0.0.0:* users:(("app",pid=412,fd=7))\nLISTEN 0 511 127.0.0.1:8001 0.0.0.0:*\n';
    const runner = fixtureRunner({ 'ss -Hltnp': { stdout: ss }, 'ss -Hlxp': { stdout: '' } });
    const fallback = () => Promise.reject(new Error('not used'));
    const user = await readListeners(runner, fallback, { root: false });
    assert.equal(user.processesHidden, true);
    assert.deepEqual(user.notes, ["ss shows no process for 1 of 2 listeners: other users' processes are hidden unless the gate runs as root"]);
    const root = await readListeners(runner, fallback, { root: true });
    assert.equal(root.processesHidden, undefined);
    assert.deepEqual(root.notes, []);
  });

  test('ss finds a real listener and its process', async (t) => {
    const server = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    t.after(() => server.close());
    const port = (server.address() as import('node:net').AddressInfo).port;
    const snap = await localHost().listListeners();
    const mine = snap.listeners.find((l) => l.port === port);
    assert.equal(mine?.address, '127.0.0.1');
    if (process.getuid?.() === 0) assert.ok(mine?.processes.some((p) => p.pid === process.pid));
  });

  test('without ss: procfs, and the evidence says so', async (t) => {
    const server = createServer().listen({ port: 0, host: '::1', ipv6Only: true });
    await new Promise((r) => server.once('listening', r));
    t.after(() => server.close());
    const port = (server.address() as import('node:net').AddressInfo).port;
    const snap = await localHost(fixtureRunner({ ss: { notFound: true } })).listListeners();
    assert.match(snap.notes[0] ?? '', /^ss not installed; read \/proc\/net\/tcp/);
    const mine = snap.listeners.find((l) => l.port === port);
    assert.equal(mine?.family, 6);
    assert.equal(mine?.address, '::1');
    // the fd scan has a time budget: on a loaded machine it may stop early, and says so
    const complete = !snap.notes.some((n) => n.includes('cut short'));
    if (process.getuid?.() === 0 && complete) assert.ok(mine?.processes.some((p) => p.pid === process.pid), JSON.stringify(mine));
  });
});
