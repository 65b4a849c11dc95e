// The default runner (execa): what a command gives back, in every way it can end.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { execaRunner } from '../../src/host/run.js';

const runner = execaRunner();

test('a command that ends: its exit code and both streams as written, final newline kept', async () => {
  const ok = await runner.run('sh', ['-c', 'printf "out\\n"; printf "err\\n" >&2']);
  assert.deepEqual([ok.exitCode, ok.stdout, ok.stderr, ok.failed, ok.timedOut, ok.notFound, ok.aborted, ok.signal], [0, 'out\n', 'err\n', false, false, false, undefined, undefined]);
  assert.equal(ok.command, `sh -c 'printf "out\\n"; printf "err\\n" >&2'`);
  const failed = await runner.run('sh', ['-c', 'exit 3']);
  assert.deepEqual([failed.exitCode, failed.failed], [3, true]);
});

test('input reaches its standard input; without input it reads end of file at once', async () => {
  const r = await runner.run('cat', [], { input: 'a line\n' });
  assert.equal(r.stdout, 'a line\n');
  const none = await runner.run('cat', []);
  assert.deepEqual([none.exitCode, none.stdout], [0, '']);
});

test('env given: exactly that environment; not given: the gate\'s own with LC_ALL=C', async () => {
  const exact = await runner.run('/usr/bin/env', [], { env: { ONLY: 'this' } });
  assert.equal(exact.stdout, 'ONLY=this\n');
  process.env.UGATE_RUNNER_PROBE = 'inherited';
  try {
    const inherited = await runner.run('/usr/bin/env', []);
    const lines = inherited.stdout.split('\n');
    assert.ok(lines.includes('LC_ALL=C'), inherited.stdout);
    assert.ok(lines.includes('UGATE_RUNNER_PROBE=inherited'), inherited.stdout);
  } finally {
    delete process.env.UGATE_RUNNER_PROBE;
  }
});

test('a command past its timeout is stopped (SIGTERM) and said to have timed out, not aborted', async () => {
  const r = await runner.run('sleep', ['30'], { timeoutMs: 50 });
  assert.deepEqual([r.timedOut, r.aborted, r.failed, r.signal, r.exitCode], [true, undefined, true, 'SIGTERM', undefined]);
});

test('a command that ignores SIGTERM is killed', async () => {
  const r = await runner.run('sh', ['-c', 'trap "" TERM; echo ready; while :; do sleep 0.05; done'], { timeoutMs: 50 });
  assert.deepEqual([r.timedOut, r.signal, r.stdout], [true, 'SIGKILL', 'ready\n']);
});

test('the signal aborted: not started when aborted before, stopped when aborted while it runs', async () => {
  const before = await runner.run('sleep', ['30'], { signal: AbortSignal.abort() });
  assert.deepEqual([before.aborted, before.failed, before.durationMs], [true, true, 0]);
  const c = new AbortController();
  const running = runner.run('sleep', ['30'], { signal: c.signal });
  setTimeout(() => c.abort(), 50);
  const r = await running;
  assert.deepEqual([r.aborted, r.timedOut, r.signal], [true, false, 'SIGTERM']);
});

test('not installed: said so, with the errno', async () => {
  const missing = await runner.run('/nonexistent/nginx', ['-t']);
  assert.deepEqual([missing.notFound, missing.spawnError, missing.failed, missing.exitCode], [true, 'ENOENT', true, undefined]);
});
