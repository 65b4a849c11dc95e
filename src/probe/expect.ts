// A service's `expect:` applied to one answer: after `curl -f`'s own rule,
// the statuses, headers, body and JSON fields it names. An answer that passes
// `curl -f` but differs is a failure of its own (UNEXPECTED) carrying each
// difference with the observed value, so the gate keeps retrying while an old
// process drains and reports what answered instead at the deadline. Shared by
// every health kind and the request through nginx.
import { formatMatch, formatStatuses, type Expectation, type Mismatch, type ValueMatch } from '../model/expect.js';
import { HTTP_STATUS, UNEXPECTED, type Answer, type ProbeResult } from '../model/probe-result.js';
import { printable } from './printable.js';

/** The longest observed value a message quotes. */
const MAX_SHOWN = 120;

/** `r` judged by `expect` too; unchanged without one, or when no answer was read. */
export function matchExpectation(r: ProbeResult, expect: Expectation | undefined): ProbeResult {
  if (!expect || r.status === undefined) return r;
  const status = r.status;
  const listed = expect.status?.some((s) => status >= s.from && status <= s.to);
  // a status the spec lists passes even at 400 or above; one it does not list keeps curl -f's verdict
  const answered = r.ok || (r.code === HTTP_STATUS && listed === true);
  if (!answered || !r.answer) return r;
  const mismatches = differences(expect, status, listed, r.answer);
  const { code: _code, ...rest } = r;
  if (mismatches.length === 0) return { ...rest, ok: true };
  const first = mismatches[0] as Mismatch;
  return { ...rest, ok: false, code: UNEXPECTED, message: `${r.message}; ${first.subject} differs`, mismatches };
}

function differences(e: Expectation, status: number, listed: boolean | undefined, answer: Answer): Mismatch[] {
  const out: Mismatch[] = [];
  if (e.status && !listed) out.push({ subject: 'status', observed: String(status), expected: formatStatuses(e.status) });
  for (const h of e.headers) {
    const value = answer.headers[h.name.toLowerCase()];
    if (value === undefined || !matches(h.match, value)) out.push(mismatch(h.name, h.match, value));
  }
  if (e.body && !matches(e.body, answer.body)) {
    out.push({ subject: 'body', observed: shown(firstLine(answer.body)) || '(empty)', expected: e.body.kind === 'contains' ? `to contain ${formatMatch(e.body)}` : `to match ${formatMatch(e.body)}` });
  }
  if (e.json.length) {
    const doc = parseJson(answer);
    for (const j of e.json) {
      const subject = `JSON field ${j.path}`;
      if ('problem' in doc) {
        out.push({ subject, expected: formatMatch(j.match), problem: doc.problem });
        continue;
      }
      const value = lookup(doc.value, j.path);
      if (value === undefined) out.push({ subject, expected: formatMatch(j.match) });
      else if (!matches(j.match, value)) out.push(mismatch(subject, j.match, value));
    }
  }
  return out;
}

function mismatch(subject: string, match: ValueMatch, value: unknown): Mismatch {
  const observed = value === undefined ? undefined : shown(text(value));
  return {
    subject,
    ...(observed !== undefined && { observed }),
    expected: match.kind === 'regex' ? `to match ${formatMatch(match)}` : formatMatch(match),
    ...(match.kind === 'equals' && observed !== undefined && observed !== '' && { identity: true }),
  };
}

function matches(m: ValueMatch, value: unknown): boolean {
  switch (m.kind) {
    case 'equals':
      // YAML `version: 1.4` and JSON "1.4" name the same release: scalars compare as text, null only with null
      return m.value === null || value === null ? m.value === value : isScalar(value) && text(value) === String(m.value);
    case 'contains':
      return typeof value === 'string' && value.includes(m.value);
    case 'regex':
      return new RegExp(m.source).test(text(value));
  }
}

function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function parseJson(a: Answer): { value: unknown } | { problem: string } {
  try {
    return { value: JSON.parse(a.body) as unknown };
  } catch (e) {
    const why = (e as Error).message.split('\n')[0] ?? 'bad JSON';
    return { problem: `the body is not JSON${a.truncated ? ' (cut at 64 KiB)' : ''}: ${shown(why)}` };
  }
}

/** `build.commit`, `items.0.id`: object keys, or array indexes. */
function lookup(doc: unknown, path: string): unknown {
  let v: unknown = doc;
  for (const key of path.split('.')) {
    if (Array.isArray(v) && /^\d+$/.test(key)) v = v[Number(key)];
    else if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, key)) v = (v as Record<string, unknown>)[key];
    else return undefined;
  }
  return v;
}

function firstLine(s: string): string {
  return s.split('\n', 1)[0] ?? '';
}

/** Untrusted text as one printable, bounded line. */
function shown(s: string): string {
  return printable(Buffer.from(s, 'utf8'), MAX_SHOWN);
}
