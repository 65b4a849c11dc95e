import { createRequire as __ugateCreateRequire } from 'node:module';
const require = __ugateCreateRequire(import.meta.url);

// src/model/protocols.ts
var DIRECTIVES = {
  proxy_pass: { schemes: ["http", "https"], defaultScheme: "http" },
  fastcgi_pass: { schemes: [], defaultScheme: "fastcgi" },
  uwsgi_pass: { schemes: ["uwsgi", "suwsgi"], defaultScheme: "uwsgi" },
  scgi_pass: { schemes: [], defaultScheme: "scgi" },
  grpc_pass: { schemes: ["grpc", "grpcs"], defaultScheme: "grpc" },
  memcached_pass: { schemes: [], defaultScheme: "memcached" }
};
var PASS_DIRECTIVES = DIRECTIVES;
var PASS_DIRECTIVE_NAMES = Object.keys(DIRECTIVES);
var TABLE = {
  http: { directive: "proxy_pass", schemes: ["http"] },
  https: { directive: "proxy_pass", schemes: ["https"] },
  fastcgi: { directive: "fastcgi_pass", schemes: ["fastcgi"] },
  uwsgi: { directive: "uwsgi_pass", schemes: ["uwsgi", "suwsgi"] },
  scgi: { directive: "scgi_pass", schemes: ["scgi"] },
  grpc: { directive: "grpc_pass", schemes: ["grpc", "grpcs"] }
};
var PROTOCOLS = TABLE;
var PROTOCOL_NAMES = Object.keys(TABLE);
var PROTOCOL_DIRECTIVES = [...new Set(PROTOCOL_NAMES.map((p) => TABLE[p].directive))];
function speaks(protocol, scheme) {
  return PROTOCOLS[protocol].schemes.includes(scheme);
}
function proxyUrl(scheme, authority, uri) {
  return `${scheme}://${authority.startsWith("unix:") && uri ? `${authority}:` : authority}${uri}`;
}
function passLine(protocol, authority, uri = "") {
  switch (protocol) {
    case "http":
    case "https":
      return `proxy_pass ${proxyUrl(protocol, authority, uri)};`;
    case "grpc":
      return `grpc_pass grpc://${authority};`;
    default:
      return `${PROTOCOLS[protocol].directive} ${authority};`;
  }
}

// src/spec/address.ts
import { isIP } from "node:net";
var HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62}))*\.?$/;
function parseBackend(s) {
  if (s.startsWith("unix:")) {
    const path = s.slice(5);
    if (!path.startsWith("/")) return `a unix socket needs an absolute path: unix:/run/app.sock, got "${s}"`;
    if (path.includes("\0")) return "a socket path cannot contain NUL";
    return { kind: "unix", path };
  }
  let host;
  let portText;
  if (s.startsWith("[")) {
    const end = s.indexOf("]");
    if (end < 0 || s[end + 1] !== ":") return `expected [IPv6]:PORT, got "${s}"`;
    host = s.slice(1, end);
    portText = s.slice(end + 2);
    if (isIP(host) !== 6) return `"${host}" is not an IPv6 address`;
  } else {
    const colon = s.lastIndexOf(":");
    if (colon < 0) return `expected HOST:PORT, [IPv6]:PORT or unix:/path.sock, got "${s}"`;
    host = s.slice(0, colon);
    portText = s.slice(colon + 1);
    if (host.includes(":")) return `an IPv6 address needs brackets: [${host}]:${portText}`;
    if (isIP(host) === 0 && !HOSTNAME.test(host)) return `"${host}" is not a valid host name or address`;
  }
  if (!/^\d{1,5}$/.test(portText)) return `port "${portText}" is not a number`;
  const port = Number(portText);
  if (port < 1 || port > 65535) return `port ${port} is outside 1-65535`;
  return { kind: "tcp", host, port };
}

export {
  PASS_DIRECTIVES,
  PASS_DIRECTIVE_NAMES,
  PROTOCOLS,
  PROTOCOL_NAMES,
  PROTOCOL_DIRECTIVES,
  speaks,
  proxyUrl,
  passLine,
  parseBackend
};
