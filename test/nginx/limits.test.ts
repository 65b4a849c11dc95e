// A hostile or broken tree on a real file system cannot hang the parser or
// exhaust memory: every bound ends in an error that names the file and line.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { buildModel } from '../../src/nginx/model.js';
import { parseConfig } from '../../src/nginx/parser.js';
import { fileSource } from '../../src/host/local/config-files.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir(`ugate-limits-${process.pid}-`);
after(() => tmp.remove());
let n = 0;

function tree(files: Record<string, string>): string {
  const dir = join(tmp.dir, String(++n));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

const parse = (dir: string, limits = {}) => parseConfig(join(dir, 'nginx.conf'), { source: fileSource(), limits });
const errors = (dir: string, limits = {}) => parse(dir, limits).payload.errors.map((e) => [e.file.slice(dir.length + 1), e.line, e.error.split(`${dir}/`).join('')]);

test('a glob that matches the file holding it is a cycle, reported once', () => {
  const dir = tree({ 'nginx.conf': 'include *.conf;\n' });
  assert.deepEqual(errors(dir), [['nginx.conf', 1, 'include cycle: nginx.conf:1 -> nginx.conf in nginx.conf:1']]);
});

test('an include chain deeper than the limit stops with an error at the include line', () => {
  const files: Record<string, string> = { 'nginx.conf': 'include c/1.conf;\n' };
  for (let i = 1; i <= 40; i++) files[`c/${i}.conf`] = `include c/${i + 1}.conf;\n`;
  const dir = tree(files);
  assert.deepEqual(errors(dir, { maxIncludeDepth: 8 }), [['c/8.conf', 1, 'includes nested deeper than 8 levels at "c/9.conf"']].map(([f, l, e]) => [f, l, `${e} in ${f}:${l}`]));
});

test('too many files: the include that crosses the limit says so', () => {
  const files: Record<string, string> = { 'nginx.conf': 'http {\n  include many/*.conf;\n}\n' };
  for (let i = 0; i < 30; i++) files[`many/${i}.conf`] = 'server_tokens off;\n';
  const dir = tree(files);
  const r = parse(dir, { maxFiles: 10 });
  assert.equal(r.payload.config.length, 10);
  assert.deepEqual(r.payload.errors.map((e) => [e.line, e.error.replace(`${dir}/`, '')]), [[2, 'too many included files (limit 10) in nginx.conf:2']]);
});

test('a fan-out of includes (10 files, each included 10 times per level) is parsed once each and expanded within bounds', () => {
  const files: Record<string, string> = { 'nginx.conf': `http {\n${'  include l1.conf;\n'.repeat(10)}}\n` };
  for (let i = 1; i < 10; i++) files[`l${i}.conf`] = `server_tokens off;\n${`include l${i + 1}.conf;\n`.repeat(10)}`;
  files['l10.conf'] = 'server { listen 8080; location / { proxy_pass http://127.0.0.1:8000; } }\n';
  const dir = tree(files);
  const r = parse(dir);
  assert.equal(r.payload.config.length, 11);
  assert.equal(r.payload.status, 'ok');
  const model = buildModel(r, 50_000);
  assert.equal(model.errors.length, 1);
  assert.match(model.errors[0]?.error ?? '', /^the expanded config holds more than 50000 directives; stopped there$/);
});

test('a FIFO, a device and a directory are refused without blocking', () => {
  const dir = tree({ 'nginx.conf': 'include fifo;\ninclude /dev/zero;\ninclude sub;\n', 'sub/x': '' });
  execFileSync('mkfifo', [join(dir, 'fifo')]);
  assert.deepEqual(errors(dir), [
    ['nginx.conf', 1, '"fifo" is not a regular file in nginx.conf:1'],
    ['nginx.conf', 2, '"/dev/zero" is not a regular file in nginx.conf:2'],
    ['nginx.conf', 3, 'pread() "sub" failed (21: Is a directory) in nginx.conf:3'],
  ]);
});

test('a file over the size limit, and a tree over the total limit, are errors, not reads', () => {
  const dir = tree({ 'nginx.conf': 'include big.conf;\ninclude a.conf;\ninclude b.conf;\n', 'big.conf': `# ${'x'.repeat(5000)}\n`, 'a.conf': `# ${'y'.repeat(600)}\n`, 'b.conf': `# ${'z'.repeat(600)}\n` });
  // nginx.conf (51 bytes) and a.conf (603) fit in 1000; b.conf (603) does not
  const r = errors(dir, { maxFileBytes: 4096, maxTotalBytes: 1000 });
  assert.deepEqual(r, [
    ['nginx.conf', 1, '"big.conf" is too large (5003 bytes, limit 4096) in nginx.conf:1'],
    ['nginx.conf', 3, '"b.conf" would take the config over 1000 bytes in all in nginx.conf:3'],
  ]);
});

test('a config with thousands of stray "}" yields a bounded number of errors; a file of nothing but "}" is one', () => {
  const dir = tree({ 'nginx.conf': 'a 1;\nb 2;\n}\n'.repeat(5_000) });
  const r = parse(dir);
  assert.equal(r.payload.errors.length, 101);
  assert.equal(r.payload.errors.at(-1)?.line, null);
  const only = parse(tree({ 'nginx.conf': '}\n'.repeat(10_000) }));
  assert.equal(only.payload.errors.length, 1);
  assert.match(only.payload.errors[0]?.error ?? '', /does not read as an nginx config file: its first statement does not parse \(unexpected "\}"\)/);
});
