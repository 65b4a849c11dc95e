import { createRequire as __ugateCreateRequire } from 'node:module';
const require = __ugateCreateRequire(import.meta.url);

// src/cli/io.ts
var EXIT = { pass: 0, fail: 1, usage: 2 };

export {
  EXIT
};
