// Stage 2: tokens -> crossplane payload. Follows includes (each file parsed
// once, in discovery order, relative paths against the main config's
// directory as nginx does), and collects every error with its file and line
// instead of stopping: a config with one typo still yields its targets.
import { dirname, isAbsolute, join, normalize } from 'node:path';
import type { ConfigSource, ReadResult } from '../host/config-source.js';
import { hasMagic } from '../host/glob.js';
import { analyze, childContext, type Context, type Problem } from './analyzer.js';
import { Lexer } from './lexer.js';
import { notText } from './not-text.js';
import type { ConfigFile, Directive, FileError, Payload, PayloadError } from './payload.js';

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

interface IncludeEdge {
  from: number;
  to: number;
  line: number;
}

/** Where a file was included, `file:line`; absent for the main file. */
export interface IncludeSite {
  file: string;
  line: number;
}

export interface ParseResult {
  payload: Payload;
  /** the text of each parsed file, by path, for evidence lines */
  texts: Map<string, string>;
  /** files that do not read as nginx config (a binary, a password file): why, by path */
  notConfig: Map<string, string>;
  /**
   * Files and directories this user may not read or list (EACCES), where they
   * were included: nginx reads them as root, so the config parsed here is not all of it.
   */
  denied: { path: string; listing: boolean; site?: IncludeSite }[];
}

interface Pending {
  index: number;
  context: Context;
  depth: number;
  /** the include that pulled the file in (absent for the main file) */
  from?: { index: number; line: number };
}

export function parseConfig(main: string, options: ParseOptions): ParseResult {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const { source, signal } = options;
  const prefix = options.prefix ?? dirname(main);
  const files: string[] = [main];
  const byPath = new Map<string, number>([[main, 0]]);
  const config: ConfigFile[] = [];
  const texts = new Map<string, string>();
  const edges: IncludeEdge[] = [];
  const queue: Pending[] = [{ index: 0, context: 'main', depth: 0 }];
  let totalBytes = 0;
  let stopped: string | undefined;
  const notConfigFiles = new Map<string, string>();
  const denied: ParseResult['denied'] = [];
  const siteOf = (job: Pending): IncludeSite | undefined => (job.from ? { file: files[job.from.index] as string, line: job.from.line } : undefined);
  const reads = new Map<string, ReadResult>();
  const readOnce = (path: string): ReadResult => {
    let r = reads.get(path);
    if (!r) {
      r = source.read(path, limits.maxFileBytes);
      if (!('error' in r) && totalBytes + r.bytes > limits.maxTotalBytes) {
        r = { error: `"${path}" would take the config over ${limits.maxTotalBytes} bytes in all` };
      } else if (!('error' in r)) totalBytes += r.bytes;
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
      if (read.code === 'EACCES') denied.push({ path: file, listing: false, ...(job.from && { site: siteOf(job) }) });
      errors.push({ error: read.error, line: null });
      continue;
    }
    // A file that is no nginx config (a binary, a password file included by
    // mistake) is one error at the include that pulled it in, and none of its
    // text is kept: neither its errors nor the evidence may quote it.
    const notConfig = (why: string): void => {
      notConfigFiles.set(file, why);
      entry.parsed = [];
      errors.length = 0;
      texts.delete(file);
      const error = `"${file}" does not read as an nginx config file: ${why}`;
      const from = job.from;
      if (!from) errors.push({ error, line: null });
      else config[from.index]?.errors.push({ error: `${error} in ${files[from.index]}:${from.line}`, line: from.line });
    };
    const binary = notText(read.text);
    if (binary) {
      notConfig(`it is not text (${binary})`);
      continue;
    }
    texts.set(file, read.text);

    const include = (d: Directive, ctx: Context, fail: (error: string, line: number) => void): void => {
      if (d.args.length !== 1) return;
      const arg = d.args[0] as string;
      const path = normalize(isAbsolute(arg) ? arg : join(prefix, arg));
      const magic = hasMagic(path);
      const found = magic ? source.glob(path, limits.maxFiles) : { paths: [path], denied: [] };
      for (const dir of found.denied) denied.push({ path: dir, listing: true, site: { file, line: d.line } });
      const matches = found.paths;
      d.includes = [];
      for (const m of matches) {
        let idx = byPath.get(m);
        if (idx === undefined) {
          // nginx opens a file named without wildcards at once: a missing one is
          // an error of the include line (crossplane reports it the same way).
          const r = magic ? undefined : readOnce(m);
          if (r && 'error' in r) {
            if (r.code === 'EACCES') denied.push({ path: m, listing: false, site: { file, line: d.line } });
            fail(r.error, d.line);
            continue;
          }
          if (files.length >= limits.maxFiles) {
            fail(`too many included files (limit ${limits.maxFiles})`, d.line);
            break;
          }
          if (job.depth + 1 > limits.maxIncludeDepth) {
            fail(`includes nested deeper than ${limits.maxIncludeDepth} levels at "${m}"`, d.line);
            break;
          }
          idx = files.length;
          files.push(m);
          byPath.set(m, idx);
          queue.push({ index: idx, context: ctx, depth: job.depth + 1, from: { index: job.index, line: d.line } });
        }
        d.includes.push(idx);
        edges.push({ from: job.index, to: idx, line: d.line });
      }
    };

    const fp = new FileParser(read.text, file, errors, include, limits.maxBlockDepth);
    entry.parsed = fp.block(job.context, 0);
    for (const e of fp.lexer.errors) errors.push({ error: `${e.error} in ${file}:${e.line}`, line: e.line });
    const garbled = fp.notConfig();
    if (garbled) notConfig(garbled);
  }

  const errors: PayloadError[] = [];
  reportCycles(files, edges, config);
  for (const c of config) {
    c.errors.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
    if (c.errors.length > 0) c.status = 'failed';
    for (const e of c.errors) errors.push({ file: c.file, error: e.error, line: e.line });
  }
  return {
    payload: { status: errors.length > 0 ? 'failed' : 'ok', errors, config },
    texts,
    notConfig: notConfigFiles,
    denied,
  };
}

const MAX_ERRORS_PER_FILE = 100;

type IncludeFn = (d: Directive, ctx: Context, fail: (error: string, line: number) => void) => void;

/** Statements of one file, block by block, pulling tokens from the lexer. */
class FileParser {
  readonly lexer: Lexer;
  /** the lexer's current token has not been used yet */
  private held = false;
  private eofReported = false;
  /** the line a failed statement ended on: stray `;`, `{`, `}` there are part of it, not more errors */
  private quietLine = 0;
  private statements = 0;
  private syntaxErrors = 0;
  /** the syntax error of the file's first statement (or a stray token before it) */
  private firstBroken: string | undefined;
  private readonly scratch: string[] = [];

  constructor(
    text: string,
    private readonly file: string,
    private readonly errors: FileError[],
    private readonly include: IncludeFn,
    private readonly maxDepth: number,
  ) {
    this.lexer = new Lexer(text);
  }

  /** An error of the syntax itself, not of a directive's use: counts towards "this is no config". */
  private broken(error: string, line: number): void {
    this.countBroken(error);
    this.fail(error, line);
  }

  private countBroken(error: string): void {
    this.syntaxErrors++;
    if (this.statements === 0) this.firstBroken ??= error;
  }

  /**
   * Why this file does not read as nginx config, or undefined: its first
   * statement is broken (a password file is one long statement to the end),
   * or most of its statements are.
   */
  notConfig(): string | undefined {
    if (this.firstBroken) return `its first statement does not parse (${this.firstBroken})`;
    if (this.syntaxErrors >= 3 && this.syntaxErrors * 2 > this.statements) return `${this.syntaxErrors} syntax errors in ${this.statements} statements`;
    return undefined;
  }

  private fail = (error: string, line: number): void => {
    // a file of 16 MB of `}` must not become 16 million error objects
    if (this.errors.length === MAX_ERRORS_PER_FILE) this.errors.push({ error: `more than ${MAX_ERRORS_PER_FILE} errors in ${this.file}; the rest are not reported`, line: null });
    this.quietLine = this.lexer.line;
    if (this.errors.length > MAX_ERRORS_PER_FILE) return;
    this.errors.push({ error: `${error} in ${this.file}:${line}`, line });
  };

  private advance(): boolean {
    if (this.held) {
      this.held = false;
      return true;
    }
    return this.lexer.next();
  }

  block(ctx: Context, depth: number): Directive[] {
    const lx = this.lexer;
    const out: Directive[] = [];
    for (;;) {
      if (!this.advance()) {
        if (depth > 0) this.endOfFile('unexpected end of file, expecting "}"');
        return out.slice();
      }
      const name = lx.value;
      const line = lx.line;
      if (!lx.quoted && name.length === 1 && (name === '}' || name === ';' || name === '{')) {
        // a copy of exact size: the grown array's spare slots would be kept
        if (name === '}' && depth > 0) return out.slice();
        if (line !== this.quietLine) this.broken(`unexpected "${name}"`, line);
        if (name === '{') this.skipStray();
        continue;
      }
      // Arguments go to a reused scratch list, then into an array of their exact
      // size: a pushed-to array keeps spare slots, and the payload keeps 100,000 of them.
      const scratch = this.scratch;
      let count = 0;
      let end: '{' | ';' | '}' | 'eof' = 'eof';
      while (lx.next()) {
        const v = lx.value;
        if (!lx.quoted && v.length === 1 && (v === ';' || v === '{' || v === '}')) {
          end = v;
          if (v === '}') this.held = true;
          break;
        }
        scratch[count++] = v;
      }
      const args = scratch.slice(0, count);
      if (name === 'if') stripIfParens(args);
      const d: Directive = { directive: name, line, args };
      out.push(d);
      if (end === 'eof') this.endOfFile('unexpected end of file, expecting ";" or "}"');
      else if (end === '}') this.broken(`unexpected "}": directive "${excerpt(name)}" is not terminated by ";"`, lx.line);
      const problem = name === 'include' ? includeProblem(args, end, ctx) : analyze(name, args, end, ctx);
      if (problem && end !== '}' && end !== 'eof') this.fail(problem.error, line);
      this.statements++;
      if (end === '{') {
        // `listen {{ port }};`: the braces are a template's, not a block of nginx's
        if (problem?.strayBlock) this.skipStray();
        else if (depth + 1 >= this.maxDepth) {
          this.fail(`blocks nested deeper than ${this.maxDepth} levels`, line);
          this.skipBlock();
          d.block = [];
        } else {
          d.block = this.block(childContext(name, ctx), depth + 1);
        }
      } else if (name === 'include' && !problem) {
        this.include(d, ctx, this.fail);
      }
    }
  }

  /**
   * The end of the file came too soon: one error, at the innermost statement
   * or block still open, as nginx stops there. None when the lexer already
   * said why (a quote or a Lua block never closed ran to the end).
   */
  private endOfFile(error: string): void {
    if (this.eofReported) return;
    this.eofReported = true;
    const lexed = this.lexer.errors[0];
    if (lexed) this.countBroken(lexed.error);
    else this.broken(error, this.lexer.cursorLine);
  }

  /**
   * Skip a `{` that opens no block, up to its `}`, and the rest of the
   * statement on that line (`{{ host }}:{{ port }};`), quietly: nginx stops at
   * the first error, so what follows it in the same statement is not another.
   */
  private skipStray(): void {
    const lx = this.lexer;
    this.skipBlock();
    const at = lx.line;
    while (this.advance()) {
      if (lx.line !== at || (!lx.quoted && lx.value === '}')) {
        this.held = true;
        break;
      }
      if (lx.quoted) continue;
      if (lx.value === ';') break;
      if (lx.value === '{') this.skipBlock();
    }
    this.quietLine = at;
  }

  /** Skip a block whose `{` was just read, without recursion. */
  private skipBlock(): void {
    const lx = this.lexer;
    let depth = 1;
    while (depth > 0 && this.advance()) {
      if (lx.quoted) continue;
      if (lx.value === '{') depth++;
      else if (lx.value === '}') depth--;
    }
  }
}

const EXCERPT_CHARS = 80;

/** A token as an error quotes it: at most 80 characters, control characters as `\xNN`. */
function excerpt(token: string): string {
  const cut = token.length > EXCERPT_CHARS ? `${token.slice(0, EXCERPT_CHARS - 3)}...` : token;
  return cut.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * `if ($a = b)` -> `$a`, `=`, `b`: nginx's rewrite module takes the condition
 * without its parentheses, written attached (`($a`, `b)`) or apart (`(`, `)`),
 * and crossplane's payload holds it so. Without both, the args stay as written.
 */
function stripIfParens(args: string[]): void {
  const first = args[0];
  const last = args[args.length - 1];
  if (first === undefined || last === undefined || !first.startsWith('(') || !last.endsWith(')')) return;
  args[0] = first.slice(1).trimStart();
  const end = args.length - 1;
  args[end] = (args[end] as string).slice(0, -1).trimEnd();
  if (args[end] === '') args.pop();
  if (args[0] === '') args.shift();
}

function includeProblem(args: readonly string[], end: string, ctx: Context): Problem | undefined {
  if (ctx === 'opaque') return undefined;
  if (end === '{') return { error: 'directive "include" is not terminated by ";"', strayBlock: true };
  if (args.length !== 1) return { error: 'invalid number of arguments in "include" directive', strayBlock: false };
  return undefined;
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
      const errs = config[e.from]?.errors;
      if (!errs || errs.length >= MAX_ERRORS_PER_FILE) continue;
      errs.push({ error: `include cycle: ${chain.join(' -> ')} -> ${files[e.to]} in ${from}:${e.line}`, line: e.line });
    } else if (state[e.to] === 0) {
      state[e.to] = 1;
      stack.push(e);
      frames.push({ node: e.to, next: 0 });
    }
  }
}
