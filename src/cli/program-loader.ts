// The head of dist/cli.js. The CLI's program follows it in the same file, in
// a comment, so the file still runs wherever it is copied alone; this head
// compiles it with V8's code cache. Compiling the 2 MB program costs a cold
// start more than node's own start does; with the cache, V8 reads the
// compiled code back instead, and the gate begins about as soon as node has.
//
// The cache is this user's own (XDG_CACHE_HOME, else ~/.cache, then
// upstream-gate/), used only when the directory and the file belong to the
// user and nobody else can write them: compiled code read from a file is code
// run. Its name carries everything the compiled code depends on (this
// program's hash, this file's identity, node's V8 and CPU), so an edited file
// or another node never takes a stale cache, and V8 checks the rest (its
// flags) itself. UPSTREAM_GATE_CODE_CACHE=off turns it off; a directory there
// moves it. Any failure means compiling as without a cache, never an error.
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readSync, renameSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { createRequire } from 'node:module';
import { Script } from 'node:vm';
import { fileURLToPath } from 'node:url';
import { isMainThread, threadId } from 'node:worker_threads';
import { CODE_CACHE_STATE, type CodeCacheState } from '../timings.js';
// first: the program is compiled, and its cache checked, with the flags it runs with
import '../regexp-guard.js';

declare const __PROGRAM_HASH__: string;
declare const __PROGRAM_LENGTH__: number;
/** offsets in the program where `*` + `/` stood: written `*` + `|` so the comment holding it stays closed */
declare const __PROGRAM_CLOSERS__: number[];

const PROGRAM_HEADER = `/* upstream-gate program ${__PROGRAM_HASH__}\n`;
const PROGRAM_FOOTER = '\n*/\n';
/** the program runs as CommonJS does, strict as the modules it was built from */
const WRAP_HEAD = "(function (exports, require, module, __filename, __dirname, __ugateMetaUrl) {'use strict';\n";
const WRAP_TAIL = '\n})';
const MAX_CACHE_BYTES = 64 * 1024 * 1024;
const STALE_MS = 30 * 24 * 3600 * 1000;

const self = fileURLToPath(import.meta.url);
load();

/** In a function, so the file's text and the program's copy are garbage once compiled: V8 keeps the source it compiled. */
function load(): void {
  const { text, stat } = readSelf(self);
  const end = text.length - PROGRAM_FOOTER.length;
  const start = end - __PROGRAM_LENGTH__;
  if (start < PROGRAM_HEADER.length || text.slice(start - PROGRAM_HEADER.length, start) !== PROGRAM_HEADER || !text.endsWith(PROGRAM_FOOTER)) {
    process.stderr.write(`upstream-gate: ${self} is damaged: its program is not where its head expects it (install it again)\n`);
    process.exit(70);
  }
  const program = restoreClosers(text, start, end);
  // the program's first line is this file's line `line`, so stack traces name this file's lines
  let line = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < start; i = text.indexOf('\n', i + 1)) line++;

  const cache = cacheFile(stat);
  const cached = cache.file ? readCache(cache.file) : undefined;
  const compileStart = performance.now();
  const script = new Script(WRAP_HEAD + program + WRAP_TAIL, { filename: self, lineOffset: line - 1, cachedData: cached });
  const status: CodeCacheState = {
    startMs: compileStart,
    state: !cache.file ? 'off' : cached === undefined ? 'written at exit' : script.cachedDataRejected ? 'rejected, rewritten at exit' : 'hit',
    why: cache.why,
    compileMs: performance.now() - compileStart,
  };
  (globalThis as { [k: symbol]: unknown })[CODE_CACHE_STATE] = status;
  if (cache.file && status.state !== 'hit') {
    const file = cache.file;
    // at exit the cache holds every function this run compiled, not only the top level; a run
    // that ended in a usage error (2) or a crash compiled little worth keeping
    process.once('exit', (code) => {
      if (code === 0 || code === 1) writeCache(file, script.createCachedData());
    });
  }
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  const module = { exports: {} };
  run.call(undefined, module.exports, createRequire(self), module, self, self.slice(0, self.lastIndexOf('/')) || '/', import.meta.url);
}

/** The file's text and its identity, of the one file opened (the cache's name carries that identity). */
function readSelf(path: string): { text: string; stat: Stats } {
  // latin1: the program is ASCII (the build checks), and this decoding is the fastest
  const fd = openSync(path, 'r');
  try {
    const stat = fstatSync(fd);
    return { text: readWhole(fd, stat.size).toString('latin1'), stat };
  } finally {
    closeSync(fd);
  }
}

/** `size` bytes from the start of `fd`, or fewer if the file is shorter now. */
function readWhole(fd: number, size: number): Buffer {
  const buf = Buffer.allocUnsafe(size);
  let got = 0;
  while (got < size) {
    const n = readSync(fd, buf, got, size - got, got);
    if (n === 0) break;
    got += n;
  }
  return buf.subarray(0, got);
}

function restoreClosers(all: string, from: number, to: number): string {
  if (__PROGRAM_CLOSERS__.length === 0) return all.slice(from, to);
  const parts: string[] = [];
  let at = from;
  for (const offset of __PROGRAM_CLOSERS__) {
    parts.push(all.slice(at, from + offset + 1), '/');
    at = from + offset + 2;
  }
  parts.push(all.slice(at, to));
  return parts.join('');
}

function cacheFile(me: Stats): { file?: string; why?: string } {
  const setting = process.env.UPSTREAM_GATE_CODE_CACHE;
  if (setting === 'off' || setting === '0') return { why: 'UPSTREAM_GATE_CODE_CACHE is off' };
  const xdg = process.env.XDG_CACHE_HOME;
  const home = process.env.HOME;
  const dir = setting?.startsWith('/') ? setting : xdg?.startsWith('/') ? `${xdg}/upstream-gate` : home?.startsWith('/') ? `${home}/.cache/upstream-gate` : undefined;
  if (!dir) return { why: 'no cache directory: HOME is not set' };
  const uid = process.geteuid?.() ?? -1;
  try {
    let st;
    try {
      st = lstatSync(dir);
    } catch {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      st = lstatSync(dir);
    }
    if (!st.isDirectory()) return { why: `${dir} is not a directory` };
    if (st.uid !== uid) return { why: `${dir} belongs to uid ${st.uid}, not to this user (uid ${uid})` };
    if ((st.mode & 0o022) !== 0) return { why: `${dir} is writable by others` };
    const command = isMainThread ? (/^[a-z]{1,20}$/.test(process.argv[2] ?? '') ? process.argv[2] : 'other') : 'worker';
    const identity = `${me.dev}-${me.ino}-${me.size}-${Math.trunc(me.mtimeMs)}`;
    const v8 = process.versions.v8.replace(/[^\w.-]/g, '_');
    return { file: `${dir}/${__PROGRAM_HASH__.slice(0, 16)}-${identity}-${v8}-${process.arch}-${command}.v8` };
  } catch (e) {
    return { why: `${dir}: ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
  }
}

function readCache(file: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
    const st = fstatSync(fd);
    if (!st.isFile() || st.uid !== (process.geteuid?.() ?? -1) || (st.mode & 0o022) !== 0 || st.size > MAX_CACHE_BYTES) return undefined;
    const buf = readWhole(fd, st.size);
    // a cache cut short while it was read is no cache
    return buf.length === st.size ? buf : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Written whole or not at all: a file of its own, then renamed over the name. */
function writeCache(file: string, data: Buffer): void {
  const tmp = `${file}.${process.pid}-${threadId}.tmp`;
  try {
    const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    try {
      for (let at = 0; at < data.length; ) at += writeSync(fd, data, at, data.length - at);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    removeStale(file.slice(0, file.lastIndexOf('/')));
  } catch {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was created
    }
  }
}

/** Caches of other builds and copies, untouched for a month, and what an interrupted write left. */
function removeStale(dir: string): void {
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    if (!/\.v8$|\.tmp$/.test(name)) continue;
    try {
      const st = lstatSync(`${dir}/${name}`);
      if (now - st.mtimeMs > (name.endsWith('.tmp') ? 3600 * 1000 : STALE_MS)) unlinkSync(`${dir}/${name}`);
    } catch {
      // gone already, or not ours to remove
    }
  }
}
