// The one quoting function: every argv, whatever bytes it holds, reaches the
// command exactly as given when /bin/sh reads the quoted line, as a remote
// login shell reads an exec channel's command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { quoteCommand, quoteWord } from '../../../src/host/ssh/shell-quote.js';
import { remoteCommand } from '../../../src/host/ssh/exec.js';

/** argv as /bin/sh runs it: each word printed NUL-terminated */
function throughSh(line: string): string[] {
  const r = spawnSync('/bin/sh', ['-c', `printf '%s\\0' ${line}`], { encoding: 'buffer' });
  assert.equal(r.status, 0, r.stderr.toString());
  const out = r.stdout.toString('utf8').split('\0');
  out.pop();
  return out;
}

const HOSTILE = ["'", '"', '$(touch /tmp/pwned)', '`id`', '\\', '\n', ' ', '*', '~', '#', ';', '&', '|', '>', '<', '!', '$HOME', '${IFS}', "'\\''", '\t', '%', '-n', '-e', '=', 'é', '\u2028'];

function randomWord(seed: { n: number }): string {
  const next = () => (seed.n = (seed.n * 1103515245 + 12345) % 2 ** 31);
  const len = next() % 12;
  let s = '';
  for (let i = 0; i < len; i++) {
    const pick = next() % 4;
    if (pick === 0) s += HOSTILE[next() % HOSTILE.length];
    else s += String.fromCodePoint(1 + (next() % (pick === 1 ? 0x7f : 0x24f)));
  }
  return s;
}

test('every word comes through /bin/sh exactly: hostile words and 300 random argvs (any character but NUL)', () => {
  assert.deepEqual(throughSh(quoteCommand(HOSTILE)), HOSTILE);
  const seed = { n: 42 };
  for (let i = 0; i < 300; i++) {
    const argv = Array.from({ length: 1 + (seed.n % 5) }, () => randomWord(seed));
    assert.deepEqual(throughSh(quoteCommand(argv)), argv, JSON.stringify(argv));
  }
});

test('nothing is expanded: a command substitution in a word runs nothing', () => {
  const marker = `/tmp/ugate-quote-${process.pid}`;
  assert.deepEqual(throughSh(quoteCommand([`$(touch ${marker})`, `\`touch ${marker}\``])), [`$(touch ${marker})`, `\`touch ${marker}\``]);
  assert.equal(spawnSync('test', ['-e', marker]).status, 1);
});

test('plain words stay readable; the empty word is quoted; a NUL byte is refused', () => {
  assert.equal(quoteWord('/etc/nginx/nginx.conf'), '/etc/nginx/nginx.conf');
  assert.equal(quoteWord(''), "''");
  assert.equal(quoteWord("it's"), "'it'\\''s'");
  assert.throws(() => quoteWord('a\0b'), /NUL/);
});

test('the remote command line: LC_ALL=C, sudo -n when asked, the environment as given, cwd quoted', () => {
  assert.equal(remoteCommand(['ss', '-Hltnp']), 'env LC_ALL=C ss -Hltnp');
  assert.equal(remoteCommand(['ss', '-Hltnp'], { timeoutMs: 2000 }), 'timeout -k 1 3 env LC_ALL=C ss -Hltnp');
  assert.equal(remoteCommand(['nginx', '-T', '-c', '/etc/nginx/my conf'], {}, true), "sudo -n -- env LC_ALL=C nginx -T -c '/etc/nginx/my conf'");
  assert.equal(remoteCommand(['id'], { env: { PATH: '/bin', X: 'a b' }, cwd: '/tmp/x y' }), "cd '/tmp/x y' && env -i PATH=/bin 'X=a b' id");
  // what the shell runs is that argv
  const r = spawnSync('/bin/sh', ['-c', remoteCommand(['printf', '%s\\n', "a'b", '$x', '%s'])], { encoding: 'utf8' });
  assert.equal(r.stdout, "a'b\n$x\n%s\n");
});
