// Grouping, time windows, bounds, and reading real files: rotated, gzipped,
// cut short, not UTF-8.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createExplainer, MAX_GROUP_TEXT, MAX_GROUPS, MAX_NAME_BYTES, MAX_NAMES, MAX_SAMPLE_BYTES, type ExplainResult } from '../../src/explain/explain.js';
import { readLogLines } from '../../src/explain/error-log-stream.js';
import { crossCheck } from '../../src/explain/spec-match.js';
import { parseSpec } from '../../src/spec/load.js';
import { tempDir } from '../helpers/tmp.js';

const samples = readFileSync(new URL('../fixtures/error-log/nginx-1.22-samples.txt', import.meta.url), 'utf8');
const tmp = tempDir('ugate-explain-');
after(() => tmp.remove());

let counter = 0;
function file(content: string | Buffer, name = `log-${process.pid}-${++counter}`): string {
  const p = join(tmp.dir, name);
  writeFileSync(p, content);
  return p;
}

async function explainFiles(paths: string[], window = {}): Promise<ExplainResult> {
  const ex = createExplainer(window);
  for (const p of paths) await readLogLines(p, ex.add);
  return ex.result();
}

function refused(time: string, port: number, path: string, server = 'api.test', host = 'api.test'): string {
  return `${time} [error] 812#812: *${counter++} connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.9, server: ${server}, request: "GET ${path} HTTP/1.1", upstream: "http://127.0.0.1:${port}${path}", host: "${host}"`;
}

test('groups by upstream address, errno and failure; URI dropped; most frequent first', async () => {
  const log = [
    refused('2026/11/24 10:00:01', 8000, '/a'),
    refused('2026/11/24 10:00:02', 8000, '/b?x=1', 'api.test', 'api.example.com'),
    refused('2026/11/24 10:00:03', 9000, '/c', 'web.test', 'web.test'),
    refused('2026/11/24 10:00:05', 8000, '/d'),
    '2026/11/24 10:00:06 [error] 812#812: *99 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.0.0.9, server: api.test, request: "GET /slow HTTP/1.1", upstream: "http://127.0.0.1:8000/slow", host: "api.test"',
    '2026/11/24 10:00:07 [warn] 812#812: *99 upstream server temporarily disabled while connecting to upstream, client: 10.0.0.9, server: api.test, request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:8000/", host: "api.test"',
    '2026/11/24 10:00:07 [error] 812#812: *100 open() "/usr/share/nginx/html/favicon.ico" failed (2: No such file or directory), client: 10.0.0.9, server: api.test, request: "GET /favicon.ico HTTP/1.1", host: "api.test"',
    'not a log line',
    '',
  ].join('\n');
  const r = await explainFiles([file(log)]);
  assert.equal(r.lines, 8);
  assert.equal(r.unparsed, 1);
  assert.equal(r.failures, 5);
  assert.deepEqual(
    r.groups.map((g) => [g.upstream, g.errno, g.kind, g.count]),
    [
      ['http://127.0.0.1:8000', 111, 'refused', 3],
      ['http://127.0.0.1:9000', 111, 'refused', 1],
      ['http://127.0.0.1:8000', 110, 'read_timeout', 1],
    ],
  );
  const g = r.groups[0]!;
  assert.equal(g.code, 'backend.down');
  assert.equal(g.errno_name, 'ECONNREFUSED');
  assert.equal(g.first, '2026-11-24T10:00:01');
  assert.equal(g.last, '2026-11-24T10:00:05');
  assert.deepEqual(g.servers, ['api.test']);
  assert.deepEqual(g.hosts, ['api.example.com', 'api.test']);
  assert.match(g.sample, /^2026\/11\/24 10:00:01 .*GET \/a HTTP/);
  assert.equal(r.from, '2026/11/24 10:00:01');
  assert.equal(r.to, '2026/11/24 10:00:07');
});

test('a request line that imitates the upstream field does not move a failure to another group', async () => {
  const spoof = (port: number) =>
    `2026/11/24 10:00:00 [error] 812#812: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.9, server: api.test, request: "GET /?a=, upstream: "http://10.9.9.9:1/x", host: "evil" HTTP/1.1", upstream: "http://127.0.0.1:${port}/", host: "api.test"`;
  const r = await explainFiles([file(`${spoof(8000)}\n${spoof(9000)}\n`)]);
  assert.deepEqual(r.groups.map((g) => [g.upstream, g.count, g.hosts]).sort(), [
    ['http://127.0.0.1:8000', 1, ['api.test']],
    ['http://127.0.0.1:9000', 1, ['api.test']],
  ]);
});

test('the sample is the earliest line even when files come newest first', async () => {
  const newer = file(`${refused('2026/11/24 10:05:00', 8000, '/new')}\n`);
  const older = file(`${refused('2026/11/24 09:00:00', 8000, '/old')}\n`);
  const r = await explainFiles([newer, older]);
  assert.equal(r.groups[0]?.count, 2);
  assert.equal(r.groups[0]?.first, '2026-11-24T09:00:00');
  assert.equal(r.groups[0]?.last, '2026-11-24T10:05:00');
  assert.match(r.groups[0]?.sample ?? '', /GET \/old/);
});

test('--since / --until bounds are inclusive to the second and count what they leave out', async () => {
  const log = ['10:00:00', '10:00:01', '10:00:02', '10:00:03'].map((t, i) => refused(`2026/11/24 ${t}`, 8000, `/${i}`)).join('\n');
  const r = await explainFiles([file(log)], { since: '2026/11/24 10:00:01', until: '2026/11/24 10:00:02' });
  assert.equal(r.failures, 2);
  assert.equal(r.outside, 2);
  assert.equal(r.groups[0]?.first, '2026-11-24T10:00:01');
  assert.equal(r.groups[0]?.last, '2026-11-24T10:00:02');
  assert.match(r.groups[0]?.sample ?? '', /GET \/1 /);
});

test('a group keeps at most MAX_NAMES server and host names', async () => {
  const log = Array.from({ length: MAX_NAMES + 15 }, (_, i) => refused('2026/11/24 10:00:00', 8000, '/', `s${i}.test`, `h${i}.test`)).join('\n');
  const r = await explainFiles([file(log)]);
  assert.equal(r.groups[0]?.count, MAX_NAMES + 15);
  assert.equal(r.groups[0]?.servers.length, MAX_NAMES);
  assert.equal(r.groups[0]?.hosts.length, MAX_NAMES);
});

test('beyond MAX_GROUPS distinct upstreams, failures are still counted, in `ungrouped`', async () => {
  const log = Array.from({ length: MAX_GROUPS + 5 }, (_, i) => refused('2026/11/24 10:00:00', 10000 + i, '/')).join('\n');
  const r = await explainFiles([file(log)]);
  assert.equal(r.failures, MAX_GROUPS + 5);
  assert.equal(r.groups.length, MAX_GROUPS);
  assert.equal(r.ungrouped, 5);
});

test('hostile lengths are bounded: a name is kept to MAX_NAME_BYTES, a sample to MAX_SAMPLE_BYTES', async () => {
  const long = 'h'.repeat(3000);
  const line = refused('2026/11/24 10:00:00', 8000, `/${'p'.repeat(6000)}`, `s${long}`, `x${long}`);
  const r = await explainFiles([file(`${line}\n`)]);
  const g = r.groups[0]!;
  assert.deepEqual(g.servers, [`s${long}`.slice(0, MAX_NAME_BYTES)]);
  assert.deepEqual(g.hosts, [`x${long}`.slice(0, MAX_NAME_BYTES)]);
  assert.equal(g.sample, line.slice(0, MAX_SAMPLE_BYTES));
});

/** A failure whose upstream (an upstream{} name here) is as long as the caller likes. */
function noLive(upstream: string): string {
  return `2026/11/24 10:00:00 [error] 812#812: *1 no live upstreams while connecting to upstream, client: 10.0.0.9, server: a.test, request: "GET / HTTP/1.1", upstream: "http://${upstream}/", host: "a.test"`;
}

test('groups also stop at MAX_GROUP_TEXT bytes of their text: the rest is counted in `ungrouped`', async () => {
  // 200 distinct upstreams of 60 KB: more than 30 MB of group text (upstream, cause, fix) if all were kept
  const lines = Array.from({ length: 200 }, (_, i) => noLive(`u${i}${'x'.repeat(60_000)}`));
  const r = await explainFiles([file(`${lines.join('\n')}\n`)]);
  assert.equal(r.failures, 200);
  assert.ok(r.groups.length > 0 && r.groups.length < 200, `${r.groups.length} groups`);
  assert.equal(r.ungrouped, 200 - r.groups.length);
  const text = r.groups.reduce((n, g) => n + g.upstream.length + g.cause.length + g.fix.length + g.sample.length, 0);
  assert.ok(text <= MAX_GROUP_TEXT + MAX_SAMPLE_BYTES * r.groups.length, `${text} bytes kept`);
});

test('what explain keeps of a hostile log stays small: forms remembered and groups, in bytes', () => {
  // 2,000 distinct 60 KB forms without request context (the JavaScript path): 120 MB remembered
  // when the form cache was bounded by count alone, and 180 MB more in 1000 groups
  const explain = new URL('../../src/explain/explain.ts', import.meta.url).href;
  const script = `
    const { createExplainer } = await import(${JSON.stringify(explain)});
    const ex = createExplainer({}, { wasm: false });
    const pad = 'z'.repeat(60_000);
    for (let i = 0; i < 2000; i++) ex.add('2026/11/24 10:00:00 [emerg] 1#1: host not found in upstream "h' + i + pad + '" in /etc/nginx/a.conf:' + i);
    const r = ex.result();
    globalThis.gc();
    globalThis.gc();
    process.stdout.write(JSON.stringify({ heap: process.memoryUsage().heapUsed, groups: r.groups.length, ungrouped: r.ungrouped }));
  `;
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const out = JSON.parse(run.stdout) as { heap: number; groups: number; ungrouped: number };
  assert.ok(out.groups > 0 && out.groups + out.ungrouped === 2000, run.stdout);
  assert.ok(out.heap < 64 * 1024 * 1024, `${Math.round(out.heap / 1048576)} MB live after explaining`);
});

test('rotated logs: plain, .1 and gzipped .2.gz (recognised by content), with a cut-short last line', async () => {
  const all = samples.split('\n').filter(Boolean);
  const cut = all[20] as string;
  const current = file(`${all.slice(0, 20).join('\n')}\n${cut.slice(0, cut.indexOf('", host'))}`, 'error.log');
  const one = file(`${all.slice(21, 50).join('\n')}\n`, 'error.log.1');
  const two = file(gzipSync(`${all.slice(50).join('\n')}\n`), 'error.log.2.gz');
  const renamed = file(gzipSync(`${all.slice(50).join('\n')}\n`), 'archive-without-extension');
  const whole = await explainFiles([file(`${samples}`)]);
  const rotated = await explainFiles([two, one, current]);
  assert.equal(rotated.lines, whole.lines);
  // the cut line (a permission-denied socket) still counts: its upstream field came before the cut
  assert.equal(rotated.failures, whole.failures);
  assert.deepEqual(
    rotated.groups.map((g) => [g.upstream, g.kind, g.count]),
    whole.groups.map((g) => [g.upstream, g.kind, g.count]),
  );
  const gz = await explainFiles([renamed]);
  assert.equal(gz.lines, all.length - 50);
});

test('a truncated gzip file yields what it holds', async () => {
  const gz = gzipSync(`${samples}${samples}`);
  const p = file(gz.subarray(0, Math.floor(gz.length * 0.6)));
  const lines: string[] = [];
  const s = await readLogLines(p, (l) => lines.push(l));
  assert.equal(s.truncatedGzip, true);
  assert.ok(lines.length > 10);
});

test('bytes that are not UTF-8 do not break a line; kept text shows U+FFFD, valid UTF-8 stays', async () => {
  const head = Buffer.from(
    '2026/11/24 10:00:00 [error] 812#812: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.9, server: api.test, request: "GET /',
  );
  const tail = Buffer.from(' HTTP/1.1", upstream: "http://127.0.0.1:8000/x", host: "bücher.test"\n');
  const p = file(Buffer.concat([head, Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('/é'), tail]));
  const r = await explainFiles([p]);
  assert.equal(r.failures, 1);
  const g = r.groups[0]!;
  assert.equal(g.upstream, 'http://127.0.0.1:8000');
  assert.deepEqual(g.hosts, ['bücher.test']);
  assert.ok(g.sample.includes('\ufffd'));
  assert.ok(g.sample.includes('/é HTTP/1.1'));
});

test('CRLF line ends, syslog-wrapped lines and over-long garbage runs', async () => {
  const wrapped = `<11>Nov 24 10:00:00 web1 nginx: ${refused('2026/11/24 10:00:00', 8000, '/s')}`;
  const p = file(`${refused('2026/11/24 10:00:01', 8000, '/a')}\r\n${wrapped}\n${'x'.repeat(200_000)}\n${refused('2026/11/24 10:00:02', 8000, '/b')}\n`);
  const lines: string[] = [];
  const s = await readLogLines(p, (l) => lines.push(l));
  assert.equal(s.dropped, 1);
  assert.equal(lines.length, 3);
  const r = await explainFiles([p]);
  assert.equal(r.groups.length, 1);
  assert.equal(r.groups[0]?.count, 3);
  assert.equal(r.groups[0]?.first, '2026-11-24T10:00:00');
});

test('cross-check: the spec backend itself, a server dialing another address, and an upstream no service claims', async () => {
  const spec = parseSpec(
    `version: 1
services:
  api:
    backend: 127.0.0.1:8000
    server_name: api.test
  web:
    backend: 127.0.0.1:9000
    server_name: web.test
  php:
    backend: unix:/run/php/php8.2-fpm.sock
    server_name: php.test
`,
    join(tmp.dir, 'upstream-gate.yml'),
  );
  const log = [
    refused('2026/11/24 10:00:00', 8000, '/'),
    refused('2026/11/24 10:00:00', 9001, '/', 'web.test', 'web.test'),
    refused('2026/11/24 10:00:00', 7000, '/', 'other.test', 'other.test'),
    '2026/11/24 10:00:00 [crit] 812#812: *5 connect() to unix:/run/php/php7.4-fpm.sock failed (2: No such file or directory) while connecting to upstream, client: 10.0.0.9, server: php.test, request: "GET /i.php HTTP/1.1", upstream: "fastcgi://unix:/run/php/php7.4-fpm.sock:", host: "php.test"',
  ].join('\n');
  const r = await explainFiles([file(log)]);
  crossCheck(r.groups, spec);
  const by = (port: string) => r.groups.find((g) => g.upstream.includes(port))?.spec;
  assert.equal(by(':8000')?.match, 'backend');
  assert.equal(by(':8000')?.service, 'api');
  assert.equal(by(':9001')?.match, 'mismatch');
  assert.equal(by(':9001')?.code, 'config.port_mismatch');
  assert.match(by(':9001')?.note ?? '', /not the spec's backend/);
  assert.equal(by(':7000')?.match, 'unknown');
  assert.equal(by('php7.4')?.match, 'mismatch');
  assert.equal(by('php7.4')?.code, 'config.socket_mismatch');
});

test('cross-check: a shared server{} picks the service whose backend looks like the dialed one; a wrong scheme is a protocol mismatch', async () => {
  const spec = parseSpec(
    `version: 1
services:
  web:
    backend: 127.0.0.1:8000
    server_name: shop.test
  php:
    backend: unix:/run/php/php8.2-fpm.sock
    protocol: fastcgi
    server_name: shop.test
`,
    join(tmp.dir, 'upstream-gate.yml'),
  );
  const fcgi = (upstream: string) =>
    `2026/11/24 10:00:00 [error] 812#812: *7 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.9, server: shop.test, request: "GET /i.php HTTP/1.1", upstream: "${upstream}", host: "shop.test"`;
  const log = [
    '2026/11/24 10:00:00 [crit] 812#812: *5 connect() to unix:/run/php/php7.4-fpm.sock failed (2: No such file or directory) while connecting to upstream, client: 10.0.0.9, server: shop.test, request: "GET /i.php HTTP/1.1", upstream: "fastcgi://unix:/run/php/php7.4-fpm.sock:", host: "shop.test"',
    fcgi('fastcgi://127.0.0.1:8000'),
  ].join('\n');
  const r = await explainFiles([file(log)]);
  crossCheck(r.groups, spec);
  const sock = r.groups.find((g) => g.upstream.includes('php7.4'))?.spec;
  assert.equal(sock?.service, 'php');
  assert.equal(sock?.code, 'config.socket_mismatch');
  const proto = r.groups.find((g) => g.upstream === 'fastcgi://127.0.0.1:8000')?.spec;
  assert.equal(proto?.match, 'mismatch');
  assert.equal(proto?.service, 'web');
  assert.equal(proto?.code, 'config.protocol_mismatch');
});
