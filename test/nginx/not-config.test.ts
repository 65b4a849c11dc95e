// Files that are not nginx config (a binary, a password file included by
// mistake): one error each, at the include that pulled them in, and no line of
// them in the payload, the evidence or the fix.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { configPhase } from '../../src/nginx/check.js';
import { localHost } from '../../src/host/local/local-host.js';
import { loadAny } from '../../src/nginx/load.js';
import { parseConfig } from '../../src/nginx/parser.js';
import { decode, memorySource } from '../../src/host/config-source.js';
import { parseSpec } from '../../src/spec/load.js';
import { isUserError } from '../../src/user-error.js';
import { tempDir } from '../helpers/tmp.js';
import { hasNginx } from '../helpers/nginx.js';
import { fixture, parseFixture } from './fixtures.js';
import { int, pick, rng } from './random.js';

const context = () => ({ signal: new AbortController().signal, deadlineAt: Date.now() + 30_000, host: localHost() });
const HASH = /\$apr1\$|fixture0|sQ\/Xuc/;

test('a gzip file matched by an include glob and a password file included by mistake: one error each, at the include line', () => {
  const payload = parseFixture('not-config');
  assert.deepEqual(
    payload.errors.map((e) => [e.file, e.line, e.error]),
    [
      ['nginx.conf', 5, '"sites-enabled/app.gz" does not read as an nginx config file: it is not text (it holds NUL bytes) in nginx.conf:5'],
      ['nginx.conf', 13, '"htpasswd" does not read as an nginx config file: its first statement does not parse (unexpected end of file, expecting ";" or "}") in nginx.conf:13'],
    ],
  );
  const byFile = new Map(payload.config.map((c) => [c.file, c]));
  assert.deepEqual(byFile.get('sites-enabled/app.gz')?.parsed, []);
  assert.deepEqual(byFile.get('htpasswd')?.parsed, []);
  // the real site next to the gzip file is parsed as usual
  assert.equal(byFile.get('sites-enabled/app')?.parsed[0]?.directive, 'server');
  assert.doesNotMatch(JSON.stringify(payload), HASH);
});

test('the config phase: one config.invalid finding per such file, no line of it quoted', async () => {
  const spec = parseSpec(readFileSync(fixture('not-config', 'upstream-gate.yml'), 'utf8'), fixture('not-config', 'upstream-gate.yml'));
  spec.nginx.binary = 'nginx-not-installed-for-this-test';
  const r = await configPhase(spec, context());
  const invalid = r.findings.filter((f) => f.code === 'config.invalid');
  assert.deepEqual(
    invalid.map((f) => [f.file?.slice(fixture('not-config').length + 1), f.line, f.evidence]),
    [
      ['nginx.conf', 5, ['include sites-enabled/*;']],
      ['nginx.conf', 13, ['include htpasswd;']],
    ],
  );
  assert.doesNotMatch(JSON.stringify(r), HASH);
  // the services themselves are still checked
  assert.deepEqual(
    r.findings.filter((f) => f.code !== 'config.invalid' && f.severity === 'error'),
    [],
  );
});

test('with nginx -t too, no line of the password file reaches a finding', { skip: !hasNginx && 'nginx not installed' }, async () => {
  const spec = parseSpec(readFileSync(fixture('not-config', 'upstream-gate.yml'), 'utf8'), fixture('not-config', 'upstream-gate.yml'));
  const r = await configPhase(spec, context());
  assert.ok(r.findings.some((f) => f.code === 'config.invalid'));
  assert.doesNotMatch(JSON.stringify(r), HASH);
});

test('a binary file as the main config: check stops with one line (exit 2), as for an unreadable one; parse gives one error', async () => {
  const tmp = tempDir('ugate-binary-');
  try {
    // 200 KB of an executable's kind of bytes: NULs, braces and semicolons among the rest
    const r0 = rng(7);
    const bytes = Buffer.from(Array.from({ length: 200_000 }, () => (r0() < 0.2 ? 0 : r0() < 0.1 ? pick(r0, [0x7b, 0x7d, 0x3b]) : int(r0, 1, 255))));
    const main = join(tmp.dir, 'nginx.conf');
    writeFileSync(main, Buffer.concat([Buffer.from('\x7fELF\x02\x01\x01', 'latin1'), bytes]));
    const spec = parseSpec('version: 1\nservices:\n  app: { backend: 127.0.0.1:8000 }\nnginx: { config: nginx.conf, binary: nginx-not-installed-for-this-test }\n', join(tmp.dir, 'upstream-gate.yml'));
    await assert.rejects(configPhase(spec, context()), (e: unknown) => {
      assert.ok(isUserError(e));
      assert.equal(e.message, `${main}: does not read as an nginx config file: it is not text (it holds NUL bytes)`);
      return true;
    });
    const payload = (await loadAny(main)).parse.payload;
    assert.deepEqual(payload.errors, [{ file: main, error: `"${main}" does not read as an nginx config file: it is not text (it holds NUL bytes)`, line: null }]);
    assert.deepEqual(payload.config[0]?.parsed, []);
  } finally {
    tmp.remove();
  }
});

const parseText = (files: Record<string, string>) => parseConfig('/t/nginx.conf', { source: memorySource(new Map(Object.entries(files))) });

test('bytes that are control characters and not UTF-8, without a NUL, are not text; a config in Latin-1 or cp1251 is', () => {
  const noise = decode(Buffer.from(Array.from({ length: 3000 }, (_, i) => 1 + ((i * 37) % 255))));
  assert.deepEqual(
    parseText({ '/t/nginx.conf': noise }).payload.errors.map((e) => e.error),
    ['"/t/nginx.conf" does not read as an nginx config file: it is not text (its first bytes are not text)'],
  );
  const latin1 = decode(Buffer.from('http {\n    add_header X-Caf\xe9 "caf\xe9";\n    charset koi8-r;\n}\n', 'latin1'));
  assert.equal(parseText({ '/t/nginx.conf': latin1 }).payload.status, 'ok');
  // a header of Russian comments in cp1251: each letter a byte that is not UTF-8
  const comment = `# ${'\xcd\xe0\xf1\xf2\xf0\xee\xe9\xea\xe8 \xf1\xe5\xf0\xe2\xe5\xf0\xe0 '.repeat(300)}\n`;
  const cp1251 = decode(Buffer.from(`${comment}events {}\nhttp { server { listen 80; } }\n`, 'latin1'));
  const r = parseText({ '/t/nginx.conf': cp1251 });
  assert.equal(r.payload.status, 'ok');
  assert.equal(r.payload.config[0]?.parsed.length, 2);
});

test('a shadow-like main config: one error without its lines, and its text is not kept for evidence', () => {
  const shadow = 'root:$y$j9T$fixtureSALT$fixtureHASHfixtureHASHfixtureHASH:19700:0:99999:7:::\ndaemon:*:19700:0:99999:7:::\n';
  const r = parseText({ '/t/nginx.conf': shadow });
  assert.deepEqual(r.payload.errors, [
    {
      file: '/t/nginx.conf',
      error: '"/t/nginx.conf" does not read as an nginx config file: its first statement does not parse (unexpected end of file, expecting ";" or "}")',
      line: null,
    },
  ]);
  assert.deepEqual(r.payload.config[0]?.parsed, []);
  assert.equal(r.texts.has('/t/nginx.conf'), false);
});

test('a secret file whose first line opens a quote it never closes is not config either', () => {
  const r = parseText({ '/t/nginx.conf': 'include /t/secret.env;\n', '/t/secret.env': 'api_token "fixture-token-value\ndb_password fixture\n' });
  assert.deepEqual(
    r.payload.errors.map((e) => e.error),
    ['"/t/secret.env" does not read as an nginx config file: its first statement does not parse (unexpected end of file, expecting closing quote) in /t/nginx.conf:1'],
  );
  assert.doesNotMatch(JSON.stringify(r.payload), /fixture-token/);
});

test('a file whose statements mostly fail is not config either; a config with one broken statement keeps its lines', () => {
  const json = '{"upstreams": {"app": "127.0.0.1:8000"}, "servers": [{"listen": 80}]}\n{"x": 1}\n{"y": 2}\n';
  assert.match(parseText({ '/t/nginx.conf': json }).payload.errors[0]?.error ?? '', /does not read as an nginx config file: its first statement does not parse \(unexpected "\{"\)/);
  const templated = 'events {}\nhttp {\n  server {\n    listen {{port}};\n    location / { proxy_pass http://127.0.0.1:8000; }\n  }\n}\n';
  const r = parseText({ '/t/nginx.conf': templated });
  assert.deepEqual(
    r.payload.errors.map((e) => e.line),
    [4],
  );
  assert.ok(r.texts.has('/t/nginx.conf'));
  assert.match(parseText({ '/t/nginx.conf': `x 1;\n${'y }\n'.repeat(6)}` }).payload.errors[0]?.error ?? '', /does not read as an nginx config file: 6 syntax errors in 7 statements/);
});

test('a token quoted in an error is cut to 80 characters, control characters written as \\xNN', () => {
  const long = `events {}\nhttp {\n  ${'A'.repeat(500)}\u001b[31m }\n}\n`;
  const [e] = parseText({ '/t/nginx.conf': long }).payload.errors;
  assert.equal(e?.error, `unexpected "}": directive "${'A'.repeat(77)}..." is not terminated by ";" in /t/nginx.conf:3`);
  const esc = parseText({ '/t/nginx.conf': 'http {\n  x\u001b[31my }\n}\n' }).payload.errors[0]?.error;
  assert.equal(esc, 'unexpected "}": directive "x\\x1b[31my" is not terminated by ";" in /t/nginx.conf:2');
});
