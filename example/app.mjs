// The example's backend: answers GET /healthz with 200 once it is ready.
// Usage: node app.mjs [HOST] [PORT] [READY_AFTER_MS]
import { createServer } from 'node:http';

const [host = '127.0.0.1', port = '28000', readyAfter = '0'] = process.argv.slice(2);
const readyAt = Date.now() + Number(readyAfter);
createServer((req, res) => {
  if (req.url === '/healthz') {
    const ready = Date.now() >= readyAt;
    res.writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' });
    res.end(ready ? 'ok\n' : 'warming up\n');
    return;
  }
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('hello from the example app\n');
}).listen({ host, port: Number(port) }, () => process.stdout.write(`example app listening on ${host}:${port}\n`));
