// Hostile inputs for the CLI, from fixed seeds: real nginx configs, specs and
// error logs, mutated the ways files get broken or made to hurt (random
// bytes, NULs, binary junk, huge lines, deep nesting, unbalanced braces and
// quotes, YAML anchors and alias bombs, huge numbers, unicode, CRLF, corrupt
// gzip). Every input stays under about 1 MB, so the work of a case is bounded.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fixture } from '../nginx/fixtures.js';
import { int, pick } from '../nginx/random.js';

type Rng = () => number;

export const CONFIGS = [
  'php-fpm/sites-enabled/shop.conf',
  'upstream-backups/conf.d/upstreams.conf',
  'upstream-backups/conf.d/api.conf',
  'debian-stock/nginx.conf',
  'lexer-edge/edge.conf',
  'stream/nginx.conf',
  'port-mismatch/conf.d/app.conf',
  'localhost-ambiguous/conf.d/app.conf',
  'dynamic/conf.d/edge.conf',
]
  .map((p) => readFileSync(fixture(p), 'latin1'))
  // a conf.d snippet as the main file nginx would include it from
  .map((text) => (/^\s*(http|stream|events)\s*\{/m.test(text) ? text : `events {}\nhttp {\n${text}\n}\n`));

export const LOG = readFileSync(new URL('../fixtures/error-log/nginx-1.22-samples.txt', import.meta.url), 'latin1');

/** The gate never runs an nginx binary here: the spec names one that is not on PATH (a path that does not exist is bad input). */
export const NO_NGINX = 'nginx-not-installed-for-fuzz';

export const SPEC = `version: 1
services:
  api:
    backend: 127.0.0.1:8000
    health: /healthz
    server_name: api.example.com
    location: /
    process: gunicorn
  shop:
    backend: unix:/run/php/php8.2-fpm.sock
    protocol: fastcgi
    server_name: [shop.example.com, www.shop.example.com]
  edge:
    backend: "[::1]:9000"
    protocol: grpc
nginx:
  config: nginx.conf
  binary: ${NO_NGINX}
gate:
  deadline: 2s
  interval: 100ms
  connect_timeout: 500ms
  success_threshold: 1
`;

const SPECIAL = [...'{};"\'#\\$\n\r\t :-[]&*!|>%@`,?'];
const UNICODE = ['é', 'ü', 'İ', 'ß', '日本', '😀', '\u202e', '\u200b', 'e\u0301', '\ufeff', '\ufffd', '\u0000', '\u2028'];

/** Text as latin1 so any byte survives the round trip into a Buffer. */
const bytes = (r: Rng, n: number) => Array.from({ length: n }, () => String.fromCharCode(int(r, 0, 255))).join('');
const utf8 = (s: string) => Buffer.from(s, 'utf8').toString('latin1');

function at(r: Rng, text: string): number {
  return int(r, 0, text.length);
}

function insert(text: string, i: number, what: string): string {
  return text.slice(0, i) + what + text.slice(i);
}

/** At a line start, so structural junk lands between directives or keys. */
function lineStart(r: Rng, text: string): number {
  const i = at(r, text);
  const nl = text.lastIndexOf('\n', i - 1);
  return nl + 1;
}

/** One edit of the raw bytes: delete, insert specials, insert random bytes, duplicate a slice. */
function byteEdit(r: Rng, text: string): string {
  const i = at(r, text);
  const op = r();
  if (op < 0.3) return text.slice(0, i) + text.slice(i + int(r, 1, 8));
  if (op < 0.6) return insert(text, i, Array.from({ length: int(r, 1, 4) }, () => pick(r, SPECIAL)).join(''));
  if (op < 0.8) return insert(text, i, bytes(r, int(r, 1, 6)));
  const from = at(r, text);
  return insert(text, i, text.slice(from, from + int(r, 1, 200)));
}

const COMMON: ((r: Rng, t: string) => string)[] = [
  (r, t) => {
    let out = t;
    for (let k = int(r, 1, 12); k > 0; k--) out = byteEdit(r, out);
    return out;
  },
  (r, t) => insert(t, at(r, t), '\0'.repeat(int(r, 1, 64))),
  (r, t) => insert(t, at(r, t), bytes(r, int(r, 256, 8192))),
  (r, t) => insert(t, lineStart(r, t), `${pick(r, ['a', 'x ', '#', '"', '{', ' ', '-'])}${'a'.repeat(int(r, 70_000, 300_000))}\n`),
  (r, t) => insert(t, at(r, t), pick(r, ['{', '}', '"', "'", '{{{{', '}}}}', '"\'"', '\\', '${', '[', ']', '[[', ']]'])),
  (r, t) => insert(t, at(r, t), utf8(Array.from({ length: int(r, 1, 20) }, () => pick(r, UNICODE)).join(''))),
  (r, t) => insert(t, at(r, t), pick(r, ['\xed\xa0\x80', '\xc0\x80', '\xff\xfe', '\xf4\x90\x80\x80', '\xe2\x28\xa1'])),
  (_r, t) => t.replace(/\n/g, '\r\n'),
  (r, t) => t.replace(/\n/g, () => (r() < 0.3 ? '\r' : '\n')),
  (r, t) => t.slice(0, at(r, t)),
  (r, t) => insert(t, at(r, t), pick(r, ['99999999999999999999999999', '-1', '1e309', '0x7fffffffffffffff', '18446744073709551616', 'NaN', '-0', '1'.repeat(400)])),
];

const CONFIG_ONLY: ((r: Rng, t: string) => string)[] = [
  (r, t) => {
    const n = int(r, 50, 3000);
    return insert(t, lineStart(r, t), `${'location / {\n'.repeat(n)}${r() < 0.5 ? '}\n'.repeat(n) : ''}`);
  },
  (r, t) => insert(t, lineStart(r, t), `server_name ${Array.from({ length: int(r, 1000, 20_000) }, (_, i) => `h${i}.example.com`).join(' ')};\n`),
  (r, t) => insert(t, lineStart(r, t), `${pick(r, ['listen', 'proxy_pass http://127.0.0.1:', 'server 127.0.0.1:', 'fastcgi_pass localhost:'])}${pick(r, ['99999999999999999999', '65536', '-1', '0', '1e9'])};\n`),
  (r, t) => insert(t, lineStart(r, t), `include ${pick(r, ['/dev/zero', '/proc/self/status', '/', '*', '../../../../etc/*', 'nginx.conf', '/nonexistent/*.conf'])};\n`),
  (r, t) => insert(t, lineStart(r, t), `upstream u${int(r, 0, 9)} {\n${'server 127.0.0.1:8000;\n'.repeat(int(r, 1, 5000))}}\n`),
];

const SPEC_ONLY: ((r: Rng, t: string) => string)[] = [
  // the billion laughs: each level refers to the one before ten times
  (r, t) => {
    const levels = int(r, 3, 9);
    let bomb = 'x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
    for (let l = 1; l < levels; l++) bomb += `x${l}: &a${l} [${Array.from({ length: 10 }, () => `*a${l - 1}`).join(', ')}]\n`;
    return `${bomb}${t}`;
  },
  (r, t) => t.replace('services:\n', `services:\n  ${pick(r, ['bomb', 'api'])}: &svc\n    backend: 127.0.0.1:8001\n  other: *svc\n  merged:\n    <<: *svc\n    server_name: *${pick(r, ['svc', 'nope'])}\n`),
  (r, t) => t.replace(/(backend|deadline|connect_timeout|success_threshold|version|interval): [^\n]*/, (_m, k: string) => `${k}: ${pick(r, ['99999999999999999999999999', '1e309', '-1', '.inf', '.nan', '0x10', '0o17', '1_000', '99999999999999999999s', '1e400ms', '[]', '{}', '~', '!!binary aGVsbG8=', '"127.0.0.1:99999999999999999999"'])}`),
  (r, t) => t.replace(/api:/, () => `${utf8(pick(r, ['ápi', '😀', 'a\u202eb', 'a b', '', '-', '"quoted"', "'x'", '? complex']))}:`),
  (r, t) => {
    const n = int(r, 100, 20_000);
    return t.replace('server_name: api.example.com', `server_name: ${'['.repeat(n)}${r() < 0.5 ? ']'.repeat(n) : ''}`);
  },
  (r, t) => insert(t, lineStart(r, t), `${' '.repeat(int(r, 0, 12))}${pick(r, ['\t', '- ', '? ', ': ', '--- ', '... ', '%YAML 1.1\n', '%TAG ! tag:x:\n', '!!python/object:os.system ', '&a ', '*a\n', '<<: *a\n'])}`),
  (r, t) => t.replace(/\n {2}(\w+):/, (_m, k: string) => `\n  ${k}:\n    backend: 127.0.0.1:1\n  ${k}:`),
  (r, t) => t.replace('config: nginx.conf', `config: ${pick(r, ['/dev/zero', '/proc/self/status', '.', '/', '"\\0"', 'fifo', '../../../../etc/passwd', 'nginx.conf\\0x', utf8('ñ.conf')])}`),
  (r, t) => `${t}services:\n  dup:\n    backend: 127.0.0.1:1\n`,
];

const LOG_ONLY: ((r: Rng, t: string) => string)[] = [
  (r, t) => t.replace(/\((\d+): /g, () => `(${pick(r, ['99999999999999999999', '-1', '0', '1e9', 'x'])}: `),
  (r, t) => t.replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d/gm, () => pick(r, ['9999/99/99 99:99:99', '0000/00/00 00:00:00', '2026/02/30 25:61:61', '-001/01/01 00:00:00', ''])),
  (r, t) => t.replace(/upstream: "[^"]*"/g, () => `upstream: "${pick(r, ['http://[::1', 'http://', 'unix:', `http://${'a'.repeat(5000)}:1/`, 'http://127.0.0.1:99999999999/', utf8('http://ü.example:80/')])}"`),
  (r, t) => {
    const lines = t.split('\n');
    return Array.from({ length: int(r, 1, 40) }, () => pick(r, lines)).join('\n').repeat(int(r, 1, 50));
  },
];

function mutate(r: Rng, text: string, own: ((r: Rng, t: string) => string)[]): string {
  let out = text;
  for (let k = int(r, 1, 3); k > 0; k--) out = pick(r, r() < 0.5 ? own : COMMON)(r, out);
  return out;
}

export function fuzzConfig(r: Rng): Buffer {
  return Buffer.from(mutate(r, pick(r, CONFIGS), CONFIG_ONLY), 'latin1');
}

export function fuzzSpec(r: Rng): Buffer {
  return Buffer.from(mutate(r, SPEC, SPEC_ONLY), 'latin1');
}

/** A log, sometimes gzipped whole and then corrupted or cut short (explain reads .gz logs). */
export function fuzzLog(r: Rng): Buffer {
  const text = Buffer.from(mutate(r, LOG, LOG_ONLY), 'latin1');
  if (r() < 0.8) return text;
  const gz = gzipSync(text);
  if (r() < 0.5) return gz.subarray(0, int(r, 1, gz.length - 1));
  for (let k = int(r, 1, 8); k > 0; k--) gz[int(r, 10, gz.length - 1)] = int(r, 0, 255);
  return gz;
}
