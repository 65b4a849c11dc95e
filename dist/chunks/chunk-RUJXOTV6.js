import { createRequire as __ugateCreateRequire } from 'node:module';
const require = __ugateCreateRequire(import.meta.url);

// src/report/color.ts
function useColor(stream, env) {
  if (env.NO_COLOR !== void 0 && env.NO_COLOR !== "") return false;
  const force = env.FORCE_COLOR;
  if (force !== void 0) return force !== "0" && force !== "false";
  return stream.isTTY === true && env.TERM !== "dumb";
}
function sgr(open, close) {
  return (s) => `\x1B[${open}m${s}\x1B[${close}m`;
}
var identity = (s) => s;
function paint(color) {
  if (!color) return { red: identity, green: identity, yellow: identity, cyan: identity, bold: identity, dim: identity };
  return { red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39), cyan: sgr(36, 39), bold: sgr(1, 22), dim: sgr(2, 22) };
}

// src/model/mismatch.ts
function relate(dial, backend, sameHost) {
  if (dial.kind === "unix" || backend.kind === "unix") {
    return dial.kind === "unix" && backend.kind === "unix" && dial.path === backend.path ? "match" : "socket";
  }
  const same = sameHost(dial.host, backend.host);
  if (dial.port === backend.port) return same ? "match" : "host";
  return same ? "port" : "unrelated";
}
var CODE = {
  socket: "config.socket_mismatch",
  port: "config.port_mismatch",
  host: "config.host_mismatch",
  // both differ: nginx dials another address altogether
  unrelated: "config.host_mismatch"
};
function mismatchCode(m) {
  return CODE[m];
}

// src/diagnose/error-log.ts
var PREFIX = /(\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d) \[(debug|info|notice|warn|error|crit|alert|emerg)\] (\d+)#(\d+): (?:\*(\d+) )?/y;
var EMBEDDED = /\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[/;
var ERRNO_SUFFIX = / \((\d+): ([^)]*)\)$/;
var CONF_SUFFIX = / in (\/[^\s]*|[A-Za-z]:[^\s]*):(\d+)$/;
var ACTION = /^[A-Za-z][A-Za-z ]*$/;
var QUOTED = ["request", "subrequest", "upstream", "host", "referrer"];
var OPENERS = {
  request: ', request: "',
  subrequest: ', subrequest: "',
  upstream: ', upstream: "',
  host: ', host: "',
  referrer: ', referrer: "'
};
var STREAM_BYTES = ", bytes from/to client:";
function parseErrorLine(line) {
  let start = 0;
  if (!(line.charCodeAt(0) >= 48 && line.charCodeAt(0) <= 57)) {
    const m = EMBEDDED.exec(line);
    if (!m) return void 0;
    start = m.index;
  }
  PREFIX.lastIndex = start;
  const p = PREFIX.exec(line);
  if (!p) return void 0;
  const entry = {
    time: p[1],
    level: p[2],
    pid: Number(p[3]),
    tid: Number(p[4]),
    message: ""
  };
  if (p[5] !== void 0) entry.cid = Number(p[5]);
  let rest = line.slice(PREFIX.lastIndex);
  if (rest.endsWith("\r")) rest = rest.slice(0, -1);
  let head = rest;
  let fields = "";
  const clientAt = findClient(rest);
  if (clientAt >= 0) {
    head = rest.slice(0, clientAt);
    fields = rest.slice(clientAt);
  }
  splitHead(head, entry);
  if (fields) parseFields(fields, entry);
  return entry;
}
function findClient(rest) {
  const at = rest.indexOf(", client: ");
  if (at >= 0) return at;
  return rest.indexOf(", udp client: ");
}
function splitHead(head, entry) {
  let msg = head;
  const resolverAt = msg.lastIndexOf(", resolver: ");
  if (resolverAt >= 0 && msg.lastIndexOf(" while ", resolverAt) >= 0) {
    entry.resolver = msg.slice(resolverAt + 12);
    msg = msg.slice(0, resolverAt);
  }
  const whileAt = msg.lastIndexOf(" while ");
  if (whileAt >= 0) {
    let action = msg.slice(whileAt + 7);
    const comma = action.indexOf(", ");
    if (comma >= 0 && !action.startsWith("resolving")) action = action.slice(0, comma);
    if (ACTION.test(action)) {
      entry.action = action;
      msg = msg.slice(0, whileAt);
    }
  }
  const e = ERRNO_SUFFIX.exec(msg);
  if (e) {
    entry.errno = Number(e[1]);
    entry.errnoText = e[2];
    msg = msg.slice(0, e.index);
  } else if (entry.level === "emerg" || entry.level === "alert" || entry.level === "crit") {
    const c = CONF_SUFFIX.exec(msg);
    if (c) {
      entry.confFile = c[1];
      entry.confLine = Number(c[2]);
      msg = msg.slice(0, c.index);
    }
  }
  entry.message = msg;
}
function parseFields(fields, entry) {
  let i = fields.indexOf("client: ") + 8;
  let end = fields.indexOf(", server: ", i);
  if (end < 0) {
    entry.client = untilComma(fields, i);
    return;
  }
  entry.client = fields.slice(i, end);
  i = end + 10;
  end = fields.indexOf(", ", i);
  entry.server = fields.slice(i, end < 0 ? fields.length : end);
  if (end < 0) return;
  i = end;
  for (let k = 0; k < QUOTED.length; k++) {
    const key = QUOTED[k];
    const opener = OPENERS[key];
    if (!fields.startsWith(opener, i)) continue;
    const valueAt = i + opener.length;
    const close = closingQuote(fields, valueAt, k);
    entry[key] = fields.slice(valueAt, close);
    i = close + 1;
    if (i >= fields.length) return;
  }
}
function closingQuote(s, from, field) {
  if (QUOTED[field] === "request") {
    const at = s.lastIndexOf(`"${OPENERS.upstream}`);
    if (at >= from) return at;
  }
  let best = -1;
  for (let k = field + 1; k < QUOTED.length; k++) {
    const at = s.indexOf(`"${OPENERS[QUOTED[k]]}`, from);
    if (at >= 0 && (best < 0 || at < best)) best = at;
  }
  const bytes = s.indexOf(`"${STREAM_BYTES}`, from);
  if (bytes >= 0 && (best < 0 || bytes < best)) best = bytes;
  if (best >= 0) return best;
  if (s.endsWith('"') && s.length - 1 >= from) return s.length - 1;
  return s.length;
}
function untilComma(s, from) {
  const end = s.indexOf(", ", from);
  return s.slice(from, end < 0 ? s.length : end);
}
function upstreamAddress(upstream) {
  const quote = upstream.indexOf('"');
  if (quote >= 0) upstream = upstream.slice(0, quote);
  const schemeEnd = upstream.indexOf("://");
  const scheme = schemeEnd >= 0 ? upstream.slice(0, schemeEnd + 3) : "";
  const rest = schemeEnd >= 0 ? upstream.slice(schemeEnd + 3) : upstream;
  if (rest.startsWith("unix:")) return scheme + unixPart(rest);
  const slash = rest.indexOf("/");
  return scheme + (slash < 0 ? rest : rest.slice(0, slash));
}
function unixPart(rest) {
  const sep = rest.indexOf(":", 5);
  if (sep >= 0) return rest.slice(0, sep);
  const sock = /^unix:.*?\.sock(?:et)?(?=\/|$)/.exec(rest);
  if (sock) return sock[0];
  return rest.endsWith("/") && rest.length > 6 ? rest.slice(0, -1) : rest;
}

// src/report/by-service.ts
function byService(report) {
  const views = /* @__PURE__ */ new Map();
  const view = (service) => {
    let v = views.get(service);
    if (!v) {
      v = { ...service !== void 0 && { service }, checks: [], findings: [], status: "pass" };
      views.set(service, v);
    }
    return v;
  };
  if (report.findings.some((f) => f.service === void 0)) view(void 0);
  for (const c of report.checks ?? []) view(c.service).checks.push(c);
  for (const f of report.findings) view(f.service).findings.push(f);
  for (const v of views.values()) v.status = statusOf(v);
  return [...views.values()];
}
function statusOf(v) {
  if (v.findings.some((f) => f.severity === "error") || v.checks.some((c) => !c.ok)) return "fail";
  if (v.findings.some((f) => f.severity === "warning")) return "warn";
  return "pass";
}
function isNote(f) {
  return f.severity === "info" && f.code === void 0;
}
function location(f) {
  if (f.file === void 0) return void 0;
  return f.line === void 0 ? f.file : `${f.file}:${f.line}`;
}
function decidingFinding(report) {
  const errors = report.findings.filter((f) => f.severity === "error");
  return errors.find((f) => f.code === report.reason) ?? errors[0];
}
function counts(report) {
  const checks = report.checks ?? [];
  return {
    errors: report.findings.filter((f) => f.severity === "error").length,
    warnings: report.findings.filter((f) => f.severity === "warning").length,
    checks: checks.length,
    failedChecks: checks.filter((c) => !c.ok).length
  };
}
function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

// src/probe/errno.ts
import { constants } from "node:os";
var LINUX_ERRNO = { ENOENT: 2, EACCES: 13, ECONNRESET: 104, ETIMEDOUT: 110 };
var BY_NAME = constants.errno;
var BY_NUMBER = /* @__PURE__ */ new Map();
for (const [name, n] of Object.entries(BY_NAME)) if (!BY_NUMBER.has(n)) BY_NUMBER.set(n, name);
function errnoNumber(name) {
  return name === void 0 ? void 0 : BY_NAME[name];
}
function errnoName(n) {
  return n === void 0 ? void 0 : BY_NUMBER.get(Math.abs(n));
}
function errorFacts(e) {
  const err = e;
  const code = typeof err?.code === "string" ? err.code : void 0;
  const raw = typeof err?.errno === "number" ? Math.abs(err.errno) : void 0;
  const errno = raw ?? errnoNumber(code);
  const message = err instanceof Error ? err.message : String(e);
  return { ...code !== void 0 && { code }, ...errno !== void 0 && { errno }, message };
}

export {
  relate,
  mismatchCode,
  LINUX_ERRNO,
  errnoName,
  errorFacts,
  parseErrorLine,
  upstreamAddress,
  byService,
  isNote,
  location,
  decidingFinding,
  counts,
  plural,
  useColor,
  paint
};
