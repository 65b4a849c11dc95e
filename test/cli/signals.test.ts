// Signals: the gate stops, says so, exits 130 / 143, and never signals
// anything but the children it started.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
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
