// The rewritten pattern must match exactly what the pattern with the `i`
// flag matches, for the names and paths the gate matches (ASCII), and must
// run on V8's linear-time engine where the original could.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { caselessRegExp, caselessSource } from '../../src/nginx/caseless-regexp.js';
import { int, pick, rng } from './random.js';

const PATTERNS = [
  '^api\\.example\\.com$',
  '^(www\\.)?Example\\.(com|ORG)$',
  '^[A-F0-9]+\\.cdn\\.test$',
  '^[^A-Z]+$',
  '^[a-z]+-[0-9]{2,3}\\.test$',
  '^[A-z_]+$',
  '^[0-Z]+$',
  '^(?<sub>[a-z]+)\\.(?<Dom>\\w+)\\.test$',
  '^(?<x>[a-c])\\k<x>$',
  '^\\d+\\W\\w+\\b',
  '\\.(JPG|png|GiF)$',
  '^/Api/v[12]/',
  '^/(?:Static|ASSETS)/.+\\.css$',
  '^\\x41b\\u0063D$',
  '^[\\dA-C]+$',
  '^(a|B)+$',
  '^[-a-c]+$',
  '^[\\x41-\\x43]+$',
  '^[\\d-z]+$',
];

const ALPHABET = [...'aAbBcCdDeEfFgGzZ_-./0123456789wWxXpPiIsSmMlLoOjJnNrRtT'];
const WORDS = ['api', 'API', 'example', 'Example', 'EXAMPLE', 'com', 'ORG', 'org', 'www', 'cdn', 'test', 'static', 'STATIC', 'assets', 'x.css', 'jpg', 'JPG', '/api/v1/', '/API/V2/x', 'abc', 'ABCd', 'aa', 'aA', 'Bb'];

test('the rewritten pattern matches what the pattern matches with the i flag', () => {
  const r = rng(19);
  for (const p of PATTERNS) {
    const withI = new RegExp(p, 'i');
    const caseless = caselessRegExp(p);
    const subjects = ['', 'api.example.com', 'API.Example.COM', 'www.example.org', 'AB09.cdn.test', 'ab09.CDN.TEST', '/api/v1/x', '/Static/a.CSS', 'abcd', 'AbCd', 'aA', 'Bb', '_', 'Abc_', '12 ab', 'x.JPG', 'Ab'];
    for (let n = 0; n < 400; n++) {
      const parts = Array.from({ length: int(r, 1, 4) }, () => (r() < 0.5 ? pick(r, WORDS) : Array.from({ length: int(r, 1, 6) }, () => pick(r, ALPHABET)).join('')));
      subjects.push(parts.join(pick(r, ['', '.', '-', '/'])));
    }
    for (const s of subjects) assert.equal(caseless.test(s), withI.test(s), `${p} (${caselessSource(p)}) on ${JSON.stringify(s)}`);
  }
});

test('escapes, classes and group names are kept as written; letters become both cases', () => {
  assert.equal(caselessSource('^a\\.B$'), '^[aA]\\.[bB]$');
  assert.equal(caselessSource('[a-f0-9]'), '[a-f0-9A-F]');
  assert.equal(caselessSource('[^A-Z]'), '[^A-Za-z]');
  assert.equal(caselessSource('\\d\\W\\b\\p{L}'), '\\d\\W\\b\\p{L}');
  assert.equal(caselessSource('\\x41\\u0062\\x2e'), '[aA][bB]\\x2e');
  assert.equal(caselessSource('[\\x61-\\x63]'), '[\\x61-\\x63A-C]');
  assert.equal(caselessSource('(?<Name>x)\\k<Name>'), '(?<Name>[xX])\\k<Name>');
  assert.equal(caselessSource('(?<=a)(?<!B)'), '(?<=[aA])(?<![bB])');
  // a backreference compares without regard to case only under the flag: kept
  assert.equal(caselessRegExp('^(a)\\1$').flags, 'i');
  assert.equal(caselessRegExp('^a\\\\1$').flags, '', 'an escaped backslash then 1 is no backreference');
});
