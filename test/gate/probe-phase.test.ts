// The probe phase against real backends, real sockets, real php-fpm and real
// nginx on loopback: each situation produces its reason code with errno,
// evidence and fix.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProbePhase } from '../../src/gate/probe-phase.js';
import type { NginxDial } from '../../src/model/dial.js';
import type { ProgressEvent } from '../../src/model/events.js';
import { localHost } from '../../src/host/local/local-host.js';
import { execaRunner, type Runner } from '../../src/host/run.js';
import type { Finding } from '../../src/model/finding.js';
import { parseSpec } from '../../src/spec/load.js';
import { startHttpBackend, status } from '../helpers/backend.js';
import { fixtureRunner } from '../helpers/fixture-runner.js';
import { hasNginx, startNginx } from '../helpers/nginx.js';
import { canLandlockNet, denyTcpConnect } from '../helpers/landlock.js';
import { hasPhpFpm, startPhpFpm } from '../helpers/php-fpm.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tmp.js';

const DRIVER = fileURLToPath(new URL('./probe-phase-driver.ts', import.meta.url));

async function phase(yaml: string, dials: NginxDial[] = [], onProgress?: (e: ProgressEvent) => void, runner: Runner = execaRunner(), interrupt?: AbortSignal) {
  const spec = parseSpec(`version: 1\n${yaml}`, join(process.cwd(), 'upstream-gate.yml'));
  const deadlineAt = Date.now() + spec.gate.deadlineMs;
  // as the gate does: the signal stops in-flight I/O one connect timeout after the deadline
  const hardStop = AbortSignal.timeout(spec.gate.deadlineMs + Math.min(spec.gate.connectTimeoutMs, 5000));
  return runProbePhase(spec, dials, {
    signal: interrupt ? AbortSignal.any([interrupt, hardStop]) : hardStop,
    deadlineAt,
    host: localHost(runner),
    ...(onProgress && { onProgress }),
  });
}

function only(r: { findings: Finding[] }): Finding {
  assert.equal(r.findings.length, 1, JSON.stringify(r.findings, null, 1));
  return r.findings[0] as Finding;
}

/** A TCP server with a raw connection handler (silent, reset, garbage). */
async function rawServer(onConnection: (s: import('node:net').Socket) => void): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<import('node:net').Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
    onConnection(s);
  });
  await new Promise<void>((r) => server.listen({ host: '127.0.0.1', port: 0 }, r));
  const a = server.address();
  return {
    port: typeof a === 'object' && a ? a.port : 0,
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

describe('probe phase: TCP backends and health', () => {
  test('a healthy backend passes with no finding, one check per probe', async (t) => {
    const b = await startHttpBackend({});
    t.after(() => b.close());
    const events: ProgressEvent[] = [];
    const r = await phase(`services:\n  api: { backend: "127.0.0.1:${b.port}", health: /healthz }\ngate: { deadline: 5s }\n`, [], (e) => events.push(e));
    assert.deepEqual(r.findings, []);
    assert.deepEqual(
      r.checks.map((c) => [c.name, c.ok]),
      [
        [`tcp 127.0.0.1:${b.port}`, true],
        ['http GET /healthz', true],
      ],
    );
    assert.deepEqual(events.map((e) => e.state), ['pass', 'pass']);
  });

  test('HTTP 503: health.status, retried with backoff until the deadline', async (t) => {
    const b = await startHttpBackend({ handler: status(503, 'warming up\n') });
    t.after(() => b.close());
    const r = await phase(`services:\n  api: { backend: "127.0.0.1:${b.port}", health: /healthz }\ngate: { deadline: 1200ms, interval: 50ms, max_interval: 200ms }\n`);
    const f = only(r);
    assert.equal(f.code, 'health.status');
    assert.match(f.message, /answered 503/);
    assert.ok(f.evidence?.includes('body: warming up\\n'), f.evidence?.join('\n'));
    const c = r.checks.find((x) => x.name === 'http GET /healthz');
    assert.ok((c?.attempts ?? 0) >= 2);
  });

  test('accepts and never answers: health.timeout (110)', async (t) => {
    const s = await rawServer(() => {});
    t.after(() => s.close());
    const f = only(await phase(`services:\n  api: { backend: "127.0.0.1:${s.port}", health: /healthz }\ngate: { deadline: 800ms, request_timeout: 200ms }\n`));
    assert.equal(f.code, 'health.timeout');
    assert.equal(f.errno, 110);
    assert.ok(f.evidence?.includes('nothing received'));
  });

  test('accepts and resets: health.reset (104)', async (t) => {
    const s = await rawServer((sock) => sock.once('data', () => sock.resetAndDestroy()));
    t.after(() => s.close());
    const f = only(await phase(`services:\n  api: { backend: "127.0.0.1:${s.port}", health: /healthz }\ngate: { deadline: 600ms }\n`));
    assert.equal(f.code, 'health.reset');
    assert.equal(f.errno, 104);
    assert.equal(f.errno_name, 'ECONNRESET');
  });

  test('answers garbage: health.protocol with the bytes received', async (t) => {
    const s = await rawServer((sock) => sock.once('data', () => sock.end('SSH-2.0-OpenSSH_9.2\r\n')));
    t.after(() => s.close());
    const f = only(await phase(`services:\n  api: { backend: "127.0.0.1:${s.port}", health: /healthz }\ngate: { deadline: 3s }\n`));
    assert.equal(f.code, 'health.protocol');
    assert.ok(f.evidence?.some((l) => l.includes('received: SSH-2.0-OpenSSH_9.2')), f.evidence?.join('\n'));
  });

  test("a 20 KB header passes as with curl -f; headers past curl's 300 KiB are health.protocol saying so", async (t) => {
    const answer = (bytes: number) => `HTTP/1.1 200 OK\r\ncontent-length: 3\r\nset-cookie: s=${'a'.repeat(bytes)}\r\nx-trace: ${'b'.repeat(bytes)}\r\n\r\nok\n`;
    const fine = await rawServer((sock) => sock.once('data', () => sock.end(answer(10_000))));
    t.after(() => fine.close());
    const ok = await phase(`services:\n  api: { backend: "127.0.0.1:${fine.port}", health: /healthz }\ngate: { deadline: 3s }\n`);
    assert.deepEqual(ok.findings, []);
    const huge = await rawServer((sock) => sock.once('data', () => sock.end(answer(90_000).replace('\r\n\r\n', `\r\n${'x-more: c\r\n'.repeat(12_000)}\r\n`))));
    t.after(() => huge.close());
    const f = only(await phase(`services:\n  api: { backend: "127.0.0.1:${huge.port}", health: /healthz }\ngate: { deadline: 3s }\n`));
    assert.equal(f.code, 'health.protocol');
    assert.match(f.message, /headers larger than curl takes/);
    assert.ok(f.evidence?.some((l) => l.includes('Too large response headers')), f.evidence?.join('\n'));
    assert.match(f.fix ?? '', /trim the health answer's headers/);
  });

  test('protocol https against a plain HTTP backend: health.protocol', async (t) => {
    const b = await startHttpBackend({});
    t.after(() => b.close());
    const f = only(await phase(`services:\n  api: { backend: "127.0.0.1:${b.port}", protocol: https, health: /healthz }\ngate: { deadline: 3s }\n`));
    assert.equal(f.code, 'health.protocol');
    assert.match(f.fix ?? '', /does not speak TLS/);
  });

  test('a backend whose listener and health come up mid-gate passes', async (t) => {
    const port = await freePort();
    let started: Promise<Awaited<ReturnType<typeof startHttpBackend>>> | undefined;
    t.after(async () => (await started)?.close());
    const events: ProgressEvent[] = [];
    // the backend starts once the gate has seen it down: no race with the first attempt
    const r = await phase(`services:\n  api: { backend: "127.0.0.1:${port}", health: /healthz }\ngate: { deadline: 20s, interval: 50ms }\n`, [], (e) => {
      events.push(e);
      if (e.state === 'waiting' && !started) started = startHttpBackend({ port });
    });
    assert.deepEqual(r.findings, []);
    const tcp = r.checks.find((c) => c.name === `tcp 127.0.0.1:${port}`);
    assert.equal(tcp?.ok, true);
    assert.ok((tcp?.attempts ?? 0) > 1, 'it waited');
    // one event per change of state, not per attempt (a listener seen by ss just after a refused
    // connect may add one `network.rejected` step before the pass)
    const states = events.filter((e) => e.check === `tcp 127.0.0.1:${port}`).map((e) => `${e.state}:${e.code ?? ''}`);
    assert.equal(states[0], 'waiting:backend.down');
    assert.equal(states.at(-1), 'pass:');
    assert.ok(states.length <= 3, states.join(', '));
    assert.ok(states.every((s, i) => s !== states[i - 1]), states.join(', '));
    assert.deepEqual(events.filter((e) => e.check === 'http GET /healthz').map((e) => e.state), ['pass']);
  });

  test('success_threshold: a backend that flaps between 200 and 503 never passes 2 in a row', async (t) => {
    let n = 0;
    const b = await startHttpBackend({ handler: (req, res) => (n++ % 2 === 0 ? status(200, 'ok')(req, res) : status(503, 'flap')(req, res)) });
    t.after(() => b.close());
    const events: ProgressEvent[] = [];
    const r = await phase(`services:\n  api: { backend: "127.0.0.1:${b.port}", health: /healthz }\ngate: { deadline: 1s, interval: 20ms, max_interval: 50ms, success_threshold: 2 }\n`, [], (e) => events.push(e));
    const f = only(r);
    assert.equal(f.code, 'health.status');
    assert.ok(!events.some((e) => e.check === 'http GET /healthz' && e.state === 'pass'), 'a single pass is not yet a pass');
    assert.ok(events.some((e) => e.check === 'http GET /healthz' && e.state === 'waiting' && e.message === 'passing, 2 in a row needed'));
    const health = r.checks.find((c) => c.name === 'http GET /healthz');
    assert.ok((health?.attempts ?? 0) >= 2, 'passes in between did not end the check');
  });

  test('an interrupt (SIGINT) ends the waiting at once with the last reason, long before the deadline', async () => {
    const port = await freePort();
    const interrupt = new AbortController();
    const r = await phase(`services:\n  api: { backend: "127.0.0.1:${port}" }\ngate: { deadline: 120s }\n`, [], (e) => {
      if (e.state === 'waiting') interrupt.abort(new Error('interrupted by SIGINT'));
    }, execaRunner(), interrupt.signal);
    const f = only(r);
    assert.equal(f.code, 'backend.down');
    assert.equal(f.errno, 111);
  });

  test('a dial from the nginx config on the other IP family: family mismatch with the nginx line as the fix', async (t) => {
    const b = await startHttpBackend({});
    t.after(() => b.close());
    const dial: NginxDial = {
      service: 'api',
      directive: 'proxy_pass',
      scheme: 'http',
      endpoint: { kind: 'tcp', host: '::1', port: b.port },
      file: '/etc/nginx/conf.d/app.conf',
      shownFile: 'conf.d/app.conf',
      line: 12,
      text: `proxy_pass http://[::1]:${b.port};`,
    };
    const f = only(await phase(`services:\n  api: { backend: "127.0.0.1:${b.port}" }\ngate: { deadline: 20s }\n`, [dial]));
    assert.equal(f.code, 'backend.family_mismatch');
    assert.equal(f.target, `[::1]:${b.port}`);
    assert.equal(f.fix, `proxy_pass http://127.0.0.1:${b.port};  (conf.d/app.conf:12)`);
    assert.equal(f.file, '/etc/nginx/conf.d/app.conf');
    assert.equal(f.line, 12);
  });
});

describe('probe phase: a security policy denies the connect', () => {
  // SELinux is absent here; Landlock denies a TCP connect the same way (EACCES), for real
  test('EACCES on a TCP connect: selinux.denied, stopped after two confirmations', { skip: !canLandlockNet && 'needs Landlock network rules (Linux 6.7+) and python3' }, async () => {
    const port = await freePort();
    const input = JSON.stringify({
      spec: `version: 1\nservices:\n  api: { backend: "127.0.0.1:${port}", health: /healthz }\ngate: { deadline: 60s }\n`,
      listen: [{ host: '127.0.0.1', port }],
    });
    const [cmd, ...args] = denyTcpConnect([process.execPath, '--import', 'tsx', DRIVER]);
    const r = spawnSync(cmd as string, args, { encoding: 'utf8', env: { ...process.env, UGATE_DRIVER: input }, timeout: 30_000 });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { findings: Finding[]; checks: { name: string; attempts?: number }[] };
    const f = only(out);
    assert.equal(f.code, 'selinux.denied');
    assert.equal(f.errno, 13);
    assert.equal(f.errno_name, 'EACCES');
    assert.match(f.message, new RegExp(`connect to 127\\.0\\.0\\.1:${port} denied \\(EACCES\\)`));
    assert.match(f.fix ?? '', /setsebool -P httpd_can_network_connect 1/);
    assert.equal(out.checks.find((c) => c.name === `tcp 127.0.0.1:${port}`)?.attempts, 2);
  });
});

// systemd does not run here: its commands answer with captured output, every other command is real
describe('probe phase: systemd evidence', () => {
  const fixture = (name: string) => readFileSync(new URL(`../fixtures/host/${name}`, import.meta.url), 'utf8');
  const SHOW = 'systemctl show app-uvicorn.service --property=ActiveState,SubState,MainPID,Result,ExecMainStatus,NRestarts,LoadState --no-pager';
  const JOURNAL = 'journalctl -u app-uvicorn.service -n 8 --no-pager -o short-iso';

  test('a unit that failed to start: backend.down carries its state and journal', async () => {
    const port = await freePort();
    const runner = fixtureRunner({ [SHOW]: { stdout: fixture('systemctl-show-failed.txt') }, [JOURNAL]: { stdout: fixture('journalctl-failed.txt') } }, execaRunner());
    const f = only(await phase(`services:\n  api: { backend: "127.0.0.1:${port}", unit: app-uvicorn.service }\ngate: { deadline: 400ms }\n`, [], undefined, runner));
    assert.equal(f.code, 'backend.down');
    assert.ok(f.evidence?.includes('app-uvicorn.service: failed (failed), Result=exit-code, status 3, 5 restarts'), f.evidence?.join('\n'));
    assert.ok(f.evidence?.some((l) => l.startsWith('journal: ') && l.includes('Failed to start app-uvicorn.service')));
    assert.match(f.fix ?? '', /^start app-uvicorn\.service \(systemctl status app-uvicorn\.service; journalctl -u app-uvicorn\.service\)/);
  });

  test("the unit's main process listens on another port: backend.wrong_port names it", async (t) => {
    const other = await startHttpBackend({});
    t.after(() => other.close());
    const port = await freePort();
    const show = `MainPID=${process.pid}\nActiveState=active\nSubState=running\nLoadState=loaded\nResult=success\nExecMainStatus=0\nNRestarts=0\n`;
    const runner = fixtureRunner({ [SHOW]: { stdout: show }, [JOURNAL]: { stdout: '' } }, execaRunner());
    const f = only(await phase(`services:\n  api: { backend: "127.0.0.1:${port}", unit: app-uvicorn.service }\ngate: { deadline: 20s }\n`, [], undefined, runner));
    assert.equal(f.code, 'backend.wrong_port');
    assert.match(f.message, new RegExp(`listens on port ${other.port} instead`));
  });
});

describe('probe phase: unix sockets and FastCGI', () => {
  test('php-fpm ping over its socket passes; a missing script is health.status 404', { skip: !hasPhpFpm && 'php-fpm not installed' }, async (t) => {
    const fpm = await startPhpFpm();
    t.after(() => fpm.stop());
    const ok = await phase(`services:\n  php: { backend: "unix:${fpm.socket}", protocol: fastcgi, health: /ping }\ngate: { deadline: 5s }\n`);
    assert.deepEqual(ok.findings, []);
    assert.deepEqual(ok.checks.map((c) => c.name), [`unix ${fpm.socket}`, 'fastcgi /ping']);
    const missing = only(await phase(`services:\n  php: { backend: "unix:${fpm.socket}", protocol: fastcgi, health: /status.php }\ngate: { deadline: 600ms }\n`));
    assert.equal(missing.code, 'health.status');
    assert.match(missing.evidence?.join('\n') ?? '', /Primary script unknown/);
  });

  test('the socket of another PHP version: socket.missing names the sibling that exists', { skip: !hasPhpFpm && 'php-fpm not installed' }, async (t) => {
    const fpm = await startPhpFpm({ socketName: 'php8.2-fpm.sock' });
    t.after(() => fpm.stop());
    const wanted = join(fpm.dir, 'php8.1-fpm.sock');
    const f = only(await phase(`services:\n  php: { backend: "unix:${wanted}", protocol: fastcgi, health: /ping }\ngate: { deadline: 500ms }\n`));
    assert.equal(f.code, 'socket.missing');
    assert.equal(f.errno, 2);
    assert.equal(f.errno_name, 'ENOENT');
    assert.equal(f.message, 'php8.1-fpm.sock is absent; php8.2-fpm.sock exists');
    assert.match(f.fix ?? '', new RegExp(`unix:${fpm.socket.replace(/[.]/g, '\\.')}`));
  });

  test('a stale socket file nobody accepts on: socket.refused', async (t) => {
    const { dir, remove } = tempDir('ugate-stale-');
    t.after(remove);
    const path = join(dir, 'app.sock');
    const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`], { stdio: ['ignore', 'pipe', 'ignore'] });
    t.after(() => child.kill('SIGKILL'));
    await new Promise((r) => child.stdout.once('data', r));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    assert.ok(existsSync(path), 'the killed listener left its socket file behind');
    const f = only(await phase(`services:\n  app: { backend: "unix:${path}" }\ngate: { deadline: 500ms }\n`));
    assert.equal(f.code, 'socket.refused');
    assert.equal(f.errno, 111);
    assert.match(f.message, /stale socket file/);
    assert.ok(f.evidence?.includes('no process listens on this path'));
  });

  test('a 0600 root socket and an unprivileged user: socket.permission names mode, owner and user', async (t) => {
    if (process.getuid?.() !== 0) return t.skip('needs root to switch user');
    const { dir, remove } = tempDir('ugate-perm-');
    t.after(remove);
    const path = join(dir, 'app.sock');
    const b = await startHttpBackend({ path });
    t.after(() => b.close());
    chmodSync(path, 0o600);
    const input = JSON.stringify({ spec: `version: 1\nservices:\n  app: { backend: "unix:${path}", health: /healthz }\ngate: { deadline: 3s }\n` });
    const r = spawnSync('setpriv', ['--reuid', 'nobody', '--regid', 'nogroup', '--clear-groups', process.execPath, '--import', 'tsx', DRIVER], {
      encoding: 'utf8',
      env: { ...process.env, UGATE_DRIVER: input },
      timeout: 30_000,
    });
    assert.equal(r.status, 0, r.stderr);
    const f = only(JSON.parse(r.stdout) as { findings: Finding[] });
    assert.equal(f.code, 'socket.permission');
    assert.equal(f.errno, 13);
    assert.equal(f.errno_name, 'EACCES');
    assert.match(f.message, /srw------- \(0600\) root:root/);
    assert.match(f.message, /user nobody \(uid 65534\) lacks write permission/);
    assert.match(f.fix ?? '', /0660/);
  });
});

describe('probe phase: through nginx', { skip: !hasNginx && 'nginx not installed' }, () => {
  test('nginx answers 502 because it dials a dead port: proxy.bad_gateway with the error-log line', async (t) => {
    const b = await startHttpBackend({});
    t.after(() => b.close());
    const dead = await freePort();
    const port = await freePort();
    const nginx = await startNginx({
      http: `server { listen 127.0.0.1:${port}; server_name api.test; location / { proxy_pass http://127.0.0.1:${dead}; } }`,
    });
    t.after(() => nginx.stop());
    const r = await phase(
      `services:\n  api: { backend: "127.0.0.1:${b.port}", health: /healthz, server_name: api.test }\nnginx: { front: "http://127.0.0.1:${port}", error_log: ${nginx.errorLog} }\ngate: { deadline: 800ms }\n`,
    );
    const f = only(r);
    assert.equal(f.code, 'proxy.bad_gateway');
    assert.equal(f.errno, 111);
    assert.match(f.message, new RegExp(`nginx cannot reach http://127\\.0\\.0\\.1:${dead}/healthz`));
    assert.ok(f.evidence?.some((l) => l.includes('connect() failed (111: Connection refused)') && l.includes('server: api.test')), f.evidence?.join('\n'));
    assert.deepEqual(
      r.checks.map((c) => [c.name, c.ok]),
      [
        [`tcp 127.0.0.1:${b.port}`, true],
        ['http GET /healthz', true],
        ['front GET /healthz', false],
      ],
    );
  });

  test('nginx answers 504 because its upstream never answers: proxy.bad_gateway with errno 110', async (t) => {
    const b = await startHttpBackend({});
    t.after(() => b.close());
    const silent = await rawServer(() => {});
    t.after(() => silent.close());
    const port = await freePort();
    const nginx = await startNginx({
      http: `server { listen 127.0.0.1:${port}; server_name api.test; location / { proxy_read_timeout 300ms; proxy_pass http://127.0.0.1:${silent.port}; } }`,
    });
    t.after(() => nginx.stop());
    const f = only(await phase(`services:\n  api: { backend: "127.0.0.1:${b.port}", health: /healthz, server_name: api.test }\nnginx: { front: "http://127.0.0.1:${port}", error_log: ${nginx.errorLog} }\ngate: { deadline: 1500ms }\n`));
    assert.equal(f.code, 'proxy.bad_gateway');
    assert.equal(f.errno, 110);
    assert.match(f.message, /answered 504/);
    assert.ok(f.evidence?.some((l) => l.includes('upstream timed out (110: Connection timed out)')), f.evidence?.join('\n'));
  });

  test('nginx workers denied the php-fpm socket the gate can open: proxy.bad_gateway with EACCES and the permission fix', { skip: !hasPhpFpm && 'php-fpm not installed' }, async (t) => {
    if (process.getuid?.() !== 0) return t.skip('needs root to run nginx workers as nobody');
    const fpm = await startPhpFpm({ pool: 'listen.mode = 0600' });
    t.after(() => fpm.stop());
    chmodSync(fpm.dir, 0o755);
    const port = await freePort();
    const nginx = await startNginx({
      user: 'nobody nogroup',
      http: `server { listen 127.0.0.1:${port}; server_name php.test; location / { include /etc/nginx/fastcgi_params; fastcgi_param SCRIPT_NAME $uri; fastcgi_pass unix:${fpm.socket}; } }`,
    });
    t.after(() => nginx.stop());
    const r = await phase(
      `services:\n  php: { backend: "unix:${fpm.socket}", protocol: fastcgi, health: /ping, server_name: php.test }\nnginx: { front: "http://127.0.0.1:${port}", error_log: ${nginx.errorLog} }\ngate: { deadline: 800ms }\n`,
    );
    const f = only(r);
    assert.equal(f.code, 'proxy.bad_gateway');
    assert.equal(f.errno, 13);
    assert.equal(f.errno_name, 'EACCES');
    assert.ok(f.evidence?.some((l) => l.includes('failed (13: Permission denied)')), f.evidence?.join('\n'));
    assert.equal(f.fix, `nginx's user may not connect to ${fpm.socket}: give the socket to nginx's group with mode 0660 (php-fpm: listen.owner / listen.group / listen.mode)`);
    assert.deepEqual(r.checks.map((c) => c.ok), [true, true, false], 'the gate itself (root) connects fine: only nginx is denied');
  });

  test('credentials in the front URL are sent as Basic auth and never printed', async (t) => {
    const b = await startHttpBackend({});
    t.after(() => b.close());
    const dead = await freePort();
    const port = await freePort();
    const basic = Buffer.from('gate:s3cret').toString('base64');
    const nginx = await startNginx({
      http: `server { listen 127.0.0.1:${port}; server_name api.test; location / { if ($http_authorization != "Basic ${basic}") { return 401; } proxy_pass http://127.0.0.1:${dead}; } }`,
    });
    t.after(() => nginx.stop());
    const r = await phase(`services:\n  api: { backend: "127.0.0.1:${b.port}", health: /healthz, server_name: api.test }\nnginx: { front: "http://gate:s3cret@127.0.0.1:${port}", error_log: ${nginx.errorLog} }\ngate: { deadline: 800ms }\n`);
    const f = only(r);
    // 502, not 401: the credentials reached nginx
    assert.equal(f.code, 'proxy.bad_gateway');
    assert.equal(f.target, `http://***@127.0.0.1:${port}/healthz`);
    assert.ok(!JSON.stringify(r).includes('s3cret'));
  });
});

describe('probe phase: several services', () => {
  test('a health path on a protocol the gate cannot speak: listener only, and an info note says so', async (t) => {
    const b = await startHttpBackend({});
    t.after(() => b.close());
    const r = await phase(`services:\n  rpc: { backend: "127.0.0.1:${b.port}", protocol: grpc, health: /grpc.health.v1.Health/Check }\ngate: { deadline: 5s }\n`);
    assert.deepEqual(r.findings, [{ severity: 'info', service: 'rpc', message: 'health /grpc.health.v1.Health/Check is not requested over grpc: the listener probe is the check' }]);
    assert.deepEqual(r.checks.map((c) => [c.name, c.ok]), [[`tcp 127.0.0.1:${b.port}`, true]]);
  });

  test('the backend and a dial that reach the same address share one check', async (t) => {
    const local = await localHost().resolve('localhost', { timeoutMs: 2000 });
    if (!local.ok || local.addresses.join() !== '127.0.0.1') return t.skip('localhost is not 127.0.0.1 alone here');
    const b = await startHttpBackend({});
    t.after(() => b.close());
    const dial: NginxDial = { service: 'api', directive: 'proxy_pass', scheme: 'http', endpoint: { kind: 'tcp', host: '127.0.0.1', port: b.port }, file: '/etc/nginx/conf.d/app.conf', line: 3, text: `proxy_pass http://127.0.0.1:${b.port};` };
    const r = await phase(`services:\n  api: { backend: "localhost:${b.port}", health: /healthz }\ngate: { deadline: 5s }\n`, [dial, { ...dial, line: 9 }]);
    assert.deepEqual(r.findings, []);
    assert.deepEqual(r.checks.map((c) => c.name), [`tcp 127.0.0.1:${b.port}`, 'http GET /healthz']);
  });

  test('two hundred services behind one listener all pass, with no listener-leak warning on the one signal', async (t) => {
    const b = await startHttpBackend({});
    t.after(() => b.close());
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    t.after(() => process.off('warning', onWarning));
    const services = Array.from({ length: 200 }, (_, i) => `  s${i}: { backend: "127.0.0.1:${b.port}", health: /healthz }\n`).join('');
    const r = await phase(`services:\n${services}gate: { deadline: 60s }\n`);
    assert.deepEqual(r.findings, []);
    assert.equal(r.checks.filter((c) => c.ok).length, 400);
    // warnings are emitted on the next tick
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning')), []);
  });

  test('all services run in parallel under one deadline; a passing one adds no finding', async (t) => {
    const ok = await startHttpBackend({});
    t.after(() => ok.close());
    const down = await freePort();
    const r = await phase(`services:\n  web: { backend: "127.0.0.1:${ok.port}", health: /healthz }\n  worker: { backend: "127.0.0.1:${down}" }\ngate: { deadline: 600ms }\n`);
    const f = only(r);
    assert.equal(f.service, 'worker');
    assert.equal(f.code, 'backend.down');
    assert.deepEqual(
      r.checks.map((c) => [c.service, c.name, c.ok]),
      [
        ['web', `tcp 127.0.0.1:${ok.port}`, true],
        ['web', 'http GET /healthz', true],
        ['worker', `tcp 127.0.0.1:${down}`, false],
      ],
    );
  });
});
