// The spec mistakes a new user makes first, and the one line that must tell
// them what to do: no spec where the command looks, a bare port as backend,
// a relative nginx.config read from the spec's directory, not the shell's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

async function run(argv: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  const m = memoryIO(cwd);
  const code = await main(argv, m.io);
  return { code, out: m.out(), err: m.err() };
}

test('no spec given and none in the directory: the error names the directory and --spec', async (t) => {
  const tmp = tempDir(`ugate-nospec-${process.pid}-`);
  t.after(tmp.remove);
  for (const verb of ['check', 'render']) {
    const r = await run([verb], tmp.dir);
    assert.equal(r.code, 2);
    assert.equal(r.err, `upstream-gate ${verb}: no upstream-gate.yml in ${tmp.dir}: run where the spec is, or name it with --spec FILE\n`);
  }
  // a spec named with --spec that is not there: its path says where it was looked for
  const named = await run(['check', '--spec', 'deploy/gate.yml'], tmp.dir);
  assert.equal(named.code, 2);
  assert.equal(named.err, 'upstream-gate check: deploy/gate.yml: cannot read spec: no such file\n');
});

test('backend: a bare port is a number, not an address: the error shows the address to write', async (t) => {
  const tmp = tempDir(`ugate-port-${process.pid}-`);
  t.after(tmp.remove);
  writeFileSync(join(tmp.dir, 'upstream-gate.yml'), 'version: 1\nservices:\n  app:\n    backend: 39001\n');
  const r = await run(['check'], tmp.dir);
  assert.equal(r.code, 2);
  assert.equal(r.err, 'upstream-gate check: upstream-gate.yml:4: services.app.backend: 39001 is a number, not an address: write HOST:PORT, e.g. 127.0.0.1:39001\n');

  writeFileSync(join(tmp.dir, 'upstream-gate.yml'), 'version: 1\nservices:\n  app:\n    backend: [127.0.0.1, 8000]\n');
  const list = await run(['check'], tmp.dir);
  assert.equal(list.err, 'upstream-gate check: upstream-gate.yml:4: services.app.backend: a list is a pool of backends, each HOST:PORT: for one backend write 127.0.0.1:8000\n');

  writeFileSync(join(tmp.dir, 'upstream-gate.yml'), 'version: 1\nservices:\n  app:\n    protocol: http\n');
  const missing = await run(['check'], tmp.dir);
  assert.equal(missing.err, 'upstream-gate check: upstream-gate.yml:3: services.app.backend: missing required key (HOST:PORT, [IPv6]:PORT or unix:/path.sock)\n');
});

test('a relative nginx.config that is not there: the error says it is relative to the spec file', async (t) => {
  const tmp = tempDir(`ugate-relconf-${process.pid}-`);
  t.after(tmp.remove);
  mkdirSync(join(tmp.dir, 'deploy'));
  mkdirSync(join(tmp.dir, 'nginx'));
  writeFileSync(join(tmp.dir, 'nginx', 'nginx.conf'), 'events {}\n');
  writeFileSync(join(tmp.dir, 'deploy', 'gate.yml'), 'version: 1\nservices:\n  app:\n    backend: 127.0.0.1:39001\nnginx:\n  config: nginx/nginx.conf\n');
  const r = await run(['check', '--spec', 'deploy/gate.yml', '--phase', 'config'], tmp.dir);
  assert.equal(r.code, 2);
  const conf = join(tmp.dir, 'deploy', 'nginx', 'nginx.conf');
  assert.equal(
    r.err,
    `upstream-gate check: ${conf}: cannot read nginx config: no such file (nginx.config "nginx/nginx.conf" is relative to the spec file's directory, ${join(tmp.dir, 'deploy')})\n`,
  );
});
