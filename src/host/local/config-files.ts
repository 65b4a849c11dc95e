// The nginx config's files as this process reads them, synchronously (the
// parser reads each include as it meets it): only regular files, never
// blocking on a FIFO, with nginx's wording for what cannot be opened.
import { closeSync, constants, fstatSync, openSync, readSync, readdirSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { decode, type ConfigSource } from '../config-source.js';
import { byteOrder, componentMatcher, hasMagic } from '../glob.js';

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
