// Which server{} blocks and location a request for the spec's name and path
// reaches, as nginx picks them: per listening address, exact name, then the
// longest leading wildcard, the longest trailing wildcard, the first regex,
// and otherwise that address's default server.
import { caselessRegExp } from './caseless-regexp.js';
import type { LocationNode, ServerBlock } from './model.js';

export interface Selection {
  servers: ServerBlock[];
  /** no block names it: these are the default servers that would answer instead */
  fallback: boolean;
}

/** A name users write as a host (`api.example.com`), not as a server_name pattern. */
function isHostName(n: string): boolean {
  return /^[a-z0-9_.-]+$/i.test(n) && !n.startsWith('.') && n !== '_';
}

/** nginx's PCRE -> JavaScript: named groups `(?P<x>` are `(?<x>`; caseless without the `i` flag (./caseless-regexp.ts). */
export function nginxRegExp(pattern: string, caseless = false): RegExp | undefined {
  try {
    const js = pattern.replace(/\(\?P</g, '(?<');
    return caseless ? caselessRegExp(js) : new RegExp(js);
  } catch {
    return undefined;
  }
}

type Rank = [tier: number, length: number];

/** How well a server_name entry matches a host: tier 4 exact ... 1 regex; undefined = no match. */
export function rankName(entry: string, host: string): Rank | undefined {
  const e = entry.toLowerCase();
  const h = host.toLowerCase().replace(/\.$/, '');
  if (e === h) return [4, e.length];
  if (e.startsWith('~')) {
    const re = nginxRegExp(entry.slice(1), true);
    return re?.test(h) ? [1, 0] : undefined;
  }
  if (e.startsWith('*.')) return h.endsWith(e.slice(1)) ? [3, e.length] : undefined;
  if (e.startsWith('.')) return h === e.slice(1) || h.endsWith(e) ? [3, e.length] : undefined;
  if (e.endsWith('.*')) return h.startsWith(e.slice(0, -1)) ? [2, e.length] : undefined;
  return undefined;
}

/**
 * Where each server_name entry leads, per listening address (a group): built
 * once per config, on first use, so selecting the blocks of each of ten
 * thousand services is a few lookups, not a pass over every block.
 */
interface ServerIndex {
  /** http blocks by their place in the config */
  position: ReadonlyMap<ServerBlock, number>;
  /** per group, the block that answers names no block lists */
  defaults: readonly ServerBlock[];
  /** entry as written, lower-cased (names and patterns alike) -> group -> the first block listing it */
  exact: Map<string, Map<number, ServerBlock>>;
  /** tier-3 wildcards as written (`*.example.com`, `.example.com`), and `=example.com` for what `.example.com` also names */
  leading: Map<string, Map<number, Hit>>;
  /** tier-2 wildcards by the text the host must start with (`www.example.`) */
  trailing: Map<string, Map<number, Hit>>;
  /** the lengths of the host's tail (`.example.com`) or head (`www.example.`) the wildcards test, longest first: a host is cut only at those */
  leadingLengths: readonly number[];
  trailingLengths: readonly number[];
  /** `~regex` entries in config order, compiled once */
  regexes: readonly { re: RegExp; server: ServerBlock; groups: readonly number[] }[];
}

interface Hit {
  server: ServerBlock;
  /** the entry's length: the longest wildcard wins */
  length: number;
  /** the entry's place in the config: the first one wins a tie */
  order: number;
}

const serverIndexes = new WeakMap<readonly ServerBlock[], ServerIndex>();

function indexServers(all: readonly ServerBlock[]): ServerIndex {
  const known = serverIndexes.get(all);
  if (known) return known;
  const servers = all.filter((s) => s.module === 'http');
  const position = new Map(servers.map((s, i) => [s, i]));
  const groupOf = new Map<string, number>();
  const groups: ServerBlock[][] = [];
  const defaults: ServerBlock[] = [];
  const memberOf = new Map<ServerBlock, number[]>();
  for (const s of servers) {
    const mine: number[] = [];
    for (const l of s.listens) {
      let g = groupOf.get(l.key);
      if (g === undefined) {
        g = groups.length;
        groupOf.set(l.key, g);
        groups.push([]);
      }
      const list = groups[g] as ServerBlock[];
      // a block listed twice on one address (two `listen` lines) is one candidate
      if (list[list.length - 1] !== s) {
        list.push(s);
        mine.push(g);
      }
      if (l.defaultServer && defaults[g] === undefined) defaults[g] = s;
    }
    memberOf.set(s, mine);
  }
  groups.forEach((list, g) => (defaults[g] ??= list[0] as ServerBlock));

  const exact = new Map<string, Map<number, ServerBlock>>();
  const leading = new Map<string, Map<number, Hit>>();
  const trailing = new Map<string, Map<number, Hit>>();
  const regexes: ServerIndex['regexes'][number][] = [];
  let order = 0;
  for (const server of servers) {
    const mine = memberOf.get(server) ?? [];
    for (const name of server.names) {
      const e = name.toLowerCase();
      const hit = { server, length: e.length, order: order++ };
      for (const g of mine) firstIn(exact, e, g, server);
      // the tiers as rankName reads an entry
      if (e.startsWith('~')) {
        const re = nginxRegExp(name.slice(1), true);
        if (re) regexes.push({ re, server, groups: mine });
      } else if (e.startsWith('*.')) {
        for (const g of mine) firstIn(leading, e, g, hit);
      } else if (e.startsWith('.')) {
        for (const g of mine) {
          firstIn(leading, e, g, hit);
          // `.example.com` is `example.com` too, ranked as the wildcard it is
          firstIn(leading, `=${e.slice(1)}`, g, hit);
        }
      } else if (e.endsWith('.*')) {
        for (const g of mine) firstIn(trailing, e.slice(0, -1), g, hit);
      }
    }
  }
  const lengths = (keys: Iterable<string>) => [...new Set(keys)].map((k) => k.length).sort((x, y) => y - x);
  const tails = [...leading.keys()].filter((k) => !k.startsWith('=')).map((k) => k.replace(/^\*/, ''));
  const index: ServerIndex = { position, defaults, exact, leading, trailing, leadingLengths: lengths(tails), trailingLengths: lengths(trailing.keys()), regexes };
  serverIndexes.set(all, index);
  return index;
}

function firstIn<T>(map: Map<string, Map<number, T>>, key: string, group: number, value: T): void {
  let byGroup = map.get(key);
  if (!byGroup) {
    byGroup = new Map();
    map.set(key, byGroup);
  }
  if (!byGroup.has(group)) byGroup.set(group, value);
}

/** The http server blocks that serve `name` (any of the spec's names). */
export function selectServers(all: readonly ServerBlock[], names: readonly string[]): Selection {
  const index = indexServers(all);
  const chosen = new Set<ServerBlock>();
  for (const name of names) for (const s of pickByName(index, name)) chosen.add(s);
  const fallback = chosen.size === 0;
  const servers = fallback ? new Set(index.defaults) : chosen;
  return { servers: [...servers].sort((a, b) => (index.position.get(a) ?? 0) - (index.position.get(b) ?? 0)), fallback };
}

/** Per listening address, the block nginx picks for `name`: exact, longest leading wildcard, longest trailing wildcard, first regex. */
function pickByName(index: ServerIndex, name: string): Iterable<ServerBlock> {
  // A pattern copied from the config (`*.example.com`, `_`) selects the blocks that list it.
  if (!isHostName(name)) return index.exact.get(name.toLowerCase())?.values() ?? [];
  const h = name.toLowerCase().replace(/\.$/, '');
  const best = new Map<number, { server: ServerBlock; tier: number; length: number; order: number }>();
  const offer = (hits: Map<number, Hit> | undefined, tier: number) => {
    for (const [g, hit] of hits ?? []) {
      const had = best.get(g);
      if (!had || tier > had.tier || (tier === had.tier && (hit.length > had.length || (hit.length === had.length && hit.order < had.order)))) best.set(g, { ...hit, tier });
    }
  };
  for (const [g, server] of index.exact.get(h) ?? []) best.set(g, { server, tier: 4, length: h.length, order: 0 });
  for (const n of index.leadingLengths) {
    if (n > h.length || h[h.length - n] !== '.') continue;
    const tail = h.slice(h.length - n);
    offer(index.leading.get(`*${tail}`), 3);
    offer(index.leading.get(tail), 3);
  }
  offer(index.leading.get(`=${h}`), 3);
  for (const n of index.trailingLengths) if (n <= h.length && h[n - 1] === '.') offer(index.trailing.get(h.slice(0, n)), 2);
  for (const r of index.regexes) {
    if (r.groups.every((g) => best.has(g)) || !r.re.test(h)) continue;
    for (const g of r.groups) if (!best.has(g)) best.set(g, { server: r.server, tier: 1, length: 0, order: 0 });
  }
  return [...best.values()].map((b) => b.server);
}

/**
 * The location a request for `path` ends in (nginx: exact `=`, else the longest
 * prefix; `^~` stops there, otherwise regexes in order win over it). A spec
 * value written like a location line (`~ \.php$`, `@app`) matches literally.
 */
export function selectLocation(locations: readonly LocationNode[], path: string): LocationNode | undefined {
  const literal = literals(locations).get(path.trim());
  if (literal) return literal;
  if (!path.startsWith('/')) return undefined;
  return matchUri(locations, path);
}

interface Level {
  exact: Map<string, LocationNode>;
  /** `''` and `^~` locations by pattern; the first of equal patterns */
  prefix: Map<string, LocationNode>;
  /** the pattern lengths in `prefix`, longest first: a URI is cut only at those */
  prefixLengths: number[];
  regexes: { location: LocationNode; re: RegExp | undefined }[];
}

// Built once per list of locations (a server's, a location's children), on
// first use, as the server index is: one service or ten thousand ask the same lists.
const levels = new WeakMap<readonly LocationNode[], Level>();
const literalIndexes = new WeakMap<readonly LocationNode[], Map<string, LocationNode>>();

function level(locations: readonly LocationNode[]): Level {
  let l = levels.get(locations);
  if (l) return l;
  l = { exact: new Map(), prefix: new Map(), prefixLengths: [], regexes: [] };
  for (const loc of locations) {
    if (loc.modifier === '=' && !l.exact.has(loc.pattern)) l.exact.set(loc.pattern, loc);
    else if ((loc.modifier === '' || loc.modifier === '^~') && !l.prefix.has(loc.pattern)) l.prefix.set(loc.pattern, loc);
    else if (loc.modifier === '~' || loc.modifier === '~*') l.regexes.push({ location: loc, re: nginxRegExp(loc.pattern, loc.modifier === '~*') });
  }
  l.prefixLengths = [...new Set([...l.prefix.keys()].map((k) => k.length))].sort((a, b) => b - a);
  levels.set(locations, l);
  return l;
}

/** Every location at any depth by the ways a spec may write it (`/api/`, `~ \.php$`, `~\.php$`, `@app`); the first in config order wins. */
function literals(locations: readonly LocationNode[]): Map<string, LocationNode> {
  let m = literalIndexes.get(locations);
  if (m) return m;
  const out = new Map<string, LocationNode>();
  const add = (key: string, l: LocationNode) => {
    if (!out.has(key)) out.set(key, l);
  };
  const walk = (list: readonly LocationNode[]): void => {
    for (const l of list) {
      add(l.modifier === '' || l.modifier === '@' ? l.pattern : `${l.modifier} ${l.pattern}`, l);
      if (l.modifier !== '') add(`${l.modifier}${l.pattern}`, l);
      walk(l.children);
    }
  };
  walk(locations);
  m = out;
  literalIndexes.set(locations, m);
  return m;
}

function matchUri(locations: readonly LocationNode[], uri: string): LocationNode | undefined {
  const l = level(locations);
  const exact = l.exact.get(uri);
  if (exact) return exact;
  let prefix: LocationNode | undefined;
  for (const n of l.prefixLengths) {
    prefix = n <= uri.length ? l.prefix.get(uri.slice(0, n)) : undefined;
    if (prefix) break;
  }
  if (prefix) {
    const nested = matchUri(prefix.children, uri);
    if (nested && nested !== prefix) return nested;
    if (prefix.modifier === '^~') return prefix;
  }
  for (const r of l.regexes) if (r.re?.test(uri)) return r.location;
  return prefix;
}
