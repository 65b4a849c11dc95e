// Runs the whole gate in this process (inside a network namespace) with
// HTTP backends of its own on the addresses the test gives, and prints the
// report as JSON.
//   UGATE_DRIVER = {"spec": "<yaml>", "file": "/path/upstream-gate.yml", "listen": [{"host": "127.0.0.3", "port": 8000}]}
import { createServer, type Server } from 'node:http';
import { runGate } from '../../src/gate/run.js';
import { parseSpec } from '../../src/spec/load.js';

const input = JSON.parse(process.env.UGATE_DRIVER ?? '{}') as { spec: string; file: string; listen?: { host: string; port: number }[] };
const servers: Server[] = [];
for (const l of input.listen ?? []) {
  const server = createServer((_req, res) => res.end('ok\n'));
  await new Promise<void>((r) => server.listen({ host: l.host, port: l.port }, r));
  servers.push(server);
}
const report = await runGate(parseSpec(input.spec, input.file), {});
for (const s of servers) s.close();
process.stdout.write(JSON.stringify(report));
