/**
 * A mistake in what the user gave us (spec, flags, files): reported as one line,
 * exit code 2, never with a stack trace. `where` is `file:line` or a key path.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    readonly where?: string,
  ) {
    super(where ? `${where}: ${message}` : message);
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}

const READ_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied (run as a user who may read it)',
  EPERM: 'permission denied (run as a user who may read it)',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many levels of symbolic links',
  ENXIO: 'no such device or address',
  ENAMETOOLONG: 'the name is too long',
  EIO: 'input/output error',
};

/** Why a file given by the user could not be read, in words: `no such file`, `permission denied`... */
export function fileErrorWords(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return (code !== undefined && READ_ERRORS[code]) || String(code ?? e);
}
