// Stage 1: characters -> tokens. Follows nginx's ngx_conf_read_token as
// crossplane does: a token keeps its line and whether it was quoted, so a
// quoted "}" or ";" is an argument, never structure.

export interface Token {
  value: string;
  line: number;
  /** written in quotes: never a `{`, `}` or `;` of the syntax */
  quoted: boolean;
}

export interface LexError {
  line: number;
  error: string;
}

export interface LexResult {
  tokens: Token[];
  errors: LexError[];
  /** the line the end of the file is on, where nginx reports a missing `}` */
  eofLine: number;
}

const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const HASH = 35;
const SEMI = 59;
const LBRACE = 123;
const RBRACE = 125;
const DQUOTE = 34;
const SQUOTE = 39;
const BACKSLASH = 92;
const DOLLAR = 36;

function isSpace(c: number): boolean {
  return c === SPACE || c === LF || c === TAB || c === CR;
}

/** `content_by_lua_block { ... }`: the body is Lua, taken as one raw argument. */
export function isRawBlockDirective(name: string): boolean {
  return name.endsWith('_by_lua_block');
}

/**
 * Tokenise one file's text. Never throws: an unterminated quote or Lua block
 * is reported and the rest taken as written.
 */
export function lex(text: string): LexResult {
  const tokens: Token[] = [];
  const errors: LexError[] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  // Whether the next token starts a statement, and the statement's name when it
  // is a `*_by_lua_block` whose `{` opens a raw body.
  let atStart = true;
  let rawDirective = false;

  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === LF) {
      line++;
      i++;
      continue;
    }
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === HASH) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? n : end;
      continue;
    }
    if (c === SEMI || c === RBRACE) {
      tokens.push({ value: c === SEMI ? ';' : '}', line, quoted: false });
      atStart = true;
      rawDirective = false;
      i++;
      continue;
    }
    if (c === LBRACE) {
      if (rawDirective) {
        const startLine = line;
        const body = readRawBlock(text, i + 1);
        if (body.end < 0) {
          errors.push({ line: startLine, error: 'unexpected end of file, expecting "}"' });
          tokens.push({ value: text.slice(i + 1), line: startLine, quoted: true });
          line += countLines(text, i + 1, n);
          i = n;
        } else {
          tokens.push({ value: text.slice(i + 1, body.end), line: startLine, quoted: true });
          line += countLines(text, i + 1, body.end + 1);
          tokens.push({ value: ';', line, quoted: false });
          i = body.end + 1;
        }
        atStart = true;
        rawDirective = false;
        continue;
      }
      tokens.push({ value: '{', line, quoted: false });
      atStart = true;
      i++;
      continue;
    }
    if (c === DQUOTE || c === SQUOTE) {
      const startLine = line;
      let value = '';
      let j = i + 1;
      let chunk = j;
      let closed = false;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === BACKSLASH && j + 1 < n) {
          const e = text.charCodeAt(j + 1);
          if (e === LF) line++;
          // `\"` inside "..." is the quote itself; other escapes stay as written.
          if (e === c) {
            value += text.slice(chunk, j);
            chunk = j + 1;
          }
          j += 2;
          continue;
        }
        if (d === c) {
          closed = true;
          break;
        }
        if (d === LF) line++;
        j++;
      }
      value += text.slice(chunk, j);
      if (!closed) errors.push({ line: startLine, error: 'unexpected end of file, expecting closing quote' });
      tokens.push({ value, line: startLine, quoted: true });
      i = closed ? j + 1 : n;
      if (atStart) rawDirective = isRawBlockDirective(value);
      atStart = false;
      continue;
    }
    // A bare word: up to whitespace, `;`, `{`, `}`; `${name}` keeps its braces.
    const startLine = line;
    let j = i;
    while (j < n) {
      const d = text.charCodeAt(j);
      if (d === BACKSLASH && j + 1 < n) {
        if (text.charCodeAt(j + 1) === LF) line++;
        j += 2;
        continue;
      }
      if (d === DOLLAR && text.charCodeAt(j + 1) === LBRACE) {
        const close = text.indexOf('}', j + 2);
        const stop = text.indexOf('\n', j + 2);
        if (close >= 0 && (stop < 0 || close < stop)) {
          j = close + 1;
          continue;
        }
      }
      if (isSpace(d) || d === SEMI || d === LBRACE || d === RBRACE) break;
      j++;
    }
    const value = text.slice(i, j);
    tokens.push({ value, line: startLine, quoted: false });
    if (atStart) rawDirective = isRawBlockDirective(value);
    atStart = false;
    i = j;
  }
  return { tokens, errors, eofLine: line };
}

function countLines(text: string, from: number, to: number): number {
  let k = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) k++;
  return k;
}

/**
 * The end (index of the closing `}`) of a Lua block body starting at `from`,
 * skipping Lua strings, long brackets and comments so their braces do not count.
 */
function readRawBlock(text: string, from: number): { end: number } {
  const n = text.length;
  let depth = 1;
  let i = from;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === LBRACE) depth++;
    else if (c === RBRACE) {
      depth--;
      if (depth === 0) return { end: i };
    } else if (c === DQUOTE || c === SQUOTE) {
      i++;
      while (i < n && text.charCodeAt(i) !== c && text.charCodeAt(i) !== LF) i += text.charCodeAt(i) === BACKSLASH ? 2 : 1;
    } else if (c === 45 /* - */ && text.charCodeAt(i + 1) === 45) {
      const long = /^\[(=*)\[/.exec(text.slice(i + 2, i + 40));
      if (long) {
        const close = text.indexOf(`]${long[1]}]`, i + 2 + long[0].length);
        i = close < 0 ? n : close + long[0].length;
      } else {
        const end = text.indexOf('\n', i);
        i = end < 0 ? n : end;
      }
      continue;
    } else if (c === 91 /* [ */) {
      const long = /^\[(=*)\[/.exec(text.slice(i, i + 40));
      if (long) {
        const close = text.indexOf(`]${long[1]}]`, i + long[0].length);
        i = close < 0 ? n : close + long[0].length;
        continue;
      }
    }
    i++;
  }
  return { end: -1 };
}
