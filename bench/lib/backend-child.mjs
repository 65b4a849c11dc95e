// An HTTP backend as its own process, for scenarios that run it inside a
// network namespace: listens on HOST (default 127.0.0.1) port 0, prints the
// port, answers 200. Exits on SIGTERM or when the bench closes its stdin, so
// it cannot outlive the bench.
import { createServer } from 'node:http';

const host = process.argv[2] ?? '127.0.0.1';
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain', connection: 'close' });
  res.end('ok\n');
});
server.listen({ host, port: 0 }, () => {
  process.stdout.write(`${server.address().port}\n`);
});
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
