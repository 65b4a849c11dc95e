// The Action bundle run the way the runner runs it: `node dist/action.js` with
// INPUT_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHttpBackend } from '../helpers/backend.js';
import { ACTION_BUNDLE, runNode } from '../helpers/cli.js';
import { hasNginx, NGINX_BINARY, startNginx } from '../helpers/nginx.js';
import { freePort } from '../helpers/ports.js';

/** Parses the runner's file command format: `name<<DELIM\nvalue\nDELIM`. */
function readOutputs(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^(.+?)<<(.+)\n([\s\S]*?)\n\2$/gm;
  for (const m of readFileSync(file, 'utf8').matchAll(re)) out[m[1]!] = m[3]!;
  return out;
}

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
  const output = join(ws, 'github_output');
  const summary = join(ws, 'step_summary');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const r = await runNode([ACTION_BUNDLE], {
    cwd: ws,
    env: {
      PATH: process.env.PATH,
      INPUT_SPEC: 'gate.yml',
      INPUT_PHASE: 'all',
      INPUT_DEADLINE: '5s',
      'INPUT_WORKING-DIRECTORY': ws,
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_WORKSPACE: ws,
      RUNNER_TEMP: ws,
    },
  });
  return { r, outputs: readOutputs(output), summary: readFileSync(summary, 'utf8'), ws };
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
  assert.match(r.stdout, /^::error::upstream-gate: config\.port_mismatch: /m, 'the step fails with the reason');
  void ws;
});
