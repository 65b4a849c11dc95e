// The SSH host against a real sshd in a network namespace: each operation
// answers as the local host's does on that machine (the same codes, the same
// facts), the config phase reads nginx -T there, and what the user gets wrong
// (an unknown or changed host key, a bad proxy) is one line and exit 2.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import type { Host } from '../../src/host/host.js';
import { openSshHost, parseSshTarget, type SshTarget } from '../../src/host/ssh/ssh-host.js';
import { runCli } from '../helpers/cli.js';
import { runAction } from '../action/run-action.js';
import { hasNginx, NGINX_BINARY } from '../helpers/nginx.js';
import { canSshHost, createSshHost, type SshTestHost } from '../helpers/ssh-host.js';
import { tempDir } from '../helpers/tmp.js';

const skip = !canSshHost && 'needs root, ip netns, sshd and nc';

describe('a host over SSH', { skip }, () => {
  let h: SshTestHost;
  let host: Host;
  let close: () => Promise<void>;
  const t = tempDir();
  const dir = t.dir;
  before(async () => {
    h = await createSshHost({ hosts: '::1 localhost\n127.0.0.1 localhost\n' });
    const opened = await openSshHost(parseSshTarget(h.target) as SshTarget, { keyFile: h.keyFile, knownHosts: h.knownHosts, proxy: h.proxy });
    assert.ok(opened.ok, !opened.ok ? opened.message : '');
    host = opened.host;
    close = opened.close;
  });
  after(async () => {
    await close?.();
    await h?.cleanup();
    t.remove();
  });

  test('run: argv reaches the command exactly, whatever it holds; exit codes; a missing command is notFound', async () => {
    const words = ["it's", '$(id)', '`id`', 'a b', '*', '\\', '"', '%s', ''];
    const r = await host.run('printf', ['%s\\n', ...words]);
    assert.equal(r.stdout, words.map((w) => `${w}\n`).join(''));
    assert.equal(r.exitCode, 0);
    assert.equal(r.failed, false);
    const f = await host.run('sh', ['-c', 'exit 3']);
    assert.deepEqual([f.exitCode, f.failed, f.notFound], [3, true, false]);
    const nf = await host.run('no-such-command-ugate', []);
    assert.equal(nf.notFound, true);
    const nap = `30.${process.pid}`;
    const slow = await host.run('sleep', [nap], { timeoutMs: 300 });
    assert.deepEqual([slow.timedOut, slow.failed], [true, true]);
    // and the host ends it: nothing outlives its timeout there
    for (let i = 0; (await host.run('pgrep', ['-x', '-f', `sleep ${nap}`])).exitCode === 0; i++) {
      assert.ok(i < 100, `sleep ${nap} still runs on the host`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  test('stat, readFile (whole and a range) and readDir give what the local calls give', async () => {
    writeFileSync(`${dir}/f`, '0123456789');
    symlinkSync(`${dir}/f`, `${dir}/link`);
    mkdirSync(`${dir}/d`);
    writeFileSync(`${dir}/d/new\nline`, '');
    writeFileSync(`${dir}/d/plain`, '');
    spawnSync('mkfifo', [`${dir}/fifo`]);
    const st = await host.stat(`${dir}/f`, { followLinks: true });
    assert.ok(st.ok);
    assert.deepEqual([st.type, st.size, st.uid, st.mode], ['file', 10, 0, 0o644]);
    const ln = await host.stat(`${dir}/link`, { followLinks: false });
    assert.equal(ln.ok && ln.type, 'symlink');
    const missing = await host.stat(`${dir}/none`, { followLinks: true });
    assert.deepEqual([missing.ok, !missing.ok && missing.code, !missing.ok && missing.errno], [false, 'ENOENT', 2]);
    const whole = await host.readFile(`${dir}/f`);
    assert.equal(whole.ok && whole.data.toString(), '0123456789');
    const range = await host.readFile(`${dir}/f`, { offset: 3, length: 4 });
    assert.equal(range.ok && range.data.toString(), '3456');
    const tail = await host.readFile(`${dir}/f`, { offset: 8 });
    assert.equal(tail.ok && tail.data.toString(), '89');
    // a FIFO with no writer does not hold the read
    const fifo = await host.readFile(`${dir}/fifo`, { timeoutMs: 3000 });
    assert.ok(fifo.ok || fifo.code !== 'ETIMEDOUT', JSON.stringify(fifo));
    const nodir = await host.readFile(`${dir}/none`);
    assert.equal(!nodir.ok && nodir.code, 'ENOENT');
    const ls = await host.readDir(`${dir}/d`);
    assert.deepEqual(ls.ok && ls.names.sort(), ['new\nline', 'plain']);
  });

  test("resolve: the host's own hosts file, in nginx's order (IPv4 first); an unknown name is ENOTFOUND", async () => {
    const r = await host.resolve('localhost', { timeoutMs: 5000 });
    assert.deepEqual(r.ok && r.addresses, ['127.0.0.1', '::1']);
    const ip = await host.resolve('::1', { timeoutMs: 5000 });
    assert.deepEqual(ip.ok && ip.addresses, ['::1']);
    const none = await host.resolve('no-such-name.invalid', { timeoutMs: 5000 });
    assert.equal(!none.ok && none.code, 'ENOTFOUND');
  });

  test("listListeners and user: the host's own sockets (its sshd on 127.0.0.1:22), the login user", async () => {
    const snap = await host.listListeners();
    const sshd = snap.listeners.find((l) => l.kind === 'tcp' && l.port === 22);
    assert.ok(sshd, JSON.stringify(snap));
    assert.ok(sshd.processes.some((p) => p.name === 'sshd'), JSON.stringify(sshd));
    // the gate's own machine does not listen there: the view is the host's
    assert.deepEqual(await host.user(), { uid: 0, gid: 0, groups: [0] });
  });

  test('dial: a stream from the host (its sshd answers on 127.0.0.1:22); refused and missing socket as a local connect says them', async () => {
    const d = await host.dial({ kind: 'tcp', host: '127.0.0.1', port: 22 }, { timeoutMs: 5000 });
    assert.ok(d.ok);
    const [banner] = (await once(d.stream, 'data')) as [Buffer];
    assert.match(banner.toString(), /^SSH-2\.0-OpenSSH/);
    d.stream.destroy();
    const refused = await host.dial({ kind: 'tcp', host: 'localhost', port: 1 }, { timeoutMs: 5000 });
    assert.deepEqual([refused.ok, !refused.ok && refused.code, !refused.ok && refused.errno], [false, 'ECONNREFUSED', 111]);
    const missing = await host.dial({ kind: 'unix', path: `${dir}/none.sock` }, { timeoutMs: 5000 });
    assert.deepEqual([missing.ok, !missing.ok && missing.code, !missing.ok && missing.errno], [false, 'ENOENT', 2]);
    const aborted = await host.dial({ kind: 'tcp', host: '127.0.0.1', port: 22 }, { timeoutMs: 5000, signal: AbortSignal.abort() });
    assert.equal(!aborted.ok && aborted.code, 'ABORT_ERR');
  });

  test('check --ssh --phase config: nginx -T on the host; a mismatch at its file and line, a broken config as nginx -t says it', { skip: !hasNginx && 'nginx not installed' }, async () => {
    const conf = `${dir}/nginx`;
    mkdirSync(`${conf}/conf.d`, { recursive: true });
    writeFileSync(`${conf}/nginx.conf`, `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\nhttp {\n  include ${conf}/conf.d/*.conf;\n}\n`);
    writeFileSync(`${conf}/conf.d/app.conf`, 'server {\n  listen 127.0.0.1:18081;\n  server_name app.test;\n  location / {\n    proxy_pass http://127.0.0.1:9001;\n  }\n}\n');
    writeFileSync(`${dir}/gate.yml`, `version: 1\nservices:\n  app: { backend: "127.0.0.1:9000", server_name: app.test }\nnginx: { config: ${conf}/nginx.conf, binary: ${NGINX_BINARY} }\n`);
    const ssh = ['--ssh', h.target, '--ssh-key', h.keyFile, '--known-hosts', h.knownHosts, '--ssh-proxy', h.proxy];
    const r = await runCli(['check', '--phase', 'config', '--format', 'json', '--spec', `${dir}/gate.yml`, ...ssh]);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as { reason: string; findings: { code?: string; file?: string; line?: number }[] };
    assert.equal(report.reason, 'config.port_mismatch');
    const f = report.findings.find((x) => x.code === 'config.port_mismatch');
    assert.deepEqual([f?.file, f?.line], [`${conf}/conf.d/app.conf`, 5]);

    writeFileSync(`${conf}/conf.d/app.conf`, 'server {\n  listen 127.0.0.1:18081;\n  server_name app.test;\n  location / {\n    proxy_pass http://127.0.0.1:9000\n  }\n}\n');
    const bad = await runCli(['check', '--phase', 'config', '--format', 'json', '--spec', `${dir}/gate.yml`, ...ssh]);
    assert.equal(bad.code, 1, bad.stderr);
    const invalid = (JSON.parse(bad.stdout) as typeof report).findings.find((x) => x.code === 'config.invalid');
    assert.deepEqual([invalid?.file, invalid?.line], [`${conf}/conf.d/app.conf`, 6]);
  });

  test('an unknown host, a changed key, a pinned key: unknown and changed stop with exit 2 and the fingerprint seen; the key is never printed', async () => {
    writeFileSync(`${dir}/gate-pass.yml`, 'version: 1\nservices:\n  app: { backend: "127.0.0.1:22" }\ngate: { deadline: 30s }\n');
    const key = readFileSync(h.keyFile, 'utf8');
    const base = ['check', '--phase', 'probe', '--spec', `${dir}/gate-pass.yml`, '--ssh', h.target, '--ssh-proxy', h.proxy];
    const env = { ...process.env, UPSTREAM_GATE_SSH_KEY: key };
    const fp = spawnSync('ssh-keygen', ['-l', '-f', `${h.dir}/host_ed25519.pub`], { encoding: 'utf8' }).stdout.split(' ')[1] as string;

    writeFileSync(`${dir}/empty_known_hosts`, '');
    const unknown = await runCli([...base, '--known-hosts', `${dir}/empty_known_hosts`], { env });
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stderr.trim().split('\n').length, 1, unknown.stderr);
    assert.ok(unknown.stderr.includes(`it shows ssh-ed25519 ${fp}`), unknown.stderr);

    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', `${dir}/other`]);
    writeFileSync(`${dir}/changed_known_hosts`, `${h.ns.name} ${readFileSync(`${dir}/other.pub`, 'utf8')}`);
    const changed = await runCli([...base, '--known-hosts', `${dir}/changed_known_hosts`], { env });
    assert.equal(changed.code, 2);
    assert.match(changed.stderr, /does not match .*changed_known_hosts:1: it shows ssh-ed25519 SHA256:/);
    for (const out of [unknown, changed]) {
      assert.ok(!out.stderr.includes(key.split('\n')[1] as string) && !out.stdout.includes(key.split('\n')[1] as string), 'the private key is never printed');
    }

    const pinned = await runCli([...base, '--ssh-host-key', fp], { env });
    assert.equal(pinned.code, 0, pinned.stderr + pinned.stdout);
  });

  test('the Action with the ssh inputs: the key text from a secret (masked), known hosts as lines; the bundle runs it too', async () => {
    const ws = tempDir();
    try {
      writeFileSync(`${ws.dir}/upstream-gate.yml`, 'version: 1\nservices:\n  app: { backend: "127.0.0.1:22" }\ngate: { deadline: 30s }\n');
      const key = readFileSync(h.keyFile, 'utf8');
      const inputs = { ssh: h.target, 'ssh-key': key, 'known-hosts': readFileSync(h.knownHosts, 'utf8'), 'ssh-proxy': h.proxy, phase: 'probe' };
      for (const source of [true, false]) {
        const { r, outputs } = await runAction(ws.dir, inputs, { source });
        assert.equal(outputs.verdict, 'pass', r.stdout + r.stderr);
        const secretLine = key.split('\n')[1] as string;
        assert.ok(r.stdout.includes(`::add-mask::${secretLine}`), 'each line of the key is registered as a secret');
        const shown = r.stdout.split('\n').filter((l) => l.includes(secretLine));
        assert.ok(shown.every((l) => l.startsWith('::add-mask::')), 'the key appears only in the add-mask commands');
      }
    } finally {
      ws.remove();
    }
  });

  test('bad ssh input is one line and exit 2: a target, a proxy that needs a shell, an unreadable key, a flag without --ssh', async () => {
    writeFileSync(`${dir}/gate-min.yml`, 'version: 1\nservices:\n  app: { backend: "127.0.0.1:22" }\n');
    const cases: [string[], RegExp][] = [
      [['--ssh', 'web:0'], /--ssh web:0: port "0" is not 1-65535/],
      [['--ssh', h.target, '--ssh-key', h.keyFile, '--known-hosts', h.knownHosts, '--ssh-proxy', 'nc 127.0.0.1 22 | cat'], /--ssh-proxy: "\|" would need a shell/],
      [['--ssh', h.target, '--ssh-key', `${dir}/no-key`, '--known-hosts', h.knownHosts], /--ssh-key .*no-key: cannot read it \(ENOENT\)/],
      [['--sudo'], /--sudo needs --ssh/],
    ];
    for (const [args, re] of cases) {
      const r = await runCli(['check', '--spec', `${dir}/gate-min.yml`, ...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  });
});
