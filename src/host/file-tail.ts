// What a log file gained since a remembered size: nginx's error log read from
// the gate's start, never the whole history. Read through the Host, where
// nginx writes it.
import type { Host } from './host.js';

const MAX_TAIL_BYTES = 1024 * 1024;

/** The file's size now, or undefined when it cannot be read. */
export async function fileSize(host: Host, path: string, options: { signal?: AbortSignal } = {}): Promise<number | undefined> {
  const st = await host.stat(path, { followLinks: true, ...options });
  return st.ok ? st.size : undefined;
}

/** Complete lines appended after `from` (at most the last MiB of them). A rotated (shorter) file is read from its start. */
export async function readSince(host: Host, path: string, from: number, options: { signal?: AbortSignal } = {}): Promise<{ lines: string[]; error?: string }> {
  // an empty read first: a file the host's user may not read says so even when it has not grown
  const opened = await host.readFile(path, { offset: 0, length: 0, ...options });
  const st = opened.ok ? await host.stat(path, { followLinks: true, ...options }) : opened;
  if (!st.ok) return { lines: [], error: `cannot read ${path}: ${st.code ?? st.message}` };
  if (st.type !== 'file') return { lines: [], error: `cannot read ${path}: not a regular file` };
  const begin = st.size < from ? 0 : Math.max(from, st.size - MAX_TAIL_BYTES);
  const length = st.size - begin;
  if (length <= 0) return { lines: [] };
  const r = await host.readFile(path, { offset: begin, length, ...options });
  if (!r.ok) return { lines: [], error: `cannot read ${path}: ${r.code ?? r.message}` };
  return { lines: r.data.toString('utf8').split('\n').filter((l) => l.trim() !== '') };
}
