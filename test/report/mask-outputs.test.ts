// A password holding `'`, `<`, a space or an `@` is masked whole in every
// output: text, JSON, JUnit, the step summary, annotations and `parse`, from
// a report and from a real config checked by the real CLI and nginx -t.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { annotations, stepSummary } from '../../src/report/github.js';
import { toJson } from '../../src/report/json.js';
import { toJunit } from '../../src/report/junit.js';
import type { Report } from '../../src/model/finding.js';
import { toText } from '../../src/report/text.js';
import { runCli } from '../helpers/cli.js';
import { hasNginx, NGINX_BINARY, startNginx } from '../helpers/nginx.js';
import { freePort } from '../helpers/ports.js';

const PASSWORD = "p@ss w'rd<x";
/** every piece of the password a partial mask would leave behind */
const PIECES = ['p@ss', "w'rd", 'rd<x', 'ss w'];

function assertMasked(what: string, out: string): void {
  for (const p of PIECES) assert.ok(!out.includes(p), `${what} shows "${p}" of the password:\n${out}`);
}

test('every renderer masks a password holding @, a space, a quote and <', () => {
  const url = `https://deploy:${PASSWORD}@127.0.0.1:9443/healthz`;
  const r: Report = {
    verdict: 'fail',
    reason: 'health.status',
    findings: [
      {
        code: 'health.status',
        severity: 'error',
        service: 'web',
        target: url,
        message: `GET ${url} answered 503`,
        evidence: [`GET ${url}`, `invalid port in upstream "deploy:${PASSWORD}@127.0.0.1:9443/"`],
        fix: `curl -f ${url}`,
        file: '/srv/repo/nginx/web.conf',
        line: 3,
      },
      { severity: 'info', message: `front is https://deploy:${PASSWORD}@127.0.0.1/` },
    ],
    checks: [{ service: 'web', name: `http GET ${url}`, ok: false, code: 'health.status', message: `GET ${url} answered 503` }],
  };
  assertMasked('text', toText(r, { color: false }));
  assertMasked('JSON', toJson(r));
  assertMasked('JUnit', toJunit(r));
  assertMasked('step summary', stepSummary(r));
  assertMasked('annotations', JSON.stringify(annotations(r, '/srv/repo')));
});

test('parse: the crossplane payload masks such a password in URLs and in bare dial targets', async (t) => {
  const nginx = await startNginx({
    writeOnly: true,
    http: [
      'upstream php { server deploy:se@cret<x@127.0.0.1:9000; }',
      'server {',
      '    listen 127.0.0.1:8080;',
      `    location / { proxy_pass "http://deploy:${PASSWORD}@127.0.0.1:18091/"; }`,
      `    location /f { fastcgi_pass "deploy:${PASSWORD}@127.0.0.1:9000"; }`,
      '}',
    ].join('\n'),
  });
  t.after(() => nginx.stop());
  const r = await runCli(['parse', nginx.conf]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.includes('"http://***@127.0.0.1:18091/"'), r.stdout);
  assert.ok(r.stdout.includes('"***@127.0.0.1:9000"'), r.stdout);
  assertMasked('parse', r.stdout);
  assert.ok(!r.stdout.includes('cret<x'), `the upstream server line is masked too:\n${r.stdout}`);
});

test('check: nginx -t quoting the dial target without its scheme is masked in text, JSON, JUnit and --report', { skip: !hasNginx && 'nginx not installed' }, async (t) => {
  const port = await freePort();
  const nginx = await startNginx({
    writeOnly: true,
    http: `server {\n    listen 127.0.0.1:${port};\n    server_name app.test;\n    location / {\n        proxy_pass "http://deploy:${PASSWORD}@127.0.0.1:${port + 1}/";\n    }\n}`,
  });
  t.after(() => nginx.stop());
  const spec = join(nginx.prefix, 'gate.yml');
  writeFileSync(spec, `version: 1\nservices:\n  app:\n    backend: 127.0.0.1:${port + 1}\n    server_name: app.test\nnginx:\n  config: nginx.conf\n  binary: ${NGINX_BINARY}\ngate:\n  deadline: 5s\n`);
  for (const format of ['text', 'json', 'junit']) {
    const report = join(nginx.prefix, `report-${format}.json`);
    const r = await runCli(['check', '--spec', spec, '--phase', 'config', '--format', format, '--report', report], { cwd: nginx.prefix });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /config\.invalid/, 'nginx -t failed on the dial target and the report says so');
    assertMasked(`check --format ${format}`, r.stdout + r.stderr);
    assertMasked('--report', readFileSync(report, 'utf8'));
  }
});
