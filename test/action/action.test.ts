// The Action bundle run the way the runner runs it: `node dist/action.js` with
// INPUT_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHttpBackend } from '../helpers/backend.js';
import { hasNginx, NGINX_BINARY, startNginx } from '../helpers/nginx.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tmp.js';
import { runAction as runActionIn } from './run-action.js';
import { readWorkflowLog } from './workflow-log.js';

async function runAction(t: TestContext, dialPort: number, backendPort: number) {
  const listen = await freePort();
  const nginx = await startNginx({
    http: 'include sites/*.conf;',
    files: {
      'sites/app.conf': `server {\n    listen 127.0.0.1:${listen};\n    server_name app.test;\n    location / {\n        proxy_pass http://127.0.0.1:${dialPort};\n    }\n}\n`,
    },
  });
  t.after(() => nginx.stop());
  const ws = nginx.prefix;
  writeFileSync(
    join(ws, 'gate.yml'),
    `version: 1\nservices:\n  app:\n    backend: 127.0.0.1:${backendPort}\n    health: /healthz\n    server_name: app.test\nnginx:\n  config: nginx.conf\n  binary: ${NGINX_BINARY}\ngate:\n  deadline: 30s\n`,
  );
  const { r, outputs, summary } = await runActionIn(ws, { spec: 'gate.yml', phase: 'all', deadline: '5s', 'working-directory': ws });
  return { r, outputs, summary, ws };
}

test('the Action passes a healthy deploy: outputs verdict=pass, an empty reason and the report path', { skip: !hasNginx && 'nginx not installed' }, async (t) => {
  const b = await startHttpBackend({});
  t.after(() => b.close());
  const { r, outputs, summary } = await runAction(t, b.port, b.port);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(outputs.verdict, 'pass');
  assert.equal(outputs.reason, '');
  const rep = JSON.parse(readFileSync(outputs.report ?? '', 'utf8')) as { verdict: string };
  assert.equal(rep.verdict, 'pass');
  assert.match(summary, /pass/i);
});

test('the Action fails a port mismatch: step fails, outputs, summary table with the fix, ::error annotation with file and line', { skip: !hasNginx && 'nginx not installed' }, async (t) => {
  const b = await startHttpBackend({});
  t.after(() => b.close());
  const wrong = await freePort();
  const { r, outputs, summary, ws } = await runAction(t, wrong, b.port);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.equal(outputs.verdict, 'fail');
  assert.equal(outputs.reason, 'config.port_mismatch');
  const rep = JSON.parse(readFileSync(outputs.report ?? '', 'utf8')) as { reason: string };
  assert.equal(rep.reason, 'config.port_mismatch');
  assert.match(summary, /\|.*config\.port_mismatch.*\|/, 'a findings table row names the code');
  assert.ok(summary.includes(`proxy_pass http://127.0.0.1:${b.port};`), `the summary carries the fix:\n${summary}`);
  assert.match(r.stdout, /^::error title=[^,]*,file=sites\/app\.conf,line=5::.+$/m, 'an annotation on the workspace-relative file and line');
  const errors = readWorkflowLog(r.stdout).commands.filter((c) => c.name === 'error');
  assert.equal(errors.length, 1, `one annotation for the one finding, no second file-less one:\n${r.stdout}`);
  assert.ok(summary.includes('| `sites/app.conf:5` |'), `"Where" is relative to the workspace:\n${summary}`);
  assert.ok(!summary.includes(ws), 'no absolute runner path in the summary');
  assert.ok(summary.includes(`\n\`\`\`\nproxy_pass http://127.0.0.1:${b.port};\n\`\`\`\n`), `the fix block can be pasted as it is:\n${summary}`);
});

test('an input error (missing spec): outputs verdict=error and reason, a step summary, one ::error, exit 1', async (t) => {
  const { dir, remove } = tempDir('ugate-action-');
  t.after(remove);
  const { r, outputs, summary } = await runActionIn(dir, { spec: 'missing.yml', phase: 'all' });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.deepEqual(outputs, { verdict: 'error', reason: 'input.invalid', report: '' });
  assert.match(summary, /^## :x: upstream-gate: error/m);
  assert.match(summary, /missing\.yml/);
  const errors = readWorkflowLog(r.stdout).commands.filter((c) => c.name === 'error');
  assert.equal(errors.length, 1);
  assert.match(errors[0]?.data ?? '', /missing\.yml/);
  assert.equal(r.stderr, '');
});

test('a bad input (phase): the same outputs, and the summary names the input', async (t) => {
  const { dir, remove } = tempDir('ugate-action-');
  t.after(remove);
  const { r, outputs, summary } = await runActionIn(dir, { spec: 'gate.yml', phase: 'sometimes' });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.equal(outputs.verdict, 'error');
  assert.equal(outputs.reason, 'input.invalid');
  assert.match(summary, /input "phase" must be one of config, probe, all/);
});
