// Read and parse a whole configuration: from its files, or from an `nginx -T`
// dump (file or stdin). A main config or dump that cannot be read is the
// user's mistake (UserError, exit 2); everything inside is collected errors.
import { closeSync, constants, openSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { decode, memorySource, overlaySource, type ConfigSource } from '../host/config-source.js';
import type { Host } from '../host/host.js';
import { fileSource } from '../host/local/config-files.js';
import { checkStdin, fileType, formatSize, readInput, readStream, refusalOf } from '../input-file.js';
import { fileErrorWords, UserError } from '../user-error.js';
import { isDump, parseDump, type Dump } from './dump.js';
import { parseNginxMessages } from './nginx-test.js';
import { parseConfig, type ParseLimits, type ParseResult } from './parser.js';

export interface LoadedConfig {
  main: string;
  parse: ParseResult;
  /** set when the config came from an `nginx -T` dump */
  dump?: Dump;
}

export interface LoadOptions {
  signal?: AbortSignal;
  limits?: Partial<ParseLimits>;
  /** reads all of stdin, for `-` */
  readStdin?: () => Promise<Buffer>;
}

/** An `nginx -T` dump larger than this is refused: the parser reads at most 128 MiB of config from it. */
export const MAX_DUMP_BYTES = 256 * 1024 * 1024;

export async function readStdin(stream: NodeJS.ReadableStream = process.stdin, maxBytes = MAX_DUMP_BYTES): Promise<Buffer> {
  checkStdin(stream, 'nginx dump');
  return readStream(stream, maxBytes, () => {
    throw new UserError(`cannot read nginx dump: larger than ${formatSize(maxBytes)}, the limit`, 'standard input');
  });
}

/** Read a dump (or a config, for `parse`) from a file, a pipe or `-`. */
async function readText(path: string, opts: LoadOptions): Promise<string> {
  if (path === '-') return decode(await (opts.readStdin ?? readStdin)());
  return decode(await readInput(path, { what: 'nginx dump', maxBytes: MAX_DUMP_BYTES, ...(opts.signal && { signal: opts.signal }) }));
}

export function loadDumpText(text: string, where: string, opts: LoadOptions = {}): LoadedConfig {
  const dump = parseDump(text);
  if (!dump) {
    // `nginx -T` prints no configuration when the test fails, only why
    const failed = parseNginxMessages(text).find((m) => m.level === 'emerg');
    if (failed) throw new UserError(`nginx -T failed, so the dump holds no configuration: ${failed.raw}`, where);
    throw new UserError('not an `nginx -T` dump: no "# configuration file PATH:" line', where);
  }
  const parse = parseConfig(dump.main, { source: memorySource(dump.files), ...opts });
  return { main: dump.main, parse, dump };
}

export async function loadDump(path: string, opts: LoadOptions = {}): Promise<LoadedConfig> {
  return loadDumpText(await readText(path, opts), path, opts);
}

/**
 * The config `check` works on, read on the Host where nginx runs: every file
 * of it readable by the host's user, and the main file nginx config.
 * Otherwise the check would judge another config than the one nginx (as root)
 * runs: that is the user's to fix (UserError, exit 2), an unreadable included
 * file the same as an unreadable main file.
 */
export async function loadFiles(host: Host, main: string, opts: LoadOptions = {}): Promise<LoadedConfig> {
  const signal = opts.signal ? { signal: opts.signal } : {};
  const st = await host.stat(main, { followLinks: true, ...signal });
  if (st.ok && st.type !== 'file') throw new UserError(`cannot read nginx config: ${refusalOf(st.type, false)}`, main);
  // an empty read opens the file: one the user may not read is refused here
  const opened = st.ok ? await host.readFile(main, { offset: 0, length: 0, ...signal }) : st;
  if (!opened.ok) throw new UserError(`cannot read nginx config: ${fileErrorWords(opened.code ? { code: opened.code } : opened.message)}`, main);
  const loaded = parseWith(main, await host.configSource(main, signal), opts);
  const { notConfig, denied } = loaded.parse;
  const why = notConfig.get(main);
  if (why) throw new UserError(`does not read as an nginx config file: ${why}`, main);
  const first = denied[0];
  if (first) {
    const what = first.listing ? `cannot list ${first.path} for an include` : `cannot read included file ${first.path}`;
    throw new UserError(`${what}: permission denied`, first.site ? `${first.site.file}:${first.site.line}` : main);
  }
  return loaded;
}

/** Parse this machine's files, every problem inside collected in the payload (`parse`, crossplane's way). */
function parseFiles(main: string, opts: LoadOptions): LoadedConfig {
  try {
    const st = statSync(main);
    const no = refusalOf(fileType(st), false);
    if (no) throw new UserError(`cannot read nginx config: ${no}`, main);
    // O_NONBLOCK: a FIFO put there since the stat must not hold the open
    closeSync(openSync(main, constants.O_RDONLY | constants.O_NONBLOCK));
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`cannot read nginx config: ${fileErrorWords(e)}`, main);
  }
  return parseWith(main, fileSource(), opts);
}

function parseWith(main: string, source: ConfigSource, opts: LoadOptions): LoadedConfig {
  return { main, parse: parseConfig(main, { source, prefix: dirname(main), ...opts }) };
}

/** The first `max` bytes of a file (a dump is told by its start: no need to read a large file whole for it). */
function readHead(path: string, max: number): Buffer {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const head = Buffer.alloc(max);
    let n = 0;
    for (let r = 1; r > 0 && n < max; n += r) r = readSync(fd, head, n, max - n, n);
    return head.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** `parse CONF`: a file, a pipe or `-`, config or dump, told apart by content. */
export async function loadAny(path: string, opts: LoadOptions = {}): Promise<LoadedConfig> {
  if (path !== '-') {
    let head: string | undefined;
    try {
      const st = statSync(path);
      // a pipe is read whole below, once: its start cannot be looked at first
      if (!st.isFIFO()) head = st.isFile() ? readHead(path, 64 * 1024).toString('utf8') : '';
    } catch {
      head = '';
    }
    // not a dump, or not readable: parseFiles reads it or names the problem
    if (head !== undefined && !isDump(head)) return parseFiles(path, opts);
  }
  const text = await readText(path, opts);
  if (isDump(text)) return loadDumpText(text, path, opts);
  // A config from stdin or a pipe: includes resolve against the working directory.
  const parse = parseConfig(path, { source: overlaySource(new Map([[path, text]]), fileSource()), prefix: process.cwd(), ...opts });
  return { main: path, parse };
}
