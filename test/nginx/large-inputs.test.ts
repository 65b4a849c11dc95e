// Input-sized arrays never become call arguments: a server_name line with
// 125,000 names, an upstream group with 150,000 servers, or 150,000 broken
// lines once overflowed the stack (`push(...list)` puts every item on it).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runGate } from '../../src/gate/run.js';
import { localHost } from '../../src/host/local/local-host.js';
import { configPhase } from '../../src/nginx/check.js';
import { toJunit } from '../../src/report/junit.js';
import { toText } from '../../src/report/text.js';
import { parseSpec } from '../../src/spec/load.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const { dir, remove } = tempDir('ugate-large-');
after(remove);

const NAMES = Array.from({ length: 125_000 }, (_, i) => `h${i}.example.com`);

function setup(name: string, conf: string, service: string): string {
  const sub = join(dir, name);
  writeFileSync(`${sub}.conf`, `events {}\nhttp {\n${conf}\n}\n`);
  const spec = `${sub}.yml`;
  writeFileSync(spec, `version: 1\nservices:\n  api:\n${service}nginx:\n  config: ${name}.conf\n  binary: nginx-not-installed-for-this-test\n`);
  return spec;
}

const context = () => ({ signal: new AbortController().signal, deadlineAt: Date.now() + 600_000, host: localHost() });
const load = (spec: string) => parseSpec(readFileSync(spec, 'utf8'), spec);

test('server_name with 125,000 names in the config: check --phase config passes (the real CLI)', async () => {
  const spec = setup('names-conf', `server { listen 127.0.0.1:8080; server_name ${NAMES.join(' ')}; location / { proxy_pass http://127.0.0.1:9000; } }`, '    backend: 127.0.0.1:9000\n    server_name: h124999.example.com\n');
  const r = await runCli(['check', '--spec', spec, '--phase', 'config', '--format', 'json'], { cwd: dir, timeoutMs: 300_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  assert.equal(JSON.parse(r.stdout).verdict, 'pass');
});

test('server_name with 125,000 names in the spec: the block that lists one of them is found', async () => {
  const spec = setup('names-spec', 'server { listen 127.0.0.1:8080; server_name h7.example.com; location / { proxy_pass http://127.0.0.1:9000; } }', `    backend: 127.0.0.1:9000\n    server_name: [${NAMES.join(', ')}]\n`);
  const r = await configPhase(load(spec), context());
  assert.deepEqual(r.findings.filter((f) => f.severity !== 'info'), []);
  assert.deepEqual(r.dials.map((d) => [d.service, d.line, d.serverName]), [['api', 3, 'h7.example.com']]);
});

test('an upstream group of 150,000 servers: every one is a dial of the service', async () => {
  const members = Array.from({ length: 150_000 }, () => 'server 127.0.0.1:9000;').join('\n');
  const spec = setup('upstream', `upstream pool {\n${members}\n}\nserver { listen 127.0.0.1:8080; server_name api.test; location / { proxy_pass http://pool; } }`, '    backend: 127.0.0.1:9000\n    server_name: api.test\n');
  const r = await configPhase(load(spec), context());
  assert.deepEqual(r.findings.filter((f) => f.severity !== 'info'), []);
  // the same address on 150,000 lines: one dial per line
  assert.equal(r.dials.length, 150_000);
});

test('150,000 broken lines: 150,000 findings, reported as text and JUnit', async () => {
  const bad = Array.from({ length: 150_000 }, () => 'proxy_pass http://127.0.0.1:99999;').join('\n');
  const spec = setup('broken', `server { listen 127.0.0.1:8080; server_name api.test; location / {\n${bad}\n} }`, '    backend: 127.0.0.1:9000\n    server_name: api.test\n');
  const report = await runGate(load(spec), { phase: 'config', host: localHost(), configPhase, probePhase: async () => ({ findings: [], checks: [] }) });
  assert.equal(report.verdict, 'fail');
  assert.equal(report.reason, 'config.invalid');
  assert.ok(report.findings.filter((f) => f.code === 'config.invalid').length >= 150_000);
  assert.match(toText(report, { color: false }), /config\.invalid/);
  assert.match(toJunit(report), /<failure type="config\.invalid"/);
});

test('no source file spreads an array into call arguments (push(...list), Math.max(...list)...)', () => {
  const files = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(d, e.name)) : e.name.endsWith('.ts') ? [join(d, e.name)] : []));
  const spread = /\b(?:push|unshift|splice|max|min|fromCharCode|fromCodePoint|apply)\((?:[^(){}[\]]*,\s*)?\.\.\./;
  const found = files(join(ROOT, 'src')).flatMap((f) =>
    readFileSync(f, 'utf8')
      .split('\n')
      .map((line, i) => [line, i] as const)
      .filter(([line]) => !/^\s*(\/\/|\*)/.test(line) && spread.test(line))
      .map(([line, i]) => `${f.slice(ROOT.length)}:${i + 1}: ${line.trim()}`),
  );
  assert.deepEqual(found, []);
});
