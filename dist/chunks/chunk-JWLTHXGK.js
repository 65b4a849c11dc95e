import { createRequire as __ugateCreateRequire } from 'node:module';
const require = __ugateCreateRequire(import.meta.url);

// src/probe/endpoint.ts
import { isIP } from "node:net";
function formatEndpoint(e) {
  if (e.kind === "unix") return `unix:${e.path}`;
  return `${isIP(e.host) === 6 ? `[${e.host}]` : e.host}:${e.port}`;
}
function sameEndpoint(a, b) {
  if (a.kind === "unix" || b.kind === "unix") return a.kind === b.kind && a.path === b.path;
  return a.port === b.port && a.host.toLowerCase() === b.host.toLowerCase();
}
function ipFamily(host) {
  return isIP(host);
}

// src/nginx/protocols.ts
var PROTOCOLS = {
  http: { directive: "proxy_pass", schemes: ["http"] },
  https: { directive: "proxy_pass", schemes: ["https"] },
  fastcgi: { directive: "fastcgi_pass", schemes: ["fastcgi"] },
  uwsgi: { directive: "uwsgi_pass", schemes: ["uwsgi", "suwsgi"] },
  scgi: { directive: "scgi_pass", schemes: ["scgi"] },
  grpc: { directive: "grpc_pass", schemes: ["grpc", "grpcs"] }
};
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

export {
  formatEndpoint,
  sameEndpoint,
  ipFamily,
  PROTOCOLS,
  speaks,
  proxyUrl,
  passLine
};
