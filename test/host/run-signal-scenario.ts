// Driven by run.test.ts under strace: commands that cannot start (not
// installed) with the gate's signal aborted before or while they start, or
// a timeout that fires at once; then one that does start and is stopped by
// the signal.
import { execaRunner } from '../../src/host/run.js';

const runner = execaRunner();
const results = [];
for (let i = 0; i < 20; i++) {
  results.push(await runner.run('/nonexistent/nginx', ['-t'], { signal: AbortSignal.abort(new Error('interrupted')) }));
  const c = new AbortController();
  const pending = runner.run('iptables-not-installed-here', ['-S'], { signal: c.signal });
  c.abort(new Error('interrupted'));
  results.push(await pending);
  results.push(await runner.run('nft-not-installed-here', ['list', 'ruleset'], { timeoutMs: 0 }));
}
const started = new AbortController();
const sleeping = runner.run('sleep', ['30'], { signal: started.signal });
setTimeout(() => started.abort(new Error('interrupted')), 200);
results.push(await sleeping);
process.stdout.write(`${JSON.stringify(results.map((r) => ({ command: r.command, failed: r.failed, notFound: r.notFound, aborted: r.aborted === true })))}\n`);
