import { createRequire as __ugateCreateRequire } from 'node:module';
const require = __ugateCreateRequire(import.meta.url);
import {
  loadAny,
  readStdin
} from "./chunk-OTCK26PH.js";
import {
  maskCredentials,
  maskDialTarget
} from "./chunk-HTEQBA5G.js";
import {
  parseFlags
} from "./chunk-YO23R7XW.js";
import {
  EXIT
} from "./chunk-IKZMOE63.js";
import "./chunk-WQXZYGRM.js";
import {
  UserError
} from "./chunk-ZLXW7TD3.js";
import "./chunk-AZCQPZHH.js";

// src/cli/parse.ts
import { resolve } from "node:path";
var help = `Usage: upstream-gate parse NGINX_CONF [--indent N]

Print an nginx configuration as crossplane's JSON payload:
{"status", "errors", "config": [{"file", "status", "errors",
 "parsed": [{"directive", "line", "args", "includes", "block"}]}]}

NGINX_CONF is the main config file (includes are followed, relative to its
directory, as nginx does), or an \`nginx -T\` dump, or "-" for standard input
(a config or a dump, told apart by its "# configuration file PATH:" lines).
Errors (unbalanced braces, a missing ";", a directive where it is not
allowed, include cycles, missing files) are collected with file and line.
Credentials in URLs (scheme://user:pass@host) are printed as scheme://***@host,
and in dial targets written without a scheme (user:pass@host) as ***@host.

Options:
  --indent N   indent the JSON by N spaces (default 0: one line)
  -h, --help   this help

Exit codes: 0 status ok, 1 the payload holds errors, 2 bad input (missing file, bad flags).`;
var parseCommand = {
  help,
  async run(args, io) {
    const { values, positionals } = parseFlags("parse", args, { indent: { type: "string" } }, true);
    if (values.help) {
      io.stdout.write(`${help}
`);
      return EXIT.pass;
    }
    if (positionals.length !== 1) throw new UserError("expected one NGINX_CONF argument (a file, or - for standard input) (see upstream-gate parse --help)");
    const indent = values.indent === void 0 ? 0 : Number(values.indent);
    if (!Number.isInteger(indent) || indent < 0 || indent > 8) throw new UserError(`--indent must be a whole number from 0 to 8, got "${values.indent}"`);
    const arg = positionals[0];
    const path = arg === "-" ? "-" : resolve(io.cwd, arg);
    const loaded = await loadAny(path, { signal: io.signal, readStdin: () => readStdin(io.stdin) });
    const text = JSON.stringify(maskDialTargets(loaded.parse.payload), (_key, value) => typeof value === "string" ? maskCredentials(value) : value, indent || void 0);
    io.stdout.write(`${text}
`);
    return loaded.parse.payload.status === "ok" ? EXIT.pass : EXIT.fail;
  }
};
function maskDialTargets(payload) {
  const walk = (list) => list.map((d) => ({
    ...d,
    ...isDial(d.directive) && { args: d.args.map(maskDialTarget) },
    ...d.block && { block: walk(d.block) }
  }));
  return { ...payload, config: payload.config.map((c) => ({ ...c, parsed: walk(c.parsed) })) };
}
function isDial(directive) {
  return directive === "server" || directive.endsWith("_pass");
}
export {
  parseCommand
};
