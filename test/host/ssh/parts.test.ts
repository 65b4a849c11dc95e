// The SSH host's pure parts: the target, the proxy command's words, known_hosts
// matching (plain, wildcard, hashed, revoked), the errno of sshd's words, the
// tools' output parsed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSshTarget, knownHostsName } from '../../../src/host/ssh/target.js';
import { splitCommand, substitute } from '../../../src/host/ssh/proxy-command.js';
import { fingerprint, knownKeys, pinnedMatches, verifyHostKey } from '../../../src/host/ssh/known-hosts.js';
import { mayConnect, sshdConnectError } from '../../../src/host/ssh/ssh-dial.js';
import { fileFailure, parseFileStream, parseStat } from '../../../src/host/ssh/remote-files.js';
import { tempDir } from '../../helpers/tmp.js';

test('targets: USER@HOST:PORT, IPv6 in brackets; bad ones say why', () => {
  assert.deepEqual(parseSshTarget('deploy@web1.example.com:2222'), { user: 'deploy', host: 'web1.example.com', port: 2222 });
  assert.deepEqual(parseSshTarget('web1'), { host: 'web1', port: 22 });
  assert.deepEqual(parseSshTarget('root@[::1]:22'), { user: 'root', host: '::1', port: 22 });
  assert.deepEqual(parseSshTarget('::1'), { host: '::1', port: 22 });
  assert.match(parseSshTarget('web1:99999') as string, /port "99999" is not 1-65535/);
  assert.match(parseSshTarget('-oProxyCommand=x') as string, /not a host name/);
  assert.match(parseSshTarget('a b@web1') as string, /not a user name/);
  assert.equal(knownHostsName({ host: 'web1', port: 22 }), 'web1');
  assert.equal(knownHostsName({ host: 'web1', port: 2222 }), '[web1]:2222');
});

test('the proxy command is split as a shell would, without running one; %h %p %r %% substituted', () => {
  assert.deepEqual(splitCommand(`ip netns exec NS nc 127.0.0.1 22`), ['ip', 'netns', 'exec', 'NS', 'nc', '127.0.0.1', '22']);
  assert.deepEqual(splitCommand(`ssh -W '%h:%p' "jump host" a\\ b ''`), ['ssh', '-W', '%h:%p', 'jump host', 'a b', '']);
  assert.deepEqual(splitCommand(`x "a \\"q\\" \\$b"`), ['x', 'a "q" $b']);
  assert.match(splitCommand('nc host 22 | tee log') as string, /"\|" would need a shell/);
  assert.match(splitCommand('nc $(evil)') as string, /would need a shell/);
  assert.match(splitCommand(`nc 'open`) as string, /unterminated ' quote/);
  assert.match(splitCommand('   ') as string, /is empty/);
  assert.deepEqual(substitute(['nc', '%h', '%p', '%r', '100%%'], { host: 'web1', port: 22, user: 'u' }), ['nc', 'web1', '22', 'u', '100%']);
  assert.match(substitute(['nc', '%x'], { host: 'h', port: 1, user: 'u' }) as string, /unknown escape "%x"/);
});

test('known_hosts: plain, wildcard, [host]:port and hashed entries match; another key or an unknown host is refused with the fingerprint seen', () => {
  const t = tempDir();
  try {
    const k = join(t.dir, 'k');
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', k]);
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', `${k}2`]);
    const [type, b64] = readFileSync(`${k}.pub`, 'utf8').split(' ') as [string, string];
    const other = readFileSync(`${k}2.pub`, 'utf8').split(' ')[1] as string;
    const key = Buffer.from(b64, 'base64');
    const file = join(t.dir, 'known_hosts');
    writeFileSync(file, `# comment\nweb1,web2 ${type} ${b64}\n*.example.com ${type} ${b64}\n[web3]:2222 ${type} ${b64}\nweb4 ${type} ${other}\n@revoked web5 ${type} ${b64}\nhashed ${type} ${b64}\n`);
    // ssh-keygen -H hashes the names in place, as HashKnownHosts does
    assert.equal(spawnSync('ssh-keygen', ['-q', '-H', '-f', file]).status, 0);
    const text = readFileSync(file, 'utf8');
    assert.doesNotMatch(text, /hashed/);
    for (const name of ['web1', 'web2', 'a.example.com', '[web3]:2222', 'hashed']) {
      assert.deepEqual(verifyHostKey(key, knownKeys(text, file, name), name, file), { ok: true }, name);
    }
    const unknown = verifyHostKey(key, knownKeys(text, file, 'web3'), 'web3', file);
    assert.equal(unknown.ok, false);
    assert.match(!unknown.ok ? unknown.message : '', new RegExp(`web3 is not in .*known_hosts; it shows ssh-ed25519 ${fingerprint(key).replace(/[+/]/g, '\\$&')}`));
    const changed = verifyHostKey(key, knownKeys(text, file, 'web4'), 'web4', file);
    assert.equal(!changed.ok && changed.why, 'mismatch');
    assert.match(!changed.ok ? changed.message : '', /does not match .*known_hosts:\d+: it shows ssh-ed25519 SHA256:/);
    const revoked = verifyHostKey(key, knownKeys(text, file, 'web5'), 'web5', file);
    assert.equal(!revoked.ok && revoked.why, 'revoked');
    // the fingerprint is ssh-keygen's
    const printed = spawnSync('ssh-keygen', ['-l', '-f', `${k}.pub`], { encoding: 'utf8' }).stdout.split(' ')[1];
    assert.equal(fingerprint(key), printed);
    assert.equal(pinnedMatches(printed as string, key), true);
    assert.equal(pinnedMatches(`${type} ${b64}`, key), true);
    assert.equal(pinnedMatches(`${type} ${other}`, key), false);
  } finally {
    t.remove();
  }
});

test("sshd's words for a failed connect -> the errno a local connect gives", () => {
  assert.deepEqual(sshdConnectError('Connection refused'), { code: 'ECONNREFUSED', errno: 111 });
  assert.deepEqual(sshdConnectError('No route to host'), { code: 'EHOSTUNREACH', errno: 113 });
  assert.deepEqual(sshdConnectError('Network is unreachable'), { code: 'ENETUNREACH', errno: 101 });
  assert.deepEqual(sshdConnectError('Connection timed out'), { code: 'ETIMEDOUT', errno: 110 });
  assert.deepEqual(sshdConnectError('administratively prohibited: open failed'), {});
});

test('a socket file may be connected to with write permission for the user, as the kernel checks', () => {
  const f = { type: 'socket' as const, mode: 0o660, uid: 0, gid: 33, size: 0 };
  assert.equal(mayConnect(f, { uid: 1000, gid: 1000, groups: [1000] }), false);
  assert.equal(mayConnect(f, { uid: 1000, gid: 1000, groups: [1000, 33] }), true);
  assert.equal(mayConnect({ ...f, mode: 0o600, uid: 1000 }, { uid: 1000, gid: 1000, groups: [] }), true);
  assert.equal(mayConnect({ ...f, mode: 0o066, uid: 1000 }, { uid: 1000, gid: 1000, groups: [] }), false);
  assert.equal(mayConnect({ ...f, mode: 0o000 }, { uid: 0, gid: 0, groups: [] }), true);
});

test("the tools' output: stat -c, a stream of files, stderr as errno", () => {
  assert.deepEqual(parseStat('c1ed 0 33 0 1234 22 1700000000\n'), { type: 'socket', mode: 0o755, uid: 0, gid: 33, size: 0, ino: 1234, dev: 22, mtimeMs: 1_700_000_000_000 });
  assert.equal(parseStat('81a4 0 0 12 1 2 3')?.type, 'file');
  assert.equal(parseStat('garbage'), undefined);
  const stream = Buffer.concat([Buffer.from('5 /etc/nginx/a b.conf\0hello'), Buffer.from('0 /etc/nginx/empty\0'), Buffer.from('2 /etc/nginx/x\0é')]);
  assert.deepEqual([...parseFileStream(stream)], [['/etc/nginx/a b.conf', 'hello'], ['/etc/nginx/empty', ''], ['/etc/nginx/x', 'é']]);
  const r = { stdout: Buffer.alloc(0), timedOut: false, aborted: false, durationMs: 1, exitCode: 1 };
  assert.deepEqual(fileFailure({ ...r, stderr: "dd: failed to open '/x': No such file or directory\n" }, 'dd'), { ok: false, durationMs: 1, code: 'ENOENT', errno: 2, message: "dd: failed to open '/x': No such file or directory" });
  assert.equal(fileFailure({ ...r, stderr: "stat: cannot statx '/root/x': Permission denied" }, 'stat').code, 'EACCES');
  assert.equal(fileFailure({ ...r, stderr: '', timedOut: true }, 'dd').code, 'ETIMEDOUT');
});
