// gzip data (RFC 1952) read member by member, as gzip(1) reads it: each
// member's header is parsed here and its deflate data inflated raw, so where
// a member ends is known. Bytes after the last member that do not start
// another one ("trailing garbage", in gzip's words) are counted and ignored,
// and nothing decompressed before them is lost. zlib's own gunzip takes such
// bytes for a next member and fails, dropping the output of its last call.
import * as zlib from 'node:zlib';

export interface GzipSummary {
  /** the data ended inside a member (a file still being compressed) */
  truncated: boolean;
  /** bytes after the last complete member that are not gzip data, ignored */
  trailing: number;
}

/** zlib's CRC-32 (Node 20.15 and later); on older versions the length alone is checked. */
const crc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;
const RESERVED = 0xe0;

/** A damaged member: reported as zlib reports one, so the caller words it once for both. */
function damaged(message: string): Error {
  return Object.assign(new Error(message), { code: 'Z_DATA_ERROR' });
}

/** Bytes from an async source, taken as needed. */
class Input {
  private buf: Buffer = Buffer.alloc(0);
  private ended = false;
  constructor(private readonly it: AsyncIterator<Buffer>) {}

  /** At least `n` bytes buffered, or false when the source ends first. */
  async want(n: number): Promise<boolean> {
    while (this.buf.length < n && !this.ended) {
      const r = await this.it.next();
      if (r.done) this.ended = true;
      else this.buf = this.buf.length === 0 ? r.value : Buffer.concat([this.buf, r.value]);
    }
    return this.buf.length >= n;
  }

  peek(n: number): Buffer {
    return this.buf.subarray(0, n);
  }

  take(n: number): Buffer {
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }

  /** What is buffered, or the next chunk of the source; undefined at its end. */
  async chunk(): Promise<Buffer | undefined> {
    if (this.buf.length > 0) return this.take(this.buf.length);
    if (this.ended) return undefined;
    const r = await this.it.next();
    if (r.done) {
      this.ended = true;
      return undefined;
    }
    return r.value;
  }

  /** Bytes handed out but not used: given back to be read again. */
  unread(b: Buffer): void {
    if (b.length > 0) this.buf = this.buf.length === 0 ? b : Buffer.concat([b, this.buf]);
  }

  /** Skips up to and including the next zero byte (a header's name or comment); false at the end. */
  async skipString(): Promise<boolean> {
    for (;;) {
      const z = this.buf.indexOf(0);
      if (z >= 0) {
        this.take(z + 1);
        return true;
      }
      this.take(this.buf.length);
      if (!(await this.want(1))) return false;
    }
  }

  /** Counts and drops the rest of the source. */
  async drain(): Promise<number> {
    let n = 0;
    for (let c = await this.chunk(); c; c = await this.chunk()) n += c.length;
    return n;
  }
}

type Header = 'ok' | 'end' | 'not-a-member' | 'truncated';

/** Parses one member header; 'not-a-member' leaves the bytes in place (they are garbage, or a damaged file). */
async function header(input: Input): Promise<Header> {
  if (!(await input.want(1))) return 'end';
  if (!(await input.want(10))) return input.peek(2)[0] === 0x1f && (input.peek(2).length < 2 || input.peek(2)[1] === 0x8b) ? 'truncated' : 'not-a-member';
  const h = input.peek(10);
  if (h[0] !== 0x1f || h[1] !== 0x8b || h[2] !== 8 || ((h[3] as number) & RESERVED) !== 0) return 'not-a-member';
  const flags = h[3] as number;
  input.take(10);
  if (flags & FEXTRA) {
    if (!(await input.want(2))) return 'truncated';
    const xlen = input.take(2).readUInt16LE(0);
    if (!(await input.want(xlen))) return 'truncated';
    input.take(xlen);
  }
  if (flags & FNAME && !(await input.skipString())) return 'truncated';
  if (flags & FCOMMENT && !(await input.skipString())) return 'truncated';
  if (flags & FHCRC) {
    if (!(await input.want(2))) return 'truncated';
    input.take(2);
  }
  return 'ok';
}

/**
 * One member's deflate data, inflated: yields the output; returns false when
 * the input ended first. The input is fed one chunk at a time, and after each
 * the inflater says how much of it it used: the rest, once the deflate
 * stream has ended, is given back to the input.
 */
async function* inflateMember(input: Input, check: { crc: number; size: number }, chunkSize: number): AsyncGenerator<Buffer, boolean> {
  const inflater = zlib.createInflateRaw({ chunkSize });
  let complete = true;
  const feeding = (async () => {
    let fed = 0;
    for (;;) {
      const chunk = await input.chunk();
      if (!chunk) {
        // a deflate stream that is not done fails here: "unexpected end of file"
        complete = false;
        inflater.end();
        return;
      }
      fed += chunk.length;
      await new Promise<void>((resolve, reject) => inflater.write(chunk, (e) => (e ? reject(e) : resolve())));
      const unused = fed - inflater.bytesWritten;
      if (unused > 0) {
        // the deflate stream ended inside this chunk
        input.unread(chunk.subarray(chunk.length - unused));
        inflater.end();
        return;
      }
    }
  })();
  // the same error surfaces from reading the inflater
  feeding.catch(() => {});
  try {
    for await (const out of inflater) {
      const b = out as Buffer;
      if (crc32) check.crc = crc32(b, check.crc);
      check.size = (check.size + b.length) >>> 0;
      yield b;
    }
    await feeding;
  } finally {
    inflater.destroy();
  }
  return complete;
}

/** The decompressed data of every member of `source`, in order; `summary` says how it ended. */
export async function* gunzipMembers(source: AsyncIterable<Buffer>, summary: GzipSummary, chunkSize: number): AsyncGenerator<Buffer> {
  const input = new Input(source[Symbol.asyncIterator]());
  for (let first = true; ; first = false) {
    const h = await header(input);
    if (h === 'end') return;
    if (h === 'truncated') {
      summary.truncated = true;
      return;
    }
    if (h === 'not-a-member') {
      if (first) throw damaged('not a gzip member header: unknown compression method or flags');
      summary.trailing = await input.drain();
      return;
    }
    const check = { crc: 0, size: 0 };
    let complete: boolean;
    try {
      complete = yield* inflateMember(input, check, chunkSize);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'Z_BUF_ERROR') throw e;
      complete = false;
    }
    if (!complete || !(await input.want(8))) {
      summary.truncated = true;
      return;
    }
    const trailer = input.take(8);
    if (crc32 && trailer.readUInt32LE(0) !== check.crc >>> 0) throw damaged('incorrect data check (CRC-32)');
    if (trailer.readUInt32LE(4) !== check.size) throw damaged('incorrect length check');
  }
}
