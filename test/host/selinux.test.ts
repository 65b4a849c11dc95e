// SELinux is absent on the test host: the collector reads captured output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseAvc, readSelinux } from '../../src/host/selinux.js';
import { fixtureRunner } from '../helpers/fixture-runner.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/host/${name}`, import.meta.url), 'utf8');

test('enforcing, the boolean off, and the AVC denial for the dialed port', async () => {
  const runner = fixtureRunner({
    getenforce: { stdout: fixture('getenforce.txt') },
    'getsebool httpd_can_network_connect': { stdout: fixture('getsebool-httpd_can_network_connect.txt') },
    'ausearch -m AVC -ts recent': { stdout: fixture('ausearch-avc.txt') },
  });
  const se = await readSelinux(runner, 8000);
  assert.equal(se.mode, 'Enforcing');
  assert.deepEqual(se.booleans, { httpd_can_network_connect: 'off' });
  assert.equal(se.denials.length, 1);
  assert.match(se.denials[0] ?? '', /denied {2}\{ name_connect \} for {2}pid=1202 comm="nginx" dest=8000 /);
  assert.deepEqual(se.notes, []);
});

test('ausearch finding nothing exits 1: no denials, no complaint', async () => {
  const runner = fixtureRunner({
    getenforce: { stdout: 'Permissive\n' },
    'getsebool httpd_can_network_connect': { stdout: 'httpd_can_network_connect --> on\n' },
    'ausearch -m AVC -ts recent': { exitCode: 1, stderr: '<no matches>\n' },
  });
  const se = await readSelinux(runner, 8000);
  assert.equal(se.mode, 'Permissive');
  assert.deepEqual(se.denials, []);
  assert.deepEqual(se.notes, []);
});

test('no SELinux tools: the state is unknown and the note says so', async () => {
  const se = await readSelinux(fixtureRunner({}), 8000);
  assert.equal(se.mode, undefined);
  assert.deepEqual(se.notes, ['getenforce not installed: SELinux state unknown']);
});

test('AVC lines for other ports are left out', () => {
  assert.equal(parseAvc(fixture('ausearch-avc.txt'), 5432).length, 1);
  assert.equal(parseAvc(fixture('ausearch-avc.txt')).length, 2);
});
