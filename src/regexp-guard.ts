// Regular expressions the gate runs on text it does not control (a backend's
// answer against the spec's `expect`, a config's `~` server_name or location
// against the spec's names, an inventory's host names against `~` limits) must
// not hang it. With this V8 flag, a match that backtracks excessively is run
// again on V8's linear-time engine: `(a+)+$` on a long answer takes
// microseconds, not hours. A pattern that engine cannot run (a backreference,
// a lookaround) still backtracks; the README says so. Set before any
// expression runs (and, in dist/cli.js, before the program is compiled: V8's
// code cache records the flags it was made with).
import { setFlagsFromString } from 'node:v8';

export const REGEXP_FLAG = '--enable-experimental-regexp-engine-on-excessive-backtracks';

setFlagsFromString(REGEXP_FLAG);
