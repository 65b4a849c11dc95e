// The `expect:` block of a service: what its health answer must be, directly
// and through nginx, to prove the release deployed. Validated here like every
// key; `${ENV}` references are substituted before (env.ts), so a pattern is
// compiled as the gate will use it.
import { z } from 'zod';
import type { Expectation, StatusRange, ValueMatch } from '../model/expect.js';

const pattern = z
  .string({ error: 'expected a regular expression (a string)' })
  .check((ctx) => {
    try {
      new RegExp(ctx.value);
    } catch (e) {
      ctx.issues.push({ code: 'custom', message: `not a valid regular expression: ${(e as Error).message}`, input: ctx.value });
    }
  })
  .describe('a regular expression (JavaScript syntax), searched anywhere in the value');

const regexMatch = z.strictObject({ regex: pattern });

const STATUS_RANGE = /^([1-5]\d\d)-([1-5]\d\d)$|^([1-5])xx$/;

const statusItem = z.union(
  [
    z.int().min(100, { error: 'an HTTP status is 100-599' }).max(599, { error: 'an HTTP status is 100-599' }),
    z
      .string()
      .regex(STATUS_RANGE, { error: (i) => `"${String(i.input)}" is not a status range: write 200-299 or 2xx` })
      .check((ctx) => {
        const r = statusRange(ctx.value);
        if (r.from > r.to) ctx.issues.push({ code: 'custom', message: `"${ctx.value}": the range ends before it starts`, input: ctx.value });
      }),
  ],
  { error: 'expected a status (200), a range (200-299, 2xx) or a list of them' },
);

const headerValue = z.union(
  [
    z.string().regex(/^[^\0-\x08\x0a-\x1f\x7f]*$/, { error: 'a header value has no line breaks or control characters' }),
    regexMatch,
  ],
  { error: 'expected the header value (a string) or {regex: PATTERN}' },
);

const expectKeys = z.strictObject({
    status: z
      .union([statusItem, z.array(statusItem).min(1, { error: 'at least one status is needed' })], {
        error: 'expected a status (200), a range (200-299, 2xx) or a list of them',
      })
      .optional()
      .describe('the statuses that pass: 200, "200-299", "2xx" or a list of them; default: below 400 (`curl -f`)'),
    headers: z
      .record(z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, { error: 'not an HTTP header name' }), headerValue)
      .optional()
      .describe('response headers and their values (exact) or {regex: PATTERN}; names are case-insensitive'),
    body: z
      .union([z.string().min(1, { error: 'an empty substring matches every body' }), regexMatch], {
        error: 'expected a substring of the body or {regex: PATTERN}',
      })
      .optional()
      .describe('a substring of the body, or {regex: PATTERN}; at most the first 64 KiB are read'),
    json: z
      .record(
        z.string().regex(/^[^.]+(\.[^.]+)*$/, { error: 'a JSON path is field names joined by dots: build.commit' }),
        z.union([z.string(), z.number(), z.boolean(), z.null(), regexMatch], { error: 'expected a value (string, number, true, false, null) or {regex: PATTERN}' }),
      )
      .optional()
      .describe('fields of a JSON body by dotted path (build.commit, items.0.id) and their values (exact) or {regex: PATTERN}'),
});

export const expectSchema = expectKeys
  .refine((e) => Object.values(e).some((v) => v !== undefined), { error: 'expect needs at least one of status, headers, body, json' })
  .transform(toExpectation)
  .describe('what the health answer must be to prove the release: retried until it matches, under the deadline; ${NAME} is replaced by the environment variable NAME');

/** The keys `expect` takes, and a `{regex}` mapping, for unknown-key messages. */
export const EXPECT_KEYS = Object.keys(expectKeys.shape);
export const PATTERN_KEYS = Object.keys(regexMatch.shape);

type ExpectInput = z.output<typeof expectKeys>;

function toExpectation(e: ExpectInput): Expectation {
  const text = (v: string | { regex: string }, plain: 'equals' | 'contains'): ValueMatch =>
    typeof v === 'string' ? { kind: plain, value: v } : { kind: 'regex', source: v.regex };
  return {
    ...(e.status !== undefined && { status: (Array.isArray(e.status) ? e.status : [e.status]).map((s) => (typeof s === 'number' ? { from: s, to: s } : statusRange(s))) }),
    headers: Object.entries(e.headers ?? {}).map(([name, v]) => ({ name, match: text(v, 'equals') })),
    ...(e.body !== undefined && { body: text(e.body, 'contains') }),
    json: Object.entries(e.json ?? {}).map(([path, v]) => ({
      path,
      match: v !== null && typeof v === 'object' ? { kind: 'regex', source: v.regex } : { kind: 'equals', value: v },
    })),
  };
}

function statusRange(s: string): StatusRange {
  const m = STATUS_RANGE.exec(s);
  if (m?.[3] !== undefined) return { from: Number(m[3]) * 100, to: Number(m[3]) * 100 + 99 };
  return { from: Number(m?.[1]), to: Number(m?.[2]) };
}
