// Stage 1: characters -> tokens. Follows nginx's ngx_conf_read_token as
// crossplane does: a token keeps its line and whether it was quoted, so a
// quoted "}" or ";" is an argument, never structure. The parser pulls tokens
// one at a time (no token array: parsing 100,000 lines stays allocation-light).

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

/** 1: ends a bare word (whitespace, `;`, `{`, `}`); 2: also `\\` and `$`, which need a closer look. */
const STOP = new Uint8Array(128);
for (const c of [SPACE, TAB, CR, LF, SEMI, LBRACE, RBRACE]) STOP[c] = 1;
STOP[BACKSLASH] = 2;
STOP[DOLLAR] = 2;

/** `content_by_lua_block { ... }`: the body is Lua, taken as one raw argument. */
export function isRawBlockDirective(name: string): boolean {
  return name.endsWith('_by_lua_block');
}

/**
 * A pull lexer over one file's text. After `next()` returns true, `value`,
 * `line` and `quoted` describe the token. Never throws: an unterminated quote
 * or Lua block is recorded in `errors` and the rest taken as written.
 */
export class Lexer {
  value = '';
  line = 1;
  quoted = false;
  readonly errors: LexError[] = [];
  /** the current line: after the last token, the line the file ends on */
  cursorLine = 1;
  private i: number;
  private atStart = true;
  private rawDirective = false;
  private semiAfterRaw = false;
  /** the last position found of a character by nextIndex() */
  private readonly found = new Map<number, number>();

  constructor(private readonly text: string) {
    this.i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  next(): boolean {
    const text = this.text;
    const n = text.length;
    if (this.semiAfterRaw) {
      this.semiAfterRaw = false;
      return this.emit(';', this.cursorLine, false);
    }
    let i = this.i;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === LF) {
        this.cursorLine++;
        i++;
        continue;
      }
      if (c === SPACE || c === TAB || c === CR) {
        i++;
        continue;
      }
      if (c === HASH) {
        const end = text.indexOf('\n', i);
        i = end < 0 ? n : end;
        continue;
      }
      if (c === SEMI || c === RBRACE) {
        this.i = i + 1;
        this.atStart = true;
        this.rawDirective = false;
        return this.emit(c === SEMI ? ';' : '}', this.cursorLine, false);
      }
      if (c === LBRACE) {
        if (this.rawDirective) return this.rawBlock(i);
        this.i = i + 1;
        this.atStart = true;
        return this.emit('{', this.cursorLine, false);
      }
      if (c === DQUOTE || c === SQUOTE) return this.quotedWord(i, c);
      return this.bareWord(i);
    }
    this.i = n;
    return false;
  }

  /**
   * indexOf for `}` and LF, remembered: a line of a million `${` without a
   * `}` must not search the rest of the file a million times.
   */
  private nextIndex(char: number, from: number): number {
    const known = this.found.get(char);
    if (known !== undefined && (known >= from || known === -1)) return known;
    const at = this.text.indexOf(String.fromCharCode(char), from);
    this.found.set(char, at);
    return at;
  }

  private emit(value: string, line: number, quoted: boolean): true {
    this.value = value;
    this.line = line;
    this.quoted = quoted;
    return true;
  }

  private startsStatement(value: string): void {
    if (this.atStart) this.rawDirective = value.length > 13 && isRawBlockDirective(value);
    this.atStart = false;
  }

  /** A bare word: up to whitespace, `;`, `{`, `}`; `${name}` keeps its braces. */
  private bareWord(start: number): true {
    const text = this.text;
    const n = text.length;
    const line = this.cursorLine;
    let j = start;
    while (j < n) {
      const d = text.charCodeAt(j);
      const k = d < 128 ? (STOP[d] as number) : 0;
      if (k === 0) {
        j++;
        continue;
      }
      if (k === 1) break;
      if (d === BACKSLASH && j + 1 < n) {
        if (text.charCodeAt(j + 1) === LF) this.cursorLine++;
        j += 2;
        continue;
      }
      if (d === DOLLAR && text.charCodeAt(j + 1) === LBRACE) {
        const close = this.nextIndex(RBRACE, j + 2);
        const stop = this.nextIndex(LF, j + 2);
        if (close >= 0 && (stop < 0 || close < stop)) {
          j = close + 1;
          continue;
        }
      }
      j++;
    }
    const value = intern(text, start, j);
    this.i = j;
    this.startsStatement(value);
    return this.emit(value, line, false);
  }

  private quotedWord(start: number, q: number): true {
    const text = this.text;
    const n = text.length;
    const line = this.cursorLine;
    let value = '';
    let j = start + 1;
    let chunk = j;
    let closed = false;
    while (j < n) {
      const d = text.charCodeAt(j);
      if (d === BACKSLASH && j + 1 < n) {
        const e = text.charCodeAt(j + 1);
        if (e === LF) this.cursorLine++;
        // `\"` inside "..." is the quote itself; other escapes stay as written.
        if (e === q) {
          value += text.slice(chunk, j);
          chunk = j + 1;
        }
        j += 2;
        continue;
      }
      if (d === q) {
        closed = true;
        break;
      }
      if (d === LF) this.cursorLine++;
      j++;
    }
    value += text.slice(chunk, j);
    if (!closed) this.errors.push({ line, error: 'unexpected end of file, expecting closing quote' });
    this.i = closed ? j + 1 : n;
    this.startsStatement(value);
    return this.emit(value, line, true);
  }

  /** The Lua body after `{` as one quoted token; a `;` follows it. */
  private rawBlock(open: number): true {
    const text = this.text;
    const line = this.cursorLine;
    const end = rawBlockEnd(text, open + 1);
    this.atStart = true;
    this.rawDirective = false;
    if (end < 0) {
      this.errors.push({ line, error: 'unexpected end of file, expecting "}"' });
      this.cursorLine += countLines(text, open + 1, text.length);
      this.i = text.length;
      return this.emit(text.slice(open + 1), line, true);
    }
    this.cursorLine += countLines(text, open + 1, end + 1);
    this.i = end + 1;
    this.semiAfterRaw = true;
    return this.emit(text.slice(open + 1, end), line, true);
  }
}

/**
 * Configs repeat the same short words (`proxy_set_header`, `Host`, `$host`,
 * `on`) thousands of times: a word that sits in its slot already is reused,
 * not allocated again. A 100,000-line tree then holds 20% less memory. The
 * slot comes from the length and three characters, so no per-character hash.
 */
const INTERN_SLOTS = 4096;
const interned: (string | undefined)[] = new Array<string | undefined>(INTERN_SLOTS).fill(undefined);

function intern(text: string, start: number, end: number): string {
  const len = end - start;
  if (len > 32) return text.slice(start, end);
  const slot = (len * 961 + text.charCodeAt(start) * 31 + text.charCodeAt(end - 1) + text.charCodeAt(start + (len >> 1)) * 7) & (INTERN_SLOTS - 1);
  const hit = interned[slot];
  if (hit !== undefined && hit.length === len && text.startsWith(hit, start)) return hit;
  const word = text.slice(start, end);
  interned[slot] = word;
  return word;
}

/** All tokens of a text at once (tests and tools; the parser pulls them). */
export function lex(text: string): LexResult {
  const lx = new Lexer(text);
  const tokens: Token[] = [];
  while (lx.next()) tokens.push({ value: lx.value, line: lx.line, quoted: lx.quoted });
  return { tokens, errors: lx.errors, eofLine: lx.cursorLine };
}

function countLines(text: string, from: number, to: number): number {
  let k = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) k++;
  return k;
}

/**
 * The index of the `}` closing a Lua block body that starts at `from`, or -1,
 * skipping Lua strings, long brackets and comments so their braces do not count.
 */
function rawBlockEnd(text: string, from: number): number {
  const n = text.length;
  let depth = 1;
  let i = from;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === LBRACE) depth++;
    else if (c === RBRACE) {
      depth--;
      if (depth === 0) return i;
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
  return -1;
}
