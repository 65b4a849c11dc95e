// An Ansible inventory as the gate reads it: groups with their hosts,
// children and vars, and each host's own vars. The INI and YAML readers
// build it; `fleetTargets()` turns the selected hosts into what the gate
// connects to (address, port, user, key), with the variables merged as
// Ansible merges them (all, then deeper groups, then the host).
import { append } from '../append.js';
import { UserError } from '../user-error.js';

export type Vars = Record<string, unknown>;

export interface InventoryGroup {
  name: string;
  /** hosts named in this group itself, in file order */
  hosts: string[];
  children: string[];
  vars: Vars;
  /** where the group was first named: file:line */
  at?: string;
}

export interface Inventory {
  file: string;
  /** every host, in the order first named */
  hosts: string[];
  hostVars: Map<string, Vars>;
  /** where each host was first named: file:line */
  hostAt: Map<string, string>;
  groups: Map<string, InventoryGroup>;
}

/** One host the fleet gates: how to reach it over SSH. */
export interface FleetTarget {
  /** the inventory's name (or the --ssh text) */
  name: string;
  address: string;
  port?: number;
  user?: string;
  keyFile?: string;
}

export function emptyInventory(file: string): Inventory {
  const inv: Inventory = { file, hosts: [], hostVars: new Map(), hostAt: new Map(), groups: new Map() };
  group(inv, 'all');
  group(inv, 'ungrouped');
  return inv;
}

export function group(inv: Inventory, name: string, at?: string): InventoryGroup {
  let g = inv.groups.get(name);
  if (!g) {
    g = { name, hosts: [], children: [], vars: {}, ...(at !== undefined && { at }) };
    inv.groups.set(name, g);
  }
  return g;
}

export function addHost(inv: Inventory, groupName: string, name: string, vars: Vars, at: string): void {
  if (!inv.hostVars.has(name)) {
    inv.hosts.push(name);
    inv.hostVars.set(name, {});
    inv.hostAt.set(name, at);
  }
  Object.assign(inv.hostVars.get(name) as Vars, vars);
  const g = group(inv, groupName, at);
  if (!g.hosts.includes(name)) g.hosts.push(name);
}

export function addChild(inv: Inventory, parent: string, child: string, at: string): void {
  if (child === 'all') throw new UserError('the group "all" cannot be a child of another group', at);
  const p = group(inv, parent, at);
  group(inv, child, at);
  if (parent === child || descendants(inv, child).has(parent)) throw new UserError(`group "${child}" would be its own ancestor through "${parent}"`, at);
  if (!p.children.includes(child)) p.children.push(child);
}

/** Every group under `name`, itself excluded. */
export function descendants(inv: Inventory, name: string): Set<string> {
  const seen = new Set<string>();
  const todo = [...(inv.groups.get(name)?.children ?? [])];
  while (todo.length) {
    const g = todo.pop() as string;
    if (seen.has(g)) continue;
    seen.add(g);
    append(todo, inv.groups.get(g)?.children ?? []);
  }
  return seen;
}

/**
 * The hosts of a group and of every group under it, in Ansible's order (a
 * subscript such as `db[0]` picks by it): the group's own hosts, then its
 * children's, level by level.
 */
export function hostsOf(inv: Inventory, name: string): string[] {
  if (name === 'all') return [...inv.hosts];
  if (name === 'ungrouped') return ungrouped(inv);
  const order = [name];
  const seen = new Set(order);
  for (let i = 0; i < order.length; i++) {
    for (const c of inv.groups.get(order[i] as string)?.children ?? []) {
      if (!seen.has(c)) {
        seen.add(c);
        order.push(c);
      }
    }
  }
  const members = new Set<string>();
  for (const g of order) for (const h of inv.groups.get(g)?.hosts ?? []) members.add(h);
  return [...members];
}

/** Hosts that no group but `all` and `ungrouped` holds. */
function ungrouped(inv: Inventory): string[] {
  const grouped = new Set<string>();
  for (const g of inv.groups.values()) if (g.name !== 'all' && g.name !== 'ungrouped') for (const h of g.hosts) grouped.add(h);
  return inv.hosts.filter((h) => !grouped.has(h));
}

/** Groups that hold the host, directly or through a child, with their depth under `all`. */
function groupsOfHost(inv: Inventory, host: string): { name: string; depth: number }[] {
  const depth = depths(inv);
  const out: { name: string; depth: number }[] = [];
  for (const g of inv.groups.values()) {
    if (g.name === 'all') continue;
    if (hostsOf(inv, g.name).includes(host)) out.push({ name: g.name, depth: depth.get(g.name) ?? 1 });
  }
  out.push({ name: 'all', depth: 0 });
  return out;
}

/** A group's depth: the longest chain of parents up to `all` (all 0, top-level groups 1). */
function depths(inv: Inventory): Map<string, number> {
  const parents = new Map<string, string[]>();
  for (const g of inv.groups.values()) for (const c of g.children) parents.set(c, [...(parents.get(c) ?? []), g.name]);
  const memo = new Map<string, number>([['all', 0]]);
  const depthOf = (name: string): number => {
    const known = memo.get(name);
    if (known !== undefined) return known;
    const ps = (parents.get(name) ?? []).filter((p) => p !== 'all');
    const d = ps.reduce((most, p) => Math.max(most, depthOf(p) + 1), 1);
    memo.set(name, d);
    return d;
  };
  for (const g of inv.groups.keys()) depthOf(g);
  return memo;
}

/**
 * A host's variables as Ansible merges them: `all`'s first, then each group's
 * by depth (a child group overrides its parent), then by
 * `ansible_group_priority`, then by name; the host's own last.
 */
export function varsOf(inv: Inventory, host: string): Vars {
  const groups = groupsOfHost(inv, host).map((g) => ({ ...g, priority: Number(inv.groups.get(g.name)?.vars.ansible_group_priority ?? 1) }));
  groups.sort((a, b) => a.depth - b.depth || a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: Vars = {};
  for (const g of groups) Object.assign(out, inv.groups.get(g.name)?.vars);
  return Object.assign(out, inv.hostVars.get(host));
}

export function fleetTarget(inv: Inventory, host: string): FleetTarget {
  const vars = varsOf(inv, host);
  const at = inv.hostAt.get(host) ?? inv.file;
  const address = text(vars, ['ansible_host', 'ansible_ssh_host'], at) ?? host;
  const portText = text(vars, ['ansible_port', 'ansible_ssh_port'], at);
  const user = text(vars, ['ansible_user', 'ansible_ssh_user'], at);
  const keyFile = text(vars, ['ansible_ssh_private_key_file', 'ansible_private_key_file'], at);
  let port: number | undefined;
  if (portText !== undefined) {
    port = Number(portText);
    if (!/^\d+$/.test(portText) || port < 1 || port > 65535) throw new UserError(`host "${host}": ansible_port must be a port number (1-65535), got "${portText}"`, at);
  }
  return { name: host, address, ...(port !== undefined && { port }), ...(user !== undefined && { user }), ...(keyFile !== undefined && { keyFile }) };
}

/** The first of `keys` that is set, as text; a Jinja template cannot be evaluated here, so it is refused. */
function text(vars: Vars, keys: string[], at: string): string | undefined {
  for (const k of keys) {
    const v = vars[k];
    if (v === undefined || v === null) continue;
    if (typeof v === 'object') throw new UserError(`${k} must be a single value, got ${JSON.stringify(v)}`, at);
    const s = String(v);
    if (s.includes('{{') || s.includes('{%')) throw new UserError(`${k} is a Jinja template ("${s}"), which only Ansible can evaluate: give the value itself`, at);
    return s;
  }
  return undefined;
}
