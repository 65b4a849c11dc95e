// Spec file -> validated, normalised Spec. Every error names the file, the line
// and the key path, and is a UserError (exit 2).
import { dirname, isAbsolute, resolve } from 'node:path';
import { LineCounter, parseDocument, isAlias, isMap, isNode, isPair, isScalar, isSeq, visit, type Document } from 'yaml';
import type { z } from 'zod';
import { readInput } from '../input-file.js';
import { UserError } from '../user-error.js';
import { backendNotText } from './address.js';
import { substituteExpectEnv } from './env.js';
import { KNOWN_KEYS, specSchema, type SpecData } from './schema.js';

/** The spec as the gate reads it: the schema's output (its types are inferred there), paths made absolute. */
export interface Spec {
  /** absolute path of the spec file */
  file: string;
  services: ServiceSpec[];
  nginx: NginxSettings;
  gate: GateSettings;
}
export type ServiceSpec = SpecData['services'][number];
/**
 * `config`, `dump`, `errorLog` and `prefix` absolute; `configRelative`: nginx.config as the spec writes it, when that is relative;
 * `binaryAt`: `FILE:LINE` of nginx.binary when the spec sets it
 */
export type NginxSettings = SpecData['nginx'] & { configRelative?: string; binaryAt?: string };
export type GateSettings = SpecData['gate'];

export const DEFAULT_SPEC_FILE = 'upstream-gate.yml';

/** A larger spec is refused unread: room for tens of thousands of services, not for /dev/zero. */
export const MAX_SPEC_BYTES = 4 * 1024 * 1024;
/**
 * YAML aliases (`*name`) in a spec, and the nodes they may expand to (the
 * yaml library's count: an alias of a node that holds aliases counts them
 * all), so that an alias bomb is refused before it is expanded.
 */
export const MAX_ALIASES = 100;
/** From this many services on, the spec is validated by zod's compiled parsers. */
const COMPILED_PARSE_FROM = 100;

/** `shown` is how messages name the file: the path as the user wrote it. A FIFO or pipe is read too; `signal` ends the wait for its writer. */
export async function loadSpecFile(path: string, shown: string = displayPath(resolve(path)), signal?: AbortSignal): Promise<Spec> {
  const file = resolve(path);
  const bytes = await readInput(file, { what: 'spec', shown, maxBytes: MAX_SPEC_BYTES, ...(signal && { signal }) });
  return parseSpec(bytes.toString('utf8'), file, shown);
}

/** Parse and validate spec text. `file` is used for messages and relative paths; `env` fills `${NAME}` in `expect:` values. */
export function parseSpec(text: string, file: string, shown: string = displayPath(file), env: Readonly<Record<string, string | undefined>> = process.env): Spec {
  const lineCounter = new LineCounter();
  // the library's own check of unique keys compares every key with every other: 50,000 keys took 13 s
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const first = doc.errors[0];
  const problem = first ? { offset: first.pos[0], message: firstLine(first.message) } : structureProblem(doc);
  if (problem) throw new UserError(problem.message, `${shown}:${lineCounter.linePos(problem.offset).line}`);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    // an alias that expands to too much (a bomb), or to itself
    const alias = firstAlias(doc);
    throw new UserError(`YAML aliases expand too far (${firstLine((e as Error).message)}; at most ${MAX_ALIASES} nodes through aliases)`, `${shown}:${lineCounter.linePos(alias).line}`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new UserError('the spec must be a mapping with `version` and `services`', `${shown}:1`);
  }
  const substituted = substituteExpectEnv(data, env);
  if ('problem' in substituted) {
    const { path, message } = substituted.problem;
    throw new UserError(`${path.join('.')}: ${message}`, `${shown}:${lineOf(doc, lineCounter, path)}`);
  }
  // zod compiles a parser for each object shape on its first parse: worth it for thousands of services, not for a few
  const services = (substituted.data as { services?: unknown }).services;
  const few = services === null || typeof services !== 'object' || Object.keys(services).length < COMPILED_PARSE_FROM;
  const parsed = specSchema.safeParse(substituted.data, { reportInput: true, ...(few && { jitless: true }) });
  if (!parsed.success) {
    // the first issue in document order is the one to show
    const issue = parsed.error.issues[0] as Issue;
    const { path, message } = describeIssue(issue);
    const line = lineOf(doc, lineCounter, path);
    throw new UserError(`${path.length ? `${path.join('.')}: ` : ''}${message}`, `${shown}:${line}`);
  }
  const binarySet = (data as { nginx?: { binary?: unknown } }).nginx?.binary !== undefined;
  return normalise(parsed.data, file, binarySet ? `${shown}:${lineOf(doc, lineCounter, ['nginx', 'binary'])}` : undefined);
}

/**
 * One pass over the document, in order: a duplicate key, an alias whose
 * anchor does not come before it, more than MAX_ALIASES aliases. Linear: a
 * key is looked up in its map's set, an alias in the anchors seen so far.
 */
function structureProblem(doc: Document): { offset: number; message: string } | undefined {
  const anchors = new Set<string>();
  let aliases = 0;
  let problem: { offset: number; message: string } | undefined;
  visit(doc, (_key, node) => {
    if (isAlias(node)) {
      const at = node.range?.[0] ?? 0;
      if (!anchors.has(node.source)) problem = { offset: at, message: `YAML alias *${node.source} has no anchor &${node.source} before it` };
      else if (++aliases > MAX_ALIASES) problem = { offset: at, message: `more than ${MAX_ALIASES} YAML aliases` };
      return problem ? visit.BREAK : undefined;
    }
    if (isNode(node) && node.anchor) anchors.add(node.anchor);
    if (isMap(node)) {
      const keys = new Set<unknown>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (keys.has(key)) {
          problem = { offset: isNode(pair.key) && pair.key.range ? pair.key.range[0] : (node.range?.[0] ?? 0), message: 'Map keys must be unique' };
          return visit.BREAK;
        }
        keys.add(key);
      }
    }
    return undefined;
  });
  return problem;
}

function firstAlias(doc: Document): number {
  let at = 0;
  visit(doc, {
    Alias(_key, node) {
      at = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return at;
}

/** `config`, `dump`, `error_log` and `prefix` are relative to the spec file's directory. */
function normalise(data: SpecData, file: string, binaryAt: string | undefined): Spec {
  const dir = dirname(file);
  const rel = (p: string) => (p === '-' || isAbsolute(p) ? p : resolve(dir, p));
  const { nginx } = data;
  return {
    file,
    services: data.services,
    nginx: {
      ...nginx,
      config: rel(nginx.config),
      ...(!isAbsolute(nginx.config) && { configRelative: nginx.config }),
      ...(nginx.dump !== undefined && { dump: rel(nginx.dump) }),
      ...(nginx.errorLog !== undefined && { errorLog: rel(nginx.errorLog) }),
      ...(nginx.prefix !== undefined && { prefix: rel(nginx.prefix) }),
      ...(binaryAt !== undefined && { binaryAt }),
    },
    gate: data.gate,
  };
}

type Issue = z.core.$ZodIssue;

function describeIssue(issue: Issue): { path: (string | number)[]; message: string } {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  switch (issue.code) {
    case 'unrecognized_keys': {
      const key = issue.keys[0] ?? '';
      return { path: [...path, key], message: `unknown key${suggest(path)}` };
    }
    case 'invalid_union': {
      const input = issue.input;
      // `backend: [127.0.0.1, 8000]`: YAML read HOST:PORT with a space as a list of two
      if (Array.isArray(input) && input.length === 2 && typeof input[0] === 'string' && !input[0].includes(':') && typeof input[1] === 'number') {
        return { path, message: `a list is a pool of backends, each HOST:PORT: for one backend write ${input[0]}:${input[1]}` };
      }
      // the one branch whose type matched says what is wrong inside it; none: the union's own message
      const inner = issue.errors.filter((branch) => !branch.some(wrongType));
      const only = inner.length === 1 ? inner[0] : undefined;
      // an unknown key says more than the keys missing beside it
      const first = only?.find((e) => e.code === 'unrecognized_keys') ?? only?.[0];
      if (first) return describeIssue({ ...first, path: [...issue.path, ...first.path], ...(first.input === undefined && { input: issue.input }) } as Issue);
      // a missing key: the first branch says what it wants
      const missing = issue.input === undefined ? issue.errors[0]?.[0] : undefined;
      if (missing) return describeIssue({ ...missing, path: [...issue.path, ...missing.path] } as Issue);
      if (path[0] === 'services' && path.length === 3 && path[2] === 'backend') return { path, message: backendNotText(issue.input, typeOf(issue.input)) };
      return { path, message: issue.input === undefined ? issue.message : `${issue.message}, got ${typeOf(issue.input)}` };
    }
    case 'invalid_key': {
      const inner = issue.issues[0];
      return { path, message: inner?.message ?? issue.message };
    }
    case 'invalid_type':
      if (issue.input === undefined) return { path, message: `missing required key${issue.message.startsWith('required') ? ` (${issue.message.slice(10)})` : ''}` };
      // the backend's message in the schema is for a missing key: this one is there, with the wrong type
      if (path[0] === 'services' && path[2] === 'backend' && (path.length === 3 || (path.length === 4 && typeof path[3] === 'number'))) return { path, message: backendNotText(issue.input, typeOf(issue.input)) };
      return { path, message: issue.message.startsWith('Invalid input') ? `expected ${issue.expected}, got ${typeOf(issue.input)}` : issue.message };
    case 'invalid_value':
      return { path, message: issue.values.length > 1 ? `expected one of ${issue.values.join(', ')}, got ${JSON.stringify(issue.input)}` : issue.message };
    default:
      return { path, message: issue.message };
  }
}

/** The input is not of a branch's type at all (a union: of none of its branches' types). */
function wrongType(e: Issue): boolean {
  if (e.path.length > 0) return false;
  return e.code === 'invalid_type' || (e.code === 'invalid_union' && e.errors.every((branch) => branch.some(wrongType)));
}

function suggest(path: (string | number)[]): string {
  const inExpect = path[0] === 'services' && path[2] === 'expect';
  const where = path.length === 0 ? '' : inExpect ? (path.length === 3 ? 'expect' : 'pattern') : path[0] === 'services' ? 'service' : String(path[0]);
  const keys = KNOWN_KEYS[where];
  return keys ? ` (expected one of ${keys.join(', ')})` : '';
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

/** Line of the deepest node of `path` that exists in the document (keys point at the key). */
function lineOf(doc: Document, lc: LineCounter, path: (string | number)[]): number {
  let node: unknown = doc.contents;
  let offset = isNode(node) && node.range ? node.range[0] : 0;
  for (const key of path) {
    if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
      if (isNode(node) && node.range) offset = node.range[0];
      continue;
    }
    if (!isMap(node)) break;
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(key));
    if (!pair) break;
    const k = pair.key;
    offset = isNode(k) && k.range ? k.range[0] : offset;
    node = pair.value;
    if (isNode(node) && node.range && !isMap(node)) offset = node.range[0];
  }
  return lc.linePos(offset).line;
}

/** For an error about the nginx config: what a relative nginx.config was relative to, the usual surprise. */
export function relativeConfigNote(spec: Spec): string | undefined {
  if (spec.nginx.configRelative === undefined) return undefined;
  return `nginx.config "${spec.nginx.configRelative}" is relative to the spec file's directory, ${dirname(spec.file)}`;
}

function firstLine(s: string): string {
  return s.split('\n')[0]?.trim() ?? s;
}

function displayPath(file: string): string {
  const cwd = process.cwd();
  return file.startsWith(`${cwd}/`) ? file.slice(cwd.length + 1) : file;
}
