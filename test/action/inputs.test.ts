import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readInputs } from '../../src/action/inputs.js';
import { Inputs } from '../../src/action/constants.js';
import { isUserError } from '../../src/user-error.js';

const inputs = (deadline: string) => (name: string) => (name === Inputs.Deadline ? deadline : '');

test('the deadline input is a duration from 1ms to a day: no timer overflows', () => {
  assert.equal(readInputs(inputs('90s'), '/srv').deadlineMs, 90_000);
  assert.equal(readInputs(inputs('1440m'), '/srv').deadlineMs, 86_400_000);
  for (const [value, why] of [
    ['2147483648ms', 'is longer than a day (1440m), the longest duration allowed'],
    ['0s', 'is shorter than 1ms'],
    ['soon', 'is not a duration: write 30s or 2m'],
  ]) {
    assert.throws(
      () => readInputs(inputs(value as string), '/srv'),
      (e) => isUserError(e) && e.message === `input "${Inputs.Deadline}" "${value}" ${why}`,
    );
  }
});

test('the ssh inputs: a target, the key text, known hosts as lines or a file, sudo; without ssh the others are an error', () => {
  const get = (values: Record<string, string>) => (name: string) => values[name] ?? '';
  const lines = 'web1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBv2b9yq0nQk0y5n1xJ5mJ7sP1oJcq2k7mJpG6y9b2a6';
  const s = readInputs(get({ [Inputs.Ssh]: 'deploy@web1:2222', [Inputs.SshKey]: 'KEYTEXT', [Inputs.KnownHosts]: lines, [Inputs.Sudo]: 'true' }), '/srv');
  assert.deepEqual(s.ssh, { target: { user: 'deploy', host: 'web1', port: 2222 }, options: { key: 'KEYTEXT', knownHostsText: lines, sudo: true } });
  const f = readInputs(get({ [Inputs.Ssh]: 'web1', [Inputs.KnownHosts]: '.ssh/known_hosts' }), '/srv');
  assert.deepEqual(f.ssh?.options, { knownHosts: '/srv/.ssh/known_hosts' });
  assert.equal(readInputs(get({}), '/srv').ssh, undefined);
  for (const [values, message] of [
    [{ [Inputs.SshKey]: 'KEYTEXT' }, 'input "ssh-key" needs the input "ssh" or "inventory"'],
    [{ [Inputs.Ssh]: 'web1:0' }, 'input "ssh": port "0" is not 1-65535'],
    [{ [Inputs.Ssh]: 'web1', [Inputs.Sudo]: 'yes' }, 'input "sudo" must be true or false, got "yes"'],
  ] as const) {
    assert.throws(
      () => readInputs(get(values), '/srv'),
      (e) => isUserError(e) && e.message === message && !e.message.includes('KEYTEXT'),
    );
  }
});

test('the inventory inputs: the file, a limit and a concurrency, the SSH inputs shared by every host; each of them alone, or with ssh, is an error', () => {
  const get = (values: Record<string, string>) => (name: string) => values[name] ?? '';
  const s = readInputs(get({ [Inputs.Inventory]: 'deploy/hosts.ini', [Inputs.Limit]: 'web:!web-canary', [Inputs.Concurrency]: '20', [Inputs.SshKey]: 'KEYTEXT', [Inputs.Sudo]: 'true' }), '/srv');
  assert.deepEqual(s.fleet, { inventory: '/srv/deploy/hosts.ini', shown: 'deploy/hosts.ini', limit: 'web:!web-canary', concurrency: 20, options: { key: 'KEYTEXT', sudo: true } });
  assert.equal(s.ssh, undefined);
  assert.equal(readInputs(get({ [Inputs.Inventory]: 'hosts.yml' }), '/srv').fleet?.concurrency, 10, 'the default, as the CLI');
  for (const [values, message] of [
    [{ [Inputs.Inventory]: 'hosts.ini', [Inputs.Ssh]: 'web1' }, 'inputs "ssh" and "inventory": give the hosts one way'],
    [{ [Inputs.Limit]: 'web' }, 'input "limit" needs the input "inventory"'],
    [{ [Inputs.Ssh]: 'web1', [Inputs.Concurrency]: '4' }, 'input "concurrency" needs the input "inventory"'],
    [{ [Inputs.Inventory]: 'hosts.ini', [Inputs.Concurrency]: '0' }, 'input "concurrency" must be a whole number from 1 to 256, got "0"'],
    [{ [Inputs.Inventory]: 'hosts.ini', [Inputs.Concurrency]: 'many' }, 'input "concurrency" must be a whole number from 1 to 256, got "many"'],
  ] as const) {
    assert.throws(
      () => readInputs(get(values), '/srv'),
      (e) => isUserError(e) && e.message === message,
    );
  }
});
