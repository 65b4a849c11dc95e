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

/** Why a file given by the user could not be read, in words: `no such file`, `permission denied`... */
export function fileErrorWords(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : String(code ?? e);
}
