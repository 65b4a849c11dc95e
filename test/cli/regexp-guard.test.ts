// A regular expression run on text the gate does not control must not hang
// it: the spec's `expect` regex on a backend's answer, a config's `~`
// server_name (nginx's: without regard to case) on the spec's names, the
// config coming from a pull request. Each case is a pattern that backtracks
// exponentially on its subject (2^40 steps: hours, on a backtracking engine);
// the gate must come to its verdict as it does for any other. Run from source
// and as the bundle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHttpBackend } from '../helpers/backend.js';
import { CLI_BUNDLE, runCli, runNode, type Run } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const EVIL = '(a+)+$';
const LONG = 'a'.repeat(40);

const ways: [string, (args: string[], cwd: string) => Promise<Run>][] = [
  ['source', (args, cwd) => runCli(args, { cwd })],
  ['bundle', (args, cwd) => runNode([CLI_BUNDLE, ...args], { cwd, env: { ...process.env, UPSTREAM_GATE_CODE_CACHE: 'off' } })],
];

for (const [way, gate] of ways) {
  test(`an expect regex that backtracks exponentially on the answer: health.unexpected, not a hang (${way})`, async (t) => {
    const tmp = tempDir();
    t.after(tmp.remove);
    const backend = await startHttpBackend({
      handler: (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(`${LONG}!`);
      },
    });
    t.after(() => backend.close());
    writeFileSync(
      join(tmp.dir, 'gate.yml'),
      `version: 1\nservices:\n  app:\n    backend: 127.0.0.1:${backend.port}\n    health: /healthz\n    expect:\n      body: {regex: '${EVIL}'}\ngate:\n  deadline: 3s\n`,
    );
    const r = await gate(['check', '--spec', 'gate.yml', '--phase', 'probe', '--format', 'json'], tmp.dir);
    assert.equal(r.signal, null, 'the gate ended on its own');
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as { verdict: string; reason?: string };
    assert.equal(report.verdict, 'fail');
    assert.equal(report.reason, 'health.unexpected');
  });

  test(`a config's regex server_name that backtracks exponentially on the spec's name: the config phase ends (${way})`, async (t) => {
    const tmp = tempDir();
    t.after(tmp.remove);
    writeFileSync(
      join(tmp.dir, 'nginx.conf'),
      `events {}\nhttp {\n  server {\n    listen 127.0.0.1:18999;\n    server_name ~^${EVIL};\n    location / { proxy_pass http://127.0.0.1:18998; }\n  }\n}\n`,
    );
    writeFileSync(
      join(tmp.dir, 'gate.yml'),
      `version: 1\nservices:\n  app:\n    backend: 127.0.0.1:18998\n    server_name: ${LONG}.test\nnginx:\n  config: nginx.conf\n  test: off\n`,
    );
    const r = await gate(['check', '--spec', 'gate.yml', '--phase', 'config', '--format', 'json'], tmp.dir);
    assert.equal(r.signal, null, 'the gate ended on its own');
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
    const report = JSON.parse(r.stdout) as { verdict: string };
    assert.ok(report.verdict === 'pass' || report.verdict === 'fail');
  });
}
