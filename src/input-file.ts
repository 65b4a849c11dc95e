// A file the user named as input (spec, error log, nginx dump): a regular file
// or a pipe (a FIFO, `<(zcat log.gz)`, /dev/stdin), nothing else. A directory,
// a device (/dev/zero never ends) or a socket is refused with one line.
//
// Nothing here may block where a signal cannot end it. open(2) of a FIFO
// without a writer waits, and it would wait in libuv's thread pool, which
// process.exit() then waits for too: the gate would ignore SIGTERM. So a FIFO
// is opened O_NONBLOCK (open returns at once) and read as a stream through the
// event loop, where the wait for a writer ends with the AbortSignal.
import { close, constants, fstat, fstatSync, open, read, type Stats } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { Socket } from 'node:net';
import { isatty } from 'node:tty';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { fileErrorWords, UserError } from './user-error.js';

const openFd = promisify(open);
const fstatFd = promisify(fstat);
const readFd = promisify(read);
const closeFd = promisify(close);

const MiB = 1024 * 1024;

/** An opened input: a regular file (read by position) or a pipe (read as a stream, once). */
export type OpenedInput = { kind: 'file'; fd: number; size: number; close(): Promise<void> } | { kind: 'pipe'; stream: Readable };

export interface InputOptions {
  /** read a FIFO or pipe (default), or refuse it: for files that must be regular */
  pipes?: boolean;
  /** what the file is, for messages: `spec`, `error log`, `nginx dump` */
  what: string;
  /** how messages name the file (the path as the user wrote it); default the path */
  shown?: string;
  signal?: AbortSignal;
}

/** What is at a path: the words every Host uses. */
export type FileType = 'file' | 'directory' | 'symlink' | 'socket' | 'fifo' | 'character-device' | 'block-device' | 'other';

export function fileType(st: Stats): FileType {
  if (st.isSocket()) return 'socket';
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'directory';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isFIFO()) return 'fifo';
  if (st.isCharacterDevice()) return 'character-device';
  if (st.isBlockDevice()) return 'block-device';
  return 'other';
}

/** Why a file of this type is not read, or undefined: a regular file, or a pipe unless `pipes` is false. */
export function refusalOf(type: FileType, pipes = true): string | undefined {
  if (type === 'file' || (type === 'fifo' && pipes)) return undefined;
  if (type === 'fifo') return 'is a FIFO, not a regular file';
  if (type === 'directory') return 'is a directory';
  const what = type === 'character-device' ? 'a character device' : type === 'block-device' ? 'a block device' : type === 'socket' ? 'a socket' : 'not a file';
  return `is ${what}, not a regular file or a pipe`;
}

/** Why a file of this type is not read, or undefined for a regular file or a pipe. */
export function refusal(st: Stats): string | undefined {
  return refusalOf(fileType(st));
}

function fail(opts: InputOptions, path: string, words: string): never {
  throw new UserError(`cannot read ${opts.what}: ${words}`, opts.shown ?? path);
}

function refused(st: Stats, opts: InputOptions): string | undefined {
  return refusalOf(fileType(st), opts.pipes !== false);
}

/**
 * Standard input, by the same rules, except that it may be a socket (a
 * parent's socket pair) and a terminal (lines typed or pasted): not a device
 * that never ends (`< /dev/zero`). A stream without a descriptor (a test's)
 * passes.
 */
export function checkStdin(stdin: NodeJS.ReadableStream, what: string): void {
  const fd = (stdin as { fd?: unknown }).fd;
  if (typeof fd !== 'number' || isatty(fd)) return;
  let no: string | undefined;
  try {
    const st = fstatSync(fd);
    no = st.isSocket() ? undefined : refusal(st);
  } catch (e) {
    no = fileErrorWords(e);
  }
  if (no) throw new UserError(`cannot read ${what}: ${no}`, 'standard input');
}

/**
 * Fails now, with the words for it, when `path` cannot be read: for a command
 * that reports every bad input before any output. A FIFO is not opened (its
 * writer would see it open and close), only checked for permission.
 */
export async function checkInput(path: string, opts: InputOptions): Promise<void> {
  try {
    const st = await stat(path);
    const no = refused(st, opts);
    if (no) fail(opts, path, no);
    await access(path, constants.R_OK);
  } catch (e) {
    if (e instanceof UserError) throw e;
    fail(opts, path, fileErrorWords(e));
  }
}

/** Opens an input without blocking; the caller reads it and closes a file (a pipe's stream closes itself). */
export async function openInput(path: string, opts: InputOptions): Promise<OpenedInput> {
  let fd: number;
  try {
    // stat first: open(2) of a socket fails, and of a device has effects of its own (a tape rewinds)
    const no = refused(await stat(path), opts);
    if (no) fail(opts, path, no);
    fd = await openFd(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    if (e instanceof UserError) throw e;
    fail(opts, path, fileErrorWords(e));
  }
  try {
    // the path may have been replaced since the stat: what counts is what was opened
    const st = await fstatFd(fd);
    const no = refused(st, opts);
    if (no) fail(opts, path, no);
    if (st.isFile()) return { kind: 'file', fd, size: st.size, close: () => closeFd(fd) };
  } catch (e) {
    await closeFd(fd).catch(() => {});
    if (e instanceof UserError) throw e;
    fail(opts, path, fileErrorWords(e));
  }
  // a FIFO: the socket owns the descriptor from here and waits in epoll, not in a thread
  const stream = new Socket({ fd, readable: true, writable: false });
  if (opts.signal) {
    const signal = opts.signal;
    const stop = () => stream.destroy(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
    if (signal.aborted) stop();
    else {
      signal.addEventListener('abort', stop, { once: true });
      stream.once('close', () => signal.removeEventListener('abort', stop));
    }
  }
  return { kind: 'pipe', stream };
}

/** `4 MiB`, `256 MiB`, or bytes below 1 MiB. */
export function formatSize(bytes: number): string {
  return bytes >= MiB && bytes % MiB === 0 ? `${bytes / MiB} MiB` : `${bytes} bytes`;
}

/**
 * The whole input, at most `maxBytes`: a larger regular file is refused before
 * it is read, and a pipe as soon as it has sent more.
 */
export async function readInput(path: string, opts: InputOptions & { maxBytes: number }): Promise<Buffer> {
  const input = await openInput(path, opts);
  const tooLarge = (): never => fail(opts, path, `larger than ${formatSize(opts.maxBytes)}, the limit`);
  if (input.kind === 'pipe') return readStream(input.stream, opts.maxBytes, tooLarge, opts.signal);
  try {
    if (input.size > opts.maxBytes) tooLarge();
    // the file may grow while it is read: read to its end, never past the limit
    const chunks: Buffer[] = [];
    let n = 0;
    let want = input.size + 1;
    for (;;) {
      opts.signal?.throwIfAborted();
      const buf = Buffer.allocUnsafe(want);
      const { bytesRead } = await readFd(input.fd, buf, 0, want, n);
      if (bytesRead === 0) break;
      chunks.push(buf.subarray(0, bytesRead));
      n += bytesRead;
      if (n > opts.maxBytes) tooLarge();
      want = 64 * 1024;
    }
    return Buffer.concat(chunks, n);
  } catch (e) {
    if (e instanceof UserError || opts.signal?.aborted) throw e;
    fail(opts, path, fileErrorWords(e));
  } finally {
    await input.close().catch(() => {});
  }
}

/** A stream read whole, at most `maxBytes`; `tooLarge` throws once it sends more. */
export async function readStream(stream: NodeJS.ReadableStream, maxBytes: number, tooLarge: () => never, signal?: AbortSignal): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      signal?.throwIfAborted();
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      size += b.length;
      if (size > maxBytes) tooLarge();
      chunks.push(b);
    }
  } finally {
    // a writer that keeps sending gets EPIPE; the descriptor is given back
    (stream as Readable).destroy();
  }
  return Buffer.concat(chunks);
}
