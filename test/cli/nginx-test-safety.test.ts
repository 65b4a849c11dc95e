// The gate's `nginx -t` as a CI job runs it on a pull request's config: the
// job's secrets never reach nginx, nginx runs as nobody, writes nothing
// outside its scratch prefix, and never loads code the config names from
// outside the system's module directories.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { hasNginx, NGINX_BINARY } from '../helpers/nginx.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tmp.js';

const root = process.getuid?.() === 0;
const SECRET = 'ghs_upstreamgate_cli_secret';

interface Report {
  verdict: string;
  findings: { code?: string; severity: string; message: string; file?: string; line?: number }[];
}

async function ciJob(t: TestContext, config: (dir: string, port: number) => string, binary: (dir: string, marks: string) => string) {
  const tmp = tempDir('ugate-ci-');
  t.after(tmp.remove);
  const marks = join(tmp.dir, 'marks');
  mkdirSync(marks);
  chmodSync(marks, 0o777);
  const port = await freePort();
  writeFileSync(join(tmp.dir, 'nginx.conf'), config(tmp.dir, port));
  writeFileSync(
    join(tmp.dir, 'upstream-gate.yml'),
    `version: 1\nservices:\n  app: { backend: 127.0.0.1:${port} }\nnginx: { config: nginx.conf, binary: ${binary(tmp.dir, marks)} }\n`,
  );
  const r = await runCli(['check', '--phase', 'config', '--spec', join(tmp.dir, 'upstream-gate.yml'), '--format', 'json'], {
    env: { ...process.env, CI: 'true', GITHUB_TOKEN: SECRET, ACTIONS_RUNTIME_TOKEN: SECRET, INPUT_PASSWORD: SECRET },
  });
  return { dir: tmp.dir, marks, r, report: JSON.parse(r.stdout || '{}') as Report };
}

test('CI: nginx -t gets no secret of the job, runs as nobody, and creates nothing the config names outside its scratch prefix', { skip: !hasNginx && 'nginx not installed' }, async (t) => {
  const { dir, marks, r, report } = await ciJob(
    t,
    (d, port) =>
      `pid ${d}/outside/nginx.pid;\nevents {}\nhttp {\n  access_log ${d}/outside/access.log;\n  client_body_temp_path ${d}/outside/body;\n  server { listen 127.0.0.1:${port}; location / { proxy_pass http://127.0.0.1:${port}; } }\n}\n`,
    (d, m) => {
      mkdirSync(join(d, 'outside'), { mode: 0o755 });
      const b = join(d, 'nginx-with-eyes');
      // records the environment it was started with, and its user, then is the real nginx
      writeFileSync(b, `#!/bin/sh\ntr '\\0' '\\n' < /proc/$$/environ > ${m}/env\nid -u > ${m}/uid\nexec ${NGINX_BINARY} "$@"\n`, { mode: 0o755 });
      return b;
    },
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(report.verdict, 'pass');
  const env = readFileSync(join(marks, 'env'), 'utf8').trim().split('\n').sort();
  assert.deepEqual(env, ['LC_ALL=C', `PATH=${process.env.PATH}`]);
  if (root) assert.equal(readFileSync(join(marks, 'uid'), 'utf8').trim(), '65534');
  assert.deepEqual(readdirSync(join(dir, 'outside')), []);
});

test('CI: a config whose load_module names a library of its own is not run through nginx -t; the report says so at its line', { skip: (!hasNginx || spawnSync('gcc', ['--version']).status !== 0) && 'needs nginx and gcc' }, async (t) => {
  let marker = '';
  const { r, report, dir } = await ciJob(
    t,
    (d, port) => {
      marker = join(d, 'marks', 'loaded');
      writeFileSync(join(d, 'evil.c'), `#include <stdio.h>\n__attribute__((constructor)) static void ran(void) { FILE *f = fopen(${JSON.stringify(marker)}, "w"); if (f) fclose(f); }\n`);
      const cc = spawnSync('gcc', ['-shared', '-fPIC', '-o', join(d, 'evil.so'), join(d, 'evil.c')], { encoding: 'utf8' });
      assert.equal(cc.status, 0, cc.stderr);
      return `load_module ${d}/evil.so;\nevents {}\nhttp { server { listen 127.0.0.1:${port}; location / { proxy_pass http://127.0.0.1:${port}; } } }\n`;
    },
    () => NGINX_BINARY,
  );
  assert.equal(existsSync(marker), false, 'nginx -t ran the library the config names');
  assert.equal(r.code, 0, r.stderr);
  const f = report.findings.find((x) => x.code === 'config.untrusted_code');
  assert.deepEqual([f?.severity, f?.file, f?.line], ['warning', join(dir, 'nginx.conf'), 1]);
  assert.match(f?.message ?? '', new RegExp(`^nginx -t not run on this config: load_module loads ${dir}/evil\\.so from outside the system's module directories`));
});

test('nginx.test takes safe, always or off: anything else is bad input naming the key and line, exit 2', async (t) => {
  const tmp = tempDir('ugate-key-');
  t.after(tmp.remove);
  writeFileSync(join(tmp.dir, 'upstream-gate.yml'), 'version: 1\nservices:\n  app: { backend: 127.0.0.1:8000 }\nnginx:\n  test: sometimes\n');
  const r = await runCli(['check', '--spec', 'upstream-gate.yml'], { cwd: tmp.dir });
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, 'upstream-gate check: upstream-gate.yml:5: nginx.test: expected one of safe, always, off, got "sometimes"\n');
});
