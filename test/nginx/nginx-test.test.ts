// `nginx -t` as the gate runs it: refused on a config that loads code from
// outside the system's module directories, and otherwise run with nothing of
// the gate's environment, as nobody where the config may come from a pull
// request, writing only inside its scratch prefix.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { execaRunner } from '../../src/host/run.js';
import { localHost } from '../../src/host/local/local-host.js';
import { loadFiles } from '../../src/nginx/load.js';
import { testConfig, type NginxTestOptions } from '../../src/nginx/nginx-test.js';
import { hasNginx, NGINX_BINARY } from '../helpers/nginx.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tmp.js';

const root = process.getuid?.() === 0;
const hasGcc = spawnSync('gcc', ['--version']).status === 0;
const SECRET = 'ghs_upstreamgate_test_secret';

/** A directory anyone can read, with a `marks` subdirectory anyone can write (nginx -t may run as nobody). */
function workdir(t: TestContext): { dir: string; marks: string } {
  const tmp = tempDir('ugate-nginx-t-');
  t.after(tmp.remove);
  const marks = join(tmp.dir, 'marks');
  mkdirSync(marks);
  chmodSync(marks, 0o777);
  return { dir: tmp.dir, marks };
}

async function options(config: string, extra: Partial<NginxTestOptions> = {}): Promise<NginxTestOptions> {
  return {
    binary: NGINX_BINARY,
    config,
    parse: (await loadFiles(localHost(), config)).parse,
    signal: new AbortController().signal,
    deadlineAt: Date.now() + 30_000,
    env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin', GITHUB_TOKEN: SECRET, ACTIONS_RUNTIME_TOKEN: SECRET, CI: 'true' },
    ...extra,
  };
}

test('load_module of a library outside the module directories: not run without nginx.test: always; with it, as nobody with PATH and LC_ALL only', { skip: (!hasNginx || !hasGcc) && 'needs nginx and gcc' }, async (t) => {
  const { dir, marks } = workdir(t);
  const marker = join(marks, 'ran');
  // a library whose constructor records who loaded it and with what environment
  writeFileSync(
    join(dir, 'evil.c'),
    `#include <stdio.h>
#include <unistd.h>
extern char **environ;
__attribute__((constructor)) static void ran(void) {
  FILE *f = fopen(${JSON.stringify(marker)}, "w");
  if (!f) return;
  fprintf(f, "uid=%d\\n", (int) getuid());
  for (char **e = environ; *e; e++) fprintf(f, "%s\\n", *e);
  fclose(f);
}
`,
  );
  const cc = spawnSync('gcc', ['-shared', '-fPIC', '-o', join(dir, 'evil.so'), join(dir, 'evil.c')], { encoding: 'utf8' });
  assert.equal(cc.status, 0, cc.stderr);
  const config = join(dir, 'nginx.conf');
  writeFileSync(config, `load_module ${join(dir, 'evil.so')};\nevents {}\n`);

  const safe = await testConfig(execaRunner(), await options(config));
  assert.equal(existsSync(marker), false, 'nginx -t loaded the library');
  assert.equal(safe.ok, true);
  assert.deepEqual(safe.notes, [
    {
      code: 'config.untrusted_code',
      severity: 'warning',
      message: `nginx -t not run on this config: load_module loads ${join(dir, 'evil.so')} from outside the system's module directories (${safe.notes[0]?.message.split('(')[1]?.split(')')[0]})`,
      evidence: [`load_module ${join(dir, 'evil.so')};`],
      fix: 'if this config is yours, let nginx -t load it with `nginx.test: always` in the spec; otherwise remove the line',
      file: config,
      line: 1,
    },
  ]);

  const always = await testConfig(execaRunner(), await options(config, { mode: 'always' }));
  assert.ok(existsSync(marker), 'with nginx.test: always, nginx -t did not run');
  const [uid, ...env] = readFileSync(marker, 'utf8').trim().split('\n');
  assert.deepEqual(env.sort(), ['LC_ALL=C', `PATH=${process.env.PATH}`]);
  if (root) assert.equal(uid, 'uid=65534');
  // it is no nginx module: nginx -t says so, as a config error
  assert.equal(always.ok, false);
  assert.ok(always.messages.some((m) => m.level === 'emerg' && m.file === config && m.line === 1), JSON.stringify(always.messages));
});

test('nginx -t writes only inside its scratch prefix: absolute log, pid and temp paths outside it are never created', { skip: (!hasNginx || !root) && 'needs nginx and root' }, async (t) => {
  const { dir, marks } = workdir(t);
  const outside = join(dir, 'outside');
  mkdirSync(outside, { mode: 0o755 });
  const scratchParent = join(dir, 'tmp');
  mkdirSync(scratchParent, { mode: 0o755 });
  const config = join(dir, 'nginx.conf');
  writeFileSync(
    config,
    [
      'user www-data;',
      `pid ${outside}/nginx.pid;`,
      `error_log ${outside}/error.log;`,
      'error_log logs/relative-error.log;',
      'events {}',
      'http {',
      `  access_log ${outside}/access.log;`,
      `  client_body_temp_path ${outside}/body;`,
      '  proxy_temp_path temp/proxy;',
      `  server { listen 127.0.0.1:1; listen unix:${outside}/s.sock; location / { proxy_pass http://127.0.0.1:9; } }`,
      '}',
      '',
    ].join('\n'),
  );
  // the real nginx, run through a stand-in that records how it was run and what the scratch prefix held after
  const binary = join(dir, 'nginx');
  writeFileSync(
    binary,
    `#!/bin/sh
echo "uid=$(id -u) $*" > ${marks}/call
${NGINX_BINARY} "$@" 2> ${marks}/stderr; rc=$?
cat ${marks}/stderr >&2
for a; do [ "$prev" = -p ] && p=$a; prev=$a; done
(cd "$p" && find . | sort) > ${marks}/scratch
exit $rc
`,
    { mode: 0o755 },
  );
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = scratchParent;
  let r;
  try {
    r = await testConfig(execaRunner(), await options(config, { binary }));
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
  const call = readFileSync(join(marks, 'call'), 'utf8');
  assert.match(call, new RegExp(`^uid=65534 -t -p ${scratchParent}/upstream-gate-nginx-t-\\w+/ -e \\S+/error\\.log -c ${config}\\n$`));
  assert.match(readFileSync(join(marks, 'stderr'), 'utf8'), /syntax is ok/);
  assert.deepEqual(readdirSync(outside), [], 'nginx -t created files outside its scratch prefix');
  assert.deepEqual(readdirSync(scratchParent), [], 'the scratch prefix was left behind');
  // nginx -t stopped at the pid file it could not create: the directories the relative paths need were made
  assert.deepEqual(readFileSync(join(marks, 'scratch'), 'utf8').trim().split('\n'), ['.', './error.log', './logs', './temp']);
  // what the sandbox denied (pid, logs and temp paths outside it, the ports) is no fault of the config
  assert.deepEqual([r.ok, r.notes, r.failure], [true, [], undefined]);

  // with nothing outside, it goes all the way: the relative paths and the pid file land in the scratch prefix
  const inside = join(dir, 'inside.conf');
  writeFileSync(
    inside,
    [
      'error_log logs/relative-error.log;',
      'events {}',
      'http {',
      '  access_log off;',
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((k) => `  ${k}_temp_path temp/${k};`),
      `  server { listen 127.0.0.1:${await freePort()}; }`,
      '}',
      '',
    ].join('\n'),
  );
  process.env.TMPDIR = scratchParent;
  try {
    r = await testConfig(execaRunner(), await options(inside, { binary }));
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
  assert.match(readFileSync(join(marks, 'call'), 'utf8'), / -g pid "\S+\/nginx\.pid"; -c /);
  assert.match(readFileSync(join(marks, 'stderr'), 'utf8'), /test is successful/);
  assert.deepEqual(
    readFileSync(join(marks, 'scratch'), 'utf8').trim().split('\n'),
    ['.', './error.log', './logs', './logs/relative-error.log', './nginx.pid', './temp', ...['body', 'fastcgi', 'proxy', 'scgi', 'uwsgi'].map((k) => `./temp/${k === 'body' ? 'client_body' : k}`)].sort(),
  );
  assert.deepEqual(readdirSync(scratchParent), []);
  assert.deepEqual([r.ok, r.notes, r.failure], [true, [], undefined]);

  // the same nginx -t, as root and unconfined, does write there: the assertions above could fail
  mkdirSync(join(dir, 'logs'));
  mkdirSync(join(dir, 'temp'));
  const bare = spawnSync(NGINX_BINARY, ['-t', '-p', `${dir}/`, '-c', config], { encoding: 'utf8' });
  assert.equal(bare.status, 0, bare.stderr);
  assert.deepEqual(readdirSync(outside).sort(), ['access.log', 'body', 'error.log', 'nginx.pid']);
});

test('nginx -t killed by a signal from outside (Ctrl-C reaches the whole process group): a note, never a config error', { skip: !hasNginx && 'nginx not installed' }, async (t) => {
  const { dir } = workdir(t);
  const config = join(dir, 'nginx.conf');
  writeFileSync(config, 'events {}\n');
  const binary = join(dir, 'nginx');
  writeFileSync(binary, '#!/bin/sh\nkill -INT $$\n', { mode: 0o755 });
  const r = await testConfig(execaRunner(), await options(config, { binary }));
  assert.deepEqual([r.ok, r.failure, r.notes.map((n) => n.message)], [true, undefined, [`${binary} -t -c ${config} was killed by SIGINT before it finished`]]);
});

test('an nginx binary nobody may run: said as such, not "not installed" and not a config error', { skip: (!hasNginx || !root) && 'needs nginx and root' }, async (t) => {
  const { dir } = workdir(t);
  const config = join(dir, 'nginx.conf');
  writeFileSync(config, 'events {}\n');
  const locked = join(dir, 'locked');
  mkdirSync(locked, { mode: 0o700 });
  const binary = join(locked, 'nginx');
  writeFileSync(binary, `#!/bin/sh\nexec ${NGINX_BINARY} "$@"\n`, { mode: 0o755 });
  const r = await testConfig(execaRunner(), await options(config, { binary }));
  assert.equal(r.ok, true);
  assert.match(r.notes[0]?.message ?? '', new RegExp(`^${binary} -t -c ${config} could not be started as nobody \\(CI is set\\): EACCES;`));
  const off = await testConfig(execaRunner(), await options(config, { binary, mode: 'off' }));
  assert.deepEqual(off.notes.map((n) => n.message), ["nginx -t not run (nginx.test: off): the config was checked by upstream-gate's parser only"]);
});
