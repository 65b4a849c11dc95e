// Runs the probe phase in this process (inside a namespace, or as another
// user) and prints its result and progress events as JSON. The situation is set up here too:
// listeners in the same namespace, as the test asks through UGATE_DRIVER.
//   UGATE_DRIVER = {"spec": "<yaml>", "listen": [{"host": "127.0.0.1", "port": 8000, "mode": "ok"}]}
import { createServer as createHttp } from 'node:http';
import { createServer as createTcp, type Server } from 'node:net';
import type { ProgressEvent } from '../../src/model/events.js';
import { runProbePhase } from '../../src/gate/probe-phase.js';
import { localHost } from '../../src/host/local/local-host.js';
import { parseSpec } from '../../src/spec/load.js';

interface Listen {
  host?: string;
  port?: number;
  path?: string;
  /** ok: HTTP 200; silent: accept, never answer; reset: accept, then RST */
  mode?: 'ok' | 'silent' | 'reset';
  ipv6Only?: boolean;
}

const input = JSON.parse(process.env.UGATE_DRIVER ?? '{}') as { spec: string; listen?: Listen[] };
const servers: Server[] = [];
for (const l of input.listen ?? []) {
  const server =
    l.mode === 'silent'
      ? createTcp(() => {})
      : l.mode === 'reset'
        ? createTcp((s) => s.resetAndDestroy())
        : createHttp((_req, res) => {
            res.writeHead(200);
            res.end('ok\n');
          });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if (l.path) server.listen(l.path, resolve);
    else server.listen({ host: l.host, port: l.port, ...(l.ipv6Only !== undefined && { ipv6Only: l.ipv6Only }) }, resolve);
  });
  servers.push(server as Server);
}

const spec = parseSpec(input.spec, `${process.cwd()}/upstream-gate.yml`);
const started = Date.now();
const deadlineAt = started + spec.gate.deadlineMs;
// as the gate does: the signal stops in-flight I/O one connect timeout after the deadline
const signal = AbortSignal.timeout(spec.gate.deadlineMs + Math.min(spec.gate.connectTimeoutMs, 5000));
const events: ProgressEvent[] = [];
const result = await runProbePhase(spec, [], { signal, deadlineAt, host: localHost(), onProgress: (e) => events.push(e) });
process.stdout.write(`${JSON.stringify({ ...result, events, elapsedMs: Date.now() - started })}\n`);
for (const s of servers) s.close();
process.exit(0);
