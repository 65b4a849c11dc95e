// Where config text comes from: the file system, or an `nginx -T` dump (where
// the files exist only as sections of one text). The parser reads only
// through this interface, so both behave the same.
import { closeSync, constants, fstatSync, openSync, readSync, readdirSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { byteOrder, componentMatcher, globMatcher, hasMagic } from './glob.js';

/** `code`: Node's errno name (`EACCES`...) when the system refused */
export type ReadResult = { text: string; bytes: number } | { error: string; code?: string };

export interface GlobResult {
  /** absolute paths matching the pattern, sorted as nginx sorts them */
  paths: string[];
  /** directories the pattern reaches into that this user may not list (nginx, as root, would) */
  denied: string[];
}

export interface ConfigSource {
  read(path: string, maxBytes: number): ReadResult;
  glob(pattern: string, maxMatches: number): GlobResult;
}

/** nginx's wording: `open() "/x" failed (2: No such file or directory)` */
function openError(path: string, e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const reason: Record<string, string> = {
    ENOENT: '2: No such file or directory',
    EACCES: '13: Permission denied',
    EISDIR: '21: Is a directory',
    ENOTDIR: '20: Not a directory',
    ELOOP: '40: Too many levels of symbolic links',
  };
  return `open() "${path}" failed (${(err.code && reason[err.code]) ?? err.message})`;
}

/** Bytes -> text: invalid UTF-8 becomes U+FFFD (never a crash), CRLF stays and lexes as space. */
export function decode(buf: Buffer): string {
  return buf.toString('utf8');
}

const SNIFF_CHARS = 4096;

/**
 * Why a file's start says it is no text, or undefined: NUL bytes, or many C0
 * control characters among characters that are not UTF-8. Control characters
 * are asked for because a config in Latin-1 or cp1251 (Russian comments) is
 * mostly not UTF-8 either, and nginx reads it well.
 */
export function notText(text: string): string | undefined {
  const n = Math.min(text.length, SNIFF_CHARS);
  let controls = 0;
  let undecoded = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return 'it holds NUL bytes';
    if ((c < 32 && c !== 9 && c !== 10 && c !== 11 && c !== 12 && c !== 13) || c === 127) controls++;
    else if (c === 0xfffd) undecoded++;
  }
  return controls * 100 >= n && (controls + undecoded) * 10 >= n * 3 ? 'its first bytes are not text' : undefined;
}

export function fileSource(): ConfigSource {
  return {
    read(path, maxBytes) {
      let fd: number;
      try {
        // O_NONBLOCK: opening a FIFO must not wait for a writer.
        fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        return { error: openError(path, e), ...(code && { code }) };
      }
      try {
        const st = fstatSync(fd);
        // A FIFO or /dev/zero would block or never end: only regular files.
        if (st.isDirectory()) return { error: `pread() "${path}" failed (21: Is a directory)` };
        if (!st.isFile()) return { error: `"${path}" is not a regular file` };
        if (st.size > maxBytes) return { error: `"${path}" is too large (${st.size} bytes, limit ${maxBytes})` };
        const buf = Buffer.allocUnsafe(st.size);
        let off = 0;
        while (off < st.size) {
          const got = readSync(fd, buf, off, st.size - off, off);
          if (got === 0) break;
          off += got;
        }
        return { text: decode(buf.subarray(0, off)), bytes: off };
      } catch (e) {
        return { error: `read() "${path}" failed (${(e as Error).message})` };
      } finally {
        closeSync(fd);
      }
    },
    glob(pattern, maxMatches) {
      const parts = pattern.split('/');
      // `seen`: came from readdir, so it exists; only literal parts need a stat
      const denied: string[] = [];
      let found: { path: string; seen: boolean }[] = [{ path: parts[0] === '' ? '/' : (parts[0] as string), seen: true }];
      for (let k = 1; k < parts.length && found.length > 0; k++) {
        const part = parts[k] as string;
        if (part === '') continue;
        const last = k === parts.length - 1;
        const next: typeof found = [];
        const match = hasMagic(part) ? componentMatcher(part) : undefined;
        for (const { path: dir } of found) {
          if (!match) {
            next.push({ path: join(dir, part), seen: false });
            continue;
          }
          let entries: Dirent[];
          try {
            entries = readdirSync(dir, { withFileTypes: true });
          } catch (e) {
            if ((e as NodeJS.ErrnoException).code === 'EACCES') denied.push(dir);
            continue;
          }
          for (const e of entries) {
            if (!match(e.name)) continue;
            const p = join(dir, e.name);
            if (!last && !(e.isDirectory() || (e.isSymbolicLink() && isDir(p)))) continue;
            next.push({ path: p, seen: true });
            if (next.length > maxMatches) break;
          }
        }
        found = next;
      }
      const paths = found
        .filter((f) => f.seen || exists(f.path))
        .map((f) => f.path)
        .sort(byteOrder)
        .slice(0, maxMatches + 1);
      return { paths, denied };
    },
  };
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

/** Files held in memory (an `nginx -T` dump, or tests). */
export function memorySource(files: ReadonlyMap<string, string>, origin = 'the dump'): ConfigSource {
  return {
    read(path, maxBytes) {
      const text = files.get(path);
      if (text === undefined) return { error: `open() "${path}" failed (2: No such file or directory in ${origin})` };
      if (text.length > maxBytes) return { error: `"${path}" is too large (${text.length} characters, limit ${maxBytes})` };
      return { text, bytes: text.length };
    },
    glob(pattern, maxMatches) {
      const match = globMatcher(pattern);
      return { paths: [...files.keys()].filter(match).sort(byteOrder).slice(0, maxMatches + 1), denied: [] };
    },
  };
}

/** In-memory files first (a config read from stdin), the file system for the rest. */
export function overlaySource(files: ReadonlyMap<string, string>, base: ConfigSource): ConfigSource {
  const mem = memorySource(files);
  return {
    read: (path, maxBytes) => (files.has(path) ? mem.read(path, maxBytes) : base.read(path, maxBytes)),
    glob: (pattern, maxMatches) => base.glob(pattern, maxMatches),
  };
}
