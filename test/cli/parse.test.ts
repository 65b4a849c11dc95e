// `upstream-gate parse`: the crossplane payload on stdout, exit codes, stdin
// and `nginx -T` dumps, one-line errors.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { parseCommand } from '../../src/cli/parse.js';
import type { CommandIO } from '../../src/cli/io.js';
import type { Payload } from '../../src/nginx/payload.js';
import { expected, fixture, relocate } from '../nginx/fixtures.js';
import { runCli } from '../helpers/cli.js';

function io(stdin = ''): { io: CommandIO; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let o = '';
  let e = '';
  stdout.on('data', (d: Buffer) => (o += d.toString()));
  stderr.on('data', (d: Buffer) => (e += d.toString()));
  const input = new PassThrough();
  input.end(stdin);
  return {
    io: { stdout, stderr, stdin: input, env: {}, cwd: fixture('php-fpm'), signal: new AbortController().signal },
    out: () => o,
    err: () => e,
  };
}

test('prints the whole payload of a config tree and exits 0', async () => {
  const t = io();
  assert.equal(await parseCommand.run(['nginx.conf'], t.io), 0);
  const payload = JSON.parse(t.out()) as Payload;
  assert.deepEqual(relocate(payload, fixture('php-fpm')), expected('php-fpm'));
  assert.equal(t.out().split('\n').length, 2, 'one line of JSON by default');
});

test('--indent pretty-prints', async () => {
  const t = io();
  assert.equal(await parseCommand.run([fixture('include-glob', 'nginx.conf'), '--indent', '2'], t.io), 0);
  assert.match(t.out(), /^\{\n {2}"status": "ok",\n/);
});

test('exit 1 when the payload holds errors, with the errors in it', async () => {
  const t = io();
  assert.equal(await parseCommand.run([fixture('syntax-errors', 'missing-semicolon.conf')], t.io), 1);
  const payload = relocate(JSON.parse(t.out()) as Payload, fixture('syntax-errors'));
  assert.deepEqual(payload, expected('syntax-errors', 'missing-semicolon.json'));
});

test('an nginx -T dump on stdin is told apart from a config and split into its files', async () => {
  const t = io(readFileSync(fixture('dump', 'nginx-T-2-1.txt'), 'utf8'));
  assert.equal(await parseCommand.run(['-'], t.io), 0);
  const payload = JSON.parse(t.out()) as Payload;
  // crossplane's order (files as includes discover them), not the depth-first order nginx -T prints them in
  assert.deepEqual(
    payload.config.map((c) => c.file),
    ['/etc/nginx/nginx.conf', '/etc/nginx/modules-enabled/50-mod-http-echo.conf', '/etc/nginx/mime.types', '/etc/nginx/sites-enabled/app', '/etc/nginx/sites-enabled/default', '/etc/nginx/proxy_params'],
  );
});

test('an nginx -T dump in a file is detected too', async () => {
  const t = io();
  assert.equal(await parseCommand.run([fixture('dump', 'nginx-T.txt')], t.io), 0);
  assert.equal((JSON.parse(t.out()) as Payload).config[0]?.file, '/etc/nginx/nginx.conf');
});

test('a config on stdin is parsed as the file "-"', async () => {
  const t = io('events {}\nhttp { server { listen 80 }\n');
  assert.equal(await parseCommand.run(['-'], t.io), 1);
  const payload = JSON.parse(t.out()) as Payload;
  assert.deepEqual(payload.errors, [
    { file: '-', error: 'unexpected "}": directive "listen" is not terminated by ";" in -:2', line: 2 },
    { file: '-', error: 'unexpected end of file, expecting "}" in -:3', line: 3 },
  ]);
});

test('the real CLI: missing file and bad flags exit 2 with one line on stderr', async () => {
  const missing = await runCli(['parse', '/nonexistent/nginx.conf']);
  assert.equal(missing.code, 2);
  assert.equal(missing.stdout, '');
  assert.equal(missing.stderr, 'upstream-gate parse: /nonexistent/nginx.conf: cannot read nginx config: no such file\n');
  const flag = await runCli(['parse', '--bogus', 'x']);
  assert.equal(flag.code, 2);
  assert.equal(flag.stderr.trim().split('\n').length, 1);
  const none = await runCli(['parse']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /^upstream-gate parse: expected one NGINX_CONF argument/);
  const ok = await runCli(['parse', fixture('upstream-backups', 'nginx.conf')]);
  assert.equal(ok.code, 0);
  assert.equal((JSON.parse(ok.stdout) as Payload).status, 'ok');
});

test('--help prints the help and exits 0', async () => {
  const t = io();
  assert.equal(await parseCommand.run(['--help'], t.io), 0);
  assert.equal(t.out(), `${parseCommand.help}\n`);
});

test('credentials in URLs are masked in the payload', async () => {
  const t = io('events {}\nhttp { server { set $u "https://deploy:s3cret@git.example.com/x"; } }\n');
  assert.equal(await parseCommand.run(['-'], t.io), 0);
  assert.ok(!t.out().includes('s3cret'));
  assert.ok(t.out().includes('"https://***@git.example.com/x"'));
});
