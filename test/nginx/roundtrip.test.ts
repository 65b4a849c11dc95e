// parse -> build -> parse gives the same directives (crossplane's round-trip
// property), on generated configs and on every fixture.
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { build } from '../../src/nginx/builder.js';
import { parseConfig } from '../../src/nginx/parser.js';
import type { Directive } from '../../src/nginx/payload.js';
import { fileSource } from '../../src/host/local/config-files.js';
import { memorySource } from '../../src/host/config-source.js';
import { FIXTURES } from './fixtures.js';
import { int, pick, rng } from './random.js';

function parseText(text: string): Directive[] {
  const r = parseConfig('/rt/nginx.conf', { source: memorySource(new Map([['/rt/nginx.conf', text]])) });
  return r.payload.config[0]?.parsed ?? [];
}

/** Directives without line numbers: the builder lays lines out its own way. */
function shape(list: readonly Directive[]): unknown[] {
  return list.map((d) => ({ directive: d.directive, args: d.args, ...(d.block && { block: shape(d.block) }) }));
}

const NAMES = ['listen', 'server_name', 'root', 'add_header', 'rewrite', 'set', 'return', 'x_custom', 'log_format', 'proxy_set_header'];
const BLOCKS = ['server', 'location', 'if', 'events', 'http', 'custom_block'];
const WORDS = [
  '80',
  '[::]:443',
  'default_server',
  '$host',
  '${scheme}://${host}',
  '/var/www/html',
  '^/(.*)$',
  '~*',
  'http://127.0.0.1:8000/api/',
  'unix:/run/php/php8.2-fpm.sock',
  'a\\;b',
  'on',
  'caf\u00e9',
  'x#y',
];
const QUOTED = ['', 'a b', 'semi;colon', '{brace}', '}', "it's", 'say "hi"', '# not a comment', 'tab\there', 'line\\nbreak', 'both \' and "', '\\.php$', 'multi\nline'];

function arg(r: () => number): string {
  return r() < 0.6 ? pick(r, WORDS) : pick(r, QUOTED);
}

function directives(r: () => number, depth: number): Directive[] {
  const out: Directive[] = [];
  const n = int(r, 0, depth === 0 ? 8 : 4);
  for (let i = 0; i < n; i++) {
    if (depth < 4 && r() < 0.3) {
      out.push({ directive: pick(r, BLOCKS), line: 0, args: Array.from({ length: int(r, 0, 2) }, () => arg(r)), block: directives(r, depth + 1) });
    } else if (r() < 0.05) {
      out.push({ directive: 'content_by_lua_block', line: 0, args: [`\n  ngx.say("}{")\n  local t = { x = 1 }\n`] });
    } else {
      out.push({ directive: pick(r, NAMES), line: 0, args: Array.from({ length: int(r, 1, 4) }, () => arg(r)) });
    }
  }
  return out;
}

test('generated configs survive parse -> build -> parse unchanged', () => {
  for (let seed = 1; seed <= 300; seed++) {
    const tree = directives(rng(seed), 0);
    const text = build(tree);
    const once = parseText(text);
    assert.deepEqual(shape(once), shape(tree), `seed ${seed}:\n${text}`);
    assert.deepEqual(shape(parseText(build(once))), shape(once), `seed ${seed} (second round)`);
  }
});

function configFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return configFiles(p);
    return /\.(conf|types)$|nginx\.conf$|_params$|\/sites-(available|enabled)\/[^/]+$/.test(p) ? [p] : [];
  });
}

test('every fixture file survives parse -> build -> parse unchanged', () => {
  const files = configFiles(FIXTURES);
  assert.ok(files.length > 30, `found only ${files.length} fixture files`);
  for (const file of files) {
    const first = parseConfig(file, { source: fileSource(), limits: { maxFiles: 1 } }).payload.config[0]?.parsed ?? [];
    assert.deepEqual(shape(parseText(build(first))), shape(first), file);
  }
});

test('an if condition is built with the parentheses the parser took off', () => {
  const tree: Directive[] = [
    { directive: 'if', line: 0, args: ['$request_method', '=', 'POST'], block: [] },
    { directive: 'if', line: 0, args: ['$http_user_agent', '~*', '(bot|crawler) spider'], block: [] },
    { directive: 'if', line: 0, args: ['$arg_debug'], block: [] },
  ];
  assert.equal(build(tree), 'if ($request_method = POST) {\n}\nif ($http_user_agent ~* "(bot|crawler) spider" ) {\n}\nif ($arg_debug) {\n}\n');
  assert.deepEqual(shape(parseText(build(tree))), shape(tree));
});
