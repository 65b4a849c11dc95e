// systemd does not run on the test host: the collector reads captured output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describeUnit, readSystemd } from '../../src/host/systemd.js';
import { fixtureRunner } from '../helpers/fixture-runner.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/host/${name}`, import.meta.url), 'utf8');
const SHOW = 'systemctl show app-uvicorn.service --property=ActiveState,SubState,MainPID,Result,ExecMainStatus,NRestarts,LoadState --no-pager';
const JOURNAL = 'journalctl -u app-uvicorn.service -n 8 --no-pager -o short-iso';

test('a failed unit: state, result, restarts and the journal tail', async () => {
  const s = await readSystemd(fixtureRunner({ [SHOW]: { stdout: fixture('systemctl-show-failed.txt') }, [JOURNAL]: { stdout: fixture('journalctl-failed.txt') } }), 'app-uvicorn.service');
  assert.equal(describeUnit(s), 'app-uvicorn.service: failed (failed), Result=exit-code, status 3, 5 restarts');
  assert.equal(s.journal.length, 8);
  assert.match(s.journal[1] ?? '', /ImportError: could not import "app\.main:app"/);
  assert.deepEqual(s.notes, []);
});

test('a running unit names its main pid', async () => {
  const s = await readSystemd(fixtureRunner({ [SHOW]: { stdout: fixture('systemctl-show-running.txt') }, [JOURNAL]: { stdout: '-- No entries --\n' } }), 'app-uvicorn.service');
  assert.equal(describeUnit(s), 'app-uvicorn.service: active (running), pid 412');
  assert.deepEqual(s.journal, []);
});

test('no systemd: notes, no state, never a throw', async () => {
  const s = await readSystemd(
    fixtureRunner({ [SHOW]: { exitCode: 1, stderr: 'System has not been booted with systemd as init system (PID 1). Can\'t operate.\n' }, journalctl: { notFound: true } }),
    'app-uvicorn.service',
  );
  assert.equal(describeUnit(s), undefined);
  assert.deepEqual(s.notes, ["systemctl show app-uvicorn.service failed: System has not been booted with systemd as init system (PID 1). Can't operate.", 'journalctl not installed']);
});
