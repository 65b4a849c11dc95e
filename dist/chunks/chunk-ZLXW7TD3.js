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
function fileErrorWords(e) {
  const code = e.code;
  return code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : code === "EISDIR" ? "is a directory" : String(code ?? e);
}

export {
  UserError,
  isUserError,
  fileErrorWords
};
