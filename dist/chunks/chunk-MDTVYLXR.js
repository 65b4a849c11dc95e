import { createRequire as __ugateCreateRequire } from 'node:module';
const require = __ugateCreateRequire(import.meta.url);

// src/report/mask.ts
var USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@"'<>]*@/gi;
var CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F]/g;
function maskCredentials(s) {
  return s.replace(USERINFO, "$1***@");
}
function forTerminal(s) {
  return maskCredentials(s).replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

export {
  maskCredentials,
  forTerminal
};
