// File facts and contents on the remote host through its standard tools:
// `stat -c`, `dd` (a range: skip_bytes/count_bytes; nonblock, so a FIFO cannot
// hold the read), `find -printf` (names with any byte in them). What the tool
// says on stderr becomes the errno a local call would have given.
import type { FileType } from '../../input-file.js';
import { ABORTED } from '../../model/probe-result.js';
import type { FileFacts, HostFailure, HostOptions } from '../host.js';
import type { Exec, RawResult } from './exec.js';

const FILE_TIMEOUT_MS = 5000;

const ERRNO_WORDS: [RegExp, string, number][] = [
  [/No such file or directory/, 'ENOENT', 2],
  [/Permission denied/, 'EACCES', 13],
  [/Not a directory/, 'ENOTDIR', 20],
  [/Is a directory/, 'EISDIR', 21],
  [/Too many levels of symbolic links/, 'ELOOP', 40],
  [/Operation not permitted/, 'EPERM', 1],
];

/** A failed command's stderr -> the failure a local call would have returned. */
export function fileFailure(r: RawResult, what: string): HostFailure {
  const base = { ok: false as const, durationMs: r.durationMs };
  if (r.aborted) return { ...base, code: ABORTED, message: 'aborted' };
  if (r.timedOut) return { ...base, code: 'ETIMEDOUT', message: `no answer within the timeout (${what})` };
  if (r.openError) return { ...base, message: `ssh: ${r.openError}` };
  const line = r.stderr.trim().split('\n')[0] ?? '';
  for (const [re, code, errno] of ERRNO_WORDS) if (re.test(line)) return { ...base, code, errno, message: line };
  return { ...base, message: line || `${what} exited with ${r.exitCode ?? r.signal ?? 'no status'}` };
}

const TYPES: Record<number, FileType> = {
  0o100000: 'file',
  0o040000: 'directory',
  0o120000: 'symlink',
  0o140000: 'socket',
  0o010000: 'fifo',
  0o020000: 'character-device',
  0o060000: 'block-device',
};

/** `stat -c '%f %u %g %s'`: raw mode in hex, owner, group, size. */
export function parseStat(line: string): FileFacts | undefined {
  const m = /^([0-9a-f]+) (\d+) (\d+) (\d+)$/.exec(line.trim());
  if (!m) return undefined;
  const raw = parseInt(m[1] as string, 16);
  return { type: TYPES[raw & 0o170000] ?? 'other', mode: raw & 0o7777, uid: Number(m[2]), gid: Number(m[3]), size: Number(m[4]) };
}

export function remoteFiles(exec: Exec) {
  const opts = (o: HostOptions) => ({ timeoutMs: o.timeoutMs ?? FILE_TIMEOUT_MS, ...(o.signal && { signal: o.signal }) });
  return {
    async stat(path: string, o: HostOptions & { followLinks: boolean }): Promise<({ ok: true } & FileFacts) | HostFailure> {
      const r = await exec(['stat', ...(o.followLinks ? ['-L'] : []), '-c', '%f %u %g %s', '--', path], opts(o));
      if (r.exitCode !== 0) return fileFailure(r, 'stat');
      const facts = parseStat(r.stdout.toString('utf8'));
      return facts ? { ok: true, ...facts } : { ok: false, message: `stat printed no file facts for ${path}`, durationMs: r.durationMs };
    },
    async readFile(path: string, o: HostOptions & { offset?: number; length?: number } = {}): Promise<{ ok: true; data: Buffer } | HostFailure> {
      const range = [
        ...(o.offset !== undefined || o.length !== undefined ? ['iflag=nonblock,skip_bytes,count_bytes'] : ['iflag=nonblock']),
        ...(o.offset !== undefined ? [`skip=${Math.max(0, Math.floor(o.offset))}`] : []),
        ...(o.length !== undefined ? [`count=${Math.max(0, Math.floor(o.length))}`] : []),
      ];
      const r = await exec(['dd', `if=${path}`, 'bs=65536', ...range, 'status=none'], opts(o));
      if (r.exitCode !== 0) return fileFailure(r, 'dd');
      return { ok: true, data: r.stdout };
    },
    async readDir(path: string, o: HostOptions = {}): Promise<{ ok: true; names: string[] } | HostFailure> {
      const r = await exec(['find', '-H', path, '-mindepth', '1', '-maxdepth', '1', '-printf', '%f\\0'], opts(o));
      if (r.exitCode !== 0) return fileFailure(r, 'find');
      return { ok: true, names: r.stdout.toString('utf8').split('\0').filter((n) => n !== '') };
    },
  };
}

/**
 * Every readable regular file under a directory, as `find -printf '%s %p\0'`
 * followed by each file's bytes: the config's files in one command.
 */
export function parseFileStream(out: Buffer): Map<string, string> {
  const files = new Map<string, string>();
  let at = 0;
  while (at < out.length) {
    const nul = out.indexOf(0, at);
    if (nul < 0) break;
    const m = /^(\d+) (\/.*)$/s.exec(out.subarray(at, nul).toString('utf8'));
    if (!m) break;
    const size = Number(m[1]);
    if (nul + 1 + size > out.length) break;
    files.set(m[2] as string, out.subarray(nul + 1, nul + 1 + size).toString('utf8'));
    at = nul + 1 + size;
  }
  return files;
}
