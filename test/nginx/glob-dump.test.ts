import assert from 'node:assert/strict';
import { test } from 'node:test';
import { byteOrder, componentMatcher, globMatcher, hasMagic } from '../../src/host/glob.js';
import { isDump, parseDump } from '../../src/nginx/dump.js';
import { parseConfig } from '../../src/nginx/parser.js';
import { memorySource } from '../../src/host/config-source.js';

test('glob components as glob(3) reads them', () => {
  assert.equal(hasMagic('/etc/nginx/sites-enabled/*'), true);
  assert.equal(hasMagic('/etc/nginx/nginx.conf'), false);
  const m = (p: string, s: string) => componentMatcher(p)(s);
  assert.equal(m('*.conf', 'a.conf'), true);
  assert.equal(m('*.conf', '.hidden.conf'), false, 'a wildcard never matches a leading dot');
  assert.equal(m('.*.conf', '.hidden.conf'), true);
  assert.equal(m('site-?.conf', 'site-1.conf'), true);
  assert.equal(m('site-[0-9].conf', 'site-7.conf'), true);
  assert.equal(m('site-[!0-9].conf', 'site-7.conf'), false);
  assert.equal(m('site-[!0-9].conf', 'site-x.conf'), true);
  assert.equal(m('a\\*b', 'a*b'), true);
  assert.equal(m('a\\*b', 'axb'), false);
  assert.equal(m('[', '['), true, 'an unclosed bracket is literal');
  assert.equal(m('[]x]', ']'), true, 'a ] first in a set is a member');
  assert.equal(m('*.conf', 'a.conf.bak'), false);
  assert.equal(m('*a*b', 'xaxxaxb'), true);
  // a RegExp would backtrack exponentially here; this matcher walks the name a few times
  assert.equal(m('*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*c', 'a'.repeat(200)), false);
  assert.equal(globMatcher('/etc/*/x.conf')('/etc/a/x.conf'), true);
  assert.equal(globMatcher('/etc/*/x.conf')('/etc/a/b/x.conf'), false, '* stops at /');
});

test('byte order, as strcmp in the C locale', () => {
  assert.deepEqual(['a', '_', 'A', '9', '10', 'é', 'z'].sort(byteOrder), ['10', '9', 'A', '_', 'a', 'z', 'é']);
  assert.ok(byteOrder('\u{1F600}', '\uFFFD') > 0, 'a character outside the BMP sorts after U+FFFD, as its UTF-8 bytes do');
});

test('an nginx -T dump: files split at their headers, CRLF tolerated, nginx -t lines kept apart', () => {
  const text = [
    'nginx: the configuration file /etc/nginx/nginx.conf syntax is ok',
    'nginx: configuration file /etc/nginx/nginx.conf test is successful',
    '# configuration file /etc/nginx/nginx.conf:\r',
    'events {}\r',
    'http { include /etc/nginx/conf.d/*.conf; }\r',
    '',
    '# configuration file /etc/nginx/conf.d/a.conf:',
    '# a comment that mentions # configuration file /x: inline',
    'server_tokens off;',
    '',
    '',
  ].join('\n');
  assert.equal(isDump(text), true);
  assert.equal(isDump('events {}\n'), false);
  const d = parseDump(text);
  assert.ok(d);
  assert.equal(d.main, '/etc/nginx/nginx.conf');
  assert.deepEqual([...d.files.keys()], ['/etc/nginx/nginx.conf', '/etc/nginx/conf.d/a.conf']);
  assert.equal(d.files.get('/etc/nginx/conf.d/a.conf'), '# a comment that mentions # configuration file /x: inline\nserver_tokens off;\n');
  assert.deepEqual(d.messages, [
    'nginx: the configuration file /etc/nginx/nginx.conf syntax is ok',
    'nginx: configuration file /etc/nginx/nginx.conf test is successful',
  ]);
  const r = parseConfig(d.main, { source: memorySource(d.files) });
  assert.equal(r.payload.status, 'ok');
  assert.deepEqual(r.payload.config[1]?.parsed, [{ directive: 'server_tokens', line: 2, args: ['off'] }]);
});

test('an aborted parse stops between files and says so', () => {
  const files = new Map([
    ['/a/nginx.conf', 'include /a/1.conf;\ninclude /a/2.conf;\n'],
    ['/a/1.conf', 'x 1;\n'],
    ['/a/2.conf', 'y 2;\n'],
  ]);
  const c = new AbortController();
  c.abort();
  const r = parseConfig('/a/nginx.conf', { source: memorySource(files), signal: c.signal });
  assert.equal(r.payload.status, 'failed');
  assert.deepEqual(r.payload.errors, [{ file: '/a/nginx.conf', error: 'parsing stopped: aborted', line: null }]);
});
