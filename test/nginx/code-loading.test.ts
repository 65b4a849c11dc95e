// Which directives make nginx -t run code, and from where.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { findCodeLoading, loadsModules } from '../../src/nginx/code-loading.js';
import { parseConfig } from '../../src/nginx/parser.js';
import { memorySource } from '../../src/nginx/source.js';

const DEBIAN = { prefix: '/usr/share/nginx', modulesPath: '/usr/lib/nginx/modules' };

function parse(text: string) {
  return parseConfig('/srv/conf/nginx.conf', { source: memorySource(new Map([['/srv/conf/nginx.conf', text]])) });
}

/** `build` null: nginx -V told nothing */
function loads(text: string, build: typeof DEBIAN | null = DEBIAN) {
  return findCodeLoading(parse(text), build ?? undefined).map((l) => [l.line, l.directive, l.why]);
}

test('modules from the system module directories load; one from anywhere else is code the config names', () => {
  const text = [
    'load_module modules/ngx_http_echo_module.so;',
    'load_module /usr/lib/nginx/modules/ngx_stream_module.so;',
    'load_module /tmp/evil.so;',
    'load_module modules/../../../../tmp/evil.so;',
    'events {}',
  ].join('\n');
  assert.equal(loadsModules(parse(text)), true);
  const found = loads(text);
  assert.deepEqual(
    found.map(([line, directive]) => [line, directive]),
    [
      [3, 'load_module'],
      [4, 'load_module'],
    ],
  );
  assert.match(String(found[0]?.[2]), /^loads \/tmp\/evil\.so from outside the system's module directories \(.*\/usr\/lib\/nginx\/modules.*\)$/);
  assert.match(String(found[1]?.[2]), /^loads \/tmp\/evil\.so from outside/);
  // a relative path with no prefix known (nginx -V gave none) is not taken on trust
  assert.match(String(loads('load_module modules/x.so;', null)[0]?.[2]), /relative to a prefix the gate could not learn/);
});

test('engines, Perl, njs and Lua run code whatever their path; an ordinary key file does not', () => {
  const text = [
    'ssl_engine pkcs11;',
    'http {',
    '  perl_modules /srv/app/perl;',
    '  perl_require App.pm;',
    '  perl_set $x "sub { 1 }";',
    '  js_import /srv/app/main.js;',
    '  init_by_lua_block { os.execute("id") }',
    '  server {',
    '    ssl_certificate_key engine:pkcs11:id_45;',
    '    proxy_ssl_certificate_key store:file:/srv/key.pem;',
    '    ssl_certificate_key /etc/ssl/private/site.key;',
    '  }',
    '}',
  ].join('\n');
  assert.deepEqual(loads(text), [
    [1, 'ssl_engine', 'loads an OpenSSL engine'],
    [3, 'perl_modules', 'makes Perl load modules from a path the config names'],
    [4, 'perl_require', 'runs Perl code'],
    [5, 'perl_set', 'runs Perl code'],
    [6, 'js_import', 'runs JavaScript (njs)'],
    [7, 'init_by_lua_block', 'runs Lua code'],
    [9, 'ssl_certificate_key', 'loads an OpenSSL engine for its key'],
    [10, 'proxy_ssl_certificate_key', 'loads an OpenSSL store for its key'],
  ]);
  assert.equal(loadsModules(parse(text)), false);
});

test("Debian's stock config loads its modules from the system directory: nothing to refuse", { skip: !existsSync('/etc/nginx/modules-enabled') && 'no Debian nginx config here' }, async () => {
  const { loadFiles } = await import('../../src/nginx/load.js');
  const { parse: stock } = loadFiles('/etc/nginx/nginx.conf');
  assert.deepEqual(findCodeLoading(stock, DEBIAN), []);
});
