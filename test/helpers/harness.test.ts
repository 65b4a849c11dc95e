import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { hasNginx, startNginx } from './nginx.js';
import { freePort } from './ports.js';
import { startHttpBackend } from './backend.js';

test('nginx harness proxies to a real backend on a free port', { skip: !hasNginx && 'nginx not installed' }, async () => {
  const backend = await startHttpBackend({});
  after(() => backend.close());
  const port = await freePort();
  const nginx = await startNginx({
    http: `server { listen 127.0.0.1:${port}; server_name t.test; location / { proxy_pass http://127.0.0.1:${backend.port}; } }`,
  });
  after(() => nginx.stop());
  const res = await fetch(`http://127.0.0.1:${port}/`, { headers: { host: 't.test' } });
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'ok\n');
});
