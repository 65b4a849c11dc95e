// Garbage in, a payload out: random bytes and mutated real configs never crash
// the parser, the targets model or the lexer, and always end. A bounded
// number of cases with fixed seeds; no timing assertions.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { expandAll } from '../../src/nginx/dials.js';
import { lex } from '../../src/nginx/lexer.js';
import { buildModel } from '../../src/nginx/model.js';
import { parseConfig } from '../../src/nginx/parser.js';
import { decode, memorySource } from '../../src/host/config-source.js';
import { fixture } from './fixtures.js';
import { int, pick, rng } from './random.js';

const SEEDS = [
  'php-fpm/sites-enabled/shop.conf',
  'upstream-backups/conf.d/upstreams.conf',
  'upstream-backups/conf.d/api.conf',
  'debian-stock/nginx.conf',
  'debian-stock/sites-available/default',
  'lexer-edge/edge.conf',
  'stream/nginx.conf',
].map((p) => readFileSync(fixture(p)));

const SPECIAL = [...'{};"\'#\\$\n\r\t '].map((c) => c.charCodeAt(0));

function mutate(r: () => number, input: Buffer): Buffer {
  const bytes = [...input];
  for (let k = int(r, 1, 12); k > 0; k--) {
    const at = int(r, 0, bytes.length);
    const op = r();
    if (op < 0.3) bytes.splice(at, int(r, 1, 8));
    else if (op < 0.6) bytes.splice(at, 0, ...Array.from({ length: int(r, 1, 4) }, () => pick(r, SPECIAL)));
    else if (op < 0.8) bytes.splice(at, 0, ...Array.from({ length: int(r, 1, 6) }, () => int(r, 0, 255)));
    else bytes.splice(at, 0, ...bytes.slice(int(r, 0, bytes.length), int(r, 0, bytes.length)).slice(0, 200));
  }
  return Buffer.from(bytes);
}

function check(text: string, label: string): void {
  const tokens = lex(text).tokens;
  // every token consumes at least one character, so lexing always ends
  assert.ok(tokens.length <= text.length + 1, label);
  const files = new Map([
    ['/fz/nginx.conf', text],
    ['/fz/conf.d/x.conf', text],
  ]);
  const r = parseConfig('/fz/nginx.conf', { source: memorySource(files) });
  assert.ok(r.payload.status === 'ok' || r.payload.errors.length > 0, label);
  for (const e of r.payload.errors) assert.ok(typeof e.error === 'string' && (e.line === null || e.line >= 1), `${label}: ${JSON.stringify(e)}`);
  const model = buildModel(r, 100_000);
  expandAll(model);
  // bounded memory: what the parse keeps grows at most linearly with the input
  const kept = JSON.stringify(r.payload).length;
  assert.ok(kept <= 20 * 2 * text.length + 10_000, `${label}: ${kept} characters of payload for ${text.length} of input`);
}

test('random bytes never crash the lexer, parser or targets model', () => {
  for (let seed = 1; seed <= 200; seed++) {
    const r = rng(seed);
    const bytes = Buffer.from(Array.from({ length: int(r, 0, 2000) }, () => (r() < 0.5 ? pick(r, SPECIAL) : int(r, 0, 255))));
    check(decode(bytes), `random seed ${seed}`);
  }
});

test('mutated real configs never crash, and errors carry lines', () => {
  for (let seed = 1; seed <= 300; seed++) {
    const r = rng(seed);
    check(decode(mutate(r, pick(r, SEEDS))), `mutation seed ${seed}`);
  }
});

test('pathological shapes end: 100,000 open braces, a quote never closed, a Lua block never closed', () => {
  for (const text of ['{'.repeat(100_000), 'http '.repeat(50_000) + '{'.repeat(50_000), `a "${'x'.repeat(100_000)}`, `content_by_lua_block { ${'{'.repeat(10_000)}`, '}'.repeat(100_000), ';'.repeat(100_000)]) {
    check(text, text.slice(0, 20));
  }
});

test('inputs built to make a lexer quadratic stay linear: a million ${ with no }, many Lua [[ never closed', { timeout: 120_000 }, () => {
  for (const text of [`set $x a${'${'.repeat(300_000)};`, `content_by_lua_block { ${'[[ '.repeat(100_000)} }`, `x ${'$'.repeat(300_000)};`]) {
    const { tokens } = lex(text);
    assert.ok(tokens.length >= 1 && tokens.length <= text.length + 1, `${tokens.length} tokens`);
  }
});
