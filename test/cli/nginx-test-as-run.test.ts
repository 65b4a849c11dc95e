// `nginx -t` as nginx would run it: the gate run as a service's own user (a
// unit's User=, through setpriv) on a config whose pid file and TLS key only
// root may open; an install run with `-p PREFIX` (nginx.prefix); and a binary
// the spec names that is not there (bad input, exit 2).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { CLI_SOURCE, runCli, runNode, TSX } from '../helpers/cli.js';
import { hasNginx, NGINX_BINARY } from '../helpers/nginx.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tmp.js';
import type { Report } from '../../src/model/finding.js';
import { localHost } from '../../src/host/local/local-host.js';
import { runConfigPhase } from '../../src/nginx/check.js';
import { loadSpecFile } from '../../src/spec/load.js';

const canSwitchUser = process.getuid?.() === 0 && ['/usr/bin/setpriv', '/bin/setpriv'].some((p) => existsSync(p));
const asNobody = { skip: (!hasNginx && 'nginx not installed') || (!canSwitchUser && 'needs root and setpriv') };
const ECHO_MODULE = '/usr/lib/nginx/modules/ngx_http_echo_module.so';

/** The config phase through the CLI, as nobody (setpriv), with no CI in its environment: the gate's own user runs nginx -t. */
function checkAsNobody(spec: string) {
  const env = { ...process.env };
  delete env.CI;
  return runNode(['--reuid', 'nobody', '--regid', 'nogroup', '--clear-groups', process.execPath, '--import', TSX, CLI_SOURCE, 'check', '--phase', 'config', '--spec', spec, '--format', 'json'], {
    node: 'setpriv',
    env,
  });
}

/** A root-owned directory with a file only root may open, as /run and /etc/ssl/private are. */
function rootOnly(dir: string, name: string, text = ''): string {
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755);
  const file = join(dir, name);
  writeFileSync(file, text);
  chmodSync(file, 0o600);
  return file;
}

async function site(t: TestContext, main: (dir: string, port: number) => string) {
  const tmp = tempDir('ugate-asrun-');
  t.after(tmp.remove);
  const port = await freePort();
  writeFileSync(join(tmp.dir, 'nginx.conf'), main(tmp.dir, port));
  const spec = join(tmp.dir, 'upstream-gate.yml');
  writeFileSync(spec, `version: 1\nservices:\n  app: { backend: "127.0.0.1:${port}", server_name: app.test }\nnginx: { config: nginx.conf, binary: ${NGINX_BINARY} }\n`);
  return { dir: tmp.dir, spec, port };
}

test('the gate as a non-root user, a pid file only root may open: a note, not config.invalid', asNobody, async (t) => {
  const s = await site(
    t,
    (dir, port) => `user www-data;
pid ${rootOnly(join(dir, 'run'), 'nginx.pid')};
events {}
http { server { listen 127.0.0.1:${port}; server_name app.test; location / { proxy_pass http://127.0.0.1:${port}; } } }
`,
  );
  const r = checkAsNobody(s.spec);
  const { code, stdout, stderr } = await r;
  assert.equal(code, 0, stderr);
  const report = JSON.parse(stdout) as Report;
  assert.equal(report.verdict, 'pass');
  assert.deepEqual(report.findings.filter((f) => f.severity !== 'info'), []);
  const note = report.findings.find((f) => f.message.includes('syntax is ok'));
  assert.match(note?.message ?? '', /as uid 65534 it could not open what nginx opens as its own user at start \(not a config error\): open\(\) ".*\/run\/nginx\.pid" failed \(13: Permission denied\)/);
});

test('the gate as a non-root user, a TLS key only root may read (OpenSSL 3 wording): a note, not config.invalid', asNobody, async (t) => {
  const s = await site(t, (dir, port) => {
    const certs = join(dir, 'certs');
    mkdirSync(certs);
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(certs, 'key.pem'), '-out', join(certs, 'cert.pem'), '-days', '1', '-subj', '/CN=app.test']);
    assert.equal(made.status, 0, String(made.stderr));
    chmodSync(join(certs, 'key.pem'), 0o600);
    return `events {}
pid ${dir}/nginx.pid;
http { server { listen 127.0.0.1:${port} ssl; server_name app.test; ssl_certificate ${certs}/cert.pem; ssl_certificate_key ${certs}/key.pem;
  location / { proxy_pass http://127.0.0.1:${port}; } } }
`;
  });
  const { code, stdout, stderr } = await checkAsNobody(s.spec);
  assert.equal(code, 0, stderr);
  const report = JSON.parse(stdout) as Report;
  assert.deepEqual(report.findings.filter((f) => f.severity !== 'info'), []);
  assert.ok(report.findings.some((f) => /could not read what it needs as this user: cannot load certificate key/.test(f.message)), JSON.stringify(report.findings));
});

/**
 * An install run with `nginx -p PREFIX`: its config says `load_module modules/...`, `pid logs/...`,
 * relative to that prefix, and PREFIX/modules holds a module nginx's own prefix does not.
 */
async function prefixInstall(t: TestContext) {
  const tmp = tempDir('ugate-prefix-');
  t.after(tmp.remove);
  const prefix = join(tmp.dir, 'opt-app');
  for (const d of ['conf', 'logs', 'modules']) mkdirSync(join(prefix, d), { recursive: true });
  symlinkSync(ECHO_MODULE, join(prefix, 'modules', 'app_echo.so'));
  const port = await freePort();
  writeFileSync(
    join(prefix, 'conf', 'nginx.conf'),
    `load_module modules/app_echo.so;
error_log logs/error.log;
pid logs/nginx.pid;
events {}
http {
  access_log logs/access.log;
  server { listen 127.0.0.1:${port}; server_name app.test; location / { proxy_pass http://127.0.0.1:${port}; } }
}
`,
  );
  const spec = (extra: string) => {
    const file = join(tmp.dir, 'upstream-gate.yml');
    writeFileSync(file, `version: 1\nservices:\n  app: { backend: "127.0.0.1:${port}", server_name: app.test }\nnginx:\n  config: opt-app/conf/nginx.conf\n  binary: ${NGINX_BINARY}\n${extra}`);
    return file;
  };
  return { prefix, spec };
}

const withModule = { skip: (!hasNginx && 'nginx not installed') || (!existsSync(ECHO_MODULE) && `needs ${ECHO_MODULE}`) };

test('an install run with -p PREFIX: nginx -t passes with nginx.prefix (without it, the module is looked for in the wrong prefix)', withModule, async (t) => {
  const install = await prefixInstall(t);
  const without = await runCli(['check', '--phase', 'config', '--spec', install.spec(''), '--format', 'json']);
  const before = JSON.parse(without.stdout) as Report;
  assert.equal(before.reason, 'config.invalid', without.stdout);
  assert.match(before.findings[0]?.message ?? '', /app_echo\.so/);

  const r = await runCli(['check', '--phase', 'config', '--spec', install.spec('  prefix: opt-app\n'), '--format', 'json']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const report = JSON.parse(r.stdout) as Report;
  assert.equal(report.verdict, 'pass');
  assert.deepEqual(report.findings.filter((f) => f.severity !== 'info'), []);
});

test('with nginx.prefix, a relative pid directive names the pid file under the prefix, where the running nginx wrote it', async (t) => {
  const install = await prefixInstall(t);
  const spec = await loadSpecFile(install.spec('  prefix: opt-app\n  test: off\n'));
  const r = await runConfigPhase(spec, { signal: new AbortController().signal, deadlineAt: Date.now() + 30_000, host: localHost() });
  assert.equal(r.nginx?.pidFile, join(install.prefix, 'logs', 'nginx.pid'));
});

test('an explicit nginx.binary that does not exist: bad input naming the key and the spec line, exit 2, nothing written', async (t) => {
  const tmp = tempDir('ugate-binary-');
  t.after(tmp.remove);
  writeFileSync(join(tmp.dir, 'nginx.conf'), 'events {}\nhttp { server { listen 127.0.0.1:8000; location / { proxy_pass http://127.0.0.1:8001; } } }\n');
  writeFileSync(join(tmp.dir, 'upstream-gate.yml'), 'version: 1\nservices:\n  app: { backend: 127.0.0.1:8001 }\nnginx:\n  config: nginx.conf\n  binary: /opt/nginx/sbin/nginx-missing\n');
  const r = await runCli(['check', '--spec', 'upstream-gate.yml', '--report', 'report.json'], { cwd: tmp.dir });
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.equal(
    r.stderr,
    'upstream-gate check: upstream-gate.yml:6: nginx.binary: "/opt/nginx/sbin/nginx-missing" does not exist or is not executable (to skip nginx -t, set nginx.test: off)\n',
  );
  assert.equal(existsSync(join(tmp.dir, 'report.json')), false);

  // the default binary, absent, stays a note; and nginx.test: off runs no binary at all
  writeFileSync(join(tmp.dir, 'off.yml'), 'version: 1\nservices:\n  app: { backend: 127.0.0.1:8001 }\nnginx:\n  config: nginx.conf\n  binary: /opt/nginx/sbin/nginx-missing\n  test: off\n');
  const off = await runCli(['check', '--phase', 'config', '--spec', 'off.yml'], { cwd: tmp.dir });
  assert.equal(off.code, 0, off.stderr);
  assert.match(off.stdout, /nginx -t not run \(nginx\.test: off\)/);
});
