// The `expect:` block: its forms, `${ENV}` substitution, and the one-line
// errors (file:line, key path) for what a spec gets wrong in it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parseSpec } from '../../src/spec/load.js';
import { isUserError } from '../../src/user-error.js';

const FILE = join(process.cwd(), 'upstream-gate.yml');
const HEAD = 'version: 1\nservices:\n  api:\n    backend: 127.0.0.1:8000\n    health: /healthz\n    expect:\n';
const ENV = { GITHUB_SHA: '8d41e07', TAG: 'v1.4.2' };

function expectOf(block: string, env: Record<string, string> = ENV) {
  return parseSpec(HEAD + block, FILE, undefined, env).services[0]?.expect;
}

function errorOf(block: string, env: Record<string, string> = ENV): string {
  try {
    parseSpec(HEAD + block, FILE, undefined, env);
  } catch (e) {
    assert.ok(isUserError(e), `expected a UserError, got ${String(e)}`);
    return e.message;
  }
  assert.fail('expected the spec to be rejected');
}

test('every form of expect, with ${ENV} substituted and $$ a literal $', () => {
  assert.deepEqual(
    expectOf(
      [
        '      status: [200, "204-206", 3xx]',
        '      headers:',
        '        X-Release: ${GITHUB_SHA}',
        '        Content-Type: {regex: "^application/json"}',
        '      body: {regex: "ok$$"}',
        '      json:',
        '        version: "${TAG}"',
        '        build.number: 42',
        '        ready: true',
        '',
      ].join('\n'),
    ),
    {
      status: [
        { from: 200, to: 200 },
        { from: 204, to: 206 },
        { from: 300, to: 399 },
      ],
      headers: [
        { name: 'X-Release', match: { kind: 'equals', value: '8d41e07' } },
        { name: 'Content-Type', match: { kind: 'regex', source: '^application/json' } },
      ],
      body: { kind: 'regex', source: 'ok$' },
      json: [
        { path: 'version', match: { kind: 'equals', value: 'v1.4.2' } },
        { path: 'build.number', match: { kind: 'equals', value: 42 } },
        { path: 'ready', match: { kind: 'equals', value: true } },
      ],
    },
  );
  assert.deepEqual(expectOf('      body: ready\n      status: 200\n'), { status: [{ from: 200, to: 200 }], headers: [], body: { kind: 'contains', value: 'ready' }, json: [] });
});

test('a spec without expect has none, and ${...} elsewhere in the spec is not substituted', () => {
  const spec = parseSpec('version: 1\nservices:\n  api:\n    backend: 127.0.0.1:8000\n    unit: app-${X}.service\n', FILE, undefined, {});
  assert.equal(spec.services[0]?.expect, undefined);
  assert.equal(spec.services[0]?.unit, 'app-${X}.service');
});

const bad: [string, string, string, Record<string, string>?][] = [
  ['a missing variable', '      headers:\n        X-Release: ${GITHUB_SHA}\n', 'upstream-gate.yml:8: services.api.expect.headers.X-Release: environment variable GITHUB_SHA is not set', {}],
  ['an empty variable', '      json:\n        version: "v${TAG}"\n', 'upstream-gate.yml:8: services.api.expect.json.version: environment variable TAG is empty', { TAG: '' }],
  ['an unclosed reference', '      body: "${GITHUB_SHA"\n', 'upstream-gate.yml:7: services.api.expect.body: "${GITHUB_SHA" is not a variable reference: write ${NAME} (letters, digits and _), or $$ for a literal $'],
  ['a bad regex', '      headers:\n        X-Release: {regex: "([0-9a-f]"}\n', 'upstream-gate.yml:8: services.api.expect.headers.X-Release.regex: not a valid regular expression: Invalid regular expression: /([0-9a-f]/: Unterminated group'],
  ['a bad regex once substituted', '      body: {regex: "${GITHUB_SHA}"}\n', 'upstream-gate.yml:7: services.api.expect.body.regex: not a valid regular expression: Invalid regular expression: /a[/: Unterminated character class', { GITHUB_SHA: 'a[' }],
  ['an unknown key under expect', '      header:\n        X-Release: abc\n', 'upstream-gate.yml:7: services.api.expect.header: unknown key (expected one of status, headers, body, json)'],
  ['an unknown key beside regex', '      body: {regexp: "x"}\n', 'upstream-gate.yml:7: services.api.expect.body.regexp: unknown key (expected one of regex)'],
  ['an empty expect', '      {}\n', 'upstream-gate.yml:6: services.api.expect: expect needs at least one of status, headers, body, json'],
  ['a status out of range', '      status: 700\n', 'upstream-gate.yml:7: services.api.expect.status: an HTTP status is 100-599'],
  ['a backwards range', '      status: [200, "299-200"]\n', 'upstream-gate.yml:7: services.api.expect.status.1: "299-200": the range ends before it starts'],
  ['a status of the wrong type', '      status: true\n', 'upstream-gate.yml:7: services.api.expect.status: expected a status (200), a range (200-299, 2xx) or a list of them, got boolean true'],
  ['a header value that is a number', '      headers:\n        X-Release: 5\n', 'upstream-gate.yml:8: services.api.expect.headers.X-Release: expected the header value (a string) or {regex: PATTERN}, got number 5'],
  ['a header name with a space', '      headers:\n        "X Release": abc\n', 'upstream-gate.yml:8: services.api.expect.headers.X Release: not an HTTP header name'],
  ['an empty body substring', '      body: ""\n', 'upstream-gate.yml:7: services.api.expect.body: an empty substring matches every body'],
  ['a JSON path with an empty field', '      json:\n        build..commit: abc\n', 'upstream-gate.yml:8: services.api.expect.json.build..commit: a JSON path is field names joined by dots: build.commit'],
];

test('expect without a health path, or on a protocol whose health the gate does not request, is rejected at expect', () => {
  const message = (service: string) => {
    try {
      parseSpec(`version: 1\nservices:\n  api:\n${service}`, FILE, undefined, {});
    } catch (e) {
      return (e as Error).message;
    }
    return 'accepted';
  };
  assert.equal(message('    backend: 127.0.0.1:8000\n    expect:\n      status: 200\n'), 'upstream-gate.yml:5: services.api.expect: expect needs `health`: the path whose answer it checks');
  assert.equal(
    message('    backend: 127.0.0.1:8000\n    protocol: grpc\n    health: /x\n    expect:\n      status: 200\n'),
    'upstream-gate.yml:7: services.api.expect: expect checks http, https and fastcgi health answers; the gate does not request health over grpc',
  );
  assert.equal(message('    backend: unix:/run/php.sock\n    protocol: fastcgi\n    health: /ping\n    expect:\n      body: pong\n'), 'accepted');
});

for (const [name, block, message, env] of bad) {
  test(`expect rejected with file:line and key path: ${name}`, () => {
    assert.equal(errorOf(block, env), message);
  });
}
