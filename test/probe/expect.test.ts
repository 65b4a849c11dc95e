// A service's expect: judged on real answers: a real HTTP server and the HTTP
// probe, then the matcher; and php-fpm for FastCGI.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { OutgoingHttpHeaders } from 'node:http';
import { localHost } from '../../src/host/local/local-host.js';
import { matchExpectation } from '../../src/probe/expect.js';
import { probeHttp } from '../../src/probe/http.js';
import { probeFastcgi } from '../../src/probe/fastcgi.js';
import { parseSpec } from '../../src/spec/load.js';
import type { ProbeResult } from '../../src/model/probe-result.js';
import { startHttpBackend } from '../helpers/backend.js';
import { hasPhpFpm, startPhpFpm } from '../helpers/php-fpm.js';

function expectation(block: string, env: Record<string, string> = {}) {
  const spec = parseSpec(`version: 1\nservices:\n  api:\n    backend: 127.0.0.1:8000\n    health: /healthz\n    expect:\n${block}`, join(process.cwd(), 'upstream-gate.yml'), undefined, env);
  return spec.services[0]?.expect;
}

async function answer(t: import('node:test').TestContext, status: number, headers: OutgoingHttpHeaders, body: string | Buffer, keepAnswer = true): Promise<ProbeResult> {
  const b = await startHttpBackend({
    handler: (_req, res) => {
      res.writeHead(status, headers);
      res.end(body);
    },
  });
  t.after(() => b.close());
  return probeHttp(localHost(), { endpoint: { kind: 'tcp', host: '127.0.0.1', port: b.port }, tls: false, path: '/healthz', connectTimeoutMs: 2000, requestTimeoutMs: 5000, keepAnswer });
}

describe('expect on a real HTTP answer', () => {
  test('the answer is kept only when asked, with header names in lower case and the body whole', async (t) => {
    const long = `${'x'.repeat(300)}"version":"1.4.2"`;
    const kept = await answer(t, 200, { 'X-Release': '8d41e07' }, long);
    assert.equal(kept.answer?.headers['x-release'], '8d41e07');
    assert.equal(kept.answer?.body, long);
    assert.equal(kept.answer?.truncated, false);
    const plain = await answer(t, 200, { 'X-Release': '8d41e07' }, long, false);
    assert.equal(plain.answer, undefined);
  });

  test('the release expected answers: a pass', async (t) => {
    const r = await answer(t, 200, { 'X-Release': '8d41e07', 'content-type': 'application/json' }, JSON.stringify({ version: '1.4.2', build: { number: 42 }, items: [{ id: 'a' }] }));
    const e = expectation('      status: 200\n      headers:\n        x-release: ${SHA}\n      body: {regex: "\\"version\\""}\n      json:\n        version: 1.4.2\n        build.number: "42"\n        items.0.id: a\n', { SHA: '8d41e07' });
    const m = matchExpectation(r, e);
    assert.equal(m.ok, true, JSON.stringify(m.mismatches));
    assert.equal(m.code, undefined);
  });

  test('the previous release answers: UNEXPECTED_ANSWER with the observed value beside the expected one, for each difference', async (t) => {
    const r = await answer(t, 200, { 'X-Release': '3f2a9c1' }, JSON.stringify({ version: '1.4.1' }));
    const m = matchExpectation(r, expectation('      headers:\n        X-Release: 8d41e07\n        X-Build: {regex: "^b"}\n      json:\n        version: 1.4.2\n        build.commit: abc\n'));
    assert.equal(m.ok, false);
    assert.equal(m.code, 'UNEXPECTED_ANSWER');
    assert.equal(m.status, 200);
    assert.deepEqual(m.mismatches, [
      { subject: 'X-Release', observed: '3f2a9c1', expected: '8d41e07', identity: true },
      { subject: 'X-Build', expected: 'to match /^b/' },
      { subject: 'JSON field version', observed: '1.4.1', expected: '1.4.2', identity: true },
      { subject: 'JSON field build.commit', expected: 'abc' },
    ]);
  });

  test('a body that is not JSON says so; a body without the substring shows how it begins', async (t) => {
    const r = await answer(t, 200, {}, '<html>old release</html>\nmore');
    const m = matchExpectation(r, expectation('      body: ready\n      json:\n        version: 1.4.2\n'));
    assert.equal(m.code, 'UNEXPECTED_ANSWER');
    assert.equal(m.mismatches?.[0]?.subject, 'body');
    assert.equal(m.mismatches?.[0]?.observed, '<html>old release</html>');
    assert.equal(m.mismatches?.[0]?.expected, 'to contain "ready"');
    assert.match(m.mismatches?.[1]?.problem ?? '', /^the body is not JSON: Unexpected token/);
  });

  test('status: a 302 passes curl -f but not `status: 200`; a listed 418 passes although >= 400; an unlisted 503 stays HTTP_STATUS', async (t) => {
    const redirect = matchExpectation(await answer(t, 302, { location: '/login' }, ''), expectation('      status: 200\n'));
    assert.equal(redirect.code, 'UNEXPECTED_ANSWER');
    assert.deepEqual(redirect.mismatches, [{ subject: 'status', observed: '302', expected: '200' }]);
    const teapot = matchExpectation(await answer(t, 418, {}, 'short and stout'), expectation('      status: [200, 4xx]\n      body: stout\n'));
    assert.equal(teapot.ok, true);
    const down = matchExpectation(await answer(t, 503, {}, 'warming up'), expectation('      status: 2xx\n'));
    assert.equal(down.code, 'HTTP_STATUS');
    assert.equal(down.mismatches, undefined);
  });

  test('an observed value is one printable, bounded line: control bytes escaped, long values cut', async (t) => {
    const r = await answer(t, 200, {}, JSON.stringify({ version: `\u001b]0;x\u0007${'v'.repeat(500)}` }));
    const m = matchExpectation(r, expectation('      json:\n        version: 1.4.2\n'));
    const observed = m.mismatches?.[0]?.observed ?? '';
    assert.ok(!/[\u0000-\u001f]/.test(observed), observed);
    assert.ok(observed.length < 200 && observed.endsWith('...'), observed);
  });
});

describe('expect on a real FastCGI answer', { skip: !hasPhpFpm && 'php-fpm not installed' }, () => {
  test("php-fpm's ping answers pong: a body expectation passes, another fails with what it answered", async (t) => {
    const fpm = await startPhpFpm({});
    t.after(() => fpm.stop());
    const r = await probeFastcgi(localHost(), { endpoint: { kind: 'unix', path: fpm.socket }, path: '/ping', connectTimeoutMs: 2000, requestTimeoutMs: 5000, keepAnswer: true });
    assert.equal(r.ok, true, r.message);
    assert.match(r.answer?.headers['content-type'] ?? '', /text\/plain/);
    assert.equal(matchExpectation(r, expectation('      body: pong\n      headers:\n        Content-Type: {regex: "^text/plain"}\n')).ok, true);
    const m = matchExpectation(r, expectation('      body: release-8d41e07\n'));
    assert.equal(m.code, 'UNEXPECTED_ANSWER');
    assert.deepEqual(m.mismatches, [{ subject: 'body', observed: 'pong', expected: 'to contain "release-8d41e07"' }]);
  });
});
