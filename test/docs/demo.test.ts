// `npm run demo`, which the README offers first: it shows the spec it really
// gates with (with nginx installed, the demo adds nginx's binary, front and
// error log to the example's spec), and every scenario ends as it says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT, runNode } from '../helpers/cli.js';
import { hasNginx } from '../helpers/nginx.js';

test('npm run demo prints the spec it runs, and every scenario ends as expected', async () => {
  const r = await runNode([join(ROOT, 'scripts', 'demo.mjs')], { cwd: ROOT, node: process.execPath, timeoutMs: 120_000 });
  assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
  assert.match(r.stdout, /Every scenario ended as expected/);
  const shown = /gated with this spec:\n\n([\s\S]*?)\n── /.exec(r.stdout)?.[1];
  assert.ok(shown, r.stdout);
  const spec = parse(shown) as { nginx: Record<string, string> };
  if (hasNginx) {
    assert.match(spec.nginx.front ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(spec.nginx.binary, shown);
    assert.ok(spec.nginx.error_log, shown);
  } else {
    assert.equal(spec.nginx.front, undefined);
  }
});
