import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { memoryIO as io } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

test('--version, --help, and help on every verb', async () => {
  const v = io();
  assert.equal(await main(['--version'], v.io), 0);
  assert.match(v.out(), /^\d+\.\d+\.\d+(-dev)?\n$/);
  const h = io();
  assert.equal(await main(['--help'], h.io), 0);
  for (const verb of ['render', 'check', 'explain', 'parse']) {
    assert.match(h.out(), new RegExp(`^  ${verb} `, 'm'));
    const vh = io();
    assert.equal(await main([verb, '--help'], vh.io), 0, `${verb} --help`);
    assert.match(vh.out(), new RegExp(`^Usage: upstream-gate ${verb}`), `${verb} --help prints its usage`);
  }
  void pkg;
});

test('every help text fits an 80-column terminal', async () => {
  for (const argv of [['--help'], ...['render', 'check', 'explain', 'parse'].map((verb) => [verb, '--help'])]) {
    const h = io();
    assert.equal(await main(argv, h.io), 0);
    for (const line of h.out().split('\n')) assert.ok(line.length <= 80, `${argv.join(' ')}: ${line.length} columns: ${line}`);
  }
});

test('help COMMAND prints the help of that command; help of an unknown one is exit 2', async () => {
  for (const verb of ['render', 'check', 'explain', 'parse']) {
    const viaHelp = io();
    assert.equal(await main(['help', verb], viaHelp.io), 0);
    const viaFlag = io();
    assert.equal(await main([verb, '--help'], viaFlag.io), 0);
    assert.equal(viaHelp.out(), viaFlag.out(), verb);
  }
  const u = io();
  assert.equal(await main(['help', 'deploy'], u.io), 2);
  assert.equal(u.err(), 'upstream-gate: unknown command "deploy" (commands: render, check, explain, parse)\n');
});

test('an unknown command or flag is exit 2 with one line', async () => {
  const u = io();
  assert.equal(await main(['deploy'], u.io), 2);
  assert.equal(u.err(), 'upstream-gate: unknown command "deploy" (commands: render, check, explain, parse)\n');
  const f = io();
  assert.equal(await main(['render', '--outt', 'x'], f.io), 2);
  assert.equal(f.err(), "upstream-gate render: Unknown option '--outt' (see upstream-gate render --help)\n");
  const p = io();
  assert.equal(await main(['check', '--phase', 'probes'], p.io), 2);
  assert.equal(p.err(), 'upstream-gate check: --phase must be one of config, probe, all, got "probes"\n');
  const d = io();
  assert.equal(await main(['check', '--deadline', '10'], d.io), 2);
  assert.equal(d.err(), 'upstream-gate check: --deadline "10" is not a duration: write 250ms, 2s or 1m\n');
  // 2^32 ms threw from AbortSignal.timeout once the gate started; 2^31 ms fired at once
  const big = io();
  assert.equal(await main(['check', '--deadline', '4294967296ms'], big.io), 2);
  assert.equal(big.err(), 'upstream-gate check: --deadline "4294967296ms" is longer than a day (1440m), the longest duration allowed\n');
  const zero = io();
  assert.equal(await main(['check', '--deadline', '0s'], zero.io), 2);
  assert.equal(zero.err(), 'upstream-gate check: --deadline "0s" is shorter than 1ms\n');
});

test('render prints, writes with --out, and --check exits 1 with a diff on drift', async (t) => {
  const { dir, remove } = tempDir();
  t.after(remove);
  writeFileSync(join(dir, 'upstream-gate.yml'), 'version: 1\nservices:\n  api:\n    backend: 127.0.0.1:8000\n');
  const printed = io(dir);
  assert.equal(await main(['render'], printed.io), 0);
  assert.match(printed.out(), /^# ==> api\.nginx\.conf <==\n/);

  const notYet = io(dir);
  assert.equal(await main(['render', '--check'], notYet.io), 1);
  assert.match(notYet.out(), /^missing: rendered\/api\.nginx\.conf$/m);

  const wrote = io(dir);
  assert.equal(await main(['render', '--out', 'rendered'], wrote.io), 0);
  assert.equal(wrote.out(), 'wrote rendered/api.nginx.conf\nwrote rendered/api.env\n');

  const fresh = io(dir);
  assert.equal(await main(['render', '--check'], fresh.io), 0);
  assert.equal(fresh.out(), 'up to date: 2 files in rendered\n');

  writeFileSync(join(dir, 'upstream-gate.yml'), 'version: 1\nservices:\n  api:\n    backend: 127.0.0.1:8001\n');
  const drift = io(dir);
  assert.equal(await main(['render', '--check'], drift.io), 1);
  assert.match(drift.out(), /^-PORT=8000\n\+PORT=8001$/m);
  assert.match(drift.out(), /2 of 2 rendered files differ from the spec; run: upstream-gate render --out rendered\n$/);
});
