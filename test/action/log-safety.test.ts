// Nothing the checked config, a backend or the host says reaches the Actions
// log as a workflow command, and the host's listeners and firewall rules stay
// out of a possibly public log unless debug logging is on. The Action runs for
// real (nginx -t, ss, nft, iptables, backends) and its stdout is read the way
// the runner reads it (./workflow-log.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHttpBackend, status } from '../helpers/backend.js';
import { hasNginx, NGINX_BINARY, startNginx } from '../helpers/nginx.js';
import { freePort } from '../helpers/ports.js';
import { runAction } from './run-action.js';
import { readWorkflowLog, type WorkflowLog } from './workflow-log.js';

const skip = !hasNginx && 'nginx not installed';

/** The commands the gate issues itself; a stop-commands token resumes them. */
const OWN = new Set(['error', 'warning', 'notice', 'group', 'endgroup', 'add-mask', 'stop-commands']);
const OWN_LINE = /^\s*::(?:(?:error|warning|notice) title=upstream-gate|group::|endgroup::|add-mask::)/;
const LEADING = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

function assertNoInjection(log: WorkflowLog, files: string[] = []): void {
  const tokens = new Set(log.tokens.map((t) => t.toLowerCase()));
  for (const c of log.commands) {
    assert.ok(OWN.has(c.name) || tokens.has(c.name.toLowerCase()), `a command the gate did not issue: ${JSON.stringify(c.line)}`);
    if (c.name === 'error' || c.name === 'warning' || c.name === 'notice') {
      assert.match(c.properties.title ?? '', /^upstream-gate: /, `an annotation without the gate's title: ${JSON.stringify(c.line)}`);
      if (c.properties.file !== undefined) assert.ok(files.includes(c.properties.file), `annotation file ${JSON.stringify(c.properties.file)}`);
    }
  }
  for (const l of log.lines) {
    const trimmed = l.text.replace(LEADING, '');
    if (!l.stopped && (trimmed.startsWith('::') || l.text.includes('##['))) assert.ok(l.command, `a line the runner reads as a command: ${JSON.stringify(l.text)}`);
    if (l.stopped) assert.ok(!OWN_LINE.test(l.text), `the gate's own command inside a stop-commands region is lost: ${JSON.stringify(l.text)}`);
  }
  for (const t of log.tokens) assert.match(t, /^[0-9a-f]{32,}$/, 'an unguessable token');
  assert.equal(new Set(log.tokens).size, log.tokens.length, 'a fresh token per region');
  assert.ok(!log.endedStopped, 'the log does not end inside a stop-commands region');
}

function errorFindings(reportPath: string): number {
  const rep = JSON.parse(readFileSync(reportPath, 'utf8')) as { findings: { severity: string }[] };
  return rep.findings.filter((f) => f.severity === 'error').length;
}

async function injectingConfig(t: import('node:test').TestContext) {
  const [listen, other, backend] = [await freePort(), await freePort(), await freePort()];
  const nginx = await startNginx({
    writeOnly: true,
    http: 'include conf.d/*.conf;',
    files: {
      'conf.d/app.conf': `server {\n    listen 127.0.0.1:${listen};\n    server_name app.test;\n    location / {\n        proxy_pass "http://127.0.0.1:${other}/x\n::error::pwned";\n    }\n}\n`,
      'conf.d/evil\n::warning file=README.md::pwned-by-name.conf': `server {\n    listen 127.0.0.1:${listen};\n    bogus_directive on;\n}\n`,
    },
  });
  t.after(() => nginx.stop());
  const ws = nginx.prefix;
  writeFileSync(
    join(ws, 'gate.yml'),
    `version: 1\nservices:\n  app:\n    backend: 127.0.0.1:${backend}\n    server_name: app.test\nnginx:\n  config: nginx.conf\n  binary: ${NGINX_BINARY}\ngate:\n  deadline: 10s\n`,
  );
  return ws;
}

test('config text cannot inject commands: a quoted proxy_pass holding a newline, an included file named with one', { skip }, async (t) => {
  const ws = await injectingConfig(t);
  const { r, outputs } = await runAction(ws, { spec: 'gate.yml', phase: 'all' }, { source: true });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.equal(outputs.verdict, 'fail');
  const log = readWorkflowLog(r.stdout);
  assertNoInjection(log, ['conf.d/app.conf']);
  assert.ok(
    log.lines.some((l) => l.stopped && l.text.replace(LEADING, '').startsWith('::error::pwned')),
    `the config's text is in the log, neutralised:\n${r.stdout}`,
  );
  const errors = log.commands.filter((c) => c.name === 'error');
  assert.equal(errors.length, errorFindings(outputs.report ?? ''), 'one ::error per error finding, no second one from setFailed');
  // escaped as @actions/core does (%, CR, LF; in properties also : and ,), the annotation reads back whole
  const mismatch = errors.find((c) => c.properties.title === 'upstream-gate: config.port_mismatch (app)');
  assert.ok(mismatch, `the title, holding a ":", reads back whole: ${JSON.stringify(errors.map((c) => c.line))}`);
  assert.match(mismatch.line, /^::error title=upstream-gate%3A config\.port_mismatch \(app\),file=conf\.d\/app\.conf,line=5::/);
  assert.ok(mismatch.data.includes('/x\n::error::pwned";'), `the message keeps the config's newline as data: ${JSON.stringify(mismatch.data)}`);
  assert.ok(!r.stdout.includes('[command]'), 'no raw command lines');
  assert.ok(!r.stdout.includes('pwned-by-name'), "nginx -t's raw output stays out of the log");
  const group = log.lines.findIndex((l) => l.command?.name === 'group');
  const end = log.lines.findIndex((l, i) => i > group && l.command?.name === 'endgroup');
  assert.ok(group >= 0 && end > group, `the host commands are in a group:\n${r.stdout}`);
  assert.ok(
    log.lines.slice(group, end).some((l) => l.stopped && l.text.startsWith(`$ ${NGINX_BINARY} -t `) && l.text.includes(' -c ')),
    `the group names each command:\n${r.stdout}`,
  );
});

test('with debug logging the raw host output is shown, grouped, neutralised and masked', { skip }, async (t) => {
  const ws = await injectingConfig(t);
  const { r } = await runAction(ws, { spec: 'gate.yml', phase: 'config' }, { source: true, env: { RUNNER_DEBUG: '1' } });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const log = readWorkflowLog(r.stdout);
  assertNoInjection(log, ['conf.d/app.conf']);
  const raw = log.lines.findIndex((l) => l.text.trim().startsWith('::warning file=README.md::pwned-by-name.conf'));
  assert.ok(raw >= 0, `nginx -t's raw output is in the debug log:\n${r.stdout}`);
  assert.ok(log.lines[raw]?.stopped, 'inside a stop-commands region');
  const group = log.lines.slice(0, raw).findLastIndex((l) => l.command?.name === 'group');
  const end = log.lines.slice(0, raw).findLastIndex((l) => l.command?.name === 'endgroup');
  assert.ok(group >= 0 && end < group, 'inside the group of host commands');
});

test('backend text and host commands: a health body holding ##[error], ss / nft / iptables output kept out', { skip }, async (t) => {
  const web = await startHttpBackend({ handler: status(503, '##[error]pwned-legacy\n::error::pwned-body\n') });
  t.after(() => web.close());
  const down = await freePort();
  const [l1, l2] = [await freePort(), await freePort()];
  const nginx = await startNginx({
    writeOnly: true,
    http: [
      `server { listen 127.0.0.1:${l1}; server_name web.test; location / { proxy_pass http://127.0.0.1:${web.port}; } }`,
      `server { listen 127.0.0.1:${l2}; server_name down.test; location / { proxy_pass http://127.0.0.1:${down}; } }`,
    ].join('\n'),
  });
  t.after(() => nginx.stop());
  const ws = nginx.prefix;
  writeFileSync(
    join(ws, 'gate.yml'),
    [
      'version: 1',
      'services:',
      `  web: { backend: "127.0.0.1:${web.port}", health: /healthz, server_name: web.test }`,
      `  down: { backend: "127.0.0.1:${down}", health: /healthz, server_name: down.test }`,
      'nginx:',
      '  config: nginx.conf',
      `  binary: ${NGINX_BINARY}`,
      'gate:',
      '  deadline: 3s',
      '',
    ].join('\n'),
  );
  const { r, outputs } = await runAction(ws, { spec: 'gate.yml' }, { source: true });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.equal(outputs.reason !== '', true);
  const log = readWorkflowLog(r.stdout);
  assertNoInjection(log, ['nginx.conf']);
  assert.ok(log.lines.some((l) => l.stopped && l.text.includes('##[error]pwned-legacy')), `the body's text is in the log, neutralised:\n${r.stdout}`);
  const errors = log.commands.filter((c) => c.name === 'error');
  assert.equal(errors.length, errorFindings(outputs.report ?? ''), 'one ::error per error finding');
  assert.ok(!r.stdout.includes('[command]'), 'no raw command lines');
  assert.ok(!/^LISTEN\s/m.test(r.stdout) && !r.stdout.includes('users:(('), `no listener of the host in the log:\n${r.stdout}`);
  assert.ok(!/^-P (INPUT|OUTPUT|FORWARD)/m.test(r.stdout) && !/^table /m.test(r.stdout), 'no firewall rule of the host in the log');
  const group = log.commands.find((c) => c.name === 'group');
  assert.ok(group, 'the host commands are listed in a group');
  const listed = log.lines.slice(log.lines.findIndex((l) => l.command === group));
  assert.ok(listed.some((l) => /ss -Hltnp/.test(l.text)), 'the group names each command');
});

test('credentials: masked in the raw nginx -t output shown with debug logging, and registered with the runner as secrets', { skip }, async (t) => {
  const password = "p@ss w'rd<x";
  const [listen, backend] = [await freePort(), await freePort()];
  const nginx = await startNginx({
    writeOnly: true,
    http: `server {\n    listen 127.0.0.1:${listen};\n    server_name app.test;\n    location / {\n        proxy_pass "http://deploy:${password}@127.0.0.1:${backend}/";\n    }\n}`,
  });
  t.after(() => nginx.stop());
  const ws = nginx.prefix;
  writeFileSync(
    join(ws, 'gate.yml'),
    `version: 1\nservices:\n  app:\n    backend: 127.0.0.1:${backend}\n    server_name: app.test\nnginx:\n  config: nginx.conf\n  binary: ${NGINX_BINARY}\n  front: "http://ci:t0ken-s3cret@127.0.0.1:${listen}"\ngate:\n  deadline: 5s\n`,
  );
  const { r, outputs, summary } = await runAction(ws, { spec: 'gate.yml', phase: 'config' }, { source: true, env: { RUNNER_DEBUG: '1' } });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const log = readWorkflowLog(r.stdout);
  assertNoInjection(log, ['nginx.conf']);
  assert.ok(log.lines.some((l) => l.stopped && l.text.includes('invalid port in upstream "***@127.0.0.1:')), `nginx -t's own line, masked, is in the debug log:\n${r.stdout}`);
  const masks = log.commands.filter((c) => c.name === 'add-mask').map((c) => c.data);
  assert.ok(masks.includes(`deploy:${password}`) && masks.includes(password), `the config's credential is registered as a secret: ${JSON.stringify(masks)}`);
  assert.ok(masks.includes('t0ken-s3cret'), `the spec's credential too: ${JSON.stringify(masks)}`);
  assert.ok(!log.lines.some((l) => l.stopped && l.text.includes('add-mask')), 'no mask is issued inside a region, where it would be shown, not run');
  const shown = log.lines.filter((l) => !l.command || l.command.name !== 'add-mask').map((l) => l.text).join('\n');
  for (const piece of ['p@ss', "w'rd", 'rd<x']) {
    assert.ok(!shown.includes(piece), `the log shows "${piece}":\n${shown}`);
    assert.ok(!summary.includes(piece), 'the summary masks it');
    assert.ok(!readFileSync(outputs.report ?? '', 'utf8').includes(piece), 'the JSON report masks it');
  }
});
