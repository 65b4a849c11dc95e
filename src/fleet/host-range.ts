// Host names as Ansible inventories write them: `web[01:03]` ranges (numeric
// with zero padding, or letters, with an optional step), and a port after
// the name (`web1:2222`, `[::1]:2222`). Ansible's own rules
// (expand_hostname_range, parse_address), so a name means the same here.
import { UserError } from '../user-error.js';

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** A range may expand to many names; an inventory that asks for more is refused rather than exhaust memory. */
export const MAX_RANGE_HOSTS = 100_000;

const RANGE = /\[[^\]]*:[^\]]*\]/;

export function hasRange(name: string): boolean {
  return RANGE.test(name);
}

/** `web[01:03].example` -> web01.example, web02.example, web03.example. */
export function expandRange(name: string, at: string, out: string[] = []): string[] {
  const m = RANGE.exec(name);
  if (!m) {
    out.push(name);
    return out;
  }
  const head = name.slice(0, m.index);
  const tail = name.slice(m.index + m[0].length);
  const bounds = m[0].slice(1, -1).split(':');
  if (bounds.length !== 2 && bounds.length !== 3) throw new UserError(`host range must be begin:end or begin:end:step, got "${m[0]}"`, at);
  const beg = bounds[0] || '0';
  const end = bounds[1] as string;
  const step = bounds.length === 3 ? Number(bounds[2]) : 1;
  if (!end) throw new UserError(`host range must specify an end value: "${m[0]}"`, at);
  if (!Number.isInteger(step) || step < 1) throw new UserError(`host range step must be a positive whole number: "${m[0]}"`, at);
  let fill = (x: string | number) => String(x);
  if (beg.length > 1 && beg.startsWith('0')) {
    if (beg.length !== end.length) throw new UserError(`host range must specify equal-length begin and end formats: "${m[0]}"`, at);
    fill = (x) => String(x).padStart(beg.length, '0');
  }
  const seq: (string | number)[] = [];
  const ib = beg.length === 1 ? LETTERS.indexOf(beg) : -1;
  const ie = end.length === 1 ? LETTERS.indexOf(end) : -1;
  if (ib >= 0 && ie >= 0) {
    if (ib > ie) throw new UserError(`host range must have begin <= end: "${m[0]}"`, at);
    for (let i = ib; i <= ie; i += step) seq.push(LETTERS[i] as string);
  } else {
    if (!/^\d+$/.test(beg) || !/^\d+$/.test(end)) throw new UserError(`host range bounds must be numbers or single letters: "${m[0]}"`, at);
    const b = Number(beg);
    const e = Number(end);
    if ((e - b) / step + out.length > MAX_RANGE_HOSTS) throw new UserError(`host range "${m[0]}" expands to more than ${MAX_RANGE_HOSTS} hosts`, at);
    for (let i = b; i <= e; i += step) seq.push(i);
  }
  for (const s of seq) {
    expandRange(`${head}${fill(s)}${tail}`, at, out);
    if (out.length > MAX_RANGE_HOSTS) throw new UserError(`host range "${name}" expands to more than ${MAX_RANGE_HOSTS} hosts`, at);
  }
  return out;
}

/** `name`, `name:port`, `[v6]:port`: the name (ranges kept) and the port. */
export function splitPort(text: string, at: string): { name: string; port?: number } {
  const v6 = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(text);
  if (v6?.[1]?.includes(':')) return { name: v6[1], ...(v6[2] !== undefined && { port: port(v6[2], text, at) }) };
  // a port follows the last colon outside brackets, when the name has no other colon (an IPv6 address without brackets has several)
  const outside = text.replace(/\[[^\]]*\]/g, (s) => 'x'.repeat(s.length));
  const colons = [...outside.matchAll(/:/g)].length;
  if (colons === 1) {
    const i = outside.indexOf(':');
    const p = text.slice(i + 1);
    if (/^\d+$/.test(p)) return { name: text.slice(0, i), port: port(p, text, at) };
    throw new UserError(`"${text}": the text after ":" must be a port number`, at);
  }
  return { name: text };
}

function port(p: string, text: string, at: string): number {
  const n = Number(p);
  if (n < 1 || n > 65535) throw new UserError(`"${text}": port must be 1-65535`, at);
  return n;
}
