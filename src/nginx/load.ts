// Read and parse a whole configuration: from its files, or from an `nginx -T`
// dump (file or stdin). A main config or dump that cannot be read is the
// user's mistake (UserError, exit 2); everything inside is collected errors.
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { decode, memorySource, overlaySource, type ConfigSource } from '../host/config-source.js';
import type { Host } from '../host/host.js';
import { fileSource } from '../host/local/config-files.js';
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

export async function readStdin(stream: NodeJS.ReadableStream = process.stdin, maxBytes = 256 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > maxBytes) throw new UserError(`stdin holds more than ${maxBytes} bytes`, '-');
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/** Read a dump from a file or `-`; undefined text when it is not a dump. */
async function readText(path: string, opts: LoadOptions): Promise<string> {
  if (path === '-') return decode(await (opts.readStdin ?? readStdin)());
  try {
    if (!statSync(path).isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    return decode(readFileSync(path));
  } catch (e) {
    throw new UserError(`cannot read ${fileErrorWords(e)}`, path);
  }
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
  // an empty read opens the file: one the user may not read is refused here
  const opened = !st.ok ? st : st.type !== 'file' ? { ok: false as const, code: 'EISDIR', message: 'not a file' } : await host.readFile(main, { offset: 0, length: 0, ...signal });
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
    if (!statSync(main).isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    closeSync(openSync(main, 'r'));
  } catch (e) {
    throw new UserError(`cannot read nginx config: ${fileErrorWords(e)}`, main);
  }
  return parseWith(main, fileSource(), opts);
}

function parseWith(main: string, source: ConfigSource, opts: LoadOptions): LoadedConfig {
  return { main, parse: parseConfig(main, { source, prefix: dirname(main), ...opts }) };
}

/** The first `max` bytes of a file (a dump is told by its start: no need to read a large file whole for it). */
function readHead(path: string, max: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(max);
    let n = 0;
    for (let r = 1; r > 0 && n < max; n += r) r = readSync(fd, head, n, max - n, n);
    return head.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** `parse CONF`: a file or `-`, config or dump, told apart by content. */
export async function loadAny(path: string, opts: LoadOptions = {}): Promise<LoadedConfig> {
  if (path !== '-') {
    let head = '';
    try {
      head = statSync(path).isFile() ? readHead(path, 64 * 1024).toString('utf8') : '';
    } catch {
      // loadFiles names the problem
    }
    if (!isDump(head)) return parseFiles(path, opts);
  }
  const text = await readText(path, opts);
  if (isDump(text)) return loadDumpText(text, path, opts);
  // A config on stdin: includes resolve against the working directory.
  const parse = parseConfig('-', { source: overlaySource(new Map([['-', text]]), fileSource()), prefix: process.cwd(), ...opts });
  return { main: '-', parse };
}
