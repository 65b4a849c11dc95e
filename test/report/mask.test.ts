// Credentials never reach an output: the whole userinfo of a URL (up to the
// last `@` before the host), in URLs and in the quoted `user:pass@host` form
// nginx prints, whatever the password holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { credentialsIn, maskCredentials } from '../../src/model/mask.js';

const CASES: [string, string, string][] = [
  // [what, input, expected]
  ['plain', 'GET https://user:pass@example.com/x', 'GET https://***@example.com/x'],
  ['password with @', 'GET http://deploy:p@ss@127.0.0.1:8080/healthz', 'GET http://***@127.0.0.1:8080/healthz'],
  ['password with a space', 'GET http://deploy:pa ss@127.0.0.1:8080/healthz answered 503', 'GET http://***@127.0.0.1:8080/healthz answered 503'],
  ["password with '", "front http://deploy:it's@127.0.0.1/", 'front http://***@127.0.0.1/'],
  ['password with <', 'http://deploy:a<b@127.0.0.1:81/', 'http://***@127.0.0.1:81/'],
  ['password with >, " and tab', 'http://deploy:a>b"c\td@127.0.0.1:81/', 'http://***@127.0.0.1:81/'],
  ['all of them, host without a path', "proxy_pass http://deploy:p@ss w'rd<x@127.0.0.1:18091;", 'proxy_pass http://***@127.0.0.1:18091;'],
  ['IPv6 host', 'https://u:p w@[::1]:8443/healthz', 'https://***@[::1]:8443/healthz'],
  ['token only', 'https://ghp_abc123@github.com/o/r.git', 'https://***@github.com/o/r.git'],
  ['quoted URL ends at its quote', 'upstream: "http://127.0.0.1:8000" and host: "a:b@c"', 'upstream: "http://127.0.0.1:8000" and host: "***@c"'],
  ['a quoted address without a password is not a credential', 'contact "ops@example.com"', 'contact "ops@example.com"'],
  ["an apostrophe does not open a quote", "the spec's backend, or user:x@h", "the spec's backend, or user:x@h"],
  ['quoted URL with a space in the password', `proxy_pass "http://u:p w@127.0.0.1:9/";`, `proxy_pass "http://***@127.0.0.1:9/";`],
  [
    "nginx's quoted scheme-less form",
    `invalid port in upstream "deploy:p@ss w'rd<x@127.0.0.1:18091/" in /etc/nginx/nginx.conf:5`,
    `invalid port in upstream "***@127.0.0.1:18091/" in /etc/nginx/nginx.conf:5`,
  ],
  ['already masked stays so', 'https://***@127.0.0.1:9443/healthz', 'https://***@127.0.0.1:9443/healthz'],
  ['two URLs on a line', 'http://a:b@h1/ then https://c:d e@h2/', 'http://***@h1/ then https://***@h2/'],
  ['each line on its own', 'http://u:p\n@h/', 'http://u:p\n@h/'],
  ['no credentials: untouched', 'nginx dials [::1]:8000 but the backend listens only on 127.0.0.1:8000', 'nginx dials [::1]:8000 but the backend listens only on 127.0.0.1:8000'],
  ['a path @ is not userinfo', 'GET http://127.0.0.1:8000/users/@me answered 404', 'GET http://127.0.0.1:8000/users/@me answered 404'],
  ['a unix socket URL', 'fastcgi://unix:/run/php/php8.2-fpm.sock:', 'fastcgi://unix:/run/php/php8.2-fpm.sock:'],
];

for (const [what, input, expected] of CASES) {
  test(`maskCredentials: ${what}`, () => {
    assert.equal(maskCredentials(input), expected);
  });
}

test('maskCredentials: linear on hostile input (long runs of scheme characters, quotes, slashes)', () => {
  // a quadratic scan would take minutes on these; the assertion is the result, the suite's timeout the bound
  for (const s of ['a.'.repeat(200_000), `${'"'.repeat(100_000)}@x`, `${'a://'.repeat(100_000)}@x`, `http://${'@'.repeat(200_000)}`]) {
    assert.equal(typeof maskCredentials(s), 'string');
  }
});

test('credentialsIn: the userinfo and the password it would hide, for the Actions secret mask', () => {
  assert.deepEqual(credentialsIn("GET http://deploy:p@ss w'rd@127.0.0.1/ and \"ci:t0ken-1@h\""), ["deploy:p@ss w'rd", "p@ss w'rd", 'ci:t0ken-1', 't0ken-1']);
  assert.deepEqual(credentialsIn('https://ghp_abc123@github.com/'), ['ghp_abc123']);
  assert.deepEqual(credentialsIn('nothing here'), []);
});
