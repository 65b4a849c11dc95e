// The one door to host commands: what it runs, and what it never signals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { canTraceSignals, traceSignals } from '../helpers/signal-trace.js';

const SCENARIO = fileURLToPath(new URL('./run-signal-scenario.ts', import.meta.url));

test(
  'a command that cannot start, with the signal aborted before or while it starts, is never signalled; a started one is',
  { skip: !canTraceSignals && 'needs root, strace and unshare' },
  () => {
    const t = traceSignals(SCENARIO);
    assert.equal(t.status, 0, t.stderr);
    const results = JSON.parse(t.stdout) as { command: string; failed: boolean; notFound: boolean; aborted: boolean }[];
    assert.equal(results.length, 61);
    for (const r of results) {
      assert.equal(r.failed, true);
      // not installed is said only of a command that was run; an aborted one never was
      assert.deepEqual([r.notFound, r.aborted], r.command.startsWith('nft') ? [true, false] : [false, true], r.command);
    }
    // the sleep that did start was stopped, and that is the only kind of signal sent
    assert.ok(t.signals.length > 0, 'the started command was not signalled: the trace saw no kill()');
    const strays = t.signals.filter(([pid]) => !t.started.has(pid));
    assert.deepEqual(strays, [], `signals sent to pids that are not started children: ${JSON.stringify(strays)}`);
  },
);
