// How nginx dials a backend, in one table: the *_pass directives and the
// schemes each takes, and how each spec protocol is written with them. The
// spec's schema (which protocols there are), the parser of *_pass targets,
// the renderer (what to write), the config check (what to accept and the fix
// to suggest) and explain's cross-check (what a logged scheme means) all read it.

interface DirectiveInfo {
  /** the `scheme://` prefixes it takes in the http module */
  schemes: readonly string[];
  /** what it speaks when no prefix is written */
  defaultScheme: string;
}

const DIRECTIVES = {
  proxy_pass: { schemes: ['http', 'https'], defaultScheme: 'http' },
  fastcgi_pass: { schemes: [], defaultScheme: 'fastcgi' },
  uwsgi_pass: { schemes: ['uwsgi', 'suwsgi'], defaultScheme: 'uwsgi' },
  scgi_pass: { schemes: [], defaultScheme: 'scgi' },
  grpc_pass: { schemes: ['grpc', 'grpcs'], defaultScheme: 'grpc' },
  memcached_pass: { schemes: [], defaultScheme: 'memcached' },
} satisfies Record<string, DirectiveInfo>;

export type PassDirective = keyof typeof DIRECTIVES;
export const PASS_DIRECTIVES: Readonly<Record<PassDirective, DirectiveInfo>> = DIRECTIVES;
export const PASS_DIRECTIVE_NAMES = Object.keys(DIRECTIVES) as PassDirective[];

interface ProtocolInfo {
  directive: PassDirective;
  /** the schemes nginx may dial a backend of this protocol with */
  schemes: readonly string[];
}

const TABLE = {
  http: { directive: 'proxy_pass', schemes: ['http'] },
  https: { directive: 'proxy_pass', schemes: ['https'] },
  fastcgi: { directive: 'fastcgi_pass', schemes: ['fastcgi'] },
  uwsgi: { directive: 'uwsgi_pass', schemes: ['uwsgi', 'suwsgi'] },
  scgi: { directive: 'scgi_pass', schemes: ['scgi'] },
  grpc: { directive: 'grpc_pass', schemes: ['grpc', 'grpcs'] },
} satisfies Record<string, ProtocolInfo>;

/** A spec service's `protocol`. */
export type Protocol = keyof typeof TABLE;
export const PROTOCOLS: Readonly<Record<Protocol, ProtocolInfo>> = TABLE;
/** In the order the spec's schema and its messages list them. */
export const PROTOCOL_NAMES = Object.keys(TABLE) as [Protocol, ...Protocol[]];
/** The directives a spec protocol is written with, in that order. */
export const PROTOCOL_DIRECTIVES = [...new Set(PROTOCOL_NAMES.map((p) => TABLE[p].directive))];

/** Does a backend of this spec protocol answer nginx's `scheme://`? */
export function speaks(protocol: Protocol, scheme: string): boolean {
  return PROTOCOLS[protocol].schemes.includes(scheme);
}

/** A proxy_pass URL: a unix: authority followed by a URI takes the colon nginx needs there. */
export function proxyUrl(scheme: string, authority: string, uri: string): string {
  return `${scheme}://${authority.startsWith('unix:') && uri ? `${authority}:` : authority}${uri}`;
}

/** The `*_pass` line of a spec protocol dialing `authority` (an address or an upstream{} name). */
export function passLine(protocol: Protocol, authority: string, uri = ''): string {
  switch (protocol) {
    case 'http':
    case 'https':
      return `proxy_pass ${proxyUrl(protocol, authority, uri)};`;
    case 'grpc':
      return `grpc_pass grpc://${authority};`;
    default:
      return `${PROTOCOLS[protocol].directive} ${authority};`;
  }
}
