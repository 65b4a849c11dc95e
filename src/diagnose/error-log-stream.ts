// Error-log files -> lines, streaming: a 1 GB log is read in 64 KiB chunks and
// never held whole. Rotated logs compressed by logrotate are recognised by
// their gzip magic bytes, not their name. Lines are byte strings, so bytes
// that are not UTF-8 (a raw request line) cannot fail the read; a last line
// without its newline (nginx was writing it) is still delivered.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { addAbortSignal, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { UserError } from '../user-error.js';

/** below V8's large-object size, so chunk strings stay in the young generation and RSS stays flat */
const CHUNK = 64 * 1024;
/** nginx cuts lines at 2048 bytes; anything much longer is not a log line and is skipped, not buffered */
const MAX_LINE = 64 * 1024;

export interface ReadSummary {
  bytes: number;
  lines: number;
  /** over-long runs without a newline that were dropped */
  dropped: number;
  /** a compressed file that ended early (rotation still writing it): what was there was read */
  truncatedGzip: boolean;
}

/** Open every file now, so a missing one is reported before any output: a UserError naming it. */
export async function checkReadable(paths: readonly string[]): Promise<void> {
  for (const p of paths) {
    if (p === '-') continue;
    try {
      const fh = await open(p, 'r');
      const st = await fh.stat();
      await fh.close();
      if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied (run as a user who may read it)' : code === 'EISDIR' ? 'is a directory' : String(code ?? e);
      throw new UserError(`cannot read error log: ${why}`, p);
    }
  }
}

/** Read one log (`-` = `stdin`), calling `onLine` for every line (a byte string), in order. */
export async function readLogLines(
  path: string,
  onLine: (line: string) => void,
  opts: { stdin?: NodeJS.ReadableStream; signal?: AbortSignal } = {},
): Promise<ReadSummary> {
  const stdin = opts.stdin ?? process.stdin;
  // an idle pipe must not outlive Ctrl-C: the signal destroys it
  if (path === '-' && opts.signal) addAbortSignal(opts.signal, stdin as Readable);
  const source: AsyncIterable<Buffer> =
    path === '-' ? (stdin as AsyncIterable<Buffer>) : createReadStream(path, { highWaterMark: CHUNK, ...(opts.signal && { signal: opts.signal }) });
  const summary: ReadSummary = { bytes: 0, lines: 0, dropped: 0, truncatedGzip: false };
  const splitter = lineSplitter((line) => {
    summary.lines++;
    onLine(line);
  });
  try {
    for await (const chunk of decompressed(source, summary)) {
      opts.signal?.throwIfAborted();
      summary.bytes += chunk.length;
      splitter.push(chunk);
    }
  } catch (e) {
    // gzip magic followed by something else: a damaged archive is bad input, not a bug
    const code = (e as NodeJS.ErrnoException | undefined)?.code;
    if (typeof code === 'string' && code.startsWith('Z_')) throw new UserError(`not a readable gzip file (${(e as Error).message})`, path);
    throw e;
  }
  splitter.end();
  summary.dropped = splitter.dropped();
  return summary;
}

/** Chunks as they are, or gunzipped when the first two bytes are gzip's magic (1f 8b). */
async function* decompressed(source: AsyncIterable<Buffer>, summary: ReadSummary): AsyncGenerator<Buffer> {
  const it = source[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  const head = Buffer.isBuffer(first.value) ? first.value : Buffer.from(first.value as string);
  async function* rest(): AsyncGenerator<Buffer> {
    yield head;
    for (;;) {
      const n = await it.next();
      if (n.done) return;
      yield n.value;
    }
  }
  if (head[0] !== 0x1f || head[1] !== 0x8b) {
    yield* rest();
    return;
  }
  const gunzip = createGunzip({ chunkSize: CHUNK });
  const feeding = pipeline(Readable.from(rest()), gunzip);
  feeding.catch(() => {}); // the same error surfaces from iterating gunzip
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
    await feeding;
  } catch (e) {
    if (isTruncatedGzip(e)) summary.truncatedGzip = true;
    else throw e;
  }
}

/** zlib's "unexpected end of file" */
function isTruncatedGzip(e: unknown): boolean {
  return (e as NodeJS.ErrnoException | undefined)?.code === 'Z_BUF_ERROR';
}

/**
 * Byte chunks -> lines without their `\n`, as byte strings (latin1: one char
 * per byte). No UTF-8 decoding on the hot path, and no character can be split
 * across chunks; whatever is kept is decoded later with
 * `Buffer.from(s, 'latin1').toString('utf8')`.
 */
export function lineSplitter(onLine: (line: string) => void): { push(chunk: Buffer): void; end(): void; dropped(): number } {
  let carry = '';
  let skipping = false;
  let dropped = 0;
  return {
    push(chunk) {
      const text = chunk.toString('latin1');
      let start = 0;
      for (;;) {
        const nl = text.indexOf('\n', start);
        if (nl < 0) break;
        if (skipping) skipping = false;
        else if (carry) {
          onLine(carry + text.slice(start, nl));
          carry = '';
        } else if (nl - start > MAX_LINE) dropped++;
        else onLine(text.slice(start, nl));
        start = nl + 1;
      }
      if (skipping || start === text.length) return;
      carry += text.slice(start);
      if (carry.length > MAX_LINE) {
        carry = '';
        skipping = true;
        dropped++;
      }
    },
    end() {
      if (carry && !skipping) onLine(carry);
      carry = '';
    },
    dropped: () => dropped,
  };
}
