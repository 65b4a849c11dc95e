// Stage 2: tokens -> crossplane payload. Follows includes (each file parsed
// once, in discovery order, relative paths against the main config's
// directory as nginx does), and collects every error with its file and line
// instead of stopping: a config with one typo still yields its targets.
import { dirname, isAbsolute, join, normalize } from 'node:path';
import { analyze, type Context } from './analyzer.js';
import { hasMagic } from './glob.js';
import { lex, type Token } from './lexer.js';
import type { ConfigFile, Directive, FileError, Payload, PayloadError } from './payload.js';
import type { ConfigSource, ReadResult } from './source.js';

/** Bounds so that a hostile or broken tree cannot hang or exhaust memory. */
export interface ParseLimits {
  maxFiles: number;
  maxFileBytes: number;
  maxTotalBytes: number;
  /** include nesting, main file = 0 */
  maxIncludeDepth: number;
  /** block nesting inside one file */
  maxBlockDepth: number;
}

export const DEFAULT_LIMITS: ParseLimits = {
  maxFiles: 10_000,
  maxFileBytes: 16 * 1024 * 1024,
  maxTotalBytes: 128 * 1024 * 1024,
  maxIncludeDepth: 32,
  maxBlockDepth: 64,
};

export interface ParseOptions {
  source: ConfigSource;
  limits?: Partial<ParseLimits>;
  /** checked between files: a parse never outlives the gate */
  signal?: AbortSignal;
  /** directory relative includes resolve against; default: the main file's */
  prefix?: string;
}

export interface IncludeEdge {
  from: number;
  to: number;
  line: number;
}

export interface ParseResult {
  payload: Payload;
  /** the text of each parsed file, by path, for evidence lines */
  texts: Map<string, string>;
  /** the context each file was parsed in (that of its first include) */
  contexts: Context[];
  edges: IncludeEdge[];
}

interface Pending {
  index: number;
  context: Context;
  depth: number;
}

export function parseConfig(main: string, options: ParseOptions): ParseResult {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const { source, signal } = options;
  const prefix = options.prefix ?? dirname(main);
  const files: string[] = [main];
  const byPath = new Map<string, number>([[main, 0]]);
  const config: ConfigFile[] = [];
  const contexts: Context[] = ['main'];
  const texts = new Map<string, string>();
  const edges: IncludeEdge[] = [];
  const queue: Pending[] = [{ index: 0, context: 'main', depth: 0 }];
  let totalBytes = 0;
  let stopped: string | undefined;
  const reads = new Map<string, ReadResult>();
  const readOnce = (path: string): ReadResult => {
    let r = reads.get(path);
    if (!r) {
      r = source.read(path, Math.min(limits.maxFileBytes, limits.maxTotalBytes - totalBytes));
      if (!('error' in r)) totalBytes += r.bytes;
      reads.set(path, r);
    }
    return r;
  };

  for (let q = 0; q < queue.length; q++) {
    const job = queue[q] as Pending;
    const file = files[job.index] as string;
    const errors: FileError[] = [];
    const entry: ConfigFile = { file, status: 'ok', errors, parsed: [] };
    config[job.index] = entry;
    if (stopped) {
      errors.push({ error: stopped, line: null });
      continue;
    }
    if (signal?.aborted) {
      stopped = 'parsing stopped: aborted';
      errors.push({ error: stopped, line: null });
      continue;
    }
    const read = readOnce(file);
    reads.delete(file);
    if ('error' in read) {
      errors.push({ error: read.error, line: null });
      continue;
    }
    texts.set(file, read.text);
    const { tokens, errors: lexErrors, eofLine } = lex(read.text);
    for (const e of lexErrors) errors.push({ error: `${e.error} in ${file}:${e.line}`, line: e.line });

    const include = (d: Directive, ctx: Context): void => {
      if (d.args.length !== 1) return;
      const arg = d.args[0] as string;
      const path = normalize(isAbsolute(arg) ? arg : join(prefix, arg));
      const magic = hasMagic(path);
      const matches = magic ? source.glob(path, limits.maxFiles) : [path];
      d.includes = [];
      for (const m of matches) {
        let idx = byPath.get(m);
        if (idx === undefined) {
          // nginx opens a file named without wildcards at once: a missing one is
          // an error of the include line (crossplane reports it the same way).
          const r = magic ? undefined : readOnce(m);
          if (r && 'error' in r) {
            errors.push({ error: `${r.error} in ${file}:${d.line}`, line: d.line });
            continue;
          }
          if (files.length >= limits.maxFiles) {
            errors.push({ error: `too many included files (limit ${limits.maxFiles}) in ${file}:${d.line}`, line: d.line });
            break;
          }
          if (job.depth + 1 > limits.maxIncludeDepth) {
            errors.push({ error: `includes nested deeper than ${limits.maxIncludeDepth} levels at "${m}" in ${file}:${d.line}`, line: d.line });
            break;
          }
          idx = files.length;
          files.push(m);
          byPath.set(m, idx);
          contexts[idx] = ctx;
          queue.push({ index: idx, context: ctx, depth: job.depth + 1 });
        }
        d.includes.push(idx);
        edges.push({ from: job.index, to: idx, line: d.line });
      }
    };

    const state = { pos: 0, eof: false };
    const fileErr = (error: string, line: number) => errors.push({ error: `${error} in ${file}:${line}`, line });
    entry.parsed = parseBlock(tokens, state, job.context, 0);
    if (totalBytes >= limits.maxTotalBytes && !stopped) stopped = `parsing stopped: more than ${limits.maxTotalBytes} bytes of config`;

    function parseBlock(toks: Token[], st: { pos: number; eof: boolean }, ctx: Context, depth: number): Directive[] {
      const out: Directive[] = [];
      for (;;) {
        const first = toks[st.pos];
        if (!first) {
          // reported once, at the innermost open block, as nginx does
          if (depth > 0 && !st.eof) fileErr('unexpected end of file, expecting "}"', eofLine);
          st.eof = true;
          return out;
        }
        if (!first.quoted && first.value === '}') {
          st.pos++;
          if (depth > 0) return out;
          fileErr('unexpected "}"', first.line);
          continue;
        }
        if (!first.quoted && (first.value === ';' || first.value === '{')) {
          st.pos++;
          fileErr(`unexpected "${first.value}"`, first.line);
          if (first.value === '{') skipBlock(toks, st);
          continue;
        }
        st.pos++;
        const args: string[] = [];
        let end: '{' | ';' | '}' | 'eof' = 'eof';
        for (;;) {
          const t = toks[st.pos];
          if (!t) break;
          if (!t.quoted && (t.value === ';' || t.value === '{' || t.value === '}')) {
            end = t.value;
            if (t.value !== '}') st.pos++;
            break;
          }
          args.push(t.value);
          st.pos++;
        }
        const d: Directive = { directive: first.value, line: first.line, args };
        out.push(d);
        if (end === 'eof') fileErr('unexpected end of file, expecting ";" or "}"', eofLine);
        else if (end === '}') fileErr(`unexpected "}": directive "${first.value}" is not terminated by ";"`, toks[st.pos]?.line ?? first.line);
        const a = d.directive === 'include' ? includeAnalysis(args, end, ctx) : analyze(d.directive, args, end, ctx);
        if (a.error && end !== '}' && end !== 'eof') fileErr(a.error, d.line);
        if (end === '{') {
          if (depth + 1 >= limits.maxBlockDepth) {
            fileErr(`blocks nested deeper than ${limits.maxBlockDepth} levels`, d.line);
            skipBlock(toks, st);
            d.block = [];
          } else {
            d.block = parseBlock(toks, st, a.child, depth + 1);
          }
        } else if (d.directive === 'include' && !a.error) {
          include(d, ctx);
        }
      }
    }
  }

  const errors: PayloadError[] = [];
  reportCycles(files, edges, config);
  for (const c of config) {
    if (c.errors.length > 0) c.status = 'failed';
    for (const e of c.errors) errors.push({ file: c.file, error: e.error, line: e.line });
  }
  return {
    payload: { status: errors.length > 0 ? 'failed' : 'ok', errors, config },
    texts,
    contexts,
    edges,
  };
}

function includeAnalysis(args: readonly string[], end: string, ctx: Context): { error?: string; child: Context } {
  if (ctx === 'opaque') return { child: 'opaque' };
  if (end === '{') return { error: 'directive "include" is not terminated by ";"', child: 'unknown' };
  if (args.length !== 1) return { error: 'invalid number of arguments in "include" directive', child: 'unknown' };
  return { child: ctx };
}

/** Skip a block whose `{` was just consumed, without recursion. */
function skipBlock(toks: Token[], st: { pos: number }): void {
  let depth = 1;
  while (st.pos < toks.length && depth > 0) {
    const t = toks[st.pos++] as Token;
    if (t.quoted) continue;
    if (t.value === '{') depth++;
    else if (t.value === '}') depth--;
  }
}

/**
 * nginx itself would include a cycle until it runs out of file descriptors;
 * we parse each file once, so a cycle is found on the include graph and
 * reported at the include line that closes it.
 */
function reportCycles(files: string[], edges: IncludeEdge[], config: ConfigFile[]): void {
  const out = new Map<number, IncludeEdge[]>();
  for (const e of edges) {
    const list = out.get(e.from) ?? [];
    list.push(e);
    out.set(e.from, list);
  }
  const state = new Uint8Array(files.length); // 0 new, 1 on stack, 2 done
  const stack: IncludeEdge[] = [];
  const seen = new Set<string>();
  // Iterative DFS: a deep include chain must not overflow the JS stack.
  const frames: { node: number; next: number }[] = [{ node: 0, next: 0 }];
  state[0] = 1;
  while (frames.length > 0) {
    const f = frames[frames.length - 1] as { node: number; next: number };
    const list = out.get(f.node) ?? [];
    if (f.next >= list.length) {
      state[f.node] = 2;
      frames.pop();
      stack.pop();
      continue;
    }
    const e = list[f.next++] as IncludeEdge;
    if (state[e.to] === 1) {
      const key = `${e.from}:${e.line}:${e.to}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const start = stack.findIndex((s) => s.from === e.to);
      const chain = [...(start >= 0 ? stack.slice(start) : []), e].map((s) => `${files[s.from]}:${s.line}`);
      const from = files[e.from] as string;
      config[e.from]?.errors.push({ error: `include cycle: ${chain.join(' -> ')} -> ${files[e.to]} in ${from}:${e.line}`, line: e.line });
    } else if (state[e.to] === 0) {
      state[e.to] = 1;
      stack.push(e);
      frames.push({ node: e.to, next: 0 });
    }
  }
}
