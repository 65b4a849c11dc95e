#!/usr/bin/env node
import { createRequire as __ugateCreateRequire } from 'node:module';
const require = __ugateCreateRequire(import.meta.url);
import {
  EXIT
} from "./chunks/chunk-IKZMOE63.js";
import {
  isUserError
} from "./chunks/chunk-ZLXW7TD3.js";
import "./chunks/chunk-AZCQPZHH.js";

// src/cli/main.ts
var VERSION = true ? "0.1.0" : "0.0.0-dev";
var COMMANDS = {
  render: { summary: "render the nginx snippet and backend env file of each service", load: async () => (await import("./chunks/render-C4GO3KNL.js")).renderCommand },
  check: { summary: "check the nginx config, probe the backends, give the verdict", load: async () => (await import("./chunks/check-C6Z5RHUS.js")).checkCommand },
  explain: { summary: "explain an incident from nginx's error log", load: async () => (await import("./chunks/explain-ESIYGM5T.js")).explainCommand },
  parse: { summary: "print an nginx config as crossplane-compatible JSON", load: async () => (await import("./chunks/parse-IL3UKTOQ.js")).parseCommand }
};
var usage = `Usage: upstream-gate <command> [options]

Deploy-time health gate for services behind nginx.

Commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(9)}${c.summary}`).join("\n")}

Options:
  -h, --help     help (also: upstream-gate <command> --help)
  -v, --version  print the version

Exit codes: 0 pass, 1 the gate failed (a classified finding), 2 bad input.`;
async function main(argv, io) {
  const [verb, ...rest] = argv;
  if (verb === void 0 || verb === "-h" || verb === "--help" || verb === "help") {
    io.stdout.write(`${usage}
`);
    return verb === void 0 ? EXIT.usage : EXIT.pass;
  }
  if (verb === "-v" || verb === "--version" || verb === "version") {
    io.stdout.write(`${VERSION}
`);
    return EXIT.pass;
  }
  const entry = COMMANDS[verb];
  if (!entry) {
    io.stderr.write(`upstream-gate: unknown command "${verb}" (commands: ${Object.keys(COMMANDS).join(", ")})
`);
    return EXIT.usage;
  }
  try {
    const command = await entry.load();
    return await command.run(rest, io);
  } catch (e) {
    if (isUserError(e)) {
      io.stderr.write(`upstream-gate ${verb}: ${e.message}
`);
      return EXIT.usage;
    }
    throw e;
  }
}

// src/cli/index.ts
var controller = new AbortController();
var signalled;
var onSignal = (sig) => {
  if (signalled) process.exit(sig === "SIGINT" ? 130 : 143);
  signalled = sig;
  process.stderr.write(`
upstream-gate: ${sig}: stopping every probe and child process
`);
  controller.abort(new Error(`interrupted by ${sig}`));
  setTimeout(() => process.exit(sig === "SIGINT" ? 130 : 143), 1e3).unref();
};
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);
main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal
}).then(
  (code) => {
    process.exitCode = signalled ? signalled === "SIGINT" ? 130 : 143 : code;
  },
  (e) => {
    const detail = e instanceof Error ? e.stack ?? e.message : String(e);
    process.stderr.write(`upstream-gate: internal error (a bug: please report it with this output)
${detail}
`);
    process.exitCode = 70;
  }
);
