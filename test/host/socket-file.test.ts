import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { localHost } from '../../src/host/local/local-host.js';
import { access, describeFile, readSocketFile } from '../../src/host/socket-file.js';
import { tempDir } from '../helpers/tmp.js';

const local = localHost();

async function listen(path: string) {
  const s = createServer().listen(path);
  await new Promise((r) => s.once('listening', r));
  return s;
}

test('a real socket: mode, owner, and the sockets next to it', async (t) => {
  const { dir, remove } = tempDir('ugate-sf-');
  t.after(remove);
  const a = await listen(join(dir, 'php8.2-fpm.sock'));
  const b = await listen(join(dir, 'php8.3-fpm.sock'));
  t.after(() => {
    a.close();
    b.close();
  });
  chmodSync(join(dir, 'php8.2-fpm.sock'), 0o660);
  const e = await readSocketFile(local, join(dir, 'php8.2-fpm.sock'));
  assert.equal(e.file?.type, 'socket');
  assert.equal(e.file?.mode, '0660');
  assert.deepEqual(e.siblings, [join(dir, 'php8.3-fpm.sock')]);
  assert.equal(e.user.uid, process.getuid?.());
  assert.equal(describeFile(e.file!).slice(0, 17), 'srw-rw---- (0660)');
});

test('a missing socket in a missing directory names the nearest directory that exists', async (t) => {
  const { dir, remove } = tempDir('ugate-sf-');
  t.after(remove);
  const e = await readSocketFile(local, join(dir, 'php', 'php8.1-fpm.sock'));
  assert.equal(e.file, undefined);
  assert.equal(e.existingParent, dir);
  assert.deepEqual(e.siblings, []);
});

test('a parent directory without search permission for the user blocks the connect', async (t) => {
  const { dir, remove } = tempDir('ugate-sf-');
  t.after(remove);
  const sub = join(dir, 'locked');
  mkdirSync(sub);
  chmodSync(sub, 0o700);
  const e = await readSocketFile(local, join(sub, 'app.sock'));
  if (process.getuid?.() === 0) assert.equal(e.blockedBy, undefined, 'root searches any directory with an x bit');
  const nobody = { uid: 65534, gid: 65534, groups: [], name: 'nobody' };
  const owner = { uid: 0, gid: 0 };
  assert.deepEqual(access({ mode: '0700', ...owner }, nobody), { r: false, w: false, x: false });
  assert.deepEqual(access({ mode: '0660', uid: 0, gid: 33 }, { ...nobody, groups: [33] }), { r: true, w: true, x: false });
  assert.deepEqual(access({ mode: '0600', ...owner }, { uid: 0, gid: 0, groups: [], name: 'root' }), { r: true, w: true, x: false });
});
