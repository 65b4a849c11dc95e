// `upstream-gate parse NGINX_CONF`: the crossplane JSON payload of a config
// or of an `nginx -T` dump, so users can diff it against `crossplane parse`.
import { resolve } from 'node:path';
import { loadAny, readStdin } from '../nginx/load.js';
import type { Directive, Payload } from '../nginx/payload.js';
import { maskCredentials, maskDialTarget } from '../model/mask.js';
import { UserError } from '../user-error.js';
import { parseFlags } from './args.js';
import { EXIT, type Command } from './io.js';

const help = `Usage: upstream-gate parse NGINX_CONF [--indent N]

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

Exit codes: 0 status ok, 1 the payload holds errors, 2 bad input (missing
file, bad flags).`;

export const parseCommand: Command = {
  help,
  async run(args, io) {
    const { values, positionals } = parseFlags('parse', args, { indent: { type: 'string' } }, true);
    if (values.help) {
      io.stdout.write(`${help}\n`);
      return EXIT.pass;
    }
    if (positionals.length !== 1) throw new UserError('expected one NGINX_CONF argument (a file, or - for standard input) (see upstream-gate parse --help)');
    const indent = values.indent === undefined ? 0 : Number(values.indent);
    if (!Number.isInteger(indent) || indent < 0 || indent > 8) throw new UserError(`--indent must be a whole number from 0 to 8, got "${values.indent}"`);
    const arg = positionals[0] as string;
    const path = arg === '-' ? '-' : resolve(io.cwd, arg);
    const loaded = await loadAny(path, { signal: io.signal, readStdin: () => readStdin(io.stdin) });
    // the one difference from crossplane: `scheme://user:pass@` is printed as `scheme://***@`
    const text = JSON.stringify(masked(loaded.parse.payload), undefined, indent || undefined);
    io.stdout.write(`${text}\n`);
    return loaded.parse.payload.status === 'ok' ? EXIT.pass : EXIT.fail;
  },
};

/**
 * Every string of the payload with its credentials masked, and the arguments
 * of a dial (`fastcgi_pass user:pass@host:9000;`, an upstream's `server
 * user:pass@host;`), which carry no scheme to find them by, as dial targets.
 * In place: the payload is printed once and dropped, and a copy of 100,000
 * directives (or a replacer called for each of their values) costs more than
 * the parse.
 */
function masked(payload: Payload): Payload {
  const walk = (list: Directive[]) => {
    for (const d of list) {
      const dial = isDial(d.directive);
      d.directive = maskCredentials(d.directive);
      const { args } = d;
      for (let i = 0; i < args.length; i++) args[i] = maskCredentials(dial ? maskDialTarget(args[i] as string) : (args[i] as string));
      if (d.block) walk(d.block);
    }
  };
  for (const e of payload.errors) {
    e.error = maskCredentials(e.error);
    e.file = maskCredentials(e.file);
  }
  for (const c of payload.config) {
    c.file = maskCredentials(c.file);
    for (const e of c.errors) e.error = maskCredentials(e.error);
    walk(c.parsed);
  }
  return payload;
}

function isDial(directive: string): boolean {
  return directive === 'server' || directive.endsWith('_pass');
}
