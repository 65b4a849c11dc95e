import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildModel, type ServerBlock } from '../../src/nginx/model.js';
import { parseConfig } from '../../src/nginx/parser.js';
import { memorySource } from '../../src/host/config-source.js';
import { rankName, selectLocation, selectServers } from '../../src/nginx/select.js';

function servers(http: string): ServerBlock[] {
  const r = parseConfig('/s/nginx.conf', { source: memorySource(new Map([['/s/nginx.conf', `http {\n${http}\n}\n`]])) });
  assert.deepEqual(r.payload.errors, []);
  return buildModel(r).servers;
}

const lines = (list: ServerBlock[]) => list.map((s) => s.line);

test('server_name ranks: exact, then longest leading wildcard, longest trailing wildcard, first regex', () => {
  assert.deepEqual(rankName('api.example.com', 'API.example.com'), [4, 15]);
  assert.deepEqual(rankName('*.example.com', 'api.example.com'), [3, 13]);
  assert.deepEqual(rankName('.example.com', 'example.com'), [3, 12]);
  assert.deepEqual(rankName('api.*', 'api.example.com'), [2, 5]);
  assert.deepEqual(rankName('~^(?P<sub>\\w+)\\.example\\.com$', 'api.example.com'), [1, 0]);
  assert.equal(rankName('*.example.com', 'example.com'), undefined);
  assert.equal(rankName('~[', 'x'), undefined);
});

test('per listening address, nginx picks one block; a name on :80 and :443 selects both', () => {
  const s = servers(`
server { listen 80; server_name api.example.com; return 301 https://$host; }
server { listen 443; server_name *.example.com; location / { proxy_pass http://127.0.0.1:1; } }
server { listen 443; server_name api.example.com; location / { proxy_pass http://127.0.0.1:2; } }
server { listen 443; server_name ~^api\\.; location / { proxy_pass http://127.0.0.1:3; } }
server { listen 8080; server_name api.*; }
server { listen 8080; server_name ~^api\\.example; }
`);
  assert.deepEqual(selectServers(s, ['api.example.com']), { servers: [s[0], s[2], s[4]], fallback: false });
  assert.deepEqual(lines(selectServers(s, ['www.example.com']).servers), [4]);
});

test('no block names the host: the default server of each address answers', () => {
  const s = servers(`
server { listen 80; server_name a.example.com; }
server { listen 80 default_server; server_name _; }
server { listen 8080; server_name b.example.com; }
server { server_name c.example.com; }
`);
  const sel = selectServers(s, ['nothing.example.com']);
  assert.equal(sel.fallback, true);
  // *:80 (the block without listen is on it too) -> the default_server; *:8080 -> its only block
  assert.deepEqual(lines(sel.servers), [4, 5]);
});

test('a server_name pattern copied from the config selects the blocks that list it', () => {
  const s = servers(`
server { listen 80; server_name _; }
server { listen 81; server_name *.example.com; }
`);
  assert.deepEqual(lines(selectServers(s, ['*.example.com']).servers), [4]);
  assert.deepEqual(lines(selectServers(s, ['_']).servers), [3]);
});

test('locations as nginx matches a URI: exact, longest prefix, ^~ stops regexes, regexes in order, nested', () => {
  const [srv] = servers(`
server {
  location / { proxy_pass http://a; }
  location = /exact { proxy_pass http://b; }
  location /api/ { proxy_pass http://c;
    location ~ \\.json$ { proxy_pass http://d; }
  }
  location ^~ /static/ { proxy_pass http://e; }
  location ~* \\.PHP$ { proxy_pass http://f; }
  location ~ \\.php$ { proxy_pass http://g; }
  location @fallback { proxy_pass http://h; }
}`);
  const locs = (srv as ServerBlock).locations;
  const at = (uri: string) => selectLocation(locs, uri)?.passes[0]?.arg;
  assert.equal(at('/exact'), 'http://b');
  assert.equal(at('/exact/more'), 'http://a');
  assert.equal(at('/api/users'), 'http://c');
  assert.equal(at('/api/users.json'), 'http://d');
  assert.equal(at('/static/x.php'), 'http://e');
  assert.equal(at('/index.php'), 'http://f');
  assert.equal(at('/anything'), 'http://a');
  assert.equal(at('@fallback'), 'http://h');
  // written as in the config
  assert.equal(at('~ \\.php$'), 'http://g');
  assert.equal(at('= /exact'), 'http://b');
});
