// `--limit PATTERN`: Ansible's host patterns (inventory/manager.py), so a
// limit selects here the hosts it selects in a playbook run. Terms are
// separated by `,` (or `:` outside brackets); a plain term adds hosts, `&`
// keeps only hosts it also matches, `!` removes the hosts it matches, applied
// in that order whatever their place. A term is `all`, a group (its hosts and
// its children's), a host, a shell glob (`web*`, `db?`, `[ab]*`) matched
// against group and host names, or a regex after `~`; `NAME[i]`, `NAME[i:j]`
// pick from its matches by position.
import { append } from '../append.js';
import { UserError } from '../user-error.js';
import { hostsOf, type Inventory } from './inventory.js';

export function selectHosts(inv: Inventory, pattern: string, shown = '--limit'): string[] {
  const terms = splitPattern(pattern);
  const regular = terms.filter((t) => !t.startsWith('&') && !t.startsWith('!'));
  const ordered = [...(regular.length ? regular : ['all']), ...terms.filter((t) => t.startsWith('&')), ...terms.filter((t) => t.startsWith('!'))];
  let hosts: string[] = [];
  for (const term of ordered) {
    if (inv.hostVars.has(term)) {
      if (!hosts.includes(term)) hosts.push(term);
      continue;
    }
    const that = matchOne(inv, term.startsWith('&') || term.startsWith('!') ? term.slice(1) : term, shown);
    if (term.startsWith('!')) hosts = hosts.filter((h) => !that.has(h));
    else if (term.startsWith('&')) hosts = hosts.filter((h) => that.has(h));
    else for (const h of that) if (!hosts.includes(h)) hosts.push(h);
  }
  return hosts;
}

export function splitPattern(pattern: string): string[] {
  const parts = pattern.includes(',') ? pattern.split(',') : isAddress(pattern) ? [pattern] : (pattern.match(/(?:[^\s:[\]]|\[[^\]]*\])+/g) ?? []);
  return parts.map((p) => p.trim()).filter(Boolean);
}

/** An IPv6 address is one term, not terms split at its colons. */
function isAddress(p: string): boolean {
  return /^\[?[0-9a-fA-F:.]*:[0-9a-fA-F:.]*:[0-9a-fA-F:.]*\]?$/.test(p);
}

const SUBSCRIPT = /^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$/;

function matchOne(inv: Inventory, pattern: string, shown: string): Set<string> {
  let expr = pattern;
  let pick: ((hosts: string[]) => string[]) | undefined;
  const m = pattern.startsWith('~') ? null : SUBSCRIPT.exec(pattern);
  if (m) {
    expr = m[1] as string;
    if (m[2] !== undefined) {
      const i = Number(m[2]);
      pick = (hosts) => {
        const h = hosts[i < 0 ? hosts.length + i : i];
        if (h === undefined) throw new UserError(`no host matched the subscripted pattern "${pattern}"`, shown);
        return [h];
      };
    } else {
      const start = Number(m[3]);
      pick = (hosts) => hosts.slice(start, m[5] ? Number(m[5]) + 1 : undefined);
    }
  }
  const hosts = enumerate(inv, expr, shown);
  return new Set(pick ? pick(hosts) : hosts);
}

function enumerate(inv: Inventory, pattern: string, shown: string): string[] {
  const re = compile(pattern, shown);
  const results: string[] = [];
  const groups = [...inv.groups.keys()].filter((g) => re.test(g));
  for (const g of groups) append(results, hostsOf(inv, g));
  if (!groups.length || pattern.startsWith('~') || /[.?*[]/.test(pattern)) for (const h of inv.hosts) if (re.test(h)) results.push(h);
  return [...new Set(results)];
}

function compile(pattern: string, shown: string): RegExp {
  try {
    // Python's re.match: anchored at the start only; fnmatch's translation is anchored at both ends
    return pattern.startsWith('~') ? new RegExp(`^(?:${pattern.slice(1)})`) : new RegExp(`^${globToRegex(pattern)}$`, 's');
  } catch (e) {
    throw new UserError(`invalid host pattern "${pattern}": ${(e as Error).message}`, shown);
  }
}

/** Python's fnmatch.translate: `*`, `?`, `[seq]`, `[!seq]`; an unclosed `[` is itself. */
function globToRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[') {
      let j = i + 1;
      if (glob[j] === '!') j++;
      if (glob[j] === ']') j++;
      while (j < glob.length && glob[j] !== ']') j++;
      if (j >= glob.length) out += '\\[';
      else {
        let body = glob.slice(i + 1, j).replace(/\\/g, '\\\\');
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        else if (body.startsWith('^')) body = `\\${body}`;
        out += `[${body}]`;
        i = j;
      }
    } else out += c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  }
  return out;
}
