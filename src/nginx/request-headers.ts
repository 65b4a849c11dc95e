// The request headers nginx sends a proxy_pass backend, evaluated as far as
// the gate can, so the direct health request is the one nginx makes (a
// backend that checks Host, such as Django's ALLOWED_HOSTS, answers it as it
// answers nginx). Pure.
//
// Inheritance as nginx does it: the innermost level (if / limit_except,
// location, server, http) that has any proxy_set_header line gives all of
// them; the levels around it are ignored. nginx's defaults `Host $proxy_host`
// and `Connection close` apply to each name that list does not set. A value
// that evaluates to the empty string is not sent, as in nginx.
//
// The variables are those of the request a client makes through nginx's
// serving block: the gate's own (from 127.0.0.1, no X-Forwarded-For, the
// block's server_name as Host). Any other variable (a map, `$http_*` of a
// header the gate does not send, a regex capture) cannot be known here: that
// header is not sent, and the request says so.
import type { NginxRequest } from '../model/dial.js';
import type { HeaderLevel, PassSite, ServerBlock, SetHeader } from './model.js';
import type { PassTarget } from './pass-target.js';

export interface RequestInput {
  pass: PassSite;
  server: ServerBlock;
  target: PassTarget;
  /** the spec's server_name entries, for `$host` when the block names no host */
  specNames: readonly string[];
  /** `conf.d/app.conf` for the source line */
  display: (file: string) => string;
}

/** What a client (the gate, through nginx) connects from. */
export const CLIENT_ADDRESS = '127.0.0.1';

const DEFAULTS: readonly [string, string][] = [
  ['Host', '$proxy_host'],
  ['Connection', 'close'],
];

/** The request of a proxy_pass in the http module; undefined for any other pass. */
export function nginxRequest(input: RequestInput): NginxRequest | undefined {
  const { pass } = input;
  if (pass.directive !== 'proxy_pass' || pass.module !== 'http' || !pass.headers) return undefined;
  const own = effectiveLevel(pass.headers);
  const lines: { name: string; value: string }[] = own.map((h) => ({ name: h.name, value: h.value }));
  const named = new Set(lines.map((h) => h.name.toLowerCase()));
  for (const [name, value] of DEFAULTS) if (!named.has(name.toLowerCase())) lines.push({ name, value });

  const vars = variables(input);
  const out: NginxRequest = { headers: [], skipped: [], source: sourceOf(own, input.display) };
  for (const h of lines) {
    if (!HEADER_NAME.test(h.name)) {
      out.skipped.push({ ...h, why: 'not a valid header name' });
      continue;
    }
    const r = evaluate(h.value, vars);
    if (r.missing.length > 0) {
      out.skipped.push({ ...h, why: `not evaluated: ${r.missing.map((v) => `$${v}`).join(', ')}` });
    } else if (!HEADER_VALUE.test(r.value)) {
      out.skipped.push({ ...h, why: 'not a valid header value' });
    } else if (r.value !== '') {
      out.headers.push({ name: h.name, value: r.value });
    }
  }
  const uri = uriPart(input);
  if (uri) out.uri = uri;
  return out;
}

/** The innermost level with any proxy_set_header line: its lines alone (none anywhere: nginx's defaults only). */
function effectiveLevel(level: HeaderLevel): readonly SetHeader[] {
  for (let l: HeaderLevel | undefined = level; l; l = l.outer) if (l.set.length > 0) return l.set;
  return [];
}

function sourceOf(own: readonly SetHeader[], display: (file: string) => string): string {
  if (own.length === 0) return "nginx's defaults (no proxy_set_header applies)";
  const byFile = new Map<string, number[]>();
  for (const h of own) {
    const f = display(h.file);
    byFile.set(f, [...(byFile.get(f) ?? []), h.line]);
  }
  return `proxy_set_header (${[...byFile].map(([f, lines]) => `${f}:${lines.join(', ')}`).join('; ')})`;
}

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** The variables the gate knows for a request through the serving block; the others are absent. */
function variables({ server, target, specNames }: RequestInput): Map<string, string> {
  const vars = new Map<string, string>();
  const host = hostName(server.names) ?? hostName(specNames);
  if (host !== undefined) {
    vars.set('host', host.toLowerCase());
    // the Host header the gate sends through nginx: the name alone
    vars.set('http_host', host);
  }
  const first = server.names[0];
  if (first === undefined) vars.set('server_name', '');
  else if (!first.startsWith('~')) vars.set('server_name', first.toLowerCase());
  const ssl = server.listens.filter((l) => l.ssl).length;
  if (ssl === 0) vars.set('scheme', 'http');
  else if (ssl === server.listens.length) vars.set('scheme', 'https');
  vars.set('remote_addr', CLIENT_ADDRESS);
  // the gate sends no X-Forwarded-For: nginx's value is the client's address alone
  vars.set('proxy_add_x_forwarded_for', CLIENT_ADDRESS);
  const proxyHost = proxyHostOf(target);
  if (proxyHost !== undefined) vars.set('proxy_host', proxyHost);
  return vars;
}

/** The first entry that is a host name, not a wildcard, a regex or the `_` catch-all. */
function hostName(names: readonly string[]): string | undefined {
  return names.find((n) => n !== '' && n !== '_' && !n.startsWith('~') && !n.startsWith('.') && !n.includes('*'));
}

/**
 * `$proxy_host` as ngx_http_proxy_set_vars sets it: the URL's host, with the
 * port only when it is not the scheme's default; an upstream group's name;
 * `localhost` for a unix socket; unknown when the URL holds variables.
 */
export function proxyHostOf(target: PassTarget): string | undefined {
  if (target.dynamic || target.error) return undefined;
  if (target.endpoint?.kind === 'unix') return 'localhost';
  if (target.group !== undefined) return target.group;
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(target.authority);
  if (!m) return undefined;
  const [, host, port] = m;
  const defaultPort = target.scheme === 'https' ? 443 : 80;
  return port === undefined || Number(port) === defaultPort ? host : `${host}:${port}`;
}

/** A value with `$name` and `${name}` evaluated; `missing` lists the variables it has no value for. */
export function evaluate(value: string, vars: ReadonlyMap<string, string>): { value: string; missing: string[] } {
  const missing: string[] = [];
  const out = value.replace(/\$(?:\{([A-Za-z0-9_]*)\}|([A-Za-z0-9_]*))/g, (_whole: string, braced: string | undefined, bare: string | undefined) => {
    // variable names are case-insensitive in nginx
    const name = (braced ?? bare ?? '').toLowerCase();
    const v = name === '' ? undefined : vars.get(name);
    if (v === undefined) {
      // '' stands for a `$` with no name after it
      if (!missing.includes(name)) missing.push(name);
      return '';
    }
    return v;
  });
  return { value: out, missing };
}

/** The URI part of the proxy_pass URL (`/v1/` in `http://app/v1/`), when there is one. */
function uriPart({ pass, target }: RequestInput): string | undefined {
  const rest = pass.arg.replace(/^[a-z]+:\/\//i, '');
  if (target.endpoint?.kind === 'unix') {
    const colon = rest.indexOf(':', 5);
    return colon >= 0 ? rest.slice(colon + 1) || undefined : undefined;
  }
  return rest.startsWith(target.authority) ? rest.slice(target.authority.length) || undefined : undefined;
}
