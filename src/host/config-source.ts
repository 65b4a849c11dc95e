// Where nginx config text comes from: a host's files (the Host port's
// configSource), or an `nginx -T` dump (where the files exist only as
// sections of one text). The parser reads only through this interface, so
// both behave the same.
import { byteOrder, globMatcher } from './glob.js';

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

/** Bytes -> text: invalid UTF-8 becomes U+FFFD (never a crash), CRLF stays and lexes as space. */
export function decode(buf: Buffer): string {
  return buf.toString('utf8');
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
