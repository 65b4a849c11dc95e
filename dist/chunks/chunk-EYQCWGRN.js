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

export {
  formatEndpoint,
  sameEndpoint,
  ipFamily
};
