// The config phase on a config written by the shared nginx harness (absolute
// temp paths, an include of the site file), proven valid by nginx -t first.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { configPhase } from '../../src/nginx/check.js';
import { localHost } from '../../src/host/local/local-host.js';
import { parseSpec } from '../../src/spec/load.js';
import { hasNginx, nginxTest, startNginx, type NginxInstance } from '../helpers/nginx.js';
import { freePort } from '../helpers/ports.js';

let nginx: NginxInstance | undefined;
after(() => nginx?.stop());

test('a site included from the harness config: family mismatch at the included line', { skip: !hasNginx && 'nginx not installed' }, async () => {
  const [front, app] = [await freePort(), await freePort()];
  nginx = await startNginx({
    writeOnly: true,
    http: 'include sites/*.conf;',
    files: {
      'sites/app.conf': `server {\n    listen 127.0.0.1:${front};\n    server_name app.test;\n\n    location / {\n        proxy_pass http://[::1]:${app}/;\n    }\n}\n`,
    },
  });
  const valid = nginxTest(nginx.conf, nginx.prefix);
  assert.ok(valid.ok, valid.output);
  const spec = parseSpec(
    `version: 1\nservices:\n  app: { backend: "127.0.0.1:${app}", server_name: app.test }\nnginx: { config: ${nginx.conf} }\n`,
    `${nginx.prefix}/upstream-gate.yml`,
  );
  const r = await configPhase(spec, { signal: new AbortController().signal, deadlineAt: Date.now() + 30_000, host: localHost() });
  assert.deepEqual(r.findings, [
    {
      code: 'config.host_mismatch',
      severity: 'error',
      service: 'app',
      target: `[::1]:${app}`,
      message: `nginx dials [::1]:${app} (IPv6) but the spec says 127.0.0.1:${app} (IPv4)`,
      fix: `proxy_pass http://127.0.0.1:${app}/;  (sites/app.conf:6)`,
      file: `${nginx.prefix}/sites/app.conf`,
      line: 6,
      evidence: [`proxy_pass http://[::1]:${app}/;`],
    },
  ]);
  assert.deepEqual(r.dials.map((d) => [d.endpoint, d.serverName]), [[{ kind: 'tcp', host: '::1', port: app }, 'app.test']]);
});
