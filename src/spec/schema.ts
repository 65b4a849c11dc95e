// The one schema of upstream-gate.yml. Types are inferred from it, the loader
// validates with it, and the shipped JSON Schema is generated from it.
import { z } from 'zod';
import { parseBackend } from './address.js';
import { DURATION_PATTERN, durationRangeProblem, parseDuration } from './duration.js';

const duration = z
  .string({ error: 'expected a duration such as 250ms, 2s or 1m' })
  .regex(new RegExp(DURATION_PATTERN), { error: (i) => `"${String(i.input)}" is not a duration: write 250ms, 2s or 1m` })
  .check((ctx) => {
    const ms = parseDuration(ctx.value);
    const problem = ms === undefined ? undefined : durationRangeProblem(ms);
    if (problem) ctx.issues.push({ code: 'custom', message: `"${ctx.value}" ${problem}`, input: ctx.value });
  })
  .describe('a duration: NUMBER followed by ms, s or m, from 1ms to a day (1440m)');

export const PROTOCOLS = ['http', 'https', 'fastcgi', 'uwsgi', 'scgi', 'grpc'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

const service = z.strictObject({
  backend: z
    .string({ error: 'required: HOST:PORT, [IPv6]:PORT or unix:/path.sock' })
    .check((ctx) => {
      const r = parseBackend(ctx.value);
      if (typeof r === 'string') ctx.issues.push({ code: 'custom', message: r, input: ctx.value });
    })
    .describe('where the backend listens, and so what nginx must dial: HOST:PORT, [IPv6]:PORT or unix:/path.sock'),
  protocol: z.enum(PROTOCOLS).default('http').describe('how nginx talks to the backend'),
  health: z
    .string()
    .regex(/^\//, { error: 'the health path starts with /' })
    .optional()
    .describe('HTTP path to GET (http/https; fastcgi sends a FastCGI request); omitted = listener probe only'),
  server_name: z
    .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
    .optional()
    .describe('the nginx server{} block(s) whose *_pass must dial `backend`'),
  location: z.string().min(1).optional().describe('narrow the check to one location'),
  process: z.string().min(1).optional().describe('process name, to find where it really listens'),
  unit: z.string().min(1).optional().describe('systemd unit, for state and journal evidence'),
});

export const specSchema = z.strictObject({
  version: z.literal(1, { error: 'version must be 1' }),
  services: z
    .record(
      z.string().regex(/^[A-Za-z0-9_-]+$/, { error: 'a service name has only letters, digits, - and _' }),
      service,
    )
    .refine((s) => Object.keys(s).length > 0, { error: 'at least one service is needed' }),
  nginx: z
    .strictObject({
      config: z.string().min(1).default('/etc/nginx/nginx.conf').describe('main nginx config file; relative to the spec file'),
      dump: z.string().min(1).optional().describe('read an `nginx -T` dump instead of config files ("-" for stdin)'),
      binary: z.string().min(1).default('nginx').describe('used for `nginx -t` when installed; absent -> skipped'),
      front: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }).optional().describe('also GET each health path through nginx'),
      error_log: z.string().min(1).optional().describe("nginx's error log, read to attribute a 502 seen through `front`"),
    })
    .prefault({}),
  gate: z
    .strictObject({
      deadline: duration.default('60s').describe('the whole gate, every retry included'),
      interval: duration.default('100ms').describe('retry delay while nothing listens yet'),
      max_interval: duration.default('2s').describe('HTTP-level retries back off from interval up to this'),
      connect_timeout: duration.default('2s'),
      request_timeout: duration.default('5s'),
      success_threshold: z.int().min(1).max(100).default(1).describe('consecutive passes needed per probe'),
    })
    .prefault({}),
});

export type SpecRaw = z.output<typeof specSchema>;

export function durationMs(s: string): number {
  const ms = parseDuration(s);
  if (ms === undefined) throw new Error(`not a duration: ${s}`);
  return ms;
}

/** The JSON Schema shipped in schema/upstream-gate.schema.json. */
export function specJsonSchema(): unknown {
  return {
    ...z.toJSONSchema(specSchema, { io: 'input', target: 'draft-2020-12' }),
    $id: 'https://github.com/upstream-gate/upstream-gate/schema/upstream-gate.schema.json',
    title: 'upstream-gate spec',
  };
}
