// How each spec protocol is written in nginx: the *_pass directive, the
// schemes nginx may dial it with, and the line that dials an address. One
// table for the renderer (what to write), the config check (what to accept
// and the fix to suggest) and explain's cross-check (what a logged scheme means).
import type { PassDirective } from '../gate/phases.js';
import type { Protocol } from '../spec/schema.js';

export const PROTOCOLS: Record<Protocol, { directive: PassDirective; schemes: readonly string[] }> = {
  http: { directive: 'proxy_pass', schemes: ['http'] },
  https: { directive: 'proxy_pass', schemes: ['https'] },
  fastcgi: { directive: 'fastcgi_pass', schemes: ['fastcgi'] },
  uwsgi: { directive: 'uwsgi_pass', schemes: ['uwsgi', 'suwsgi'] },
  scgi: { directive: 'scgi_pass', schemes: ['scgi'] },
  grpc: { directive: 'grpc_pass', schemes: ['grpc', 'grpcs'] },
};

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
