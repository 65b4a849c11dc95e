// A regular expression run on text the gate does not control must not hang
// it: the spec's `expect` regex on a backend's answer. The case is a pattern
// that backtracks exponentially on its subject (2^40 steps: hours, on a
// backtracking engine); the gate must come to its verdict as it does for any
// other answer. Run from source and as the bundle.
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
}
