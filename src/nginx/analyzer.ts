// Stage 3 of crossplane's split: a directive table for the directives
// upstream-gate interprets (where they may appear, how many arguments, block or
// not). Unknown directives pass: we are liberal in what we parse and strict
// only about what we draw conclusions from.

/** Where a directive sits. `opaque` blocks (map, types...) hold data, not directives. */
export type Context =
  | 'main'
  | 'events'
  | 'http'
  | 'http/server'
  | 'http/location'
  | 'http/if-server'
  | 'http/if-location'
  | 'http/limit_except'
  | 'http/upstream'
  | 'stream'
  | 'stream/server'
  | 'stream/upstream'
  | 'mail'
  | 'mail/server'
  | 'opaque'
  | 'unknown';

interface Rule {
  block: boolean;
  /** allowed contexts */
  in: readonly Context[];
  minArgs: number;
  maxArgs: number;
  /** the context of the block body, when it differs by parent */
  child?: (parent: Context) => Context;
}

const ANY = Infinity;
const LOC: readonly Context[] = ['http/location', 'http/if-location'];
const PASS_CONTEXTS: readonly Context[] = [...LOC];

/** Several rules where the modules differ (mail's `server_name` takes one name, http's many). */
const RULES: Record<string, Rule | readonly Rule[]> = {
  events: { block: true, in: ['main'], minArgs: 0, maxArgs: 0, child: () => 'events' },
  http: { block: true, in: ['main'], minArgs: 0, maxArgs: 0, child: () => 'http' },
  stream: { block: true, in: ['main'], minArgs: 0, maxArgs: 0, child: () => 'stream' },
  mail: { block: true, in: ['main'], minArgs: 0, maxArgs: 0, child: () => 'mail' },
  location: { block: true, in: ['http/server', 'http/location'], minArgs: 1, maxArgs: 2, child: () => 'http/location' },
  upstream: {
    block: true,
    in: ['http', 'stream'],
    minArgs: 1,
    maxArgs: 1,
    child: (p) => (p === 'stream' ? 'stream/upstream' : 'http/upstream'),
  },
  if: {
    block: true,
    in: ['http/server', 'http/location'],
    minArgs: 1,
    maxArgs: ANY,
    child: (p) => (p === 'http/server' ? 'http/if-server' : 'http/if-location'),
  },
  limit_except: { block: true, in: ['http/location'], minArgs: 1, maxArgs: ANY, child: () => 'http/limit_except' },
  proxy_pass: { block: false, in: [...LOC, 'http/limit_except', 'stream/server'], minArgs: 1, maxArgs: 1 },
  fastcgi_pass: { block: false, in: PASS_CONTEXTS, minArgs: 1, maxArgs: 1 },
  uwsgi_pass: { block: false, in: PASS_CONTEXTS, minArgs: 1, maxArgs: 1 },
  scgi_pass: { block: false, in: PASS_CONTEXTS, minArgs: 1, maxArgs: 1 },
  grpc_pass: { block: false, in: PASS_CONTEXTS, minArgs: 1, maxArgs: 1 },
  memcached_pass: { block: false, in: PASS_CONTEXTS, minArgs: 1, maxArgs: 1 },
  server_name: [
    // stream since nginx 1.25.5
    { block: false, in: ['http/server', 'stream/server'], minArgs: 1, maxArgs: ANY },
    { block: false, in: ['mail', 'mail/server'], minArgs: 1, maxArgs: 1 },
  ],
  listen: { block: false, in: ['http/server', 'stream/server', 'mail/server'], minArgs: 1, maxArgs: ANY },
  map: { block: true, in: ['http', 'stream'], minArgs: 2, maxArgs: 2, child: () => 'opaque' },
  geo: { block: true, in: ['http', 'stream'], minArgs: 1, maxArgs: 2, child: () => 'opaque' },
  split_clients: { block: true, in: ['http', 'stream'], minArgs: 2, maxArgs: 2, child: () => 'opaque' },
  types: { block: true, in: ['http', 'http/server', 'http/location'], minArgs: 0, maxArgs: 0, child: () => 'opaque' },
  charset_map: { block: true, in: ['http'], minArgs: 2, maxArgs: 2, child: () => 'opaque' },
  match: { block: true, in: ['http', 'stream'], minArgs: 1, maxArgs: 1, child: () => 'opaque' },
};

/** `server` is a block in http/stream/mail and a one-line address in upstream. */
const SERVER_BLOCK: Rule = {
  block: true,
  in: ['http', 'stream', 'mail'],
  minArgs: 0,
  maxArgs: 0,
  child: (p) => (p === 'stream' ? 'stream/server' : p === 'mail' ? 'mail/server' : 'http/server'),
};
const SERVER_LINE: Rule = { block: false, in: ['http/upstream', 'stream/upstream'], minArgs: 1, maxArgs: ANY };

const TABLE = new Map(Object.entries(RULES));

/** The rule for `name` in `parent`; when none allows it there, one that says where it belongs. */
function ruleFor(name: string, parent: Context): Rule | undefined {
  if (name === 'server') return parent === 'http/upstream' || parent === 'stream/upstream' ? SERVER_LINE : SERVER_BLOCK;
  const rules = TABLE.get(name);
  if (!Array.isArray(rules)) return rules as Rule | undefined;
  return rules.find((r) => r.in.includes(parent)) ?? rules[0];
}

/** The context of a block's body. */
export function childContext(name: string, parent: Context): Context {
  if (parent === 'opaque') return 'opaque';
  return ruleFor(name, parent)?.child?.(parent) ?? 'unknown';
}

/** What is wrong with one statement, in nginx's words (without the ` in FILE:LINE` suffix). */
export interface Problem {
  error: string;
  /** ended by `{` although the directive takes no block: what follows up to its `}` is no config */
  strayBlock: boolean;
}

/** Check one statement; `terminator` is how it ended. */
export function analyze(name: string, args: readonly string[], terminator: '{' | ';' | '}' | 'eof', parent: Context): Problem | undefined {
  if (parent === 'opaque' || parent === 'unknown') return undefined;
  const rule = ruleFor(name, parent);
  if (!rule) return undefined;
  const strayBlock = !rule.block && terminator === '{';
  const problem = (error: string): Problem => ({ error, strayBlock });
  if (!rule.in.includes(parent)) return problem(`"${name}" directive is not allowed here`);
  if (rule.block && terminator !== '{') return problem(`directive "${name}" has no opening "{"`);
  if (strayBlock) return problem(`directive "${name}" is not terminated by ";"`);
  if (args.length < rule.minArgs || args.length > rule.maxArgs) return problem(`invalid number of arguments in "${name}" directive`);
  return undefined;
}
