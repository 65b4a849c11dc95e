import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildModel, type LocationNode, type ServerBlock } from '../../src/nginx/model.js';
import { parseConfig } from '../../src/nginx/parser.js';
import { memorySource } from '../../src/host/config-source.js';
import { nginxRegExp, rankName, selectLocation, selectServers } from '../../src/nginx/select.js';
import { int, pick, rng } from './random.js';

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

// The selection as nginx's rules read, one block and one location at a time:
// what the indexed selection must agree with on every input.
function referenceServers(all: readonly ServerBlock[], names: readonly string[]): { servers: ServerBlock[]; fallback: boolean } {
  const http = all.filter((s) => s.module === 'http');
  const byListen = new Map<string, ServerBlock[]>();
  for (const s of http) for (const l of s.listens) byListen.set(l.key, [...new Set([...(byListen.get(l.key) ?? []), s])]);
  const chosen = new Set<ServerBlock>();
  for (const name of names) {
    for (const group of byListen.values()) {
      let pick: ServerBlock | undefined;
      if (!/^[a-z0-9_.-]+$/i.test(name) || name.startsWith('.') || name === '_') {
        pick = group.find((s) => s.names.some((n) => n.toLowerCase() === name.toLowerCase()));
      } else {
        let best: [number, number] | undefined;
        for (const s of group) {
          for (const n of s.names) {
            const r = rankName(n, name);
            if (r && (!best || r[0] > best[0] || (r[0] === best[0] && r[0] !== 1 && r[1] > best[1]))) [best, pick] = [r, s];
          }
        }
      }
      if (pick) chosen.add(pick);
    }
  }
  if (chosen.size > 0) return { servers: http.filter((s) => chosen.has(s)), fallback: false };
  for (const [key, group] of byListen) chosen.add(group.find((s) => s.listens.some((l) => l.key === key && l.defaultServer)) ?? (group[0] as ServerBlock));
  return { servers: http.filter((s) => chosen.has(s)), fallback: true };
}

function referenceLocation(locations: readonly LocationNode[], path: string): LocationNode | undefined {
  const literal = (list: readonly LocationNode[], spec: string): LocationNode | undefined => {
    for (const l of list) {
      const written = l.modifier === '' || l.modifier === '@' ? l.pattern : `${l.modifier} ${l.pattern}`;
      if (written === spec || (l.modifier !== '' && `${l.modifier}${l.pattern}` === spec)) return l;
      const inner = literal(l.children, spec);
      if (inner) return inner;
    }
    return undefined;
  };
  const match = (list: readonly LocationNode[], uri: string): LocationNode | undefined => {
    const exact = list.find((l) => l.modifier === '=' && l.pattern === uri);
    if (exact) return exact;
    let prefix: LocationNode | undefined;
    for (const l of list) if ((l.modifier === '' || l.modifier === '^~') && uri.startsWith(l.pattern) && (!prefix || l.pattern.length > prefix.pattern.length)) prefix = l;
    if (prefix) {
      const nested = match(prefix.children, uri);
      if (nested && nested !== prefix) return nested;
      if (prefix.modifier === '^~') return prefix;
    }
    return list.find((l) => (l.modifier === '~' || l.modifier === '~*') && nginxRegExp(l.pattern, l.modifier === '~*')?.test(uri)) ?? prefix;
  };
  const lit = literal(locations, path.trim());
  if (lit) return lit;
  return path.startsWith('/') ? match(locations, path) : undefined;
}

const NAME_WORDS = ['api.example.com', 'API.example.com', 'www.example.com', 'example.com', '*.example.com', '.example.com', 'api.*', 'www.*', '*.com', '.com', 'a..b', '*.', '.', '_', '', 'x.example.com.', '~^api\\.', '~^(?P<s>\\w+)\\.example\\.com$', '~[', '~example', '*.b', 'a.b', '.a.b', 'a.*'];
const HOSTS = ['api.example.com', 'www.example.com', 'example.com', 'x.api.example.com', 'a..b', 'a.b', 'c.a.b', 'api.example.com.', 'nothing.test', 'API.EXAMPLE.COM', '*.example.com', '_', '.example.com', 'a.'];
const LISTENS = ['*:80', '*:443', '127.0.0.1:8080', 'unix:/run/x.sock'];
const PATTERNS = ['/', '/api/', '/api', '/api/v1/', '/static/', '/exact', '\\.php$', '^/api/.*\\.json$', '[', '@fallback', '/a', '/ab'];
const PATHS = ['/', '/api/', '/api/users', '/api/v1/x.json', '/static/x.php', '/exact', '/exact/more', '/index.php', '/INDEX.PHP', '/a', '/abc', '@fallback', '~ \\.php$', '= /exact', '~\\.php$', '^~ /static/', '/api', 'api'];

function randomServers(r: () => number): ServerBlock[] {
  return Array.from({ length: int(r, 0, 8) }, (_, i) => ({
    file: '/s/nginx.conf',
    line: i + 1,
    module: r() < 0.9 ? ('http' as const) : ('stream' as const),
    names: Array.from({ length: int(r, 0, 3) }, () => pick(r, NAME_WORDS)),
    listens: Array.from({ length: int(r, 1, 3) }, () => ({ key: pick(r, LISTENS), defaultServer: r() < 0.2 })),
    passes: [],
    locations: [],
  }));
}

function randomLocations(r: () => number, depth = 0): LocationNode[] {
  return Array.from({ length: int(r, 0, depth === 0 ? 7 : 3) }, (_, i) => {
    const modifier = pick(r, ['', '', '=', '^~', '~', '~*', '@'] as const);
    const pattern = modifier === '@' ? '@fallback' : pick(r, PATTERNS);
    return { file: '/s/nginx.conf', line: depth * 100 + i, modifier, pattern, passes: [], children: depth < 2 ? randomLocations(r, depth + 1) : [] };
  });
}

test('the indexed selection picks what nginx rules pick, block by block: random server names and listens', () => {
  for (let seed = 1; seed <= 1500; seed++) {
    const r = rng(seed);
    const s = randomServers(r);
    const names = Array.from({ length: int(r, 1, 2) }, () => pick(r, HOSTS));
    assert.deepEqual(lines(selectServers(s, names).servers), lines(referenceServers(s, names).servers), `seed ${seed}: ${JSON.stringify({ names, s })}`);
    assert.equal(selectServers(s, names).fallback, referenceServers(s, names).fallback, `seed ${seed}`);
  }
});

test('the indexed location match agrees with nginx rules, location by location: random location trees', () => {
  for (let seed = 1; seed <= 1500; seed++) {
    const r = rng(seed);
    const locs = randomLocations(r);
    for (const path of PATHS) assert.equal(selectLocation(locs, path), referenceLocation(locs, path), `seed ${seed} ${path}`);
  }
});
