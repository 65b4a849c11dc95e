// Every renderer against golden files, plus the properties the goldens cannot
// show at a glance: contract field order, masking, parseable XML, paths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { annotations, stepSummary } from '../../src/report/github.js';
import { toJson } from '../../src/report/json.js';
import { toJunit } from '../../src/report/junit.js';
import type { Report } from '../../src/model/finding.js';
import { toText } from '../../src/report/text.js';
import { assertGolden, loadReport } from './golden.js';

const NAMES = ['fail', 'pass', 'config-invalid'] as const;

for (const name of NAMES) {
  test(`golden: ${name}`, () => {
    const r = loadReport(name);
    assertGolden(`${name}.txt`, toText(r, { color: false }));
    assertGolden(`${name}.color.txt`, toText(r, { color: true }));
    assertGolden(`${name}.quiet.txt`, toText(r, { color: false, quiet: true }));
    assertGolden(`${name}.report.json`, toJson(r));
    assertGolden(`${name}.junit.xml`, toJunit(r, { cwd: '/srv/repo' }));
    assertGolden(`${name}.summary.md`, stepSummary(r, { workspace: '/srv/repo' }));
    assertGolden(`${name}.annotations.json`, `${JSON.stringify(annotations(r, '/srv/repo'), null, 2)}\n`);
  });
}

const CONTRACT = ['code', 'severity', 'service', 'target', 'errno', 'errno_name', 'message', 'evidence', 'fix', 'file', 'line'];

test('JSON: the contract shape, fields in contract order, reason absent on pass, credentials masked', () => {
  for (const name of NAMES) {
    const r = loadReport(name);
    const j = JSON.parse(toJson(r)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(j).slice(0, 3), r.verdict === 'fail' ? ['verdict', 'reason', 'findings'] : ['verdict', 'findings', 'checks']);
    for (const f of j.findings as Record<string, unknown>[]) {
      const keys = Object.keys(f);
      assert.deepEqual(keys, CONTRACT.filter((k) => keys.includes(k)), `${name}: ${keys.join(',')}`);
    }
    assert.ok(!JSON.stringify(j).includes('s3cret'), name);
    assert.ok(!JSON.stringify(j).includes('durationMs'), `${name}: snake_case only`);
  }
  const pass = JSON.parse(toJson(loadReport('pass'))) as Record<string, unknown>;
  assert.equal(pass.reason, undefined);
  assert.equal(pass.duration_ms, 412);
});

test('JUnit: valid XML; one test case per service and check; failure type is the code, message the diagnosis', () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => n === 'testsuite' || n === 'testcase' });
  for (const name of NAMES) {
    const r = loadReport(name);
    const xml = toJunit(r);
    assert.equal(XMLValidator.validate(xml), true, name);
    const doc = parser.parse(xml) as { testsuites: { tests: string; failures: string; testsuite: { name: string; tests: string; failures: string; testcase: { name: string; classname: string; failure?: { type: string; message: string; '#text': string } }[] }[] } };
    const suites = doc.testsuites.testsuite;
    const cases = suites.flatMap((s) => s.testcase);
    assert.equal(Number(doc.testsuites.tests), cases.length);
    assert.equal(Number(doc.testsuites.failures), cases.filter((c) => c.failure).length);
    for (const s of suites) assert.equal(Number(s.tests), s.testcase.length);
    for (const c of r.checks ?? []) {
      const tc = cases.find((x) => x.classname === c.service && x.name === c.name);
      assert.ok(tc, `${name}: no test case for ${c.service} ${c.name}`);
      assert.equal(tc.failure !== undefined, !c.ok);
      if (tc.failure) {
        assert.equal(tc.failure.type, c.code);
        assert.ok(!tc.failure.message.includes('\n'));
      }
    }
    if (r.verdict === 'fail') assert.ok(cases.some((c) => c.failure));
  }
  const fail = parser.parse(toJunit(loadReport('fail'))) as { testsuites: { testsuite: { name: string; testcase: { name: string; failure?: { message: string; '#text': string } }[] }[] } };
  const api = fail.testsuites.testsuite.find((s) => s.name === 'api')!;
  const family = api.testcase.find((c) => c.name === 'tcp [::1]:8000')!;
  assert.equal(family.failure?.message, 'nginx dials [::1]:8000 but the backend listens only on 127.0.0.1:8000');
  assert.match(family.failure?.['#text'] ?? '', /fix: proxy_pass http:\/\/127\.0\.0\.1:8000;/);
  assert.ok(!toJunit(loadReport('fail')).includes('s3cret'));
});

test('JUnit: control bytes from a backend cannot break the XML', () => {
  const r: Report = {
    verdict: 'fail',
    reason: 'health.protocol',
    findings: [{ code: 'health.protocol', severity: 'error', service: 'a', message: 'not HTTP: \u0000\u0007\u001b[31m <&> "\ud800"', evidence: ['\u0016\u0003\u0001'] }],
    checks: [{ service: 'a', name: 'http GET /', ok: false, code: 'health.protocol' }],
  };
  assert.equal(XMLValidator.validate(toJunit(r)), true);
});

test('annotations: file relative to the workspace when inside it, else path:line in the message', () => {
  const r = loadReport('fail');
  const all = annotations(r, '/srv/repo');
  assert.deepEqual(all.map((a) => a.level), ['error', 'error', 'warning', 'notice'], 'errors first');
  const [inRepo, , outside] = all;
  assert.equal(inRepo?.file, 'nginx/conf.d/app.conf');
  assert.equal(inRepo?.line, 12);
  assert.equal(inRepo?.level, 'error');
  assert.equal(outside?.file, undefined);
  assert.equal(outside?.line, undefined);
  assert.equal(outside?.level, 'warning');
  assert.match(outside?.message ?? '', /at: \/etc\/nginx\/sites-enabled\/web\.conf:7/);
  const sibling = annotations(r, '/srv/rep');
  assert.equal(sibling[0]?.file, undefined, 'a sibling directory with a common prefix is not inside');
  const none = annotations(r);
  assert.equal(none[0]?.file, '/srv/repo/nginx/conf.d/app.conf');
  assert.ok(annotations(r, '/srv/repo').every((a) => !a.message.includes('s3cret') && !a.title.includes('s3cret')));
});

test('step summary: credentials are masked everywhere, the headline included', () => {
  const r = loadReport('fail');
  const deciding = r.findings[0]!;
  deciding.message = `GET https://ci:t0ken@127.0.0.1/ refused; ${deciding.message}`;
  const md = stepSummary(r);
  assert.ok(!md.includes('t0ken'), md);
  assert.ok(!md.includes('s3cret'));
});

test('step summary: a pipe in a message cannot split the table row', () => {
  const md = stepSummary(loadReport('fail'));
  const row = md.split('\n').find((l) => l.includes('`health.status`'));
  assert.ok(row);
  assert.equal(row.replace(/\\\|/g, '').split('|').length - 2, 6);
});

test('text: no escape codes without colour, escape codes with it, and a backend cannot send its own', () => {
  const r = loadReport('fail');
  assert.ok(!toText(r, { color: false }).includes('\x1b'));
  assert.ok(toText(r, { color: true }).includes('\x1b[31m'));
  const evil: Report = { verdict: 'fail', reason: 'health.status', findings: [{ code: 'health.status', severity: 'error', service: 'a', message: 'body: \x1b]0;owned\x07 \x1b[2J' }] };
  const out = toText(evil, { color: false });
  assert.ok(!out.includes('\x1b'));
  assert.match(out, /\\x1b\]0;owned\\x07/);
});
