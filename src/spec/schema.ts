// The one schema of upstream-gate.yml. The loader validates with it and its
// transforms give the spec the gate reads (names in camelCase, durations in
// ms, backends parsed), so the Spec type is inferred from it; the keys
// unknown-key messages list and the shipped JSON Schema come from it too.
import { z } from 'zod';
import type { Endpoint } from '../model/endpoint.js';
import { PROTOCOL_NAMES } from '../model/protocols.js';
import { parseBackend } from './address.js';
import { DURATION_PATTERN, durationRangeProblem, parseDuration } from './duration.js';
import { EXPECT_KEYS, expectSchema, PATTERN_KEYS } from './expect.js';

const duration = z
  .string({ error: 'expected a duration such as 250ms, 2s or 1m' })
  .regex(new RegExp(DURATION_PATTERN), { error: (i) => `"${String(i.input)}" is not a duration: write 250ms, 2s or 1m` })
  .check((ctx) => {
    const ms = parseDuration(ctx.value);
    const problem = ms === undefined ? undefined : durationRangeProblem(ms);
    if (problem) ctx.issues.push({ code: 'custom', message: `"${ctx.value}" ${problem}`, input: ctx.value });
  })
  .describe('a duration: NUMBER followed by ms, s or m, from 1ms to a day (1440m)');

/** When the gate runs `nginx -t` (README, Safety): `safe` unless the spec says otherwise. */
export const NGINX_TEST_MODES = ['safe', 'always', 'off'] as const;
export type NginxTestMode = (typeof NGINX_TEST_MODES)[number];

/** The protocols whose health answer the gate reads, and so can hold to `expect:`. */
const EXPECT_PROTOCOLS: readonly string[] = ['http', 'https', 'fastcgi'];

const service = z.strictObject({
  backend: z
    .string({ error: 'required: HOST:PORT, [IPv6]:PORT or unix:/path.sock' })
    .check((ctx) => {
      const r = parseBackend(ctx.value);
      if (typeof r === 'string') ctx.issues.push({ code: 'custom', message: r, input: ctx.value });
    })
    .describe('where the backend listens, and so what nginx must dial: HOST:PORT, [IPv6]:PORT or unix:/path.sock'),
  protocol: z.enum(PROTOCOL_NAMES).default('http').describe('how nginx talks to the backend'),
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
  expect: expectSchema.optional(),
})
  // an expectation is checked against the health answer: without one requested, it would pass unchecked
  .refine((s) => s.expect === undefined || s.health !== undefined, { error: 'expect needs `health`: the path whose answer it checks', path: ['expect'] })
  .refine((s) => s.expect === undefined || EXPECT_PROTOCOLS.includes(s.protocol), {
    error: (i) => `expect checks http, https and fastcgi health answers; the gate does not request health over ${String((i.input as { protocol?: unknown }).protocol)}`,
    path: ['expect'],
  });

export const specSchema = z.strictObject({
  version: z.literal(1, { error: 'version must be 1' }),
  services: z
    .record(
      z.string().regex(/^[A-Za-z0-9_-]+$/, { error: 'a service name has only letters, digits, - and _' }),
      service,
    )
    .refine((s) => Object.keys(s).length > 0, { error: 'at least one service is needed' })
    .transform((services) => Object.entries(services).map(([name, s]) => serviceSpec(name, s))),
  nginx: z
    .strictObject({
      config: z.string().min(1).default('/etc/nginx/nginx.conf').describe('main nginx config file; relative to the spec file'),
      dump: z.string().min(1).optional().describe('read an `nginx -T` dump instead of config files ("-" for stdin)'),
      binary: z.string().min(1).default('nginx').describe('used for `nginx -t` when installed; absent -> skipped'),
      test: z
        .enum(NGINX_TEST_MODES)
        .optional()
        .describe(
          'when to run `nginx -t`: safe (default: not on a config that loads code from outside the system module directories), always, or off',
        ),
      front: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }).optional().describe('also GET each health path through nginx'),
      error_log: z.string().min(1).optional().describe("nginx's error log, read to attribute a 502 seen through `front`"),
    })
    .transform(({ error_log, ...nginx }) => ({ ...nginx, ...(error_log !== undefined && { errorLog: error_log }) }))
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
    .transform((g) => ({
      deadlineMs: durationMs(g.deadline),
      intervalMs: durationMs(g.interval),
      maxIntervalMs: durationMs(g.max_interval),
      connectTimeoutMs: durationMs(g.connect_timeout),
      requestTimeoutMs: durationMs(g.request_timeout),
      successThreshold: g.success_threshold,
    }))
    .prefault({}),
});

/** What the schema gives for a valid spec; the loader adds the file and makes paths absolute. */
export type SpecData = z.output<typeof specSchema>;

/** The keys each mapping of the spec takes, for unknown-key messages: `''` is the top level. */
export const KNOWN_KEYS: Record<string, string[]> = {
  '': Object.keys(specSchema.shape),
  service: Object.keys(service.shape),
  nginx: Object.keys(specSchema.shape.nginx.unwrap().in.shape),
  gate: Object.keys(specSchema.shape.gate.unwrap().in.shape),
  expect: EXPECT_KEYS,
  pattern: PATTERN_KEYS,
};

function serviceSpec(name: string, s: z.output<typeof service>) {
  const backend: Endpoint | string = parseBackend(s.backend);
  if (typeof backend === 'string') throw new Error('unreachable: schema validated backend');
  return {
    name,
    backend,
    /** as written in the spec */
    backendText: s.backend,
    protocol: s.protocol,
    serverNames: s.server_name === undefined ? [] : Array.isArray(s.server_name) ? s.server_name : [s.server_name],
    ...(s.health !== undefined && { health: s.health }),
    ...(s.location !== undefined && { location: s.location }),
    ...(s.process !== undefined && { process: s.process }),
    ...(s.unit !== undefined && { unit: s.unit }),
    ...(s.expect !== undefined && { expect: s.expect }),
  };
}

function durationMs(s: string): number {
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
