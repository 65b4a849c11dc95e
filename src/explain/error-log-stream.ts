// Error-log files -> text, streaming: a 1 GB log is read in 64 KiB chunks and
// never held whole. Rotated logs compressed by logrotate are recognised by
// their gzip magic bytes, not their name. Text is a byte string (latin1, one
// char per byte), so bytes that are not UTF-8 (a raw request line) cannot fail
// the read and no character is split across chunks; a last line without its
// newline (nginx was writing it) is still delivered.
//
// The reader hands over whole chunks of lines, not lines: cutting a 1 GB log
// into four million strings costs more than explaining it. A reader of bytes
// (readLogBytes: explain's WebAssembly scanner) gets the chunks as bytes, and
// no string is made of them. A plain file is read ahead by one chunk, so the
// disk (or page cache) copy of the next chunk overlaps the work on this one.
import { createReadStream, read } from 'node:fs';
import { addAbortSignal, type Readable } from 'node:stream';
import { promisify } from 'node:util';
import { checkInput, checkStdin, openInput } from '../input-file.js';
import { gunzipMembers } from './gzip-members.js';
import { UserError } from '../user-error.js';

const readFd = promisify(read);

/** below V8's large-object size, so chunk strings stay in the young generation and RSS stays flat */
const CHUNK = 64 * 1024;
/** a plain file is read this much at a time: fewer round trips through the event loop */
const READ = 16 * CHUNK;
/** nginx cuts lines at 2048 bytes; anything much longer is not a log line and is skipped, not buffered */
export const MAX_LINE = 64 * 1024;

export interface ReadSummary {
  bytes: number;
  /** over-long runs without a newline that were dropped */
  dropped: number;
  /** a compressed file that ended early (rotation still writing it): what was there was read */
  truncatedGzip: boolean;
  /** bytes after the gzip data that are not gzip data (trailing garbage): ignored */
  gzipTrailingBytes: number;
}

/**
 * Receives `text[start, end)`: whole lines separated by `\n`; the last one
 * ends with `\n` except at the end of the input. `text` is a byte string;
 * `bytes`, when given, holds the same bytes at the same offsets.
 */
export type OnText = (text: string, start: number, end: number, bytes?: Uint8Array) => void;

/** Receives whole lines separated by `\n`, as OnText's text, in bytes. Valid only during the call. */
export type OnBytes = (bytes: Uint8Array) => void;

interface Splitter {
  push(chunk: Buffer): void;
  end(): void;
  dropped(): number;
}

/**
 * Check every input now, so a missing one is reported before any output: a
 * UserError naming it. A FIFO is not opened here (its writer would see it
 * closed), only checked.
 */
export async function checkReadable(paths: readonly string[], stdin?: NodeJS.ReadableStream): Promise<void> {
  for (const p of paths) {
    if (p === '-') checkStdin(stdin ?? process.stdin, 'error log');
    else await checkInput(p, { what: 'error log' });
  }
}

interface ReadOptions {
  stdin?: NodeJS.ReadableStream;
  signal?: AbortSignal;
  /** only this part of a plain (not gzip) file */
  range?: ByteRange;
}

/** Read one log (`-` = `stdin`), handing its lines to `onText` chunk by chunk, in order. */
export function readLogText(path: string, onText: OnText, opts: ReadOptions = {}): Promise<ReadSummary> {
  return readLog(path, textSplitter(onText), opts);
}

/** Read one log (`-` = `stdin`), handing its lines to `onBytes` chunk by chunk, in order, as bytes. */
export function readLogBytes(path: string, onBytes: OnBytes, opts: ReadOptions = {}): Promise<ReadSummary> {
  return readLog(path, byteSplitter(onBytes), opts);
}

async function readLog(path: string, splitter: Splitter, opts: ReadOptions): Promise<ReadSummary> {
  const summary: ReadSummary = { bytes: 0, dropped: 0, truncatedGzip: false, gzipTrailingBytes: 0 };
  const push = (chunk: Buffer) => {
    opts.signal?.throwIfAborted();
    summary.bytes += chunk.length;
    splitter.push(chunk);
  };
  try {
    if (path === '-') {
      for await (const chunk of decompressed(stdinStream(opts), summary)) push(chunk);
    } else {
      const input = await openInput(path, { what: 'error log', ...(opts.signal && { signal: opts.signal }) });
      if (input.kind === 'pipe') {
        for await (const chunk of decompressed(input.stream, summary)) push(chunk);
      } else {
        try {
          if (!(await readPlain(input.fd, push, opts.signal, opts.range))) {
            const gz = createReadStream('', { fd: input.fd, start: 0, autoClose: false, highWaterMark: CHUNK, ...(opts.signal && { signal: opts.signal }) });
            for await (const chunk of decompressed(gz, summary)) push(chunk);
          }
        } finally {
          await input.close();
        }
      }
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

/** Read one log line by line: for callers that want lines, not throughput. */
export function readLogLines(path: string, onLine: (line: string) => void, opts: ReadOptions = {}): Promise<ReadSummary> {
  return readLogText(path, (text, start, end) => eachLine(text, start, end, (s, e) => onLine(text.slice(s, e))), opts);
}

/** The lines of a region handed to an `OnText`, as [s, e) without their newline. */
export function eachLine(text: string, start: number, end: number, onLine: (s: number, e: number) => void): void {
  for (let i = start; i < end; ) {
    let nl = text.indexOf('\n', i);
    if (nl < 0 || nl > end) nl = end;
    onLine(i, nl);
    i = nl + 1;
  }
}

/** Does a file or stream start with gzip's magic bytes (1f 8b)? */
export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

function stdinStream(opts: ReadOptions): AsyncIterable<Buffer> {
  const stdin = opts.stdin ?? process.stdin;
  // an idle pipe must not outlive Ctrl-C: the signal destroys it
  if (opts.signal) addAbortSignal(opts.signal, stdin as Readable);
  return stdin as AsyncIterable<Buffer>;
}

/**
 * A part of a plain file: the lines that start at a byte offset in
 * [start, end). The line running across `start` belongs to the part before;
 * the one running across `end` is read to its end. Parts that tile a file
 * read every line exactly once.
 */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * A file that is not gzip, read with one chunk in flight while the previous
 * one is worked on. False (nothing read) when the file starts with gzip's
 * magic. With a range, only the lines of that range.
 */
async function readPlain(fd: number, push: (chunk: Buffer) => void, signal?: AbortSignal, range?: ByteRange): Promise<boolean> {
  let pending: Promise<{ bytesRead: number }> | undefined;
  try {
    const bufs = [Buffer.allocUnsafe(READ), Buffer.allocUnsafe(READ)] as const;
    let k = 0;
    const start = range?.start ?? 0;
    const end = range?.end ?? Infinity;
    // from the byte before the range, through the first newline: a line starts after it
    let skipping = start > 0;
    let position = skipping ? start - 1 : 0;
    const first = await readFd(fd, bufs[0], 0, READ, position);
    if (!range && isGzip(bufs[0].subarray(0, first.bytesRead))) return false;
    let n = first.bytesRead;
    while (n > 0) {
      signal?.throwIfAborted();
      const cur = (bufs[k] as Buffer).subarray(0, n);
      const base = position;
      position += n;
      k ^= 1;
      // the next read is in flight while this chunk is worked on
      pending = readFd(fd, bufs[k] as Buffer, 0, READ, position);
      let from = 0;
      if (skipping) {
        const nl = cur.indexOf(10);
        from = nl < 0 ? n : nl + 1;
        skipping = nl < 0;
        if (!skipping && base + from >= end) return true;
      }
      // the range's last line ends at the first newline at or after end - 1
      const last = position >= end ? cur.indexOf(10, Math.max(from, end - 1 - base)) : -1;
      if (last >= 0) {
        push(cur.subarray(from, last + 1));
        return true;
      }
      if (from < n) push(from === 0 ? cur : cur.subarray(from));
      n = (await pending).bytesRead;
      pending = undefined;
    }
    return true;
  } finally {
    // a read still in flight (an error or Ctrl-C mid-file) must end before its descriptor closes
    await pending?.catch(() => {});
  }
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
  if (!isGzip(head)) {
    yield* rest();
    return;
  }
  const gz = { truncated: false, trailing: 0 };
  try {
    yield* gunzipMembers(rest(), gz, CHUNK);
  } finally {
    summary.truncatedGzip = gz.truncated;
    summary.gzipTrailingBytes = gz.trailing;
  }
}

/**
 * Byte chunks -> regions of whole lines, as bytes. A line split across
 * chunks is joined and handed over on its own; a run without a newline
 * longer than MAX_LINE is dropped and counted, never buffered.
 */
export function byteSplitter(onBytes: OnBytes): Splitter {
  /** the start of a line whose end is in a later chunk, in pieces */
  let carry: Buffer[] = [];
  let carried = 0;
  let skipping = false;
  let dropped = 0;
  function take(chunk: Buffer, start: number): void {
    if (skipping) return;
    // copied: the reader reuses its buffers
    carry.push(Buffer.from(chunk.subarray(start)));
    carried += chunk.length - start;
    if (carried > MAX_LINE) {
      carry = [];
      carried = 0;
      skipping = true;
      dropped++;
    }
  }
  function pushChunk(chunk: Buffer): void {
    let start = 0;
    if (carried > 0 || skipping) {
      const nl = chunk.indexOf(10);
      if (nl < 0) return take(chunk, 0);
      if (skipping) skipping = false;
      else {
        carry.push(chunk.subarray(0, nl));
        const line = Buffer.concat(carry);
        carry = [];
        carried = 0;
        onBytes(line);
      }
      start = nl + 1;
    }
    const last = chunk.lastIndexOf(10);
    if (last >= start) {
      onBytes(start === 0 && last === chunk.length - 1 ? chunk : chunk.subarray(start, last + 1));
      start = last + 1;
    }
    if (start < chunk.length) take(chunk, start);
  }
  return {
    push(chunk) {
      // a source may hand over more than CHUNK at once: no line inside a region may exceed MAX_LINE
      for (let at = 0; at < chunk.length; at += CHUNK) pushChunk(at === 0 && chunk.length <= CHUNK ? chunk : chunk.subarray(at, at + CHUNK));
    },
    end() {
      if (carried > 0 && !skipping) onBytes(Buffer.concat(carry));
      carry = [];
      carried = 0;
    },
    dropped: () => dropped,
  };
}

/**
 * Byte chunks -> regions of whole lines as text: byteSplitter's regions, each
 * decoded once as latin1 (no UTF-8 decoding on the hot path; whatever is kept
 * is decoded later with `Buffer.from(s, 'latin1').toString('utf8')`), and
 * handed over with its bytes: byte i is char i, for a scanner that reads bytes.
 */
export function textSplitter(onText: OnText): Splitter {
  return byteSplitter((b) => {
    const text = Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1');
    onText(text, 0, text.length, b);
  });
}
