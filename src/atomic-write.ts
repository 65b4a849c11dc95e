// Writing the files the user asked for (a report, rendered files) without
// clobbering what their path holds. Nothing half-written: a new path or a
// regular file is written to a temp file beside it and renamed over it once
// complete, with the old file's mode (and owner, as root). Anything else at
// the path is written through, never replaced:
//   a symlink   its target: atomically when that is a regular file, else by
//               the rules for what it points to; a dangling one creates it
//   a device    written to (`--report /dev/null` as root stays /dev/null)
//   a FIFO      written to while a reader holds it open; no reader: refused
// A directory, a block device (a disk) or a socket is refused: exit 2, one
// line, before any write.
import { randomBytes } from 'node:crypto';
import { close, constants, open, write, type Stats } from 'node:fs';
import { chmod, chown, lstat, mkdir, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { UserError } from './user-error.js';

const openFd = promisify(open);
const writeFd = promisify(write);
const closeFd = promisify(close);

export interface PendingFile {
  path: string;
  text: string;
}

/** How one path is written: `replace` renames a temp file over `at` (the path, or a symlink's real target). */
export type WritePlan = { how: 'replace'; path: string; at: string; old?: Stats } | { how: 'through'; path: string };

const WRITE_ERRORS: Record<string, string> = {
  ENOENT: 'no such directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many levels of symbolic links',
  ENXIO: 'a FIFO that no process is reading (start its reader first)',
  EPIPE: 'the reader closed the FIFO before the end',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
};

function cannotWrite(path: string, e: unknown): UserError {
  if (e instanceof UserError) return e;
  const err = e as NodeJS.ErrnoException;
  return new UserError(`cannot write: ${(err.code !== undefined && WRITE_ERRORS[err.code]) || err.code || err.message}`, path);
}

function refuse(path: string, words: string): never {
  throw new UserError(`cannot write: ${words}`, path);
}

/** What is never written to, or undefined */
function refused(st: Stats): string | undefined {
  return st.isDirectory() ? 'a directory' : st.isBlockDevice() ? 'a block device' : st.isSocket() ? 'a socket' : undefined;
}

/** What is at `path` decides how it is written; a directory, disk or socket is refused (UserError). */
export async function planWrite(path: string): Promise<WritePlan> {
  let st: Stats;
  try {
    st = await lstat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { how: 'replace', path, at: path };
    throw cannotWrite(path, e);
  }
  if (st.isSymbolicLink()) {
    let target: Stats;
    try {
      target = await stat(path);
    } catch (e) {
      // dangling: open(2) creates what it points to, as a shell's `>` would
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { how: 'through', path };
      throw cannotWrite(path, e);
    }
    const no = refused(target);
    if (no) refuse(path, `is a symlink to ${no}`);
    if (target.isFile()) return { how: 'replace', path, at: await realpath(path), old: target };
    return { how: 'through', path };
  }
  const no = refused(st);
  if (no) refuse(path, `is ${no}`);
  if (st.isFile()) return { how: 'replace', path, at: path, old: st };
  return { how: 'through', path };
}

/**
 * Writes every file, or none when any path is refused: all are planned
 * first, then the temp copies and the written-through files, then the
 * renames. On a write error no temp file is renamed or left behind.
 */
export async function writeFilesAtomically(files: readonly PendingFile[], signal?: AbortSignal): Promise<void> {
  const plans: WritePlan[] = [];
  for (const f of files) plans.push(await planWrite(f.path));
  /** [temp, target, the path as given] */
  const renames: [string, string, string][] = [];
  let current = files[0]?.path ?? '';
  try {
    for (const [i, f] of files.entries()) {
      const plan = plans[i] as WritePlan;
      if (plan.how !== 'replace') continue;
      current = f.path;
      await mkdir(dirname(plan.at), { recursive: true });
      // a random name opened O_EXCL: nothing planted at a guessable name is followed
      const tmp = `${plan.at}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
      await writeFile(tmp, f.text, { mode: 0o644, flag: 'wx' });
      renames.push([tmp, plan.at, f.path]);
      if (plan.old) {
        await chmod(tmp, plan.old.mode & 0o7777);
        if (process.getuid?.() === 0) await chown(tmp, plan.old.uid, plan.old.gid);
      }
    }
    for (const [i, f] of files.entries()) {
      if ((plans[i] as WritePlan).how !== 'through') continue;
      current = f.path;
      await writeThrough(f.path, f.text, signal);
    }
    for (const [tmp, at, path] of renames) {
      current = path;
      await rename(tmp, at);
    }
  } catch (e) {
    await Promise.all(renames.map(([tmp]) => rm(tmp, { force: true })));
    throw cannotWrite(current, e);
  }
}

/**
 * Into what the path opens to, in place. O_NONBLOCK: opening a FIFO without
 * a reader fails (ENXIO) instead of waiting where no signal can end it; a
 * full pipe is waited for between writes.
 */
async function writeThrough(path: string, text: string, signal?: AbortSignal): Promise<void> {
  const fd = await openFd(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NONBLOCK, 0o644);
  try {
    const data = Buffer.from(text);
    for (let off = 0; off < data.length; ) {
      signal?.throwIfAborted();
      try {
        off += (await writeFd(fd, data, off, data.length - off)).bytesWritten;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
        await sleep(10, undefined, signal ? { signal } : {});
      }
    }
  } finally {
    await closeFd(fd);
  }
}
