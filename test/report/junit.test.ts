// JUnit as GitLab reads it: file paths relative to the working directory,
// checks that never ran reported as skipped with why, suite times within the
// total, and a valid report with one errored test case on bad input. The
// real CLI runs against real nginx where it matters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { toJunit } from '../../src/report/junit.js';
import type { Report } from '../../src/model/finding.js';
import { runCli } from '../helpers/cli.js';
import { hasNginx, NGINX_BINARY, startNginx } from '../helpers/nginx.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tmp.js';
import { loadReport } from './golden.js';

interface Case {
  name: string;
  classname: string;
  file?: string;
  time: string;
  failure?: { type: string; message: string };
  error?: { type: string; message: string; '#text'?: string };
  skipped?: { message: string } | '';
}
interface Suite {
  name: string;
  tests: string;
  failures: string;
  errors: string;
  skipped: string;
  time: string;
  testcase: Case[];
}
interface Doc {
  testsuites: { tests: string; failures: string; errors: string; skipped?: string; time?: string; testsuite: Suite[] };
}

function parse(xml: string): Doc {
  assert.equal(XMLValidator.validate(xml), true, xml);
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', allowBooleanAttributes: true, isArray: (n) => n === 'testsuite' || n === 'testcase' });
  return parser.parse(xml) as Doc;
}

test('JUnit: file is relative to the working directory when inside it, as GitLab links it', () => {
  const doc = parse(toJunit(loadReport('fail'), { cwd: '/srv/repo' }));
  const files = doc.testsuites.testsuite.flatMap((s) => s.testcase).map((c) => c.file).filter(Boolean);
  assert.deepEqual(files, ['nginx/conf.d/app.conf', '/etc/nginx/sites-enabled/web.conf']);
  const body = toJunit(loadReport('fail'), { cwd: '/srv/repo' });
  assert.ok(body.includes('at: nginx/conf.d/app.conf:12'), 'the failure body says the same place');
  const sibling = parse(toJunit(loadReport('fail'), { cwd: '/srv/rep' }));
  assert.equal(sibling.testsuites.testsuite[0]?.testcase.find((c) => c.file)?.file, '/srv/repo/nginx/conf.d/app.conf');
});

test('JUnit: a suite of checks that ran side by side takes no longer than the whole gate', () => {
  const r: Report = {
    verdict: 'fail',
    reason: 'backend.down',
    findings: [{ code: 'backend.down', severity: 'error', service: 'api', message: 'nothing listens on port 8000' }],
    checks: [
      { service: 'api', name: 'config', ok: true },
      { service: 'api', name: 'tcp 127.0.0.1:8000', ok: false, code: 'backend.down', attempts: 20, durationMs: 2000 },
      { service: 'api', name: 'tcp [::1]:8000', ok: false, code: 'backend.down', attempts: 20, durationMs: 2000 },
    ],
    durationMs: 2100,
  };
  const doc = parse(toJunit(r));
  const total = Number(doc.testsuites.time);
  assert.equal(total, 2.1);
  for (const s of doc.testsuites.testsuite) assert.ok(Number(s.time) <= total, `suite ${s.name} time ${s.time} > total ${total}`);
});

test('JUnit: checks that never ran are skipped test cases that say why', () => {
  const r = loadReport('fail');
  r.notRun = [{ service: 'web', name: 'front GET /healthz', why: 'http GET /healthz failed' }];
  const doc = parse(toJunit(r));
  const web = doc.testsuites.testsuite.find((s) => s.name === 'web')!;
  const front = web.testcase.find((c) => c.name === 'front GET /healthz');
  assert.deepEqual(front?.skipped, { message: 'not run: http GET /healthz failed' });
  assert.equal(web.skipped, '1');
  assert.equal(doc.testsuites.skipped, '1');
  assert.equal(Number(doc.testsuites.tests), doc.testsuites.testsuite.flatMap((s) => s.testcase).length);
});

async function downDeployment(t: import('node:test').TestContext, extra = '') {
  const [listen, backend] = [await freePort(), await freePort()];
  const nginx = await startNginx({
    writeOnly: true,
    http: 'include conf.d/*.conf;',
    files: { 'conf.d/app.conf': `server {\n    listen 127.0.0.1:${listen};\n    server_name app.test;\n    location / {\n        proxy_pass http://127.0.0.1:${backend};\n    }\n}\n` },
  });
  t.after(() => nginx.stop());
  const spec = join(nginx.prefix, 'upstream-gate.yml');
  writeFileSync(
    spec,
    `version: 1\nservices:\n  app:\n    backend: 127.0.0.1:${backend}\n    health: /healthz\n    server_name: app.test\nnginx:\n  config: nginx.conf\n  binary: ${NGINX_BINARY}\n  front: http://127.0.0.1:${listen}\n${extra}gate:\n  deadline: 2s\n  interval: 50ms\n`,
  );
  return { dir: nginx.prefix, spec };
}

test('check --format junit, backend down: 4 test cases, the health and front checks skipped with why', { skip: !hasNginx && 'nginx not installed' }, async (t) => {
  const d = await downDeployment(t);
  const r = await runCli(['check', '--format', 'junit'], { cwd: d.dir });
  assert.equal(r.code, 1, r.stderr);
  const doc = parse(r.stdout);
  const app = doc.testsuites.testsuite.find((s) => s.name === 'app')!;
  assert.deepEqual(
    app.testcase.map((c) => [c.name, c.failure ? 'failed' : c.skipped !== undefined ? 'skipped' : 'passed']),
    [
      ['config', 'passed'],
      [app.testcase[1]?.name, 'failed'],
      ['http GET /healthz', 'skipped'],
      ['front GET /healthz', 'skipped'],
    ],
  );
  assert.match(app.testcase[1]?.name ?? '', /^tcp 127\.0\.0\.1:\d+$/);
  const skipped = app.testcase.filter((c) => c.skipped !== undefined);
  for (const c of skipped) assert.match((c.skipped as { message: string }).message, /^not run: tcp 127\.0\.0\.1:\d+ failed$/);
  assert.equal(app.tests, '4');
  assert.equal(app.skipped, '2');
  assert.equal(doc.testsuites.tests, '4');
  for (const s of doc.testsuites.testsuite) assert.ok(Number(s.time) <= Number(doc.testsuites.time), 'suite time within the total');
});

test('check --format junit, config fails: the probe checks are skipped because the config check failed', { skip: !hasNginx && 'nginx not installed' }, async (t) => {
  const d = await downDeployment(t);
  writeFileSync(join(d.dir, 'conf.d', 'app.conf'), 'server {\n    listen 127.0.0.1:1;\n    server_name app.test;\n    location / {\n        proxy_pass http://127.0.0.1:2;\n    }\n}\n');
  const r = await runCli(['check', '--format', 'junit'], { cwd: d.dir });
  assert.equal(r.code, 1, r.stderr);
  const app = parse(r.stdout).testsuites.testsuite.find((s) => s.name === 'app')!;
  assert.equal(app.testcase[0]?.name, 'config');
  assert.ok(app.testcase[0]?.failure);
  const skipped = app.testcase.filter((c) => c.skipped !== undefined);
  assert.ok(skipped.length >= 2, JSON.stringify(app.testcase));
  for (const c of skipped) assert.equal((c.skipped as { message: string }).message, 'not run: the config check failed');
  assert.ok(app.testcase.some((c) => c.file === 'conf.d/app.conf'), 'file relative to the working directory');
});

test('check --format junit with a bad spec: a valid report with one errored test case, exit 2, the one-line error on stderr', async (t) => {
  const { dir, remove } = tempDir('ugate-junit-');
  t.after(remove);
  writeFileSync(join(dir, 'upstream-gate.yml'), 'version: 1\nservices:\n  api:\n    backend: 127.0.0.1:99999\n');
  const r = await runCli(['check', '--format', 'junit'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /^upstream-gate check: /);
  const doc = parse(r.stdout);
  assert.equal(doc.testsuites.tests, '1');
  assert.equal(doc.testsuites.errors, '1');
  const c = doc.testsuites.testsuite[0]?.testcase[0];
  assert.equal(c?.error?.type, 'input.invalid');
  assert.equal(c?.error?.message, r.stderr.trim().replace(/^upstream-gate check: /, ''));

  const missing = await runCli(['check', '--format', 'junit', '--spec', 'nope.yml'], { cwd: dir });
  assert.equal(missing.code, 2);
  assert.equal(parse(missing.stdout).testsuites.errors, '1');
});

test('check --format json with a bad spec writes nothing to stdout: exit 2 and the error on stderr are the answer', async (t) => {
  const { dir, remove } = tempDir('ugate-json-');
  t.after(remove);
  const r = await runCli(['check', '--format', 'json', '--spec', 'nope.yml'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr.trim().split('\n').length, 1);
});
