// Signals: the gate stops, says so, exits 130 / 143, and never signals
// anything but the children it started.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/cli.js';
import { freePort } from '../helpers/ports.js';
import { canTraceSignals, traceSignals } from '../helpers/signal-trace.js';
import { tempDir } from '../helpers/tmp.js';

const PARENT = fileURLToPath(new URL('./signal-parent.ts', import.meta.url));

for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  test(`${sig} while ss, iptables, nft and nginx are not installed: the caller survives, the gate exits ${sig === 'SIGINT' ? 130 : 143}`, { skip: !canTraceSignals && 'needs root, strace and unshare' }, async (t) => {
    const tmp = tempDir('ugate-sig-');
    t.after(tmp.remove);
    const port = await freePort();
    writeFileSync(join(tmp.dir, 'nginx.conf'), `events {}\nhttp { server { listen 127.0.0.1:${port}; location / { proxy_pass http://127.0.0.1:${port}; } } }\n`);
    writeFileSync(
      join(tmp.dir, 'upstream-gate.yml'),
      `version: 1\nservices:\n  app: { backend: 127.0.0.1:${port} }\nnginx: { config: nginx.conf, binary: nginx }\ngate: { deadline: 60s, interval: 20ms }\n`,
    );
    // PATH names an empty directory: every host command the gate runs is missing
    process.env.GATE_PATH = tmp.dir;
    const trace = traceSignals(PARENT, [sig, 'check', '--spec', join(tmp.dir, 'upstream-gate.yml'), '--format', 'json']);
    delete process.env.GATE_PATH;
    assert.equal(trace.status, 0, trace.stderr);
    const seen = JSON.parse(trace.stdout) as { code: number | null; signal: string | null; stdout: string; stderr: string };
    assert.equal(seen.code, sig === 'SIGINT' ? 130 : 143, seen.stderr);
    const report = JSON.parse(seen.stdout) as { verdict: string; findings: { code?: string; message: string }[] };
    assert.equal(report.verdict, 'fail');
    const strays = trace.signals.filter(([pid]) => !trace.started.has(pid));
    assert.deepEqual(strays, [], `signals sent to pids that are not started children: ${JSON.stringify(strays)}`);
  });
}

test('SIGTERM while nginx -t runs: the report says interrupted, never config.invalid; exit 143', async (t) => {
  const tmp = tempDir('ugate-sig-t-');
  t.after(tmp.remove);
  const marks = join(tmp.dir, 'marks');
  mkdirSync(marks, { mode: 0o777 });
  chmodSync(marks, 0o777);
  const port = await freePort();
  writeFileSync(join(tmp.dir, 'nginx.conf'), `events {}\nhttp { server { listen 127.0.0.1:${port}; location / { proxy_pass http://127.0.0.1:${port}; } } }\n`);
  // an nginx whose -t takes as long as the gate lets it (a slow resolver does that to the real one)
  const binary = join(tmp.dir, 'slow-nginx');
  writeFileSync(binary, `#!/bin/sh\ntouch ${join(marks, 'started')}\nexec sleep 60\n`, { mode: 0o755 });
  writeFileSync(
    join(tmp.dir, 'upstream-gate.yml'),
    `version: 1\nservices:\n  app: { backend: 127.0.0.1:${port} }\nnginx: { config: nginx.conf, binary: ${binary} }\ngate: { deadline: 60s }\n`,
  );
  let pid = 0;
  const gate = runCli(['check', '--spec', join(tmp.dir, 'upstream-gate.yml'), '--format', 'json'], { onSpawn: (p) => (pid = p) });
  while (!existsSync(join(marks, 'started'))) await sleep(20);
  process.kill(pid, 'SIGTERM');
  const r = await gate;
  assert.equal(r.code, 143, r.stderr);
  const report = JSON.parse(r.stdout) as { verdict: string; reason?: string; findings: { code?: string; severity: string; message: string }[] };
  assert.equal(report.verdict, 'fail');
  assert.deepEqual(report.findings.filter((f) => f.code === 'config.invalid'), []);
  assert.ok(report.findings.some((f) => /interrupted/.test(f.message)), JSON.stringify(report.findings));
  assert.ok(report.findings.some((f) => /nginx -t .*(interrupted|stopped)/.test(f.message)), JSON.stringify(report.findings));
});
