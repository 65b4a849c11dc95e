// File facts and contents from this process's file system, each bounded by
// the caller's timeout and signal (a hung network mount cannot hold the gate).
import { lstat, open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { constants } from 'node:fs';
import { fileType } from '../../input-file.js';
import { errorFacts } from '../errno.js';
import { ABORTED } from '../../model/probe-result.js';
import type { FileFacts, HostFailure, HostOptions } from '../host.js';

const FILE_TIMEOUT_MS = 5000;

function failure(e: unknown, started: number): HostFailure {
  return { ok: false, ...errorFacts(e), durationMs: performance.now() - started };
}

/** `work`, or a failure when the signal aborts or the timeout passes first. */
async function bounded<T extends { ok: boolean }>(work: (started: number) => Promise<T>, o: HostOptions = {}): Promise<T | HostFailure> {
  const started = performance.now();
  if (o.signal?.aborted) return { ok: false, code: ABORTED, message: 'aborted', durationMs: 0 };
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const ms = o.timeoutMs ?? FILE_TIMEOUT_MS;
  const late = new Promise<HostFailure>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, code: 'ETIMEDOUT', message: `no answer within ${ms}ms`, durationMs: performance.now() - started }), ms);
    onAbort = () => resolve({ ok: false, code: ABORTED, message: 'aborted', durationMs: performance.now() - started });
    o.signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work(started).catch((e: unknown) => failure(e, started)), late]);
  } finally {
    clearTimeout(timer);
    if (onAbort) o.signal?.removeEventListener('abort', onAbort);
  }
}

export function statLocal(path: string, o: HostOptions & { followLinks: boolean }): Promise<({ ok: true } & FileFacts) | HostFailure> {
  return bounded(async () => {
    const st = await (o.followLinks ? stat(path) : lstat(path));
    return { ok: true as const, type: fileType(st), mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, size: st.size, ino: st.ino, dev: st.dev, mtimeMs: st.mtimeMs };
  }, o);
}

export function readFileLocal(path: string, o: HostOptions & { offset?: number; length?: number } = {}): Promise<{ ok: true; data: Buffer } | HostFailure> {
  return bounded(async () => {
    let fh: FileHandle | undefined;
    try {
      // O_NONBLOCK: a FIFO must not hold the open (and with it the gate past its deadline)
      fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
      if (o.offset === undefined && o.length === undefined) return { ok: true as const, data: await fh.readFile(o.signal ? { signal: o.signal } : {}) };
      const length = o.length ?? Math.max(0, (await fh.stat()).size - (o.offset ?? 0));
      const data = Buffer.alloc(length);
      const { bytesRead } = await fh.read(data, 0, length, o.offset ?? 0);
      return { ok: true as const, data: data.subarray(0, bytesRead) };
    } finally {
      await fh?.close();
    }
  }, o);
}

export function readDirLocal(path: string, o: HostOptions = {}): Promise<{ ok: true; names: string[] } | HostFailure> {
  return bounded(async () => ({ ok: true as const, names: await readdir(path) }), o);
}
