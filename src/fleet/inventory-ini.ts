// Ansible's INI inventory: `[group]` host lines (`name[:port] key=value ...`,
// split as a POSIX shell splits them, `#` starting a comment), `[group:vars]`
// `key=value` lines, `[group:children]` group names; hosts before any
// section are ungrouped. Ansible's rules (plugins/inventory/ini.py),
// including its errors: a child group that is never declared, vars of a
// group that is never declared.
import { shellWords } from '../shell-words.js';
import { UserError } from '../user-error.js';
import { expandRange, splitPort } from './host-range.js';
import { addChild, addHost, emptyInventory, group, type Inventory, type Vars } from './inventory.js';

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:#.*)?$/;

export function parseIniInventory(text: string, file: string, shown: string): Inventory {
  const inv = emptyInventory(file);
  /** groups named before they are declared: a child group, or a group's vars */
  const pending = new Map<string, { line: number; state: 'vars' | 'children'; parents: string[] }>();
  let groupName = 'ungrouped';
  let state = 'hosts';
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    const at = `${shown}:${lineNo}`;
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) return;
    const m = SECTION.exec(line);
    if (m) {
      groupName = m[1] as string;
      state = m[2] ?? 'hosts';
      if (!['hosts', 'children', 'vars'].includes(state)) throw new UserError(`section [${groupName}:${state}] has an unknown type: ${state} (hosts, children or vars)`, at);
      if (!inv.groups.has(groupName)) {
        if (state === 'vars' && !pending.has(groupName)) pending.set(groupName, { line: lineNo, state: 'vars', parents: [] });
        group(inv, groupName, at);
      }
      const p = pending.get(groupName);
      if (p && state !== 'vars') {
        if (p.state === 'children') for (const parent of p.parents) addChild(inv, parent, groupName, `${shown}:${p.line}`);
        pending.delete(groupName);
      }
      return;
    }
    if (line.startsWith('[') && line.endsWith(']')) throw new UserError(`invalid section "${line}": no spaces or other characters inside the brackets`, at);
    if (state === 'hosts') {
      const tokens = lineWords(line, at);
      if (tokens.length === 0) return;
      const first = tokens[0] as string;
      if (first.endsWith(':')) throw new UserError(`host "${first}" ends in ":", which is reserved for a port`, at);
      const { name, port } = splitPort(first, at);
      const vars: Vars = {};
      for (const t of tokens.slice(1)) {
        const eq = t.indexOf('=');
        if (eq < 0) throw new UserError(`expected key=value host variable, got "${t}"`, at);
        vars[t.slice(0, eq)] = iniValue(t.slice(eq + 1));
      }
      if (port !== undefined) vars.ansible_port = port;
      for (const h of expandRange(name, at)) addHost(inv, groupName, h, vars, at);
    } else if (state === 'vars') {
      const eq = line.indexOf('=');
      if (eq < 0) throw new UserError(`expected key=value, got "${line}"`, at);
      group(inv, groupName).vars[line.slice(0, eq).trim()] = iniValue(line.slice(eq + 1).trim());
    } else {
      const c = GROUP_NAME.exec(line);
      if (!c) throw new UserError(`expected a group name, got "${line}"`, at);
      const child = c[1] as string;
      if (inv.groups.has(child)) addChild(inv, groupName, child, at);
      else {
        const p = pending.get(child);
        if (p) p.parents.push(groupName);
        else pending.set(child, { line: lineNo, state: 'children', parents: [groupName] });
      }
    }
  });
  for (const [name, p] of pending) {
    const at = `${shown}:${p.line}`;
    if (p.state === 'vars') throw new UserError(`section [${name}:vars] is for a group that is never declared`, at);
    throw new UserError(`section [${p.parents.at(-1) ?? ''}:children] names a group that is never declared: ${name}`, at);
  }
  return inv;
}

/**
 * A value as Ansible reads it (Python's literal_eval, else the text): a quoted
 * string loses its quotes, a number stays the digits it was written as.
 */
function iniValue(v: string): unknown {
  const q = /^(['"])(.*)\1$/s.exec(v);
  if (q) return (q[2] as string).replace(/\\(.)/g, '$1');
  return v;
}

/** POSIX shell words (shlex.split with comments): quotes, backslashes, `#` outside quotes ends the line. */
function lineWords(line: string, at: string): string[] {
  const words = shellWords(line, { comments: true });
  if (Array.isArray(words)) return words;
  throw new UserError(words.problem === 'unterminated' ? `no closing quotation (${words.quote})` : 'a backslash at the end of the line escapes nothing', at);
}
