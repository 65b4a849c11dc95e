import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lex } from '../../src/nginx/lexer.js';

const values = (text: string) => lex(text).tokens.map((t) => (t.quoted ? `"${t.value}"` : t.value));

test('bare words, structure and line numbers', () => {
  const { tokens } = lex('events {}\nhttp {\n  server_tokens off;\n}\n');
  assert.deepEqual(
    tokens.map((t) => [t.value, t.line, t.quoted]),
    [
      ['events', 1, false],
      ['{', 1, false],
      ['}', 1, false],
      ['http', 2, false],
      ['{', 2, false],
      ['server_tokens', 3, false],
      ['off', 3, false],
      [';', 3, false],
      ['}', 4, false],
    ],
  );
});

test('quoted braces and semicolons are arguments, not structure', () => {
  assert.deepEqual(values(`add_header X "a;b{c}d" '}';`), ['add_header', 'X', '"a;b{c}d"', '"}"', ';']);
});

test('an escaped quote inside quotes is the quote; other escapes stay as written', () => {
  assert.deepEqual(values(String.raw`return 200 "say \"hi\"\n";`), ['return', '200', String.raw`"say "hi"\n"`, ';']);
  assert.deepEqual(values(String.raw`set $a 'it\'s';`), ['set', '$a', `"it's"`, ';']);
});

test('a backslash outside quotes keeps the next character in the word', () => {
  assert.deepEqual(values(String.raw`rewrite ^/a\ b$ /c;`), ['rewrite', String.raw`^/a\ b$`, '/c', ';']);
});

test('comments run to the end of the line; # inside a word is not one', () => {
  assert.deepEqual(values('a b; # c d;\ne#f g;'), ['a', 'b', ';', 'e#f', 'g', ';']);
});

test('${var} keeps its braces inside a word', () => {
  assert.deepEqual(values('set $x ${host}_${uri};'), ['set', '$x', '${host}_${uri}', ';']);
  // a lone `{` after `$` still opens a block when nothing closes it on the line
  assert.deepEqual(values('if ($a ~ x$){ return 1; }'), ['if', '($a', '~', 'x$)', '{', 'return', '1', ';', '}']);
});

test('a *_by_lua_block body is one raw argument, braces in Lua strings and comments ignored', () => {
  const { tokens, errors } = lex(`content_by_lua_block {\n  local t = { "}" } -- }\n  s = [[ } ]]\n}\nnext 1;`);
  assert.deepEqual(errors, []);
  assert.deepEqual(
    tokens.map((t) => [t.value, t.line]),
    [
      ['content_by_lua_block', 1],
      ['\n  local t = { "}" } -- }\n  s = [[ } ]]\n', 1],
      [';', 4],
      ['next', 5],
      ['1', 5],
      [';', 5],
    ],
  );
});

test('CRLF line ends count one line each', () => {
  const { tokens, eofLine } = lex('a 1;\r\nb 2;\r\n');
  assert.deepEqual(
    tokens.map((t) => [t.value, t.line]),
    [
      ['a', 1],
      ['1', 1],
      [';', 1],
      ['b', 2],
      ['2', 2],
      [';', 2],
    ],
  );
  assert.equal(eofLine, 3);
});

test('an unterminated quote is an error at its line, not a crash', () => {
  const { tokens, errors } = lex('a 1;\nb "open\nc;');
  assert.deepEqual(errors, [{ line: 2, error: 'unexpected end of file, expecting closing quote' }]);
  assert.equal(tokens.at(-1)?.value, 'open\nc;');
});

test('a byte-order mark is skipped', () => {
  assert.deepEqual(values('\ufeffa b;'), ['a', 'b', ';']);
});
