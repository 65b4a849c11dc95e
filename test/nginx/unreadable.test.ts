// A file of the config that the gate's user may not read is the same mistake
// whether it is the main file or an included one: `check` exits 2 with one
// line naming it (nginx, as root, would read it: what the gate checked would
// not be the config nginx runs). `parse` keeps crossplane's payload instead.
// The CLI runs as nobody (setpriv); the files belong to root.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Payload } from '../../src/nginx/payload.js';
import { CLI_SOURCE, ROOT, TSX } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const canSwitchUser = process.getuid?.() === 0 && ['/usr/bin/setpriv', '/bin/setpriv'].some((p) => existsSync(p));
const asNobody = { skip: !canSwitchUser && 'needs root and setpriv' };

const SITE = 'server {\n    listen 127.0.0.1:8080;\n    server_name app.example.com;\n    location / { proxy_pass http://127.0.0.1:8000; }\n}\n';

/** A config tree nobody may enter; `files` are written 0644, then `modes` applied. */
function tree(files: Record<string, string>, modes: Record<string, number> = {}): { dir: string; remove: () => void } {
  const t = tempDir('ugate-unreadable-');
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(t.dir, rel, '..'), { recursive: true, mode: 0o755 });
    writeFileSync(join(t.dir, rel), text, { mode: 0o644 });
  }
  writeFileSync(join(t.dir, 'upstream-gate.yml'), 'version: 1\nservices:\n  app:\n    backend: 127.0.0.1:8000\n    server_name: app.example.com\nnginx:\n  config: nginx.conf\n', { mode: 0o644 });
  for (const [rel, mode] of Object.entries(modes)) chmodSync(join(t.dir, rel), mode);
  return t;
}

function cliAsNobody(args: string[]) {
  const r = spawnSync('setpriv', ['--reuid', 'nobody', '--regid', 'nogroup', '--clear-groups', process.execPath, '--import', TSX, CLI_SOURCE, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('an included file the user may not read: exit 2 and one line naming it and the include, as for the main config', asNobody, (t) => {
  const { dir, remove } = tree({ 'nginx.conf': 'events {}\nhttp {\n    include conf.d/app.conf;\n}\n', 'conf.d/app.conf': SITE }, { 'conf.d/app.conf': 0o600 });
  t.after(remove);
  const r = cliAsNobody(['check', '--spec', join(dir, 'upstream-gate.yml'), '--phase', 'config']);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, `upstream-gate check: ${dir}/nginx.conf:3: cannot read included file ${dir}/conf.d/app.conf: permission denied\n`);

  chmodSync(join(dir, 'nginx.conf'), 0o600);
  const main = cliAsNobody(['check', '--spec', join(dir, 'upstream-gate.yml'), '--phase', 'config']);
  assert.equal(main.code, 2);
  assert.equal(main.stderr, `upstream-gate check: ${dir}/nginx.conf: cannot read nginx config: permission denied (run as a user who may read it)\n`);
});

test('a file matched by an include glob, or the directory the glob lists, that the user may not read: exit 2 too', asNobody, (t) => {
  const { dir, remove } = tree(
    { 'nginx.conf': 'events {}\nhttp {\n    include conf.d/*.conf;\n    include sites/*;\n}\n', 'conf.d/app.conf': SITE, 'conf.d/other.conf': '', 'sites/admin': '' },
    { 'conf.d/app.conf': 0o600 },
  );
  t.after(remove);
  const file = cliAsNobody(['check', '--spec', join(dir, 'upstream-gate.yml'), '--phase', 'config']);
  assert.equal(file.code, 2, file.stdout + file.stderr);
  assert.equal(file.stderr, `upstream-gate check: ${dir}/nginx.conf:3: cannot read included file ${dir}/conf.d/app.conf: permission denied\n`);

  chmodSync(join(dir, 'conf.d/app.conf'), 0o644);
  chmodSync(join(dir, 'sites'), 0o700);
  const listing = cliAsNobody(['check', '--spec', join(dir, 'upstream-gate.yml'), '--phase', 'config']);
  assert.equal(listing.code, 2, listing.stdout + listing.stderr);
  assert.equal(listing.stderr, `upstream-gate check: ${dir}/nginx.conf:4: cannot list ${dir}/sites for an include: permission denied\n`);
});

test('parse keeps the payload, the unreadable include an error of its line, as crossplane does', asNobody, (t) => {
  const { dir, remove } = tree({ 'nginx.conf': 'events {}\nhttp {\n    include conf.d/app.conf;\n}\n', 'conf.d/app.conf': SITE }, { 'conf.d/app.conf': 0o600 });
  t.after(remove);
  const r = cliAsNobody(['parse', join(dir, 'nginx.conf')]);
  assert.equal(r.code, 1, r.stderr);
  const payload = JSON.parse(r.stdout) as Payload;
  assert.deepEqual(payload.errors, [
    { file: `${dir}/nginx.conf`, error: `open() "${dir}/conf.d/app.conf" failed (13: Permission denied) in ${dir}/nginx.conf:3`, line: 3 },
  ]);
});
