// Which server{} blocks and location a request for the spec's name and path
// reaches, as nginx picks them: per listening address, exact name, then the
// longest leading wildcard, the longest trailing wildcard, the first regex,
// and otherwise that address's default server.
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

/** nginx's PCRE -> JavaScript: named groups `(?P<x>` are `(?<x>`. */
export function nginxRegExp(pattern: string, caseless = false): RegExp | undefined {
  try {
    return new RegExp(pattern.replace(/\(\?P</g, '(?<'), caseless ? 'i' : '');
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

function better(a: Rank, b: Rank): boolean {
  return a[0] > b[0] || (a[0] === b[0] && a[0] !== 1 && a[1] > b[1]);
}

/** The http server blocks that serve `name` (any of the spec's names). */
export function selectServers(servers: readonly ServerBlock[], names: readonly string[]): Selection {
  const http = servers.filter((s) => s.module === 'http');
  const byListen = new Map<string, ServerBlock[]>();
  for (const s of http) {
    for (const l of s.listens) {
      const list = byListen.get(l.key) ?? [];
      if (!list.includes(s)) list.push(s);
      byListen.set(l.key, list);
    }
  }
  const chosen = new Set<ServerBlock>();
  for (const name of names) {
    for (const group of byListen.values()) {
      const pick = pickByName(group, name);
      if (pick) chosen.add(pick);
    }
  }
  if (chosen.size > 0) return { servers: http.filter((s) => chosen.has(s)), fallback: false };
  for (const [key, group] of byListen) {
    const def = group.find((s) => s.listens.some((l) => l.key === key && l.defaultServer)) ?? group[0];
    if (def) chosen.add(def);
  }
  return { servers: http.filter((s) => chosen.has(s)), fallback: true };
}

function pickByName(group: readonly ServerBlock[], name: string): ServerBlock | undefined {
  // A pattern copied from the config (`*.example.com`, `_`) selects the blocks that list it.
  if (!isHostName(name)) return group.find((s) => s.names.some((n) => n.toLowerCase() === name.toLowerCase()));
  let best: { server: ServerBlock; rank: Rank } | undefined;
  for (const s of group) {
    for (const n of s.names) {
      const rank = rankName(n, name);
      if (rank && (!best || better(rank, best.rank))) best = { server: s, rank };
    }
  }
  return best?.server;
}

/**
 * The location a request for `path` ends in (nginx: exact `=`, else the longest
 * prefix; `^~` stops there, otherwise regexes in order win over it). A spec
 * value written like a location line (`~ \.php$`, `@app`) matches literally.
 */
export function selectLocation(locations: readonly LocationNode[], path: string): LocationNode | undefined {
  const literal = findLiteral(locations, path.trim());
  if (literal) return literal;
  if (!path.startsWith('/')) return undefined;
  return matchUri(locations, path);
}

function findLiteral(locations: readonly LocationNode[], spec: string): LocationNode | undefined {
  for (const l of locations) {
    const written = l.modifier === '' || l.modifier === '@' ? l.pattern : `${l.modifier} ${l.pattern}`;
    if (written === spec || (l.modifier !== '' && `${l.modifier}${l.pattern}` === spec)) return l;
    const inner = findLiteral(l.children, spec);
    if (inner) return inner;
  }
  return undefined;
}

function matchUri(locations: readonly LocationNode[], uri: string): LocationNode | undefined {
  const exact = locations.find((l) => l.modifier === '=' && l.pattern === uri);
  if (exact) return exact;
  let prefix: LocationNode | undefined;
  for (const l of locations) {
    if ((l.modifier === '' || l.modifier === '^~') && uri.startsWith(l.pattern) && (!prefix || l.pattern.length > prefix.pattern.length)) prefix = l;
  }
  if (prefix) {
    const nested = matchUri(prefix.children, uri);
    if (nested && nested !== prefix) return nested;
    if (prefix.modifier === '^~') return prefix;
  }
  for (const l of locations) {
    if (l.modifier !== '~' && l.modifier !== '~*') continue;
    if (nginxRegExp(l.pattern, l.modifier === '~*')?.test(uri)) return l;
  }
  return prefix;
}
