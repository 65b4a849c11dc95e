// How the GitHub Actions runner reads a step's output, after its source
// (src/Runner.Common/ActionCommand.cs, src/Runner.Worker/ActionCommandManager.cs):
// lines end at \n, \r or \r\n; a line is a `::name props::data` command when,
// after trimming leading whitespace (.NET's char.IsWhiteSpace), it starts
// with `::`; a `##[name props]data` command may start anywhere in a line;
// `::stop-commands::TOKEN` ignores every command until `::TOKEN::`.

/** The commands the runner knows (a name it does not know is plain output). */
const REGISTERED = ['error', 'warning', 'notice', 'debug', 'group', 'endgroup', 'add-mask', 'set-output', 'set-env', 'save-state', 'add-path', 'add-matcher', 'remove-matcher', 'echo', 'stop-commands'];

/** .NET's char.IsWhiteSpace, which String.TrimStart() trims (JavaScript's trimStart differs on U+0085 and U+FEFF). */
const DOTNET_LEADING_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

export interface LogCommand {
  name: string;
  properties: Record<string, string>;
  data: string;
  /** the raw line */
  line: string;
}

export interface LogLine {
  text: string;
  /** between `::stop-commands::TOKEN` and `::TOKEN::` (the two command lines excluded) */
  stopped: boolean;
  /** the command the runner ran for this line */
  command?: LogCommand;
}

export interface WorkflowLog {
  lines: LogLine[];
  commands: LogCommand[];
  /** every stop-commands token, in order */
  tokens: string[];
  /** the output ended inside a stop-commands region: later steps' commands would be ignored */
  endedStopped: boolean;
}

export function readWorkflowLog(stdout: string): WorkflowLog {
  const registered = new Set(REGISTERED);
  const lines: LogLine[] = [];
  const commands: LogCommand[] = [];
  const tokens: string[] = [];
  let stopToken: string | undefined;
  for (const text of stdout.split(/\r\n|\r|\n/)) {
    const command = parseV2(text, registered) ?? parseV1(text, registered);
    if (stopToken !== undefined) {
      if (command && command.name.toLowerCase() === stopToken.toLowerCase()) {
        registered.delete(stopToken.toLowerCase());
        stopToken = undefined;
        lines.push({ text, stopped: false, command });
        commands.push(command);
      } else {
        lines.push({ text, stopped: true });
      }
      continue;
    }
    if (command?.name.toLowerCase() === 'stop-commands') {
      stopToken = command.data;
      tokens.push(command.data);
      registered.add(command.data.toLowerCase());
    }
    lines.push({ text, stopped: false, ...(command && { command }) });
    if (command) commands.push(command);
  }
  return { lines, commands, tokens, endedStopped: stopToken !== undefined };
}

function parseV2(line: string, registered: Set<string>): LogCommand | undefined {
  const message = line.replace(DOTNET_LEADING_SPACE, '');
  if (!message.startsWith('::')) return undefined;
  const end = message.indexOf('::', 2);
  if (end < 0) return undefined;
  const info = message.slice(2, end);
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  if (!registered.has(name.toLowerCase())) return undefined;
  const properties: Record<string, string> = {};
  if (space > 0) {
    for (const p of info.slice(space + 1).trim().split(',').filter(Boolean)) {
      const eq = p.indexOf('=');
      if (eq > 0 && eq < p.length - 1) properties[p.slice(0, eq)] = unescapeProperty(p.slice(eq + 1));
    }
  }
  return { name, properties, data: unescapeData(message.slice(end + 2)), line };
}

function parseV1(line: string, registered: Set<string>): LogCommand | undefined {
  const prefix = line.indexOf('##[');
  if (prefix < 0) return undefined;
  const rb = line.indexOf(']', prefix);
  if (rb < 0) return undefined;
  const info = line.slice(prefix + 3, rb);
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  if (!registered.has(name.toLowerCase())) return undefined;
  return { name, properties: {}, data: line.slice(rb + 1), line };
}

function unescapeData(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

function unescapeProperty(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
}
