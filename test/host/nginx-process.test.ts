// The running nginx found as the gate finds it: real nginx masters and
// workers, their pid files stale or missing, read through the local Host.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { localHost } from '../../src/host/local/local-host.js';
import { credentials, findNginx, startedAt, type NginxLookup } from '../../src/host/nginx-process.js';
import { hasNginx, startNginx, type NginxInstance } from '../helpers/nginx.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tmp.js';
import { setTimeout as sleep } from 'node:timers/promises';

describe('the running nginx', { skip: !hasNginx && 'nginx is not installed' }, () => {
  let nginx: NginxInstance;
  const tmp = tempDir('ugate-nginx-process-');
  const began = Date.now();

  before(async () => {
    const port = await freePort();
    nginx = await startNginx({ user: 'nobody nogroup', http: `server { listen 127.0.0.1:${port}; return 204; }` });
  });
  after(async () => {
    await nginx?.stop();
    tmp.remove();
  });

  /** the master writes its pid file before it forks its workers */
  async function withWorkers(pidFile: string | undefined): Promise<NginxLookup> {
    for (let i = 0; ; i++) {
      const r = await findNginx(localHost(), { ...(pidFile !== undefined && { pidFile }), config: nginx.conf });
      if (!r.running || r.process.workers.length > 0 || i === 200) return r;
      await sleep(25);
    }
  }

  it('is found from its pid file, with its workers as the `user` directive made them', async () => {
    const r = await withWorkers(join(nginx.prefix, 'nginx.pid'));
    assert.ok(r.running, r.notes.join('; '));
    assert.equal(r.process.masterPid, nginx.pid);
    assert.equal(r.process.foundBy, 'pid-file');
    assert.equal(r.process.masterUid, 0);
    assert.match(r.process.command, /^nginx: master process .* -c /);
    assert.equal(r.process.workers.length, 1);
    const [worker] = r.process.workers;
    assert.equal(worker?.user, 'nobody');
    assert.equal(worker?.uid, 65534);
    // its own namespace here, read the same way as the gate's
    assert.match(r.process.netns ?? '', /^net:\[\d+\]$/);
    assert.equal(r.process.netns, r.process.ownNetns);
    assert.ok(r.process.startedAt !== undefined && r.process.startedAt >= began - 60_000 && r.process.startedAt <= Date.now() + 1000, String(r.process.startedAt));
  });

  it('is found among the processes when the pid file names another process', async () => {
    const stale = join(tmp.dir, 'stale.pid');
    writeFileSync(stale, `${process.pid}\n`);
    const r = await withWorkers(stale);
    assert.ok(r.running);
    assert.equal(r.process.masterPid, nginx.pid);
    assert.equal(r.process.foundBy, 'process-list');
    assert.ok(r.notes.some((n) => n === `${stale} names pid ${process.pid}, which is not an nginx master here`), r.notes.join('; '));
  });

  it('among the processes, the local list of command names finds what one read per process finds', async () => {
    const stale = join(tmp.dir, 'stale-2.pid');
    writeFileSync(stale, `${process.pid}\n`);
    await withWorkers(stale);
    const local = localHost();
    assert.ok(local.processNames);
    const { processNames: _listed, ...perFile } = local;
    for (const config of [nginx.conf, join(tmp.dir, 'other.conf')]) {
      const [listed, read] = await Promise.all([findNginx(local, { pidFile: stale, config }), findNginx(perFile, { pidFile: stale, config })]);
      assert.deepEqual(listed, read, config);
    }
  });

  it('is not running when no master serves the config, and says what it looked at', async () => {
    const missing = join(tmp.dir, 'none.pid');
    const r = await findNginx(localHost(), { pidFile: missing, config: join(tmp.dir, 'other.conf') });
    assert.equal(r.running, false);
    assert.ok(r.notes.includes(`${missing}: no such file`), r.notes.join('; '));
    // this test's own nginx runs with another config: named, never taken for this one
    assert.ok(r.notes.some((n) => n.startsWith(`no nginx master runs with ${join(tmp.dir, 'other.conf')}`) && n.includes(`pid ${nginx.pid}`)), r.notes.join('; '));
  });
});

describe('what /proc says, read', () => {
  it('takes the effective ids and the supplementary groups from a status file', () => {
    const status = 'Name:\tnginx\nUid:\t0\t33\t33\t33\nGid:\t0\t33\t33\t33\nFDSize:\t64\nGroups:\t33 118 \n';
    assert.deepEqual(credentials(status), { uid: 33, gid: 33, groups: [33, 118] });
    assert.deepEqual(credentials('Uid:\t1\t1\t1\t1\nGid:\t2\t2\t2\t2\nGroups:\t\n'), { uid: 1, gid: 2, groups: [] });
    assert.equal(credentials('Name:\tx\n'), undefined);
  });

  it('computes the start time from the ticks after a command name with spaces and parentheses', () => {
    // a captured /proc/PID/stat line, the command renamed to hold ") ("
    const stat = '4242 (ng) (inx x) S 1 4242 4242 0 -1 4194624 94 0 0 0 0 0 0 0 20 0 1 0 123456 10878976 368 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0';
    assert.equal(startedAt(stat, 'cpu  1 2 3\nbtime 1765000000\nprocesses 9\n'), 1765000000_000 + 1_234_560);
    assert.equal(startedAt(stat, 'cpu 1\n'), undefined);
  });
});
