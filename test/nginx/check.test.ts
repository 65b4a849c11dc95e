// The config phase against real fixture trees, with the real `nginx -t`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configPhase, runConfigPhase } from '../../src/nginx/check.js';
import { localHost } from '../../src/host/local/local-host.js';
import type { NginxDial } from '../../src/model/dial.js';
import type { PhaseContext } from '../../src/gate/phases.js';
import type { Finding } from '../../src/model/finding.js';
import { loadSpecFile, parseSpec, type Spec } from '../../src/spec/load.js';
import { isUserError } from '../../src/user-error.js';
import { hasNginx } from '../helpers/nginx.js';
import { fixture } from './fixtures.js';

const noNginx = { skip: !hasNginx && 'nginx not installed' };

function context(): PhaseContext {
  return { signal: new AbortController().signal, deadlineAt: Date.now() + 30_000, host: localHost() };
}

async function run(scenario: string, edit?: (spec: Spec) => void): Promise<{ findings: Finding[]; dials: NginxDial[] }> {
  const spec = await loadSpecFile(fixture(scenario, 'upstream-gate.yml'));
  edit?.(spec);
  const dir = `${fixture(scenario)}/`;
  const r = await runConfigPhase(spec, context());
  // paths relative to the scenario, so expectations read like the config
  return JSON.parse(JSON.stringify(r).split(dir).join('')) as { findings: Finding[]; dials: NginxDial[] };
}

const absentBinary = (spec: Spec) => {
  spec.nginx.binary = 'nginx-not-installed-for-this-test';
};

test('port mismatch in an included file: file, line, the line as written, the exact fix', noNginx, async () => {
  const r = await run('port-mismatch');
  assert.deepEqual(r.findings, [
    {
      code: 'config.port_mismatch',
      severity: 'error',
      service: 'app',
      target: '127.0.0.1:8001',
      message: 'nginx dials 127.0.0.1:8001 but the spec says 127.0.0.1:8000',
      fix: 'proxy_pass http://127.0.0.1:8000;  (conf.d/app.conf:14)',
      file: 'conf.d/app.conf',
      line: 14,
      evidence: ['proxy_pass http://127.0.0.1:8001;'],
    },
  ]);
  // the port-80 block only redirects; the /admin/ location belongs to the admin service
  assert.deepEqual(
    r.dials.map((d) => [d.service, d.directive, d.scheme, d.endpoint, d.file, d.line, d.text, d.serverName]),
    [
      ['app', 'proxy_pass', 'http', { kind: 'tcp', host: '127.0.0.1', port: 8001 }, 'conf.d/app.conf', 14, 'proxy_pass http://127.0.0.1:8001;', 'app.example.com'],
      ['admin', 'proxy_pass', 'http', { kind: 'tcp', host: '127.0.0.1', port: 8100 }, 'conf.d/app.conf', 19, 'proxy_pass http://127.0.0.1:8100/admin/;', 'app.example.com'],
    ],
  );
});

test('family mismatch: [::1] dialed, 127.0.0.1 in the spec; the URI is kept in the fix', noNginx, async () => {
  const r = await run('family-mismatch');
  assert.deepEqual(r.findings, [
    {
      code: 'config.host_mismatch',
      severity: 'error',
      service: 'api',
      target: '[::1]:8000',
      message: 'nginx dials [::1]:8000 (IPv6) but the spec says 127.0.0.1:8000 (IPv4)',
      fix: 'proxy_pass http://127.0.0.1:8000/;  (conf.d/api.conf:5)',
      file: 'conf.d/api.conf',
      line: 5,
      evidence: ['proxy_pass http://[::1]:8000/;'],
    },
  ]);
  assert.deepEqual(r.dials[0]?.endpoint, { kind: 'tcp', host: '::1', port: 8000 });
});

test('socket mismatch: the PHP pool moved to php8.2-fpm.sock, nginx still dials php8.1', noNginx, async () => {
  const r = await run('php-fpm');
  assert.deepEqual(r.findings, [
    {
      code: 'config.socket_mismatch',
      severity: 'error',
      service: 'shop',
      target: 'unix:/run/php/php8.1-fpm.sock',
      message: 'nginx dials unix:/run/php/php8.1-fpm.sock but the spec says unix:/run/php/php8.2-fpm.sock',
      fix: 'fastcgi_pass unix:/run/php/php8.2-fpm.sock;  (sites-enabled/shop.conf:15)',
      file: 'sites-enabled/shop.conf',
      line: 15,
      evidence: ['fastcgi_pass unix:/run/php/php8.1-fpm.sock;'],
    },
  ]);
  assert.deepEqual(
    r.dials.map((d) => [d.directive, d.scheme, d.endpoint]),
    [['fastcgi_pass', 'fastcgi', { kind: 'unix', path: '/run/php/php8.1-fpm.sock' }]],
  );
});

test('protocol mismatch: proxy_pass to a FastCGI backend', noNginx, async () => {
  const r = await run('protocol-mismatch');
  assert.deepEqual(r.findings, [
    {
      code: 'config.protocol_mismatch',
      severity: 'error',
      service: 'legacy',
      target: '127.0.0.1:9000',
      message: 'nginx talks http to 127.0.0.1:9000 (proxy_pass) but the spec says fastcgi',
      fix: 'fastcgi_pass 127.0.0.1:9000;  (conf.d/legacy.conf:6)',
      file: 'conf.d/legacy.conf',
      line: 6,
      evidence: ['proxy_pass http://127.0.0.1:9000;'],
    },
  ]);
});

test('upstream group: weights and down parsed, a backup on another port is a member the spec does not name, at its server line', noNginx, async () => {
  const r = await run('upstream-backups');
  assert.deepEqual(r.findings, [
    {
      code: 'config.pool_mismatch',
      severity: 'error',
      service: 'api',
      target: '127.0.0.1:9000',
      message: "upstream api_pool has 127.0.0.1:9000, which is not in the spec's backend (127.0.0.1:8000)",
      fix: "remove `server 127.0.0.1:9000 backup;` from upstream api_pool (conf.d/upstreams.conf:5), or add 127.0.0.1:9000 to the spec's backend list",
      file: 'conf.d/upstreams.conf',
      line: 5,
      evidence: ['server 127.0.0.1:9000 backup;', 'upstream api_pool (conf.d/upstreams.conf:1) used by: proxy_pass http://api_pool; (conf.d/api.conf:12)'],
    },
  ]);
  // `down` (7000) is never dialed; /metrics (9100) is another app in the same block
  assert.deepEqual(
    r.dials.map((d) => [d.upstream, d.line, d.endpoint?.kind === 'tcp' ? d.endpoint.port : undefined]),
    [
      ['api_pool', 3, 8000],
      ['api_pool', 4, 8000],
      ['api_pool', 5, 9000],
    ],
  );
});

test('variables in the address: a dynamic_target warning and a dynamic dial', noNginx, async () => {
  const r = await run('dynamic');
  assert.deepEqual(r.findings, [
    {
      code: 'config.dynamic_target',
      severity: 'warning',
      service: 'edge',
      target: '$edge_backend',
      message: 'nginx dials $edge_backend, which holds variables resolved per request: it cannot be checked against 127.0.0.1:8000',
      fix: 'proxy_pass http://127.0.0.1:8000;  (conf.d/edge.conf:10)',
      file: 'conf.d/edge.conf',
      line: 10,
      evidence: ['proxy_pass http://$edge_backend;'],
    },
  ]);
  assert.deepEqual(r.dials, [
    {
      service: 'edge',
      directive: 'proxy_pass',
      scheme: 'http',
      dynamic: true,
      file: 'conf.d/edge.conf',
      line: 10,
      text: 'proxy_pass http://$edge_backend;',
      serverName: 'edge.example.com',
      shownFile: 'conf.d/edge.conf',
      // the URL holds a variable: nginx's default Host, $proxy_host, cannot be known
      request: {
        headers: [{ name: 'Connection', value: 'close' }],
        skipped: [{ name: 'Host', value: '$proxy_host', why: 'not evaluated: $proxy_host' }],
        source: "nginx's defaults (no proxy_set_header applies)",
      },
    },
  ]);
});

test('no block names the server: the default server answers, and it dials another port', noNginx, async () => {
  const r = await run('default-server');
  assert.equal(r.findings.length, 1);
  assert.equal(r.findings[0]?.code, 'config.port_mismatch');
  assert.equal(
    r.findings[0]?.message,
    'nginx dials 127.0.0.1:3000 but the spec says 127.0.0.1:3001 (no server{} block has server_name web.example.com: the default server answers)',
  );
  assert.equal(r.findings[0]?.line, 5);
});

test('nginx -t fails: config.invalid with the file and line nginx names', noNginx, async () => {
  const r = await run('invalid');
  const invalid = r.findings.filter((f) => f.code === 'config.invalid');
  assert.equal(invalid.length, 1);
  const f = invalid[0] as Finding;
  assert.equal(f.message, 'host not found in upstream "backend.invalid"');
  assert.equal(f.file, 'conf.d/app.conf');
  assert.equal(f.line, 5);
  assert.equal(f.severity, 'error');
  assert.equal(f.evidence?.[0], 'proxy_pass http://backend.invalid:8000;');
  assert.equal(f.fix, 'make backend.invalid resolve where nginx runs (DNS or /etc/hosts), or write the address itself  (conf.d/app.conf:5)');
  assert.match(f.evidence?.[1] ?? '', /\[emerg\] .*host not found in upstream "backend\.invalid" in conf\.d\/app\.conf:5$/);
  // the address itself is still compared with the spec
  assert.deepEqual(
    r.findings.filter((x) => x.code !== 'config.invalid').map((x) => [x.code, x.target, x.fix]),
    [['config.host_mismatch', 'backend.invalid:8000', 'proxy_pass http://127.0.0.1:8000;  (conf.d/app.conf:5)']],
  );
});

test('an include cycle and a missing include are config.invalid at the include line', noNginx, async () => {
  const spec = parseSpec('version: 1\nservices:\n  a: { backend: 127.0.0.1:8000 }\nnginx: { config: nginx.conf }\n', fixture('include-missing', 'upstream-gate.yml'));
  const missing = await configPhase(spec, context());
  const ours = missing.findings.filter((f) => f.code === 'config.invalid');
  assert.deepEqual(
    ours.map((f) => [f.line, f.file?.endsWith('include-missing/nginx.conf'), f.evidence?.[0]]),
    [[7, true, 'include snippets/ssl.conf;']],
  );
  assert.match(ours[0]?.message ?? '', /^open\(\) ".*include-missing\/snippets\/ssl\.conf" failed \(2: No such file or directory\)$/);

  const cyc = parseSpec('version: 1\nservices:\n  a: { backend: 127.0.0.1:8000 }\nnginx: { config: nginx.conf, binary: nginx-not-installed-for-this-test }\n', fixture('include-cycle', 'upstream-gate.yml'));
  const cycle = await configPhase(cyc, context());
  const c = cycle.findings.find((f) => f.code === 'config.invalid');
  assert.equal(c?.line, 2);
  assert.ok(c?.file?.endsWith('include-cycle/conf.d/b.conf'));
  assert.match(c?.message ?? '', /^include cycle: .*a\.conf:2 -> .*b\.conf:2 -> .*a\.conf$/);
  assert.equal(c?.fix?.startsWith('# include conf.d/a.conf;'), true);
});

test('no nginx binary: said once, as info; the stream module config is still checked', async () => {
  const r = await run('stream', absentBinary);
  assert.deepEqual(
    r.findings.map((f) => [f.code, f.severity, f.service, f.target, f.fix]),
    [
      ['config.port_mismatch', 'error', 'postgres', '127.0.0.1:5433', 'server 127.0.0.1:5432 max_fails=2;  (nginx.conf:5)'],
      ['config.socket_mismatch', 'error', 'postgres', 'unix:/run/postgresql/.s.PGSQL.5432', 'server 127.0.0.1:5432 backup;  (nginx.conf:6)'],
      [undefined, 'info', undefined, undefined, undefined],
    ],
  );
  assert.match(r.findings[2]?.message ?? '', /^nginx binary "nginx-not-installed-for-this-test" not found: nginx -t skipped/);
  // redis is dialed right; the pg group belongs to postgres
  assert.deepEqual(
    r.dials.filter((d) => d.service === 'redis').map((d) => [d.scheme, d.endpoint, d.line]),
    [['tcp', { kind: 'tcp', host: '127.0.0.1', port: 6379 }, 16]],
  );
});

test('nginx.dump: the config phase reads an nginx -T dump instead of files', async () => {
  const spec = parseSpec(
    'version: 1\nservices:\n  app: { backend: 127.0.0.1:8000, server_name: app.example.com }\nnginx: { dump: nginx-T-2-1.txt, binary: nginx-not-installed-for-this-test }\n',
    fixture('dump', 'upstream-gate.yml'),
  );
  const r = await configPhase(spec, context(), { resolver: async (h) => (h === 'localhost' ? ['127.0.0.1', '::1'] : []) });
  assert.deepEqual(
    r.findings.map((f) => [f.code, f.severity, f.target, f.file, f.line, f.fix]),
    [
      ['config.port_mismatch', 'error', 'localhost:8001', '/etc/nginx/sites-enabled/app', 2, 'server 127.0.0.1:8000;  (sites-enabled/app:2)'],
      ['config.localhost_ambiguous', 'warning', 'localhost:8001', '/etc/nginx/sites-enabled/app', 2, 'server 127.0.0.1:8001;  (sites-enabled/app:2)'],
    ],
  );
  assert.equal(
    r.findings[1]?.message,
    'nginx dials localhost:8001 (upstream app_servers), and localhost resolves to 127.0.0.1 and ::1: nginx tries each address (the spec says 127.0.0.1:8000)',
  );
  // the dump held nginx -t's own "syntax is ok": no note that it was not run
  assert.equal(r.findings.filter((f) => f.severity === 'info').length, 0);
});

test('nginx.dump "-" reads standard input', async () => {
  const { readFileSync } = await import('node:fs');
  const text = readFileSync(fixture('dump', 'nginx-T.txt'));
  const spec = parseSpec('version: 1\nservices:\n  app: { backend: 127.0.0.1:8001, server_name: app.example.com }\nnginx: { dump: "-" }\n', fixture('dump', 'upstream-gate.yml'));
  const r = await configPhase(spec, context(), { readStdin: async () => text, resolver: async () => ['127.0.0.1'] });
  assert.deepEqual(r.findings.map((f) => [f.severity, f.message]), [['info', 'read an nginx -T dump: nginx -t was not run here, and the dump holds no nginx -t messages']]);
  assert.deepEqual(r.dials.map((d) => [d.upstream, d.endpoint]), [['app_servers', { kind: 'tcp', host: 'localhost', port: 8001 }]]);
});

test('a missing main config or dump is bad input naming the path', async () => {
  const missing = parseSpec('version: 1\nservices:\n  a: { backend: 127.0.0.1:8000 }\nnginx: { config: /nonexistent/nginx.conf }\n', '/tmp/spec.yml');
  await assert.rejects(runConfigPhase(missing, context()), (e) => isUserError(e) && e.message === '/nonexistent/nginx.conf: cannot read nginx config: no such file');
  const dump = parseSpec('version: 1\nservices:\n  a: { backend: 127.0.0.1:8000 }\nnginx: { dump: /nonexistent/dump.txt }\n', '/tmp/spec.yml');
  await assert.rejects(runConfigPhase(dump, context()), (e) => isUserError(e) && e.message.startsWith('/nonexistent/dump.txt: cannot read'));
  const notDump = parseSpec(`version: 1\nservices:\n  a: { backend: 127.0.0.1:8000 }\nnginx: { dump: ${fixture('php-fpm', 'nginx.conf')} }\n`, '/tmp/spec.yml');
  await assert.rejects(runConfigPhase(notDump, context()), (e) => isUserError(e) && /not an `nginx -T` dump/.test(e.message));
});

test('credentials written in a config line never reach a finding or a dial, nor nginx -t quoting them', async () => {
  const { tempDir } = await import('../helpers/tmp.js');
  const { writeFileSync } = await import('node:fs');
  const t = tempDir(`ugate-mask-${process.pid}-`);
  try {
    writeFileSync(`${t.dir}/nginx.conf`, 'events {}\nhttp {\n  server {\n    server_name app.example.com;\n    location / { proxy_pass http://admin:s3cret@127.0.0.1:8001; }\n  }\n}\n');
    const spec = parseSpec('version: 1\nservices:\n  app: { backend: 127.0.0.1:8000, server_name: app.example.com }\nnginx: { config: nginx.conf }\n', `${t.dir}/upstream-gate.yml`);
    const r = await configPhase(spec, context());
    const text = JSON.stringify(r);
    assert.ok(!text.includes('s3cret'), text);
    const invalid = r.findings.find((f) => f.code === 'config.invalid');
    assert.equal(invalid?.line, 5);
    assert.equal(invalid?.evidence?.[0], 'location / { proxy_pass http://***@127.0.0.1:8001; }');
    if (hasNginx) assert.match(invalid?.message ?? '', /^invalid port in upstream "\*\*\*@127\.0\.0\.1:8001"$/);
  } finally {
    t.remove();
  }
});

test('the output of a failed nginx -T is bad input that quotes nginx', async () => {
  const spec = parseSpec('version: 1\nservices:\n  a: { backend: 127.0.0.1:8000 }\nnginx: { dump: "-" }\n', '/tmp/spec.yml');
  const failed = Buffer.from(
    '2026/11/30 12:48:08 [emerg] 19289#19289: host not found in upstream "backend.invalid" in /etc/nginx/conf.d/app.conf:5\nnginx: configuration file /etc/nginx/nginx.conf test failed\n',
  );
  await assert.rejects(
    configPhase(spec, context(), { readStdin: async () => failed }),
    (e) => isUserError(e) && e.message.startsWith('-: nginx -T failed, so the dump holds no configuration: 2026/11/30 12:48:08 [emerg]'),
  );
});
