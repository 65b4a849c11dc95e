import { createRequire as __ugateCreateRequire } from 'node:module';
const require = __ugateCreateRequire(import.meta.url);
import {
  parseDuration
} from "./chunk-WQXZYGRM.js";
import {
  UserError
} from "./chunk-ZLXW7TD3.js";

// src/cli/args.ts
import { parseArgs } from "node:util";
function parseFlags(verb, args, options, allowPositionals = false) {
  try {
    return parseArgs({ args, options: { ...options, help: { type: "boolean", short: "h" } }, allowPositionals, strict: true });
  } catch (e) {
    const msg = e.message.split("\n")[0]?.replace(/\. To specify a positional argument.*$/, "") ?? String(e);
    throw new UserError(`${msg} (see upstream-gate ${verb} --help)`);
  }
}
function oneOf(flag, value, allowed, fallback) {
  if (value === void 0) return fallback;
  if (allowed.includes(value)) return value;
  throw new UserError(`--${flag} must be one of ${allowed.join(", ")}, got "${value}"`);
}
function durationFlag(flag, value) {
  if (value === void 0) return void 0;
  const ms = parseDuration(value);
  if (ms === void 0 || ms <= 0) throw new UserError(`--${flag} "${value}" is not a duration: write 250ms, 2s or 1m`);
  return ms;
}

export {
  parseFlags,
  oneOf,
  durationFlag
};
