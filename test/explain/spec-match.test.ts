// explain --spec names "the config.* code that check would report" for an
// upstream that is not the spec's backend: the same nginx line, read by
// check's config phase and by explain's cross-check, gets one code.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createExplainer } from '../../src/explain/explain.js';
import { crossCheck } from '../../src/explain/spec-match.js';
import { localHost } from '../../src/host/local/local-host.js';
import { configPhase } from '../../src/nginx/check.js';
import { parseSpec } from '../../src/spec/load.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('ugate-spec-match-');
after(() => tmp.remove());

interface Case {
  name: string;
  /** the spec's backend of `app` (server_name app.test) */
  backend: string;
  protocol: 'http' | 'fastcgi';
  /** the *_pass line of app.test's server{} */
  pass: string;
  /** the upstream field nginx logs for that dial */
  upstream: string;
}

const cases: Case[] = [
  { name: 'another port', backend: '127.0.0.1:9000', protocol: 'http', pass: 'proxy_pass http://127.0.0.1:9001;', upstream: 'http://127.0.0.1:9001/' },
  { name: 'another address', backend: '127.0.0.1:9000', protocol: 'http', pass: 'proxy_pass http://127.0.0.2:9000;', upstream: 'http://127.0.0.2:9000/' },
  { name: 'another address and port', backend: '127.0.0.1:9000', protocol: 'http', pass: 'proxy_pass http://127.0.0.2:9001;', upstream: 'http://127.0.0.2:9001/' },
  { name: 'another socket', backend: 'unix:/run/php/php8.2-fpm.sock', protocol: 'fastcgi', pass: 'fastcgi_pass unix:/run/php/php7.4-fpm.sock;', upstream: 'fastcgi://unix:/run/php/php7.4-fpm.sock:' },
  { name: 'TCP where the spec has a socket', backend: 'unix:/run/php/php8.2-fpm.sock', protocol: 'fastcgi', pass: 'fastcgi_pass 127.0.0.1:9000;', upstream: 'fastcgi://127.0.0.1:9000' },
  { name: 'a socket where the spec has TCP', backend: '127.0.0.1:9000', protocol: 'fastcgi', pass: 'fastcgi_pass unix:/run/php/php8.2-fpm.sock;', upstream: 'fastcgi://unix:/run/php/php8.2-fpm.sock:' },
];

for (const [i, c] of cases.entries()) {
  test(`explain --spec and check give one code: ${c.name}`, async () => {
    const dir = join(tmp.dir, String(i));
    const conf = join(tmp.dir, `nginx-${i}.conf`);
    writeFileSync(conf, `events {}\nhttp {\n  server {\n    listen 127.0.0.1:8080;\n    server_name app.test;\n    location / {\n      ${c.pass}\n    }\n  }\n}\n`);
    const spec = parseSpec(
      `version: 1\nservices:\n  app:\n    backend: ${c.backend}\n    protocol: ${c.protocol}\n    server_name: app.test\nnginx:\n  config: ${conf}\n  binary: nginx-not-installed-for-this-test\n`,
      join(dir, 'upstream-gate.yml'),
    );
    const checked = await configPhase(spec, { signal: new AbortController().signal, deadlineAt: Date.now() + 30_000, host: localHost() }, { resolver: async () => [] });
    const codes = checked.findings.filter((f) => f.severity === 'error').map((f) => f.code);
    assert.equal(codes.length, 1, JSON.stringify(checked.findings));

    const ex = createExplainer();
    ex.add(
      `2026/11/24 10:00:00 [error] 812#812: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.9, server: app.test, request: "GET / HTTP/1.1", upstream: "${c.upstream}", host: "app.test"`,
    );
    const { groups } = ex.result();
    crossCheck(groups, spec);
    assert.equal(groups.length, 1);
    assert.equal(groups[0]?.spec?.match, 'mismatch');
    assert.equal(groups[0]?.spec?.code, codes[0]);
  });
}
