// The CLI: verb dispatch, exit codes, and the one-line error for user mistakes.
// Commands are loaded on demand so `--version` and `--help` start fast.
import { isUserError } from '../user-error.js';
import { EXIT, type Command, type CommandIO } from './io.js';

declare const __VERSION__: string;
export const VERSION: string = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  render: { summary: 'render the nginx snippet and backend env file of each service', load: async () => (await import('./render.js')).renderCommand },
  check: { summary: 'check the nginx config, probe the backends, give the verdict', load: async () => (await import('./check.js')).checkCommand },
  explain: { summary: "explain an incident from nginx's error log", load: async () => (await import('./explain.js')).explainCommand },
  parse: { summary: 'print an nginx config as crossplane-compatible JSON', load: async () => (await import('./parse.js')).parseCommand },
};

const usage = `Usage: upstream-gate <command> [options]

Deploy-time health gate for services behind nginx.

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(9)}${c.summary}`)
  .join('\n')}

Options:
  -h, --help     help (also: upstream-gate help <command>,
                 upstream-gate <command> --help)
  -v, --version  print the version

Exit codes: 0 pass, 1 the gate failed (a classified finding), 2 bad input.`;

export async function main(argv: string[], io: CommandIO): Promise<number> {
  // `help COMMAND` is `COMMAND --help`
  const [verb, ...rest] = argv[0] === 'help' && argv[1] !== undefined ? [argv[1], '--help'] : argv;
  if (verb === undefined || verb === '-h' || verb === '--help' || verb === 'help') {
    io.stdout.write(`${usage}\n`);
    return verb === undefined ? EXIT.usage : EXIT.pass;
  }
  if (verb === '-v' || verb === '--version' || verb === 'version') {
    io.stdout.write(`${VERSION}\n`);
    return EXIT.pass;
  }
  const entry = COMMANDS[verb];
  if (!entry) {
    io.stderr.write(`upstream-gate: unknown command "${verb}" (commands: ${Object.keys(COMMANDS).join(', ')})\n`);
    return EXIT.usage;
  }
  try {
    const command = await entry.load();
    return await command.run(rest, io);
  } catch (e) {
    if (isUserError(e)) {
      io.stderr.write(`upstream-gate ${verb}: ${e.message}\n`);
      return EXIT.usage;
    }
    throw e;
  }
}
