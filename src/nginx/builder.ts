// Stage 4: payload -> config text (crossplane's `build`), so tests can check
// that parse -> build -> parse gives the same directives.
import { isRawBlockDirective } from './lexer.js';
import type { Directive } from './payload.js';

/** Can `arg` be written bare and lex back to itself? `${name}` may keep its braces. */
function bareOk(arg: string): boolean {
  if (arg === '' || /[\s;"'#]/.test(arg) || arg.endsWith('\\')) return false;
  return !/[{}]/.test(arg.replace(/\$\{[^}\n]*\}/g, ''));
}

export function quoteArg(arg: string): string {
  if (bareOk(arg)) return arg;
  if (!arg.includes('"')) return `"${arg}"`;
  if (!arg.includes("'")) return `'${arg}'`;
  return `"${arg.replace(/"/g, '\\"')}"`;
}

/** The parser takes `if`'s parentheses off (as crossplane does): put them back so it reads them again. */
function ifCondition(args: readonly string[]): string {
  const words = args.map(quoteArg);
  if (words.length === 0) return 'if ()';
  const end = words.length - 1;
  // a bare word takes the parenthesis attached; a quoted one needs it apart
  const open = words[0] === args[0] ? '(' : '( ';
  const close = words[end] === args[end] ? ')' : ' )';
  words[0] = open + (words[0] as string);
  words[end] += close;
  return `if ${words.join(' ')}`;
}

export function buildDirective(d: Directive): string {
  if (d.directive === 'if') return ifCondition(d.args);
  if (isRawBlockDirective(d.directive) && d.block === undefined && d.args.length > 0) {
    const head = [d.directive, ...d.args.slice(0, -1).map(quoteArg)].join(' ');
    return `${head} {${d.args[d.args.length - 1] as string}}`;
  }
  return [quoteArg(d.directive), ...d.args.map(quoteArg)].join(' ');
}

export function build(parsed: readonly Directive[], indent = '    ', depth = 0): string {
  const pad = indent.repeat(depth);
  let out = '';
  for (const d of parsed) {
    const head = buildDirective(d);
    if (d.block) {
      out += `${pad}${head} {\n${build(d.block, indent, depth + 1)}${pad}}\n`;
    } else if (isRawBlockDirective(d.directive) && d.args.length > 0) {
      out += `${pad}${head}\n`;
    } else {
      out += `${pad}${head};\n`;
    }
  }
  return out;
}
