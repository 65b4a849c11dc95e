// What a log file gained since a remembered size: nginx's error log read from
// the gate's start, never the whole history.
import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';

const MAX_TAIL_BYTES = 1024 * 1024;

/** The file's size now, or undefined when it cannot be read. */
export async function fileSize(path: string): Promise<number | undefined> {
  return (await stat(path).catch(() => undefined))?.size;
}

/** Complete lines appended after `from` (at most the last MiB of them). A rotated (shorter) file is read from its start. */
export async function readSince(path: string, from: number): Promise<{ lines: string[]; error?: string }> {
  let fh: import('node:fs/promises').FileHandle | undefined;
  try {
    // O_NONBLOCK: a FIFO must not hold the open (and with it the gate past its deadline)
    fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const st = await fh.stat();
    if (!st.isFile()) return { lines: [], error: `cannot read ${path}: not a regular file` };
    const size = st.size;
    const begin = size < from ? 0 : Math.max(from, size - MAX_TAIL_BYTES);
    const length = size - begin;
    if (length <= 0) return { lines: [] };
    const buf = Buffer.alloc(length);
    await fh.read(buf, 0, length, begin);
    const text = buf.toString('utf8');
    return { lines: text.split('\n').filter((l) => l.trim() !== '') };
  } catch (e) {
    return { lines: [], error: `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
  } finally {
    await fh?.close();
  }
}
