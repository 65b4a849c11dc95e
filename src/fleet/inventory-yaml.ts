// Ansible's YAML inventory: top-level groups (usually `all`), each with
// `hosts` (name -> vars), `vars` and `children` (name -> group), nested to
// any depth. Ansible's rules (plugins/inventory/yaml.py); where Ansible only
// warns and skips (a key other than hosts, vars and children, a group that
// is not a mapping) the gate stops with the line, as a typo would otherwise
// drop hosts from the gate without a word.
import { isAlias, isMap, isScalar, LineCounter, parseDocument, type Document, type Node, type Pair } from 'yaml';
import { UserError } from '../user-error.js';
import { expandRange, splitPort } from './host-range.js';
import { addChild, addHost, emptyInventory, group, type Inventory, type Vars } from './inventory.js';

/** Aliases a value may expand through: an alias bomb is refused before it is expanded (as the spec's reader does). */
const MAX_ALIASES = 100;

export function parseYamlInventory(text: string, file: string, shown: string): Inventory {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const at = (node: { range?: [number, number, number] | null } | null | undefined) => `${shown}:${lineCounter.linePos(node?.range?.[0] ?? 0).line}`;
  const first = doc.errors[0];
  if (first) throw new UserError(oneLine(first.message), `${shown}:${lineCounter.linePos(first.pos[0]).line}`);
  const inv = emptyInventory(file);
  const root = deref(doc, doc.contents as Node | null);
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) throw new UserError('the inventory is empty', `${shown}:1`);
  if (!isMap(root)) throw new UserError('a YAML inventory must be a mapping of groups (all: {hosts: ..., children: ...})', at(root));
  if (root.items.some((p) => keyText(p) === 'plugin')) throw new UserError('this is an inventory plugin configuration, not an inventory: give the inventory itself', at(root));

  const parseGroup = (name: string, node: Node | null, where: string): void => {
    group(inv, name, where);
    if (node === null || (isScalar(node) && node.value === null)) return;
    if (!isMap(node)) throw new UserError(`group "${name}" must be a mapping of hosts, vars and children`, at(node));
    for (const pair of node.items) {
      const key = keyText(pair);
      const keyAt = at(pair.key as Node);
      let value = deref(doc, pair.value as Node | null);
      if (value === null || (isScalar(value) && value.value === null)) continue;
      if (!['hosts', 'vars', 'children'].includes(key)) throw new UserError(`group "${name}": unexpected key "${key}" (hosts, vars or children)`, keyAt);
      if (isScalar(value) && typeof value.value === 'string') value = null;
      if (value !== null && !isMap(value)) throw new UserError(`group "${name}": "${key}" must be a mapping`, at(value));
      const entries: [string, Node | null, string][] =
        value === null ? [[String((deref(doc, pair.value as Node) as { value: unknown }).value), null, keyAt]] : value.items.map((p) => [keyText(p), deref(doc, p.value as Node | null), at(p.key as Node)]);
      if (key === 'vars') {
        for (const [k, v] of entries) group(inv, name).vars[k] = v === null ? null : toValue(doc, v, at(v));
      } else if (key === 'children') {
        for (const [child, v, where2] of entries) {
          parseGroup(child, v, where2);
          addChild(inv, name, child, where2);
        }
      } else {
        for (const [pattern, v, where2] of entries) {
          if (v !== null && !(isScalar(v) && v.value === null) && !isMap(v)) throw new UserError(`host "${pattern}": its value must be a mapping of variables`, at(v));
          const vars = (v === null || !isMap(v) ? {} : toValue(doc, v, at(v))) as Vars;
          if (pattern.endsWith(':')) throw new UserError(`host "${pattern}" ends in ":", which is reserved for a port`, where2);
          const { name: hostName, port } = splitPort(pattern, where2);
          if (port !== undefined) vars.ansible_port = port;
          for (const h of expandRange(hostName, where2)) addHost(inv, name, h, { ...vars }, where2);
        }
      }
    }
  };
  for (const pair of root.items) parseGroup(keyText(pair), deref(doc, pair.value as Node | null), at(pair.key as Node));
  return inv;
}

function deref(doc: Document, node: Node | null | undefined): Node | null {
  if (node === null || node === undefined) return null;
  return isAlias(node) ? ((node.resolve(doc) as Node | undefined) ?? null) : node;
}

function keyText(pair: Pair): string {
  const k = pair.key;
  return isScalar(k) ? String(k.value) : String(k);
}

function toValue(doc: Document, node: Node, at: string): unknown {
  try {
    return node.toJS(doc, { maxAliasCount: MAX_ALIASES });
  } catch (e) {
    throw new UserError(`YAML aliases expand too far (${oneLine((e as Error).message)})`, at);
  }
}

function oneLine(s: string): string {
  return s.split('\n')[0] ?? s;
}
