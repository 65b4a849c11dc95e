import { createRequire as __ugateCreateRequire } from 'node:module';
const require = __ugateCreateRequire(import.meta.url);

// src/user-error.ts
var UserError = class extends Error {
  constructor(message, where) {
    super(where ? `${where}: ${message}` : message);
    this.where = where;
  }
  where;
  name = "UserError";
};
function isUserError(e) {
  return e instanceof UserError;
}

export {
  UserError,
  isUserError
};
