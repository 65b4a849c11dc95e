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
