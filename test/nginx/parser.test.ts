// One fixture directory of real configs per scenario; the whole crossplane
// payload is asserted, as crossplane's own tests do.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseDump } from '../../src/nginx/dump.js';
import { parseConfig } from '../../src/nginx/parser.js';
import type { Directive } from '../../src/nginx/payload.js';
import { memorySource } from '../../src/host/config-source.js';
import { expected, fixture, mountedSource, parseFixture } from './fixtures.js';
import { hasNginx, NGINX_BINARY, nginxTest } from '../helpers/nginx.js';

for (const scenario of ['php-fpm', 'upstream-backups', 'include-glob', 'include-cycle', 'include-missing', 'stream', 'if-conditions', 'mail']) {
  test(`payload of ${scenario}`, () => {
    assert.deepEqual(parseFixture(scenario), expected(scenario));
  });
}

for (const name of ['missing-semicolon', 'unexpected-brace', 'unclosed-block', 'wrong-context', 'argument-count', 'template-placeholders']) {
  test(`payload of syntax-errors/${name}.conf`, () => {
    assert.deepEqual(parseFixture('syntax-errors', `${name}.conf`), expected('syntax-errors', `${name}.json`));
  });
}

// expected.json of if-conditions is what crossplane 0.5.7 prints for the tree
test("if conditions lose their parentheses, as nginx's rewrite module and crossplane take them", () => {
  const ifs: string[][] = [];
  const walk = (list: readonly Directive[]) => {
    for (const d of list) {
      if (d.directive === 'if') ifs.push(d.args);
      walk(d.block ?? []);
    }
  };
  walk(parseFixture('if-conditions').config[0]?.parsed ?? []);
  assert.deepEqual(ifs, [
    ['$request_method', '=', 'POST'],
    ['$host', '!=', 'app.example.com'],
    ['$uri', '~', 'files'],
    ['$http_user_agent', '~*', '(bot|crawler) spider'],
    ['-f', '$request_filename'],
    ['!-e', '$request_filename'],
    ['$arg_debug'],
    ['$http_cookie', '~', 'session=([^;]+)'],
    ['$query_string', '=', ''],
  ]);
});

test('server_name is allowed at mail level and in a mail or stream server (nginx 1.25.5), with the argument counts nginx takes', () => {
  const errorsOf = (conf: string) =>
    parseConfig('/t/nginx.conf', { source: memorySource(new Map([['/t/nginx.conf', conf]])) }).payload.errors.map((e) => e.error);
  assert.deepEqual(errorsOf('mail { server_name mail.example.com; server { listen 25; server_name smtp.example.com; } }'), []);
  assert.deepEqual(errorsOf('stream { server { listen 443; server_name a.example.com *.example.com; proxy_pass 127.0.0.1:8443; } }'), []);
  assert.deepEqual(errorsOf('mail { server_name a.example.com b.example.com; }'), ['invalid number of arguments in "server_name" directive in /t/nginx.conf:1']);
  assert.deepEqual(errorsOf('stream { server_name a.example.com; }'), ['"server_name" directive is not allowed here in /t/nginx.conf:1']);
  assert.deepEqual(errorsOf('http { server_name a.example.com; server { server_name a.example.com b.example.com; } }'), ['"server_name" directive is not allowed here in /t/nginx.conf:1']);
});

const MODULES = '/usr/lib/nginx/modules';
const hasMailModule = hasNginx && existsSync(`${MODULES}/ngx_mail_module.so`);
const hasStreamModule = hasNginx && existsSync(`${MODULES}/ngx_stream_module.so`);

test('the mail and stream fixtures pass nginx -t', { skip: !(hasMailModule && hasStreamModule) && 'nginx mail or stream module not installed' }, () => {
  for (const [s, module] of [
    ['mail', 'ngx_mail_module'],
    ['stream', 'ngx_stream_module'],
  ] as const) {
    const r = spawnSync(NGINX_BINARY, ['-t', '-p', fixture(s), '-c', fixture(s, 'nginx.conf'), '-g', `load_module ${MODULES}/${module}.so;`], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${s}: ${r.stderr}`);
  }
});

test('one error per statement: the rest of a statement that failed raises no more (template placeholders)', () => {
  const payload = parseFixture('syntax-errors', 'template-placeholders.conf');
  assert.deepEqual(
    payload.errors.map((e) => [e.line, e.error.replace(/ in \S+$/, '')]),
    [
      [4, 'directive "server" is not terminated by ";"'],
      [7, 'directive "listen" is not terminated by ";"'],
      [8, 'directive "server_name" is not terminated by ";"'],
      [9, 'unexpected "{"'],
    ],
  );
  // the statements after them are parsed where they are
  const server = payload.config[0]?.parsed[1]?.block?.[1];
  assert.deepEqual(
    server?.block?.map((d) => d.directive),
    ['listen', 'server_name', 'set', 'location'],
  );
});

test('a failed statement takes its stray braces with it: the blocks after it stay where they are', () => {
  const errorsOf = (conf: string) =>
    parseConfig('/t/nginx.conf', { source: memorySource(new Map([['/t/nginx.conf', conf]])) }).payload.errors.map((e) => [e.line, e.error.replace(/ in \S+$/, '')]);
  assert.deepEqual(errorsOf('http {\n  server {\n    listen 80\n    location / {\n      return 200;\n    }\n  }\n}\n'), [[3, 'directive "listen" is not terminated by ";"']]);
  assert.deepEqual(errorsOf('events {}\n{% if ssl %}\nhttp {}\n{% endif %}\n'), [
    [2, 'unexpected "{"'],
    [4, 'unexpected "{"'],
  ]);
  assert.deepEqual(errorsOf('http { server { listen 80; } } }; }\n'), [[1, 'unexpected "}"']]);
  // a quote never closed runs to the end of the file: that is the one error, not also a missing "}"
  assert.deepEqual(errorsOf('events {}\nhttp {\n  server {\n    return 200 "open;\n  }\n}\n'), [[4, 'unexpected end of file, expecting closing quote']]);
  assert.deepEqual(errorsOf('events {}\nhttp {\n  content_by_lua_block {\n    ngx.say("x")\n'), [[3, 'unexpected end of file, expecting "}"']]);
});

test('payload of lexer-edge: quotes, escapes, ${var}, Lua blocks, CRLF, bytes that are not UTF-8', () => {
  const payload = parseFixture('lexer-edge', 'edge.conf');
  assert.deepEqual(payload, expected('lexer-edge', 'edge.json'));
  const last = payload.config[0]?.parsed.at(-1);
  assert.deepEqual(last, { directive: 'add_header', line: 27, args: ['X-Latin1', 'caf\ufffd'] });
});

test("payload of Debian's stock /etc/nginx, includes followed where nginx finds them", () => {
  const payload = parseConfig('/etc/nginx/nginx.conf', { source: mountedSource('/etc/nginx', fixture('debian-stock')) }).payload;
  assert.deepEqual(payload, expected('debian-stock'));
  assert.deepEqual(
    payload.config.map((c) => c.file),
    ['/etc/nginx/nginx.conf', '/etc/nginx/modules-enabled/50-mod-http-echo.conf', '/etc/nginx/mime.types', '/etc/nginx/sites-enabled/default'],
  );
});

test('include globs are sorted in byte order and relative to the main config directory', () => {
  const payload = parseFixture('include-glob');
  assert.deepEqual(
    payload.config.map((c) => c.file),
    [
      'nginx.conf',
      'conf.d/10-map.conf',
      'conf.d/9-proxy.conf',
      'conf.d/A-upper.conf',
      'conf.d/_underscore.conf',
      'conf.d/a-lower.conf',
      'sites/alpha/site.conf',
      'sites/beta/site.conf',
      'snippets/proxy.conf',
    ],
  );
  assert.equal(payload.status, 'ok');
});

test('a file included from two places is parsed once and referenced twice', () => {
  const payload = parseFixture('include-glob');
  const includesOf = (file: string) =>
    JSON.stringify(payload.config.find((c) => c.file === file)?.parsed).match(/"includes":\[(\d+)\]/)?.[1];
  assert.equal(includesOf('sites/alpha/site.conf'), '8');
  assert.equal(includesOf('sites/beta/site.conf'), '8');
});

test('an include cycle is one error at the include line that closes it', () => {
  const payload = parseFixture('include-cycle');
  assert.deepEqual(payload.errors, [
    {
      file: 'conf.d/b.conf',
      error: 'include cycle: conf.d/a.conf:2 -> conf.d/b.conf:2 -> conf.d/a.conf in conf.d/b.conf:2',
      line: 2,
    },
  ]);
});

test('the nginx -T dump parses to the same payload as the tree it was taken from', () => {
  const fromTree = parseConfig('/etc/nginx/nginx.conf', { source: mountedSource('/etc/nginx', fixture('dump', 'tree')) }).payload;
  for (const name of ['nginx-T.txt', 'nginx-T-2-1.txt']) {
    const r = parseConfig('/etc/nginx/nginx.conf', { source: dumpSource(fixture('dump', name)) });
    assert.deepEqual(r.payload, fromTree, name);
  }
});

function dumpSource(path: string) {
  const d = parseDump(readFileSync(path, 'utf8'));
  assert.ok(d);
  return memorySource(d.files);
}

test('each fixture meant to be valid passes nginx -t', { skip: !hasNginx && 'nginx not installed' }, () => {
  for (const s of ['php-fpm', 'upstream-backups', 'include-glob', 'port-mismatch', 'family-mismatch', 'protocol-mismatch', 'dynamic', 'default-server', 'if-conditions']) {
    const r = nginxTest(fixture(s, 'nginx.conf'), fixture(s));
    assert.ok(r.ok, `${s}: ${r.output}`);
  }
});

test('the syntax-errors fixtures fail nginx -t at the line the payload names', { skip: !hasNginx && 'nginx not installed' }, () => {
  for (const name of ['missing-semicolon', 'unexpected-brace', 'unclosed-block', 'wrong-context', 'argument-count', 'template-placeholders']) {
    const r = nginxTest(fixture('syntax-errors', `${name}.conf`), fixture('syntax-errors'));
    assert.equal(r.ok, false, name);
    const nginxLine = /:(\d+)\n/.exec(r.output)?.[1];
    const ours = parseFixture('syntax-errors', `${name}.conf`).errors.map((e) => String(e.line));
    assert.ok(nginxLine && ours.includes(nginxLine), `${name}: nginx says line ${nginxLine}, we say ${ours.join(', ')}`);
  }
});
