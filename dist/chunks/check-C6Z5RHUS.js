import { createRequire as __ugateCreateRequire } from 'node:module';
const require = __ugateCreateRequire(import.meta.url);
import {
  writeFilesAtomically
} from "./chunk-GNBIOQJ2.js";
import {
  DEFAULT_SPEC_FILE,
  loadSpecFile
} from "./chunk-RDWO4IBE.js";
import {
  LINUX_ERRNO,
  byService,
  counts,
  decidingFinding,
  errnoName,
  errorFacts,
  isNote,
  location,
  mismatchCode,
  paint,
  parseErrorLine,
  plural,
  relate,
  useColor
} from "./chunk-RUJXOTV6.js";
import {
  canonicalIp,
  formatEndpoint,
  ipFamily,
  sameEndpoint
} from "./chunk-OYS7LNVX.js";
import {
  PASS_DIRECTIVES,
  PASS_DIRECTIVE_NAMES,
  PROTOCOLS,
  PROTOCOL_DIRECTIVES,
  passLine,
  proxyUrl,
  speaks
} from "./chunk-KHLXKQJU.js";
import {
  isRawBlockDirective,
  loadDump,
  loadFiles,
  parseNginxMessages,
  runNginxTest
} from "./chunk-OTCK26PH.js";
import {
  forTerminal,
  maskCredentials
} from "./chunk-HTEQBA5G.js";
import {
  durationFlag,
  oneOf,
  parseFlags
} from "./chunk-YO23R7XW.js";
import {
  EXIT
} from "./chunk-IKZMOE63.js";
import {
  formatDuration
} from "./chunk-WQXZYGRM.js";
import {
  isUserError
} from "./chunk-ZLXW7TD3.js";
import "./chunk-AZCQPZHH.js";

// src/cli/check.ts
import { resolve as resolve2 } from "node:path";

// src/host/run.ts
var DEFAULT_COMMAND_TIMEOUT_MS = 5e3;
function commandLine(file, args) {
  return [file, ...args].map((a) => /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`).join(" ");
}
function execaRunner() {
  return {
    async run(file, args, options = {}) {
      const { execa } = await import("./execa-YVRQM5JW.js");
      const started = performance.now();
      const r = await execa(file, [...args], {
        reject: false,
        timeout: options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
        cancelSignal: options.signal,
        input: options.input,
        stdin: options.input === void 0 ? "ignore" : "pipe",
        cwd: options.cwd,
        forceKillAfterDelay: 500,
        stripFinalNewline: false,
        maxBuffer: 16 * 1024 * 1024,
        env: { LC_ALL: "C" }
      });
      const notFound = r.code === "ENOENT";
      return {
        command: commandLine(file, args),
        exitCode: r.exitCode,
        stdout: typeof r.stdout === "string" ? r.stdout : "",
        stderr: typeof r.stderr === "string" ? r.stderr : "",
        failed: r.failed,
        timedOut: r.timedOut,
        notFound,
        durationMs: performance.now() - started
      };
    }
  };
}

// src/nginx/check.ts
import { dirname, relative, isAbsolute } from "node:path";

// src/nginx/pass-target.ts
import { isIP } from "node:net";
var DEFAULT_PORT = { http: 80, https: 443 };
function parsePassTarget(directive, arg, module) {
  const { schemes, defaultScheme } = PASS_DIRECTIVES[directive];
  let scheme = module === "stream" ? "tcp" : defaultScheme;
  let rest = arg;
  if (module === "http") {
    const lower = arg.toLowerCase();
    const prefixed = schemes.find((s) => lower.startsWith(`${s}://`));
    if (prefixed) {
      scheme = prefixed;
      rest = arg.slice(prefixed.length + 3);
    } else if (directive === "proxy_pass") {
      if (arg.startsWith("$")) return { scheme: "http", dynamic: true, authority: arg };
      return { scheme, dynamic: arg.includes("$"), authority: arg, error: `invalid URL prefix in "${arg}"` };
    }
  }
  const uriPart = directive === "proxy_pass" && module === "http";
  if (rest.toLowerCase().startsWith("unix:")) {
    let path = rest.slice(5);
    if (uriPart) {
      const colon = path.indexOf(":");
      if (colon >= 0) path = path.slice(0, colon);
    }
    const authority2 = `unix:${path}`;
    if (path.includes("$")) return { scheme, dynamic: true, authority: authority2 };
    if (path === "") return { scheme, dynamic: false, authority: authority2, error: `no path in the unix domain socket "${arg}"` };
    return { scheme, dynamic: false, authority: authority2, endpoint: { kind: "unix", path } };
  }
  let authority = uriPart ? rest.split(/[/?]/, 1)[0] ?? "" : rest;
  const complete = uriPart ? /^([^$]*:\d+)\$/.exec(authority) : null;
  if (complete) authority = complete[1];
  else if (authority.includes("$")) return { scheme, dynamic: true, authority };
  const hp = splitHostPort(authority);
  if (typeof hp === "string") return { scheme, dynamic: false, authority, error: `${hp} in upstream "${authority.replace(/^[^@]*@/, "***@")}"` };
  if (hp.port === void 0) {
    const port = uriPart ? DEFAULT_PORT[scheme] : void 0;
    const base = { scheme, dynamic: false, authority, group: hp.host };
    return port === void 0 ? base : { ...base, endpoint: { kind: "tcp", host: hp.host, port } };
  }
  return { scheme, dynamic: false, authority, endpoint: { kind: "tcp", host: hp.host, port: hp.port } };
}
function splitHostPort(s) {
  if (s === "") return "no host";
  let host;
  let portText;
  if (s.startsWith("[")) {
    const end = s.indexOf("]");
    if (end < 0) return "invalid IPv6 address";
    host = s.slice(1, end);
    if (isIP(host) !== 6) return "invalid IPv6 address";
    const after = s.slice(end + 1);
    if (after !== "" && !after.startsWith(":")) return "invalid host";
    portText = after === "" ? void 0 : after.slice(1);
  } else {
    const colon = s.lastIndexOf(":");
    if (colon >= 0 && s.indexOf(":") !== colon) return "invalid host";
    host = colon >= 0 ? s.slice(0, colon) : s;
    portText = colon >= 0 ? s.slice(colon + 1) : void 0;
    if (host === "") return "no host";
  }
  if (portText === void 0) return { host };
  if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) return "invalid port";
  return { host, port: Number(portText) };
}
function parseUpstreamServer(args, module) {
  const address = args[0] ?? "";
  const line = { address, dynamic: address.includes("$"), weight: 1, maxFails: 1, backup: false, down: false };
  for (let i = 1; i < args.length; i++) {
    const p = args[i];
    if (p === "backup") line.backup = true;
    else if (p === "down") line.down = true;
    else if (p.startsWith("weight=")) line.weight = Number(p.slice(7)) || 1;
    else if (p.startsWith("max_fails=")) line.maxFails = Number(p.slice(10));
  }
  if (line.dynamic) return line;
  if (address.toLowerCase().startsWith("unix:")) {
    const path = address.slice(5);
    if (path) line.endpoint = { kind: "unix", path };
    else line.error = `no path in the unix domain socket "${address}"`;
    return line;
  }
  const hp = splitHostPort(address);
  if (typeof hp === "string") line.error = `${hp} in upstream "${address}"`;
  else {
    const port = hp.port ?? (module === "http" ? 80 : void 0);
    if (port === void 0) line.error = `no port in upstream "${address}"`;
    else line.endpoint = { kind: "tcp", host: hp.host, port };
  }
  return line;
}

// src/nginx/model.ts
var MAX_WALKED_DIRECTIVES = 2e6;
function upstreamKey(module, name) {
  return `${module}:${name.toLowerCase()}`;
}
function buildModel(parse, maxWalked = MAX_WALKED_DIRECTIVES) {
  const { config } = parse.payload;
  const model = { servers: [], upstreams: /* @__PURE__ */ new Map(), errors: [] };
  let walked = 0;
  let exhausted = false;
  const onStack = /* @__PURE__ */ new Set();
  const walk = (list, fileIndex, scope) => {
    const file = config[fileIndex]?.file ?? "";
    for (const d of list) {
      if (exhausted) return;
      if (++walked > maxWalked) {
        exhausted = true;
        model.errors.push({ file, line: d.line, error: `the expanded config holds more than ${maxWalked} directives; stopped there` });
        return;
      }
      const name = d.directive;
      if (d.includes) {
        for (const idx of d.includes) {
          if (onStack.has(idx)) continue;
          onStack.add(idx);
          walk(config[idx]?.parsed ?? [], idx, scope);
          onStack.delete(idx);
        }
        continue;
      }
      const line = d.line;
      if (!d.block) {
        if (PASS_DIRECTIVE_NAMES.includes(name) && d.args.length === 1 && scope.module && scope.server) {
          if (scope.module === "stream" && name !== "proxy_pass") continue;
          const pass = { file, line, directive: name, arg: d.args[0], module: scope.module };
          scope.server.passes.push(pass);
          scope.location?.passes.push(pass);
        } else if (name === "server" && scope.upstream && scope.module) {
          const member = parseUpstreamServer(d.args, scope.module);
          member.file = file;
          member.line = line;
          member.args = d.args;
          scope.upstream.servers.push(member);
        } else if (name === "server_name" && scope.server && !scope.location) {
          scope.server.names.push(...d.args);
        } else if (name === "listen" && scope.server && !scope.location) {
          scope.server.listens.push(parseListen(d.args));
        }
        continue;
      }
      if (name === "http" || name === "stream") {
        walk(d.block, fileIndex, { module: name });
      } else if (name === "server" && scope.module && !scope.server && !scope.upstream) {
        const server = { file, line, module: scope.module, names: [], listens: [], passes: [], locations: [] };
        model.servers.push(server);
        walk(d.block, fileIndex, { module: scope.module, server });
        if (server.listens.length === 0 && server.module === "http") server.listens.push({ key: "*:80", defaultServer: false });
      } else if (name === "upstream" && scope.module && !scope.server && d.args.length === 1) {
        const group = { file, line, name: d.args[0], module: scope.module, servers: [] };
        const key = upstreamKey(scope.module, group.name);
        if (!model.upstreams.has(key)) model.upstreams.set(key, group);
        walk(d.block, fileIndex, { module: scope.module, upstream: group });
      } else if (name === "location" && scope.server && d.args.length >= 1) {
        const loc = parseLocation(d.args, file, line);
        (scope.location ? scope.location.children : scope.server.locations).push(loc);
        walk(d.block, fileIndex, { ...scope, location: loc });
      } else if ((name === "if" || name === "limit_except") && scope.server) {
        walk(d.block, fileIndex, scope);
      }
    }
  };
  onStack.add(0);
  walk(config[0]?.parsed ?? [], 0, {});
  return model;
}
var MODIFIERS = ["^~", "~*", "=", "~"];
function parseLocation(args, file, line) {
  const [a, b] = args;
  let modifier = "";
  let pattern = a;
  if (b !== void 0 && (a === "=" || a === "^~" || a === "~" || a === "~*")) {
    modifier = a;
    pattern = b;
  } else if (a.startsWith("@")) {
    modifier = "@";
  } else {
    const m = MODIFIERS.find((x) => a.startsWith(x) && a.length > x.length);
    if (m) {
      modifier = m;
      pattern = a.slice(m.length);
    }
  }
  return { file, line, modifier, pattern, passes: [], children: [] };
}
function parseListen(args) {
  const addr = args[0] ?? "";
  const defaultServer = args.slice(1).some((a) => a === "default_server" || a === "default");
  let key;
  if (addr.startsWith("unix:")) key = addr;
  else if (/^\d+$/.test(addr)) key = `*:${addr}`;
  else if (addr.startsWith("[")) key = addr.includes("]:") ? addr : `${addr}:80`;
  else if (addr.includes(":")) key = addr.replace(/^0\.0\.0\.0:/, "*:");
  else key = `${addr === "0.0.0.0" ? "*" : addr}:80`;
  return { key, defaultServer };
}

// src/nginx/dials.ts
function expandPass(pass, server, model) {
  const target = parsePassTarget(pass.directive, pass.arg, pass.module);
  const base = { pass, server, target, scheme: target.scheme };
  if (target.error) return { candidates: [], errors: [{ file: pass.file, line: pass.line, error: target.error }] };
  if (target.dynamic) return { candidates: [{ ...base, dynamic: true, site: pass }], errors: [] };
  const group = target.group === void 0 ? void 0 : model.upstreams.get(upstreamKey(pass.module, target.group));
  if (group) {
    const candidates = [];
    const errors = [];
    for (const member of group.servers) {
      if (member.down) continue;
      if (member.error) {
        errors.push({ file: member.file, line: member.line, error: member.error });
        continue;
      }
      const site = { file: member.file, line: member.line };
      candidates.push({ ...base, group, member, site, dynamic: member.dynamic, ...member.endpoint && { endpoint: member.endpoint } });
    }
    return { candidates, errors };
  }
  if (!target.endpoint) {
    return { candidates: [], errors: [{ file: pass.file, line: pass.line, error: `no port in upstream "${target.authority}"` }] };
  }
  return { candidates: [{ ...base, endpoint: target.endpoint, dynamic: false, site: pass }], errors: [] };
}
function expandAll(model) {
  const out = /* @__PURE__ */ new Map();
  for (const server of model.servers) {
    const exp = { candidates: [], errors: [] };
    for (const pass of server.passes) {
      const e = expandPass(pass, server, model);
      exp.candidates.push(...e.candidates);
      exp.errors.push(...e.errors);
    }
    out.set(server, exp);
  }
  return out;
}

// src/nginx/evaluate.ts
import { isIP as isIP2 } from "node:net";

// src/nginx/builder.ts
function bareOk(arg) {
  if (arg === "" || /[\s;"'#]/.test(arg) || arg.endsWith("\\")) return false;
  return !/[{}]/.test(arg.replace(/\$\{[^}\n]*\}/g, ""));
}
function quoteArg(arg) {
  if (bareOk(arg)) return arg;
  if (!arg.includes('"')) return `"${arg}"`;
  if (!arg.includes("'")) return `'${arg}'`;
  return `"${arg.replace(/"/g, '\\"')}"`;
}
function ifCondition(args) {
  const words = args.map(quoteArg);
  if (words.length === 0) return "if ()";
  const end = words.length - 1;
  const open2 = words[0] === args[0] ? "(" : "( ";
  const close = words[end] === args[end] ? ")" : " )";
  words[0] = open2 + words[0];
  words[end] += close;
  return `if ${words.join(" ")}`;
}
function buildDirective(d) {
  if (d.directive === "if") return ifCondition(d.args);
  if (isRawBlockDirective(d.directive) && d.block === void 0 && d.args.length > 0) {
    const head = [d.directive, ...d.args.slice(0, -1).map(quoteArg)].join(" ");
    return `${head} {${d.args[d.args.length - 1]}}`;
  }
  return [quoteArg(d.directive), ...d.args.map(quoteArg)].join(" ");
}

// src/nginx/select.ts
function isHostName(n) {
  return /^[a-z0-9_.-]+$/i.test(n) && !n.startsWith(".") && n !== "_";
}
function nginxRegExp(pattern, caseless = false) {
  try {
    return new RegExp(pattern.replace(/\(\?P</g, "(?<"), caseless ? "i" : "");
  } catch {
    return void 0;
  }
}
function rankName(entry, host) {
  const e = entry.toLowerCase();
  const h = host.toLowerCase().replace(/\.$/, "");
  if (e === h) return [4, e.length];
  if (e.startsWith("~")) {
    const re = nginxRegExp(entry.slice(1), true);
    return re?.test(h) ? [1, 0] : void 0;
  }
  if (e.startsWith("*.")) return h.endsWith(e.slice(1)) ? [3, e.length] : void 0;
  if (e.startsWith(".")) return h === e.slice(1) || h.endsWith(e) ? [3, e.length] : void 0;
  if (e.endsWith(".*")) return h.startsWith(e.slice(0, -1)) ? [2, e.length] : void 0;
  return void 0;
}
function better(a, b) {
  return a[0] > b[0] || a[0] === b[0] && a[0] !== 1 && a[1] > b[1];
}
function selectServers(servers, names2) {
  const http = servers.filter((s) => s.module === "http");
  const byListen = /* @__PURE__ */ new Map();
  for (const s of http) {
    for (const l of s.listens) {
      const list = byListen.get(l.key) ?? [];
      if (!list.includes(s)) list.push(s);
      byListen.set(l.key, list);
    }
  }
  const chosen = /* @__PURE__ */ new Set();
  for (const name of names2) {
    for (const group of byListen.values()) {
      const pick = pickByName(group, name);
      if (pick) chosen.add(pick);
    }
  }
  if (chosen.size > 0) return { servers: http.filter((s) => chosen.has(s)), fallback: false };
  for (const [key, group] of byListen) {
    const def = group.find((s) => s.listens.some((l) => l.key === key && l.defaultServer)) ?? group[0];
    if (def) chosen.add(def);
  }
  return { servers: http.filter((s) => chosen.has(s)), fallback: true };
}
function pickByName(group, name) {
  if (!isHostName(name)) return group.find((s) => s.names.some((n) => n.toLowerCase() === name.toLowerCase()));
  let best;
  for (const s of group) {
    for (const n of s.names) {
      const rank = rankName(n, name);
      if (rank && (!best || better(rank, best.rank))) best = { server: s, rank };
    }
  }
  return best?.server;
}
function selectLocation(locations, path) {
  const literal = findLiteral(locations, path.trim());
  if (literal) return literal;
  if (!path.startsWith("/")) return void 0;
  return matchUri(locations, path);
}
function findLiteral(locations, spec) {
  for (const l of locations) {
    const written = l.modifier === "" || l.modifier === "@" ? l.pattern : `${l.modifier} ${l.pattern}`;
    if (written === spec || l.modifier !== "" && `${l.modifier}${l.pattern}` === spec) return l;
    const inner = findLiteral(l.children, spec);
    if (inner) return inner;
  }
  return void 0;
}
function matchUri(locations, uri) {
  const exact = locations.find((l) => l.modifier === "=" && l.pattern === uri);
  if (exact) return exact;
  let prefix;
  for (const l of locations) {
    if ((l.modifier === "" || l.modifier === "^~") && uri.startsWith(l.pattern) && (!prefix || l.pattern.length > prefix.pattern.length)) prefix = l;
  }
  if (prefix) {
    const nested = matchUri(prefix.children, uri);
    if (nested && nested !== prefix) return nested;
    if (prefix.modifier === "^~") return prefix;
  }
  for (const l of locations) {
    if (l.modifier !== "~" && l.modifier !== "~*") continue;
    if (nginxRegExp(l.pattern, l.modifier === "~*")?.test(uri)) return l;
  }
  return prefix;
}

// src/nginx/evaluate.ts
function hostAddresses(host, addresses) {
  return isIP2(host) ? [canonicalIp(host)] : addresses.get(host.toLowerCase()) ?? [];
}
function overlap(a, b, addresses) {
  if (a.toLowerCase() === b.toLowerCase()) return true;
  const bs = new Set(hostAddresses(b, addresses));
  return hostAddresses(a, addresses).some((x) => bs.has(x));
}
function relateResolved(dial, backend, addresses) {
  return relate(dial, backend, (a, b) => overlap(a, b, addresses));
}
function protocolOk(service, c) {
  if (c.pass.module === "stream") return true;
  return c.pass.directive === PROTOCOLS[service.protocol].directive && speaks(service.protocol, c.scheme);
}
function uriOf(c) {
  if (c.pass.directive !== "proxy_pass" || c.pass.module !== "http") return "";
  const rest = c.pass.arg.replace(/^[a-z]+:\/\//i, "");
  if (rest.toLowerCase().startsWith("unix:")) {
    const colon = rest.indexOf(":", 5);
    return colon >= 0 ? rest.slice(colon + 1) : "";
  }
  return rest.slice(c.target.authority.length);
}
function evaluate(input) {
  const { service, model, expansions, addresses, display, lineText } = input;
  const findings = [];
  const where = (s) => `(${display(s.file)}:${s.line})`;
  const backend = service.backend;
  const backendText = formatEndpoint(backend);
  const names2 = service.serverNames;
  let servers;
  let fallback = false;
  if (names2.length > 0) {
    const sel = selectServers(model.servers, names2);
    servers = sel.servers;
    fallback = sel.fallback;
  } else {
    servers = model.servers.filter((s) => service.location === void 0 || s.module === "http");
  }
  const strict = service.location !== void 0;
  let inScope = [];
  const locationMisses = [];
  for (const server of servers) {
    const cands = expansions.get(server)?.candidates ?? [];
    if (service.location === void 0) {
      inScope.push(...cands);
      continue;
    }
    const loc = selectLocation(server.locations, service.location);
    if (!loc) {
      locationMisses.push(server);
      continue;
    }
    const passes = new Set(loc.passes);
    inScope.push(...cands.filter((c) => passes.has(c.pass)));
  }
  const rel = new Map(inScope.filter((c) => !c.dynamic && c.endpoint).map((c) => [c, relateResolved(c.endpoint, backend, addresses)]));
  const others = input.services.filter((s) => s.name !== service.name);
  inScope = inScope.filter(
    (c) => c.dynamic || !c.endpoint || rel.get(c) === "match" || !others.some((o) => relateResolved(c.endpoint, o.backend, addresses) === "match")
  );
  const dynamic = inScope.filter((c) => c.dynamic || !c.endpoint);
  const statics = inScope.filter((c) => !c.dynamic && c.endpoint);
  const matches = statics.filter((c) => rel.get(c) === "match");
  const groupsWith = (relations) => new Set(statics.filter((c) => c.group && relations.includes(rel.get(c))).map((c) => c.group));
  const strongGroups = groupsWith(["match", "host"]);
  const weakGroups = groupsWith(["match", "host", "port"]);
  let flagged;
  if (strict) {
    flagged = statics.filter((c) => rel.get(c) !== "match");
  } else if (matches.length > 0) {
    flagged = statics.filter((c) => rel.get(c) !== "match" && (c.group && strongGroups.has(c.group) || rel.get(c) === "host"));
  } else {
    const related = statics.filter((c) => {
      const r = rel.get(c);
      if (r === "host" || r === "port" || c.group && weakGroups.has(c.group)) return true;
      return r === "socket" && protocolOk(service, c);
    });
    flagged = related.length > 0 ? related : names2.length > 0 ? statics : [];
  }
  for (const c of flagged) {
    const e = c.endpoint;
    const r = rel.get(c);
    const code = mismatchCode(r);
    const fam = r === "host" ? familyNote(e, backend, addresses) : { dial: "", spec: "" };
    const why = fallback ? ` (no server{} block has server_name ${names2.join(" ")}: the default server answers)` : "";
    findings.push(
      finding(
        c,
        code,
        "error",
        `nginx dials ${formatEndpoint(e)}${fam.dial}${via(c)} but the spec says ${backendText}${fam.spec}${why}`,
        replaceAddress(c, formatEndpoint(backend))
      )
    );
  }
  const wrongProtocol = /* @__PURE__ */ new Set();
  for (const c of [...matches, ...flagged]) {
    if (!protocolOk(service, c) && !wrongProtocol.has(c.pass)) {
      wrongProtocol.add(c.pass);
      const authority = c.group ? c.group.name : formatEndpoint(c.endpoint);
      const line = passLine(service.protocol, authority, uriOf(c));
      findings.push({
        ...base(c, "config.protocol_mismatch", "error"),
        message: `nginx talks ${c.scheme} to ${c.group ? `upstream ${c.group.name}` : formatEndpoint(c.endpoint)} (${c.pass.directive}) but the spec says ${service.protocol}`,
        fix: `${line}  ${where(c.pass)}`,
        file: c.pass.file,
        line: c.pass.line,
        evidence: evidence(c)
      });
    }
  }
  for (const c of matches.concat(flagged)) {
    const e = c.endpoint;
    if (e.kind !== "tcp" || isIP2(e.host)) continue;
    const addrs = hostAddresses(e.host, addresses);
    const families = new Set(addrs.map((a) => isIP2(a)));
    if (families.size < 2) continue;
    const specIp = backend.kind === "tcp" && isIP2(backend.host) ? backend.host : void 0;
    const pick = specIp ?? addrs.find((a) => isIP2(a) === 4) ?? addrs[0];
    const replacement = formatEndpoint({ kind: "tcp", host: pick, port: e.port });
    findings.push(
      finding(
        c,
        "config.localhost_ambiguous",
        "warning",
        `nginx dials ${formatEndpoint(e)}${via(c)}, and ${e.host} resolves to ${addrs.join(" and ")}: nginx tries each address (the spec says ${backendText})`,
        replaceAddress(c, replacement)
      )
    );
  }
  for (const c of dynamic) {
    findings.push({
      ...base(c, "config.dynamic_target", "warning"),
      target: c.target.authority,
      message: `nginx dials ${c.target.authority}, which holds variables resolved per request: it cannot be checked against ${backendText}`,
      fix: `${passLine(service.protocol, formatEndpoint(backend))}  ${where(c.pass)}`,
      file: c.pass.file,
      line: c.pass.line,
      evidence: [lineText(c.pass)]
    });
  }
  const mine = [...matches, ...flagged, ...dynamic];
  if (mine.length === 0) findings.push(noTarget(input, servers, fallback, locationMisses, statics, where));
  return { findings: dedupe(findings), dials: dedupeDials(mine.map((c) => toDial(service.name, c, lineText))) };
  function base(c, code, severity) {
    return {
      code,
      severity,
      service: service.name,
      target: c.endpoint ? formatEndpoint(c.endpoint) : c.target.authority,
      message: ""
    };
  }
  function finding(c, code, severity, message, fixLine) {
    return { ...base(c, code, severity), message, fix: `${fixLine}  ${where(c.site)}`, file: c.site.file, line: c.site.line, evidence: evidence(c) };
  }
  function evidence(c) {
    const out = [lineText(c.site)];
    if (c.group) out.push(`upstream ${c.group.name} ${where(c.group)} used by: ${lineText(c.pass)} ${where(c.pass)}`);
    if (c.endpoint?.kind === "tcp" && !isIP2(c.endpoint.host)) {
      const a = hostAddresses(c.endpoint.host, addresses);
      out.push(a.length > 0 ? `${c.endpoint.host} resolves to ${a.join(", ")}` : `${c.endpoint.host} does not resolve`);
    }
    return out;
  }
  function replaceAddress(c, authority) {
    if (c.member) {
      const args = c.member.args.map((a, i) => i === 0 ? authority : a);
      return rewrite(lineText(c.site), "server", c.member.address, authority, args);
    }
    const uri = uriOf(c);
    let arg;
    if (c.pass.directive === "proxy_pass" && c.pass.module === "http") {
      arg = proxyUrl(c.scheme, authority, uri);
    } else {
      const prefix = /^[a-z]+:\/\//i.exec(c.pass.arg)?.[0] ?? "";
      arg = `${prefix}${authority}`;
    }
    return rewrite(lineText(c.pass), c.pass.directive, c.pass.arg, arg, [arg]);
  }
}
function rewrite(text, directive, old, next, args) {
  const code = text.replace(/\s+#[^"']*$/, "");
  const alone = code.startsWith(`${directive} `) && code.endsWith(";") && code.indexOf(";") === code.length - 1;
  if (alone && text.includes(old)) return text.replace(old, next);
  return `${buildDirective({ directive, line: 0, args: [...args] })};`;
}
function familyNote(dial, backend, addresses) {
  if (dial.kind !== "tcp" || backend.kind !== "tcp") return { dial: "", spec: "" };
  const fams = (h) => new Set(hostAddresses(h, addresses).map((a) => isIP2(a)));
  const d = fams(dial.host);
  const b = fams(backend.host);
  if (d.size !== 1 || b.size !== 1 || [...d][0] === [...b][0]) return { dial: "", spec: "" };
  return { dial: ` (IPv${[...d][0]})`, spec: ` (IPv${[...b][0]})` };
}
function via(c) {
  return c.group ? ` (upstream ${c.group.name})` : "";
}
function noTarget(input, servers, fallback, locationMisses, statics, where) {
  const { service } = input;
  const names2 = service.serverNames.join(" ");
  const want = passLine(service.protocol, formatEndpoint(service.backend));
  let message;
  let at2 = servers[0];
  if (names2 && servers.length === 0) {
    message = `no server{} block in the nginx config could serve ${names2}`;
  } else if (names2 && fallback) {
    message = `no server{} block has server_name ${names2}; the default server ${servers.map(where).join(", ")} dials nothing for ${formatEndpoint(service.backend)}`;
  } else if (service.location !== void 0 && locationMisses.length === servers.length) {
    message = `no location matches ${service.location} in ${names2 ? `server_name ${names2}` : "any server{} block"} ${servers.map(where).join(", ")}`;
  } else if (names2) {
    message = `server_name ${names2} ${servers.map(where).join(", ")} has no ${PROTOCOLS[service.protocol].directive} for ${formatEndpoint(service.backend)}`;
  } else if (statics.length === 0) {
    message = `the nginx config has no ${PROTOCOL_DIRECTIVES.slice(0, -1).join(", ")} or ${PROTOCOL_DIRECTIVES.at(-1)} for ${formatEndpoint(service.backend)}`;
    at2 = void 0;
  } else {
    const list = statics.slice(0, 5).map((c) => `${formatEndpoint(c.endpoint)} ${where(c.site)}`);
    message = `nothing in the nginx config dials ${formatEndpoint(service.backend)}; it dials ${list.join(", ")}${statics.length > 5 ? ", ..." : ""}`;
    at2 = void 0;
  }
  const scope = [names2 && `server_name ${names2}`, service.location !== void 0 && `location ${service.location}`].filter(Boolean).join(", ");
  return {
    code: "config.no_target",
    severity: "error",
    service: service.name,
    target: formatEndpoint(service.backend),
    message,
    fix: `${want}  (${scope ? `in ${scope}` : "in the location that serves the service"}${at2 ? `, ${input.display(at2.file)}:${at2.line}` : ""})`,
    ...at2 && { file: at2.file, line: at2.line }
  };
}
function toDial(service, c, lineText) {
  return {
    service,
    directive: c.pass.directive,
    scheme: c.scheme,
    ...c.endpoint && !c.dynamic && { endpoint: c.endpoint },
    ...c.group && { upstream: c.group.name },
    ...c.dynamic && { dynamic: true },
    file: c.site.file,
    line: c.site.line,
    text: lineText(c.site),
    ...c.server.names[0] !== void 0 && { serverName: c.server.names[0] }
  };
}
function dedupe(findings) {
  const seen = /* @__PURE__ */ new Set();
  return findings.filter((f) => {
    const k = `${f.code}|${f.file}|${f.line}|${f.target}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
function dedupeDials(dials) {
  const seen = /* @__PURE__ */ new Set();
  return dials.filter((d) => {
    const k = `${d.file}|${d.line}|${d.directive}|${d.scheme}|${d.endpoint ? formatEndpoint(d.endpoint) : ""}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

// src/nginx/resolve.ts
import { lookup } from "node:dns/promises";
import { isIP as isIP3 } from "node:net";
var RESOLVE_TIMEOUT_MS = 3e3;
function dnsResolver(timeoutMs = RESOLVE_TIMEOUT_MS) {
  const cache = /* @__PURE__ */ new Map();
  return (host, signal) => {
    if (isIP3(host)) return Promise.resolve([canonicalIp(host)]);
    const key = host.toLowerCase();
    let p = cache.get(key);
    if (!p) {
      p = withTimeout(
        lookup(host, { all: true }).then((list) => [...new Set(list.map((a) => canonicalIp(a.address)))]),
        timeoutMs,
        signal
      ).catch(() => []);
      cache.set(key, p);
    }
    return p;
  };
}
function withTimeout(p, ms2, signal) {
  return new Promise((resolve3, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => reject(new Error("timed out")), ms2);
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(resolve3, reject).finally(() => {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
    });
  });
}

// src/nginx/check.ts
var MAX_RESOLVED_NAMES = 256;
var NGINX_TEST_TIMEOUT_MS = 15e3;
var runConfigPhase = (spec, ctx) => configPhase(spec, ctx);
async function configPhase(spec, ctx, options = {}) {
  const { signal } = ctx;
  const loaded = spec.nginx.dump ? await loadDump(spec.nginx.dump, { signal, ...options.readStdin && { readStdin: options.readStdin } }) : loadFiles(spec.nginx.config, { signal });
  const { parse, main } = loaded;
  const base = dirname(main);
  const display = (file) => {
    const r = relative(base, file);
    return r && !r.startsWith("..") && !isAbsolute(r) ? r : file;
  };
  const lines = /* @__PURE__ */ new Map();
  const lineText = (s) => {
    let l = lines.get(s.file);
    if (!l) {
      l = (parse.texts.get(s.file) ?? "").split("\n");
      lines.set(s.file, l);
    }
    return (l[s.line - 1] ?? "").trim();
  };
  const model = buildModel(parse);
  const expansions = expandAll(model);
  const ours = [];
  for (const c of parse.payload.config) {
    for (const e of c.errors) ours.push(invalid(stripWhere(e.error), c.file, e.line ?? void 0));
  }
  for (const e of model.errors) ours.push(invalid(e.error, e.file, e.line));
  for (const exp of expansions.values()) for (const e of exp.errors) ours.push(invalid(e.error, e.file, e.line));
  const resolver = options.resolver ?? dnsResolver();
  const [nginx, addresses] = await Promise.all([
    nginxCheck(spec, loaded, ctx),
    resolveAll(spec, expansions, resolver, signal)
  ]);
  const theirs = nginx.messages.filter((m) => isError(m) && !isPermission(m)).map((m) => invalid(m.message, m.file, m.line, m.raw));
  const notes2 = [...nginx.notes];
  for (const m of nginx.messages) {
    if (isError(m) && isPermission(m)) notes2.push(info(`nginx -t could not read what it needs as this user: ${m.message}`, m.file, m.line));
    else if (!isError(m)) notes2.push(info(`nginx -t: [${m.level}] ${m.message}`, m.file, m.line));
  }
  if (!nginx.ok && theirs.length === 0 && nginx.failure) theirs.push(invalid(nginx.failure));
  const taken = new Set(theirs.map((f) => `${f.file}:${f.line}`));
  const invalids = [...theirs, ...ours.filter((f) => f.line === void 0 || !taken.has(`${f.file}:${f.line}`))];
  const findings = [...invalids];
  const dials = [];
  for (const service of spec.services) {
    const r = evaluate({ service, services: spec.services, model, expansions, addresses, display, lineText });
    findings.push(...r.findings);
    dials.push(...r.dials);
  }
  findings.push(...notes2);
  return { findings: findings.map(masked), dials: dials.map((d) => ({ ...d, text: mask(d.text), shownFile: display(d.file) })) };
  function invalid(message, file, line, raw) {
    const evidence = [file && line ? lineText({ file, line }) : void 0, raw].filter((x) => Boolean(x));
    const f = {
      code: "config.invalid",
      severity: "error",
      message,
      ...file !== void 0 && file !== "-" && { file },
      ...line !== void 0 && { line },
      ...evidence.length > 0 && { evidence }
    };
    const fix = invalidFix(message, file && line ? lineText({ file, line }) : void 0);
    const at2 = file && line ? `  (${display(file)}:${line})` : "";
    return { ...f, fix: `${fix ?? `correct the line, then check with: nginx -t -c ${main}`}${at2}` };
  }
  function info(message, file, line) {
    return { severity: "info", message, ...file !== void 0 && { file }, ...line !== void 0 && { line } };
  }
}
function mask(s) {
  return maskCredentials(s).replace(/(^|["\s])[^"\s@/]+:[^"\s@/]*@/g, "$1***@");
}
function masked(f) {
  return {
    ...f,
    message: mask(f.message),
    ...f.target !== void 0 && { target: mask(f.target) },
    ...f.fix !== void 0 && { fix: mask(f.fix) },
    ...f.evidence !== void 0 && { evidence: f.evidence.map(mask) }
  };
}
function invalidFix(message, text) {
  const host = /^host not found in upstream "([^"]+)"/.exec(message)?.[1];
  if (host) return `make ${host.replace(/:\d+$/, "")} resolve where nginx runs (DNS or /etc/hosts), or write the address itself`;
  if (!text) return void 0;
  if (/is not terminated by ";"|expecting ";"/.test(message) && !text.endsWith(";")) return `${text.replace(/\s*[{}]\s*$/, "")};`;
  if (message.startsWith("include cycle")) return `# ${text}`;
  return void 0;
}
function stripWhere(error) {
  return error.replace(/ in (\/|-).*:\d+$/, "");
}
function isError(m) {
  return m.level === "emerg" || m.level === "alert" || m.level === "crit" || m.level === "error";
}
function isPermission(m) {
  return m.message.includes("(13: Permission denied)");
}
async function nginxCheck(spec, loaded, ctx) {
  if (loaded.dump) {
    const messages = parseNginxMessages(loaded.dump.messages.join("\n"));
    const failed = loaded.dump.messages.some((m) => /test failed/.test(m));
    const notes2 = loaded.dump.messages.length === 0 ? [{ severity: "info", message: "read an nginx -T dump: nginx -t was not run here, and the dump holds no nginx -t messages" }] : [];
    return { ok: !failed, messages, notes: notes2, ...failed && { failure: "nginx -t failed (from the dump)" } };
  }
  const timeoutMs = Math.max(1e3, Math.min(NGINX_TEST_TIMEOUT_MS, ctx.deadlineAt - Date.now()));
  const r = await runNginxTest(ctx.runner, spec.nginx.binary, spec.nginx.config, { signal: ctx.signal, timeoutMs });
  if (r.notFound) {
    return {
      ok: true,
      messages: [],
      notes: [{ severity: "info", message: `nginx binary "${spec.nginx.binary}" not found: nginx -t skipped, the config was checked by upstream-gate's parser only` }]
    };
  }
  if (r.timedOut) return { ok: true, messages: [], notes: [{ severity: "info", message: `${r.command} timed out after ${timeoutMs} ms` }] };
  const last = r.output.trim().split("\n").pop() ?? "";
  return { ok: r.ok, messages: r.messages, notes: [], ...!r.ok && { failure: `${r.command} failed: ${last}` } };
}
async function resolveAll(spec, expansions, resolver, signal) {
  const names2 = /* @__PURE__ */ new Set();
  for (const s of spec.services) if (s.backend.kind === "tcp") names2.add(s.backend.host.toLowerCase());
  for (const exp of expansions.values()) {
    for (const c of exp.candidates) if (c.endpoint?.kind === "tcp") names2.add(c.endpoint.host.toLowerCase());
  }
  const list = [...names2].slice(0, MAX_RESOLVED_NAMES);
  const out = /* @__PURE__ */ new Map();
  await Promise.all(list.map(async (n) => out.set(n, await resolver(n, signal))));
  return out;
}

// src/gate/probe-phase.ts
import { isIP as isIP5 } from "node:net";

// src/model/probe-result.ts
var HTTP_STATUS = "HTTP_STATUS";
var ABORTED = "ABORT_ERR";
var INCOMPLETE = "INCOMPLETE_RESPONSE";
var BAD_PROTOCOL = "BAD_PROTOCOL";

// src/host/why-failed.ts
function whyFailed(r, label = r.command) {
  if (r.notFound) return `${r.command.split(" ")[0]} not installed`;
  if (r.timedOut) return `${label} timed out`;
  if (r.exitCode === void 0 || r.exitCode === 0) return `${label} was cancelled`;
  return `${label} failed: ${r.stderr.trim().split("\n")[0] || `exit ${r.exitCode}`}`;
}

// src/host/selinux.ts
var SELINUX_BOOLEAN = "httpd_can_network_connect";
function parseGetsebool(text) {
  const out = {};
  for (const m of text.matchAll(/^(\S+)\s+-->\s+(\S+)\s*$/gm)) if (m[1] && m[2]) out[m[1]] = m[2];
  return out;
}
function parseAvc(text, port) {
  return text.split("\n").filter((l) => /avc:\s+denied/.test(l) && /name_connect|connectto/.test(l)).filter((l) => port === void 0 || !/\bdest=\d+/.test(l) || new RegExp(`\\bdest=${port}\\b`).test(l)).slice(-5).map((l) => l.trim());
}
async function readSelinux(runner, port, options = {}) {
  const run = { timeoutMs: 3e3, ...options.signal && { signal: options.signal } };
  const notes2 = [];
  const mode = await runner.run("getenforce", [], run);
  if (mode.failed) {
    notes2.push(mode.notFound ? "getenforce not installed: SELinux state unknown" : whyFailed(mode));
    return { booleans: {}, denials: [], notes: notes2 };
  }
  const [bool, avc] = await Promise.all([
    runner.run("getsebool", [SELINUX_BOOLEAN], run),
    runner.run("ausearch", ["-m", "AVC", "-ts", "recent"], run)
  ]);
  if (bool.failed) notes2.push(whyFailed(bool));
  if (avc.notFound) notes2.push("ausearch not installed: AVC denials not read");
  return { mode: mode.stdout.trim(), booleans: parseGetsebool(bool.stdout), denials: parseAvc(avc.stdout, port), notes: notes2 };
}

// src/host/socket-file.ts
import { lstat, readdir, readFile } from "node:fs/promises";
import { basename, dirname as dirname2, join } from "node:path";
var MAX_SIBLINGS = 12;
function typeOf(st) {
  if (st.isSocket()) return "socket";
  if (st.isFile()) return "file";
  if (st.isDirectory()) return "directory";
  if (st.isSymbolicLink()) return "symlink";
  return "other";
}
async function names() {
  const table = async (file) => {
    const m = /* @__PURE__ */ new Map();
    const text = await readFile(file, "utf8").catch(() => "");
    for (const line of text.split("\n")) {
      const f = line.split(":");
      if (f.length >= 3 && f[0]) m.set(Number(f[2]), f[0]);
    }
    return m;
  };
  const [users, groups] = await Promise.all([table("/etc/passwd"), table("/etc/group")]);
  return { users, groups };
}
function currentUser(userNames) {
  const uid = process.getuid?.() ?? -1;
  const gid = process.getgid?.() ?? -1;
  return { uid, gid, groups: process.getgroups?.() ?? [], name: userNames.get(uid) ?? String(uid) };
}
function access(f, user) {
  const mode = parseInt(f.mode, 8);
  if (user.uid === 0) return { r: true, w: true, x: (mode & 73) !== 0 };
  const shift = f.uid === user.uid ? 6 : f.gid === user.gid || user.groups.includes(f.gid) ? 3 : 0;
  const bits = mode >> shift & 7;
  return { r: (bits & 4) !== 0, w: (bits & 2) !== 0, x: (bits & 1) !== 0 };
}
async function readSocketFile(path) {
  const { users, groups } = await names();
  const user = currentUser(users);
  const notes2 = [];
  const facts = async (p) => {
    const st = await lstat(p).catch(() => void 0);
    if (!st) return void 0;
    return {
      path: p,
      type: typeOf(st),
      mode: (st.mode & 4095).toString(8).padStart(4, "0"),
      uid: st.uid,
      gid: st.gid,
      owner: users.get(st.uid) ?? String(st.uid),
      group: groups.get(st.gid) ?? String(st.gid)
    };
  };
  const file = await facts(path);
  const evidence = { path, siblings: [], user, notes: notes2, ...file && { file } };
  const parents = [];
  for (let d = dirname2(path); ; d = dirname2(d)) {
    parents.unshift(d);
    if (d === "/") break;
  }
  for (const d of parents) {
    const f = await facts(d);
    if (!f) {
      evidence.existingParent = dirname2(d);
      break;
    }
    if (f.type === "directory" && !access(f, user).x) {
      evidence.blockedBy = f;
      break;
    }
  }
  const dir = dirname2(path);
  const entries = await readdir(dir).catch((e) => {
    if (e.code !== "ENOENT") notes2.push(`cannot list ${dir}: ${e.code ?? e.message}`);
    return [];
  });
  for (const name of entries.sort()) {
    if (evidence.siblings.length >= MAX_SIBLINGS) break;
    if (name === basename(path)) continue;
    const st = await lstat(join(dir, name)).catch(() => void 0);
    if (st?.isSocket()) evidence.siblings.push(join(dir, name));
  }
  return evidence;
}
function describeFile(f) {
  const kind = f.type === "socket" ? "s" : f.type === "directory" ? "d" : f.type === "symlink" ? "l" : "-";
  const bits = parseInt(f.mode, 8);
  const rwx = [6, 3, 0].map((s) => (bits >> s & 4 ? "r" : "-") + (bits >> s & 2 ? "w" : "-") + (bits >> s & 1 ? "x" : "-")).join("");
  return `${kind}${rwx} (${f.mode}) ${f.owner}:${f.group}`;
}

// src/host/systemd.ts
var PROPERTIES = ["ActiveState", "SubState", "MainPID", "Result", "ExecMainStatus", "NRestarts", "LoadState"];
var JOURNAL_LINES = 8;
function parseShow(text) {
  const out = {};
  for (const line of text.split("\n")) {
    const eq = line.indexOf("=");
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1).trim();
  }
  return out;
}
async function readSystemd(runner, unit, options = {}) {
  const run = { timeoutMs: 3e3, ...options.signal && { signal: options.signal } };
  const notes2 = [];
  const [show, journal] = await Promise.all([
    runner.run("systemctl", ["show", unit, `--property=${PROPERTIES.join(",")}`, "--no-pager"], run),
    runner.run("journalctl", ["-u", unit, "-n", String(JOURNAL_LINES), "--no-pager", "-o", "short-iso"], run)
  ]);
  if (show.failed) notes2.push(whyFailed(show, `systemctl show ${unit}`));
  if (journal.failed) notes2.push(whyFailed(journal, `journalctl -u ${unit}`));
  const lines = journal.failed ? [] : journal.stdout.split("\n").filter((l) => l.trim() && !/^-- (No entries|Journal begins|Logs begin)/.test(l));
  return { unit, state: show.failed ? {} : parseShow(show.stdout), journal: lines.slice(-JOURNAL_LINES), notes: notes2 };
}
function describeUnit(s) {
  const st = s.state;
  if (!st.ActiveState) return void 0;
  if (st.LoadState === "not-found") return `${s.unit} not found`;
  const extra = [st.Result && st.Result !== "success" && `Result=${st.Result}`, st.ExecMainStatus && st.ExecMainStatus !== "0" && `status ${st.ExecMainStatus}`, st.NRestarts && st.NRestarts !== "0" && `${st.NRestarts} restarts`].filter(Boolean);
  return `${s.unit}: ${st.ActiveState}${st.SubState ? ` (${st.SubState})` : ""}${extra.length ? `, ${extra.join(", ")}` : ""}${st.MainPID && st.MainPID !== "0" ? `, pid ${st.MainPID}` : ""}`;
}

// src/diagnose/evidence-lines.ts
function ms(n) {
  if (n === void 0) return "";
  return n < 10 ? `${n.toFixed(1)}ms` : `${Math.round(n)}ms`;
}
function probeLine(p) {
  const verb = p.kind === "tcp" || p.kind === "unix" || p.stage === "connect" ? "connect" : p.kind === "fastcgi" ? "fastcgi" : "GET";
  const what = verb === "connect" ? p.target.replace(/^\w+:\/\/([^/]*).*$/, "$1") : p.target;
  const outcome2 = p.ok ? p.status !== void 0 ? String(p.status) : "connected" : p.code === HTTP_STATUS ? p.message : `${p.code ?? "failed"}${p.errno !== void 0 ? ` (${p.errno})` : ""}${p.code && p.message.includes(p.code) ? "" : `: ${p.message}`}`;
  return `${verb} ${what} -> ${outcome2} after ${ms(p.timings.totalMs)}`;
}
function listenerAddress(l) {
  if (l.kind === "unix") return `unix:${l.path ?? ""}`;
  if (l.dualStack) return `*:${l.port} (IPv4 and IPv6)`;
  return formatEndpoint({ kind: "tcp", host: l.address ?? "?", port: l.port ?? 0 });
}
function listenerLine(l) {
  const who = l.processes.map((p) => `${p.name}, pid ${p.pid}`).join("; ");
  return `listener ${listenerAddress(l)}${who ? ` (${who})` : ""}`;
}
function firstLine(s) {
  return (s.split("\n")[0] ?? "").trim();
}

// src/diagnose/classify.ts
function dialAt(d) {
  return `${d.shownFile ?? d.file}:${d.line}`;
}
var DNS_CODES = /* @__PURE__ */ new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_NONAME", "EAI_FAIL", "ENODATA", "ESERVFAIL", "EAI_NODATA"]);
var UNREACHABLE = /* @__PURE__ */ new Set(["EHOSTUNREACH", "ENETUNREACH", "EHOSTDOWN", "ENETDOWN", "EADDRNOTAVAIL"]);
var CONNECT_ERRORS = /* @__PURE__ */ new Set(["ECONNREFUSED", "ENOENT", "EACCES", "ENOTSOCK", ...UNREACHABLE]);
function classify(input) {
  const { probe } = input;
  if (probe.ok) return void 0;
  const draft = decide(input);
  const errno = draft.errno ?? probe.errno;
  const name = errno === void 0 ? void 0 : draft.errno_name ?? errnoName(errno);
  const dial = input.dial;
  return {
    code: draft.code,
    severity: "error",
    service: input.service.name,
    target: targetOf(input),
    ...errno !== void 0 && { errno },
    ...name !== void 0 && { errno_name: name },
    message: draft.message,
    evidence: [...draft.evidence ?? [], ...notes(input.evidence)],
    ...draft.fix !== void 0 && { fix: draft.fix },
    ...dial && { file: dial.file, line: dial.line }
  };
}
function targetOf(i) {
  if (i.check === "front") return i.probe.target;
  if (i.endpoint.kind === "unix") return formatEndpoint(i.endpoint);
  return formatEndpoint({ kind: "tcp", host: i.address ?? i.endpoint.host, port: i.endpoint.port });
}
function decide(i) {
  const p = i.probe;
  const code = p.code === ABORTED ? "ETIMEDOUT" : p.code;
  if (i.check === "front" && p.code === HTTP_STATUS && (p.status === 502 || p.status === 504)) return badGateway(i);
  if (p.stage === "resolve" || code !== void 0 && DNS_CODES.has(code)) return dns(i);
  if (p.stage === "connect" || code !== void 0 && CONNECT_ERRORS.has(code)) {
    if (i.endpoint.kind === "unix") return unixConnect(i, code);
    if (code === "ECONNREFUSED") return refused(i);
    if (code === "ETIMEDOUT") return connectTimeout(i);
    if (code !== void 0 && UNREACHABLE.has(code)) return unreachable(i);
    if (code === "EACCES") return selinux(i);
    if (code === "EPERM") return (i.evidence.firewall?.rules.length ?? 0) > 0 ? rejected(i, []) : selinux(i);
    return down(i, `connect failed: ${p.code ?? p.message}`);
  }
  if (p.code === HTTP_STATUS) return healthStatus(i);
  if (code === "ETIMEDOUT") return healthTimeout(i);
  if (p.code === BAD_PROTOCOL || /^(HPE_|ERR_SSL_|ERR_TLS_|EPROTO$)/.test(p.code ?? "") || p.stage === "tls") return protocol(i);
  if (p.code === "ECONNRESET" || p.code === "EPIPE" || p.code === INCOMPLETE) return reset(i);
  return protocol(i);
}
function family(i) {
  return ipFamily(dialedAddress(i)) === 6 ? 6 : 4;
}
function dialedAddress(i) {
  return i.address ?? (i.endpoint.kind === "tcp" ? i.endpoint.host : "");
}
var WILDCARD = /* @__PURE__ */ new Set(["0.0.0.0", "::"]);
function accepts(l, address, fam) {
  if (l.kind !== "tcp") return false;
  if (l.dualStack) return true;
  if (l.family !== fam) return false;
  return WILDCARD.has(l.address ?? "") || l.address === address;
}
function tcpOnPort(e, port) {
  return (e.listeners?.listeners ?? []).filter((l) => l.kind === "tcp" && l.port === port);
}
function processMatches(i) {
  const wanted = i.service.process?.toLowerCase();
  const mainPid = Number(i.evidence.systemd?.state.MainPID ?? 0);
  const inCommand = wanted === void 0 ? void 0 : new RegExp(`(^|[\\s/])${escapeRe(wanted)}([\\s:.-]|$)`, "i");
  return (l) => l.processes.some(
    (p) => mainPid > 0 && p.pid === mainPid || wanted !== void 0 && (p.name.toLowerCase() === wanted || p.name.length >= 15 && wanted.startsWith(p.name.toLowerCase()) || p.command !== void 0 && inCommand.test(p.command))
  );
}
function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
function refused(i) {
  if (i.endpoint.kind !== "tcp") return down(i);
  const port = i.endpoint.port;
  const snap = i.evidence.listeners;
  if (!snap) return down(i);
  const addr = dialedAddress(i);
  const fam = family(i);
  const onPort = tcpOnPort(i.evidence, port);
  const present = onPort.filter((l) => accepts(l, addr, fam));
  if (present.length) return rejected(i, present);
  const sameFamily = onPort.filter((l) => l.family === fam && !l.dualStack);
  if (sameFamily.length) return wrongAddress(i, sameFamily);
  const otherFamily = onPort.filter((l) => l.family !== fam);
  if (otherFamily.length) return familyMismatch(i, otherFamily);
  if (i.check !== "front" && (i.service.process !== void 0 || Number(i.evidence.systemd?.state.MainPID ?? 0) > 0)) {
    const ours = processMatches(i);
    const mine = (snap.listeners ?? []).filter((l) => l.kind === "tcp" && l.port !== port && ours(l));
    if (mine.length && conclusive(mine)) return wrongPort(i, mine);
    if (mine.length) return down(i, void 0, mine.slice(0, MAX_CANDIDATES).map((l) => `not conclusive: ${listenerLine(l)}`));
  }
  return down(i);
}
var MAX_WRONG_PORTS = 3;
var MAX_CANDIDATES = 5;
function conclusive(mine) {
  const ports = new Set(mine.map((l) => l.port));
  const [first, ...rest] = mine.map((l) => new Set(l.processes.map((p) => p.pid)));
  const shared = [...first ?? []].some((pid) => rest.every((s) => s.has(pid)));
  return ports.size <= MAX_WRONG_PORTS && shared;
}
function connectEvidence(i, listeners = []) {
  return [probeLine(i.probe), ...nameLine(i), ...listeners.map(listenerLine)];
}
function nameLine(i) {
  if (i.endpoint.kind !== "tcp" || i.address === void 0 || i.address === i.endpoint.host) return [];
  return [`${i.endpoint.host} resolves to ${i.address} (nginx dials every address of the name)`];
}
function dialFix(i, host) {
  const d = i.dial;
  if (!d || i.endpoint.kind !== "tcp") return void 0;
  const hostPort = formatEndpoint({ kind: "tcp", host, port: i.endpoint.port });
  if (d.upstream) return `server ${hostPort};  (upstream ${d.upstream}, ${dialAt(d)})`;
  const withScheme = d.directive === "proxy_pass" || d.directive === "grpc_pass" ? `${d.scheme}://${hostPort}` : hostPort;
  return `${d.directive} ${withScheme};  (${dialAt(d)})`;
}
function down(i, why, more = []) {
  const t = targetOf(i);
  if (i.check === "front") {
    return {
      code: "backend.down",
      message: why ?? `nothing listens on nginx's front ${t}`,
      evidence: connectEvidence(i),
      fix: "start nginx, or set nginx.front to an address nginx listens on"
    };
  }
  const unit = unitLines(i);
  const known = i.evidence.listeners !== void 0;
  const port = i.endpoint.kind === "tcp" ? i.endpoint.port : void 0;
  return {
    code: "backend.down",
    message: why ?? `nothing listens on ${t}${known && port !== void 0 ? ` (no listener on port ${port} in any family)` : ""}`,
    evidence: [...connectEvidence(i), ...known ? [`no listener on port ${port ?? "?"}`] : [], ...more, ...unit],
    fix: i.service.unit ? `start ${i.service.unit} (systemctl status ${i.service.unit}; journalctl -u ${i.service.unit}) and make it listen on ${t}` : `start the backend and make it listen on ${t}`
  };
}
function wrongPort(i, mine) {
  const t = targetOf(i);
  const ports = [...new Set(mine.map((l) => l.port))].join(", ");
  const who = mine[0]?.processes[0]?.name ?? i.service.process ?? "the service";
  return {
    code: "backend.wrong_port",
    message: `nothing listens on ${t}; ${who} listens on port ${ports} instead`,
    evidence: [...connectEvidence(i, mine), ...unitLines(i)],
    fix: `make ${who} listen on port ${i.endpoint.kind === "tcp" ? i.endpoint.port : "?"} (the bind setting rendered from the spec by \`upstream-gate render\`), or change \`backend\` in the spec and nginx together to port ${ports}`
  };
}
function wrongAddress(i, others) {
  const t = targetOf(i);
  const where = others.map(listenerAddress).join(", ");
  const first = others[0]?.address ?? "";
  return {
    code: "backend.wrong_address",
    message: `nginx dials ${t} but port ${i.endpoint.kind === "tcp" ? i.endpoint.port : ""} listens only on ${where}`,
    evidence: connectEvidence(i, others),
    fix: dialFix(i, first) ?? `bind the backend to ${dialedAddress(i)} (or ${family(i) === 6 ? "::" : "0.0.0.0"}), or dial ${formatEndpoint({ kind: "tcp", host: first, port: i.endpoint.kind === "tcp" ? i.endpoint.port : 0 })}`
  };
}
function familyMismatch(i, others) {
  const t = targetOf(i);
  const where = others.map(listenerAddress).join(", ");
  const fam = family(i);
  const first = others[0];
  const listenHost = first?.address && !WILDCARD.has(first.address) ? first.address : fam === 6 ? "127.0.0.1" : "::1";
  const port = i.endpoint.kind === "tcp" ? i.endpoint.port : 0;
  const name = i.endpoint.kind === "tcp" && i.address !== void 0 && i.address !== i.endpoint.host ? i.endpoint.host : void 0;
  const dialed = dialFix(i, listenHost);
  const alt = `make the backend listen on ${formatEndpoint({ kind: "tcp", host: dialedAddress(i), port })} too`;
  return {
    code: "backend.family_mismatch",
    message: `nginx dials ${t}${name ? ` (${name})` : ""} but the backend listens only on ${where}`,
    evidence: connectEvidence(i, others),
    fix: dialed ?? (name ? `dial ${formatEndpoint({ kind: "tcp", host: listenHost, port })} instead of ${name}:${port}, or ${alt}` : alt)
  };
}
function rejected(i, present) {
  const t = targetOf(i);
  const rules = i.evidence.firewall?.rules ?? [];
  const port = i.endpoint.kind === "tcp" ? i.endpoint.port : 0;
  return {
    code: "network.rejected",
    message: present.length ? `${t} refused the connection although ${listenerAddress(present[0])} listens: a firewall REJECT rule` : `${t}: the connect was blocked by a firewall rule`,
    evidence: [...connectEvidence(i, present), ...rules.length ? rules.map((r) => `rule ${r}`) : ["no matching firewall rule was readable"]],
    fix: rules[0] ? `allow tcp port ${port} to ${dialedAddress(i)}: remove or narrow \`${rules[0].replace(/^\w+: /, "")}\`` : `find the rule that rejects tcp port ${port} (iptables -S; nft list ruleset) and allow it`
  };
}
function connectTimeout(i) {
  const t = targetOf(i);
  const rules = i.evidence.firewall?.rules ?? [];
  const port = i.endpoint.kind === "tcp" ? i.endpoint.port : 0;
  const present = tcpOnPort(i.evidence, port).filter((l) => accepts(l, dialedAddress(i), family(i)));
  return {
    code: "network.timeout",
    errno: LINUX_ERRNO.ETIMEDOUT,
    message: `connect to ${t} timed out: ${rules.length ? "a firewall DROP rule" : "packets are dropped (firewall DROP or a dead route)"}`,
    evidence: [...connectEvidence(i, present), ...rules.map((r) => `rule ${r}`)],
    fix: rules[0] ? `allow tcp port ${port}: remove or narrow \`${rules[0].replace(/^\w+: /, "")}\`` : `check the firewall (iptables -S; nft list ruleset) and the route (ip route get ${dialedAddress(i)})`
  };
}
function unreachable(i) {
  const t = targetOf(i);
  const port = i.endpoint.kind === "tcp" ? i.endpoint.port : 0;
  const present = tcpOnPort(i.evidence, port).filter((l) => accepts(l, dialedAddress(i), family(i)));
  const rules = i.evidence.firewall?.rules ?? [];
  if (present.length && rules.some((r) => /REJECT|reject/.test(r))) return rejected(i, present);
  return {
    code: "network.unreachable",
    message: `${t} is unreachable: ${i.probe.code === "ENETUNREACH" ? "no route to its network" : "no route to the host"}`,
    evidence: [...connectEvidence(i, present), ...rules.map((r) => `rule ${r}`)],
    fix: `check the address and the route: ip route get ${dialedAddress(i)}`
  };
}
function selinux(i) {
  const t = targetOf(i);
  const se = i.evidence.selinux;
  const bool = se?.booleans[SELINUX_BOOLEAN];
  const port = i.endpoint.kind === "tcp" ? i.endpoint.port : 0;
  return {
    code: "selinux.denied",
    errno: i.probe.errno ?? LINUX_ERRNO.EACCES,
    message: `connect to ${t} denied (${i.probe.code === "EPERM" ? "EPERM" : "EACCES"})${se?.mode ? `: SELinux is ${se.mode}${bool ? `, ${SELINUX_BOOLEAN} is ${bool}` : ""}` : ": SELinux or another LSM policy"}`,
    evidence: [probeLine(i.probe), ...se?.mode ? [`getenforce: ${se.mode}`] : [], ...bool ? [`${SELINUX_BOOLEAN} --> ${bool}`] : [], ...se?.denials ?? []],
    fix: `setsebool -P ${SELINUX_BOOLEAN} 1  (or label the port: semanage port -a -t http_port_t -p tcp ${port})`
  };
}
function dns(i) {
  const host = i.endpoint.kind === "tcp" ? i.endpoint.host : i.probe.target;
  return {
    code: "dns.unresolved",
    message: `${host} does not resolve (${i.probe.code ?? i.probe.message})`,
    evidence: [`resolve ${host} -> ${i.probe.code ?? "failed"}: ${i.probe.message}`],
    fix: `dial an IP address, or make ${host} resolve on this host (/etc/hosts or DNS); nginx resolves it once at start-up`
  };
}
function unixConnect(i, code) {
  const path = i.endpoint.kind === "unix" ? i.endpoint.path : "";
  const sf = i.evidence.socketFile;
  if (code === "ENOENT") {
    const siblings = sf?.siblings ?? [];
    const base = (p) => p.slice(p.lastIndexOf("/") + 1);
    const dirMissing = sf?.existingParent !== void 0;
    const sibling = siblings[0];
    const d = i.dial;
    return {
      code: "socket.missing",
      errno: LINUX_ERRNO.ENOENT,
      message: dirMissing ? `${path} is absent: its directory does not exist` : sibling ? `${base(path)} is absent; ${siblings.map(base).join(", ")} exist${siblings.length === 1 ? "s" : ""}` : `${path} is absent and no socket exists next to it`,
      evidence: [probeLine(i.probe), ...dirMissing ? [`nearest existing directory: ${sf?.existingParent}`] : [], ...siblings.map((s) => `sibling socket ${s}`), ...unitLines(i)],
      fix: siblings.length === 1 && sibling ? d ? `${d.upstream ? "server" : d.directive} unix:${sibling};  (${dialAt(d)}), and \`backend: unix:${sibling}\` in the spec` : `point nginx and the spec at unix:${sibling}, or start the service that creates ${path}` : `start the service that creates ${path}${i.service.unit ? ` (${i.service.unit})` : ""}`
    };
  }
  if (code === "EACCES" || code === "EPERM") {
    const user = sf?.user;
    const f = sf?.blockedBy ?? sf?.file;
    const what = f ? `${f.path} is ${describeFile(f)}` : `${path}`;
    const can = f && user ? access(f, user) : void 0;
    const lacks = sf?.blockedBy ? "search (x) permission on the directory" : can && !can.w ? "write permission (connect needs w)" : "permission";
    return {
      code: "socket.permission",
      errno: i.probe.errno ?? LINUX_ERRNO.EACCES,
      message: `${what}; user ${user?.name ?? "?"} (uid ${user?.uid ?? "?"}) lacks ${lacks}`,
      evidence: [probeLine(i.probe), ...f ? [`${f.path}: ${describeFile(f)}`] : [], ...user ? [`connecting user ${user.name} uid=${user.uid} gid=${user.gid} groups=${user.groups.join(",")}`] : []],
      fix: sf?.blockedBy ? `chmod o+x ${sf.blockedBy.path} (or add nginx's user to group ${sf.blockedBy.group})` : `let nginx's user connect: socket mode 0660 with nginx's user in group ${f?.group ?? "?"} (php-fpm: listen.owner / listen.group / listen.mode = 0660)`
    };
  }
  if (code === "ECONNREFUSED" || code === "ENOTSOCK" || code === "EAGAIN") {
    const f = sf?.file;
    const notSocket = f && f.type !== "socket";
    const accepting = (i.evidence.listeners?.listeners ?? []).filter((l) => l.kind === "unix" && l.path === path);
    return {
      code: "socket.refused",
      message: code === "EAGAIN" ? `${path} refused: its listen backlog is full (the service accepts too slowly)` : notSocket ? `${path} is a ${f.type}, not a socket` : `${path} exists but nothing accepts on it: a stale socket file`,
      evidence: [probeLine(i.probe), ...f ? [`${f.path}: ${describeFile(f)}`] : [], ...accepting.map(listenerLine), ...i.evidence.listeners && !accepting.length ? ["no process listens on this path"] : [], ...unitLines(i)],
      fix: code === "EAGAIN" ? "raise the listen backlog (php-fpm: listen.backlog) or the worker count" : `restart the service that owns ${path}${i.service.unit ? ` (${i.service.unit})` : ""}; it recreates the socket${notSocket ? "; remove the non-socket file first" : ""}`
    };
  }
  if (code === "ETIMEDOUT") return connectTimeout(i);
  return { code: "socket.refused", message: `${path}: connect failed (${i.probe.code ?? i.probe.message})`, evidence: [probeLine(i.probe), ...unitLines(i)], fix: `check the service that owns ${path}` };
}
function healthStatus(i) {
  const p = i.probe;
  const what = i.check === "front" ? `through nginx, ${p.target}` : p.target;
  return {
    code: "health.status",
    message: `${what} answered ${p.status ?? "?"} (a status >= 400 fails the check)`,
    evidence: [probeLine(p), ...p.body ? [`body: ${firstLine(p.body).slice(0, 160)}`] : [], ...unitLines(i)],
    fix: i.check === "front" && p.status === 404 ? "nginx routes this Host and path elsewhere: check server_name and location" : `make ${p.target.replace(/^\w+:\/\/[^/]*/, "") || "the health path"} answer 2xx once the service is ready (see the service's log)`
  };
}
function healthTimeout(i) {
  const p = i.probe;
  return {
    code: "health.timeout",
    errno: LINUX_ERRNO.ETIMEDOUT,
    message: `${p.target} accepted the connection but sent no complete response in time`,
    evidence: [probeLine(p), ...p.firstBytes ? [`received: ${p.firstBytes}`] : ["nothing received"], ...unitLines(i)],
    fix: "the service accepts but does not answer (workers busy or blocked, start-up not finished): check its log; raise gate.request_timeout if the health path is slow by design"
  };
}
function reset(i) {
  const p = i.probe;
  return {
    code: "health.reset",
    errno: p.errno ?? LINUX_ERRNO.ECONNRESET,
    message: `${p.target}: the connection was ${p.code === "ECONNRESET" && p.message.includes("hang up") ? "closed" : "reset"} before a complete response`,
    evidence: [probeLine(p), ...p.firstBytes ? [`received: ${p.firstBytes}`] : [], ...unitLines(i)],
    fix: "the backend drops the request: check its log for a crash or a rejected request (wrong protocol, request too large, TLS expected)"
  };
}
function protocol(i) {
  const p = i.probe;
  const tlsAnswer = /TLS/.test(p.message);
  const expected = p.kind === "fastcgi" ? "FastCGI" : p.kind === "https" ? "TLS" : "HTTP";
  return {
    code: "health.protocol",
    message: `${p.target} does not answer ${expected}${tlsAnswer && p.kind === "http" ? ": it answered TLS" : ""} (${p.code ?? "bad answer"})`,
    evidence: [probeLine(p), ...p.firstBytes ? [`received: ${p.firstBytes}`] : []],
    fix: p.kind === "http" && tlsAnswer ? "the backend speaks TLS: set `protocol: https` and `proxy_pass https://...`" : p.kind === "https" ? "the backend does not speak TLS here: set `protocol: http` and `proxy_pass http://...`" : `check that \`protocol: ${i.service.protocol}\` is what listens on ${targetOf(i)}`
  };
}
var ERRNO_IN_LOG = /\((\d+): ([^)]*)\)/;
function badGateway(i) {
  const p = i.probe;
  const lines = i.errorLog ?? [];
  const m = lines.map((l) => ERRNO_IN_LOG.exec(l)).find((x) => x !== null);
  const errno = m ? Number(m[1]) : void 0;
  const upstream = lines.map((l) => /upstream: "([^"]*)"/.exec(l)?.[1]).find((x) => x !== void 0);
  return {
    code: "proxy.bad_gateway",
    ...errno !== void 0 && { errno },
    message: `through nginx, ${p.target} answered ${p.status}${upstream ? `: nginx cannot reach ${upstream}` : ""}${m ? ` (${m[1]}: ${m[2]})` : ""}`,
    evidence: [probeLine(p), ...lines.length ? lines.slice(-3) : ["no matching line in the error log since the gate started"]],
    fix: errno === LINUX_ERRNO.EACCES ? upstream?.includes("unix:") ? `nginx's user may not connect to ${upstream.replace(/^\w+:\/\/unix:/, "").replace(/:$/, "")}: give the socket to nginx's group with mode 0660 (php-fpm: listen.owner / listen.group / listen.mode)` : `nginx's workers are denied a connect the gate may make: SELinux (setsebool -P ${SELINUX_BOOLEAN} 1)` : upstream ? `nginx dials ${upstream}: make it the address the backend listens on (the config check names the line)` : "read nginx's error log for the upstream it dials"
  };
}
function unitLines(i) {
  const s = i.evidence.systemd;
  if (!s) return [];
  const d = describeUnit(s);
  return [...d ? [d] : [], ...s.journal.slice(-3).map((l) => `journal: ${l}`)];
}
function notes(e) {
  return [...e.listeners?.notes ?? [], ...e.firewall?.notes ?? [], ...e.selinux?.notes ?? [], ...e.systemd?.notes ?? [], ...e.socketFile?.notes ?? []].map((n) => `note: ${n}`);
}

// src/diagnose/gateway-lines.ts
var UPSTREAM_FAILURE = /connect\(\) (to \S+ )?failed|upstream timed out|upstream prematurely closed|recv\(\) failed|no live upstreams|could not be resolved|upstream sent/;
function gatewayLines(lines, serverNames) {
  const wanted = new Set(serverNames.map((s) => s.toLowerCase()));
  return lines.filter((line) => {
    const e = parseErrorLine(line);
    if (!e || !UPSTREAM_FAILURE.test(e.message)) return false;
    if (wanted.size === 0) return true;
    const server = e.server?.toLowerCase();
    const host = e.host?.toLowerCase().replace(/:\d+$/, "");
    return server !== void 0 && wanted.has(server) || host !== void 0 && wanted.has(host) || !server && !host;
  });
}

// src/host/evidence.ts
import { readFile as readFile3 } from "node:fs/promises";

// src/host/firewall.ts
function portIn(spec, port) {
  return spec.split(",").some((part) => {
    const [a, b] = part.split(/[:-]/).map(Number);
    if (a === void 0 || Number.isNaN(a)) return false;
    return b === void 0 || Number.isNaN(b) ? a === port : port >= a && port <= b;
  });
}
function matchIptables(text, port) {
  const out = [];
  for (const line of text.split("\n").map((l) => l.trim())) {
    if (/^-P (INPUT|OUTPUT) DROP$/.test(line)) {
      out.push(line);
      continue;
    }
    if (!/^-A /.test(line) || !/-j (DROP|REJECT)\b/.test(line) || /-p (udp|icmp|icmpv6)\b/.test(line)) continue;
    const m = /--dports? (\S+)/.exec(line);
    if (m?.[1] ? portIn(m[1], port) : !/--sports? /.test(line)) out.push(line);
  }
  return out;
}
function matchNft(text, port) {
  const out = [];
  for (const line of text.split("\n").map((l) => l.trim())) {
    if (/policy drop;/.test(line) && /hook (input|output)/.test(line)) {
      out.push(line);
      continue;
    }
    if (!/\b(drop|reject)\b/.test(line) || /^(chain|table|type)\b/.test(line) || /\budp [ds]port\b|l4proto (udp|icmp)|protocol (udp|icmp)/.test(line)) continue;
    const m = /\bdport (\{[^}]*\}|\S+)/.exec(line);
    if (!m?.[1]) {
      if (!/\bsport\b/.test(line)) out.push(line);
      continue;
    }
    if (portIn(m[1].replace(/[{}\s]/g, ""), port)) out.push(line);
  }
  return out;
}
async function readFirewall(runner, port, family2, options = {}) {
  const run = { timeoutMs: 2e3, ...options.signal && { signal: options.signal } };
  const ipt = family2 === 6 ? "ip6tables" : "iptables";
  const [it, nft] = await Promise.all([runner.run(ipt, ["-S"], run), runner.run("nft", ["list", "ruleset"], run)]);
  const rules = [];
  const notes2 = [];
  if (it.failed) notes2.push(whyFailed(it));
  else rules.push(...matchIptables(it.stdout, port).map((l) => `${ipt}: ${l}`));
  if (nft.failed) notes2.push(whyFailed(nft));
  else if (rules.length === 0) rules.push(...matchNft(nft.stdout, port).map((l) => `nft: ${l}`));
  return { rules, notes: notes2 };
}

// src/host/procnet.ts
import { readFile as readFile2, readdir as readdir2, readlink } from "node:fs/promises";
var TCP_LISTEN = "0A";
var UNIX_ACCEPTCON = 65536;
var FD_SCAN_BUDGET_MS = 500;
function decodeProcAddress(hex) {
  const [addr = "", port = "0"] = hex.split(":");
  const words = addr.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((w) => (w.match(/../g) ?? []).reverse().map((b) => parseInt(b, 16)));
  if (bytes.length === 4) return { address: bytes.join("."), port: parseInt(port, 16) };
  const groups = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8 | (bytes[i + 1] ?? 0)).toString(16));
  return { address: canonicalIp(groups.join(":")), port: parseInt(port, 16) };
}
function parseProcTcp(text, family2, dualStackDefault) {
  const out = [];
  for (const line of text.split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || f[3] !== TCP_LISTEN) continue;
    const { address, port } = decodeProcAddress(f[1] ?? "");
    const inode = Number(f[9]);
    const mapped = /^::ffff:(.+)$/.exec(address);
    if (mapped?.[1]) out.push({ kind: "tcp", family: 4, address: mapped[1], port, processes: [], inode });
    else
      out.push({
        kind: "tcp",
        family: family2,
        address,
        port,
        ...family2 === 6 && address === "::" && dualStackDefault && { dualStack: true },
        processes: [],
        inode
      });
  }
  return out;
}
function parseProcUnix(text) {
  const out = [];
  for (const line of text.split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8) continue;
    const flags = parseInt(f[3] ?? "0", 16);
    if (!(flags & UNIX_ACCEPTCON)) continue;
    const path = f.slice(7).join(" ");
    out.push({ kind: "unix", path, processes: [], inode: Number(f[6]) });
  }
  return out;
}
async function inodeOwners(inodes, signal) {
  const owners = /* @__PURE__ */ new Map();
  const until = performance.now() + FD_SCAN_BUDGET_MS;
  const pids = (await readdir2("/proc").catch(() => [])).filter((p) => /^\d+$/.test(p));
  for (const pid of pids) {
    if (performance.now() > until || signal?.aborted) return { owners, complete: false };
    const fds = await readdir2(`/proc/${pid}/fd`).catch(() => []);
    let name;
    for (const fd of fds) {
      const link = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => "");
      const m = /^socket:\[(\d+)\]$/.exec(link);
      if (!m || !inodes.has(Number(m[1]))) continue;
      name ??= (await readFile2(`/proc/${pid}/comm`, "utf8").catch(() => "?")).trim();
      const list = owners.get(Number(m[1])) ?? [];
      if (!list.some((p) => p.pid === Number(pid))) list.push({ name, pid: Number(pid) });
      owners.set(Number(m[1]), list);
    }
  }
  return { owners, complete: true };
}
async function readProcListeners(signal) {
  const read = (p) => readFile2(p, { encoding: "utf8", ...signal && { signal } }).catch(() => void 0);
  const [tcp4, tcp6, unix, v6only] = await Promise.all([read("/proc/net/tcp"), read("/proc/net/tcp6"), read("/proc/net/unix"), read("/proc/sys/net/ipv6/bindv6only")]);
  const notes2 = [];
  if (tcp4 === void 0) notes2.push("cannot read /proc/net/tcp");
  const dualStackDefault = (v6only ?? "0").trim() === "0";
  const found = [...parseProcTcp(tcp4 ?? "", 4, dualStackDefault), ...parseProcTcp(tcp6 ?? "", 6, dualStackDefault), ...parseProcUnix(unix ?? "")];
  if (found.some((l) => l.dualStack)) notes2.push("procfs does not show IPV6_V6ONLY: [::] listeners assumed to accept IPv4 too (net.ipv6.bindv6only=0)");
  const { owners, complete } = await inodeOwners(new Set(found.map((l) => l.inode)), signal);
  if (!complete) notes2.push("process scan cut short: some listeners lack process names");
  const listeners = found.map(({ inode, ...l }) => ({ ...l, processes: owners.get(inode) ?? [] }));
  return { listeners, source: "/proc/net/tcp, /proc/net/tcp6, /proc/net/unix", notes: notes2 };
}

// src/host/listeners.ts
var USERS = /users:\(\((.*)\)\)\s*$/;
function parseUsers(text) {
  if (!text) return [];
  const out = [];
  for (const m of text.matchAll(/"((?:[^"\\]|\\.)*)",pid=(\d+)/g)) {
    const pid = Number(m[2]);
    if (!out.some((p) => p.pid === pid)) out.push({ name: m[1] ?? "", pid });
  }
  return out;
}
function parseSs(stdout) {
  const out = [];
  for (const raw of stdout.split("\n")) {
    const line = raw.trim();
    if (!line) continue;
    const users = USERS.exec(line);
    const processes = parseUsers(users?.[1]);
    const head = users ? line.slice(0, users.index).trim() : line;
    const unix = /^(?:u_(?:str|seq|dgr)\s+)?LISTEN\s+\d+\s+\d+\s+(.+?)\s+(\d+)\s+\*\s+\d+$/.exec(head);
    if (unix && (head.startsWith("u_") || unix[1]?.startsWith("/") || unix[1]?.startsWith("@"))) {
      out.push({ kind: "unix", path: unix[1] ?? "", processes });
      continue;
    }
    const tcp = /^(?:tcp\s+)?LISTEN\s+\d+\s+\d+\s+(\S+)\s+\S+$/.exec(head);
    if (!tcp?.[1]) continue;
    const local = tcp[1];
    const colon = local.lastIndexOf(":");
    const port = Number(local.slice(colon + 1));
    let host = local.slice(0, colon).replace(/%[^\]]*/, "");
    if (!Number.isInteger(port)) continue;
    if (host === "*") {
      out.push({ kind: "tcp", family: 6, address: "::", port, dualStack: true, processes });
      continue;
    }
    const v6 = host.startsWith("[");
    if (v6) host = host.slice(1, -1);
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(host);
    if (mapped?.[1]) out.push({ kind: "tcp", family: 4, address: mapped[1], port, processes });
    else out.push({ kind: "tcp", family: v6 ? 6 : 4, address: host, port, processes });
  }
  return out;
}
async function readListeners(runner, options = {}) {
  const run = { timeoutMs: options.timeoutMs ?? 2e3, ...options.signal && { signal: options.signal } };
  const [tcp, unix] = await Promise.all([runner.run("ss", ["-Hltnp"], run), runner.run("ss", ["-Hlxp"], run)]);
  if (!tcp.failed && !unix.failed) {
    const listeners = [...parseSs(tcp.stdout), ...parseSs(unix.stdout)];
    const notes2 = [];
    if (listeners.length && listeners.every((l) => l.processes.length === 0)) {
      notes2.push(`ss shows no process names${process.getuid?.() === 0 ? "" : " (run as root to see them)"}`);
    }
    return { listeners, source: "ss -Hltnp; ss -Hlxp", notes: notes2 };
  }
  const why = tcp.failed ? tcp : unix;
  const reason = whyFailed(why, "ss");
  const proc = await readProcListeners(options.signal);
  return { ...proc, notes: [`${reason}; read ${proc.source}`, ...proc.notes] };
}

// src/host/evidence.ts
var FAST_TTL_MS = 250;
var SLOW_TTL_MS = 1e3;
var COLLECTOR_BUDGET_MS = 3e3;
function createHostView(runner, signal) {
  const cache = /* @__PURE__ */ new Map();
  const memo = (key, make, ttlMs = FAST_TTL_MS) => {
    const hit = cache.get(key);
    if (hit && performance.now() - hit.at < ttlMs) return hit.value;
    const value = make();
    cache.set(key, { at: performance.now(), value });
    return value;
  };
  const opts = signal ? { signal } : {};
  const listeners = () => memo("listeners", async () => withCommands(await readListeners(runner, { ...opts, timeoutMs: 2e3 })));
  const firewall = (port, family2) => memo(`fw:${family2}:${port}`, () => readFirewall(runner, port, family2, opts), SLOW_TTL_MS);
  const selinux2 = (port) => memo(`se:${port}`, () => readSelinux(runner, port, opts), SLOW_TTL_MS);
  const systemd = (unit) => memo(`unit:${unit}`, () => readSystemd(runner, unit, opts), SLOW_TTL_MS);
  const socketFile = (path) => memo(`sock:${path}`, () => readSocketFile(path));
  return {
    async gather(probe, endpoint, address, unit) {
      if (probe.ok) return {};
      const jobs = {};
      const connectFailed = probe.stage === "connect" || probe.stage === "resolve";
      if (endpoint.kind === "unix") {
        if (connectFailed) {
          jobs.socketFile = socketFile(endpoint.path);
          jobs.listeners = listeners();
        }
      } else if (connectFailed) {
        const family2 = address?.includes(":") ? 6 : 4;
        jobs.listeners = listeners();
        jobs.firewall = firewall(endpoint.port, family2);
        if (probe.code === "EACCES" || probe.code === "EPERM") jobs.selinux = selinux2(endpoint.port);
      }
      if (unit) jobs.systemd = systemd(unit);
      const out = {};
      await Promise.all(
        Object.entries(jobs).map(async ([k, p]) => {
          const v = await bounded(p);
          if (v !== void 0) out[k] = v;
        })
      );
      return out;
    }
  };
}
async function bounded(p) {
  let timer;
  const late = new Promise((r) => timer = setTimeout(() => r(void 0), COLLECTOR_BUDGET_MS));
  try {
    return await Promise.race([p.catch(() => void 0), late]);
  } finally {
    clearTimeout(timer);
  }
}
async function withCommands(snap) {
  const pids = new Set(snap.listeners.flatMap((l) => l.processes.map((p) => p.pid)));
  const commands = /* @__PURE__ */ new Map();
  await Promise.all(
    [...pids].map(async (pid) => {
      const raw = await readFile3(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
      if (raw) commands.set(pid, raw.replace(/\0+$/, "").replace(/\0/g, " "));
    })
  );
  return {
    ...snap,
    listeners: snap.listeners.map((l) => ({
      ...l,
      processes: l.processes.map((p) => {
        const command = commands.get(p.pid);
        return command ? { ...p, command } : p;
      })
    }))
  };
}

// src/host/file-tail.ts
import { open, stat } from "node:fs/promises";
var MAX_TAIL_BYTES = 1024 * 1024;
async function fileSize(path) {
  return (await stat(path).catch(() => void 0))?.size;
}
async function readSince(path, from) {
  let fh;
  try {
    fh = await open(path, "r");
    const size = (await fh.stat()).size;
    const begin = size < from ? 0 : Math.max(from, size - MAX_TAIL_BYTES);
    const length = size - begin;
    if (length <= 0) return { lines: [] };
    const buf = Buffer.alloc(length);
    await fh.read(buf, 0, length, begin);
    const text = buf.toString("utf8");
    return { lines: text.split("\n").filter((l) => l.trim() !== "") };
  } catch (e) {
    return { lines: [], error: `cannot read ${path}: ${e.code ?? String(e)}` };
  } finally {
    await fh?.close();
  }
}

// src/probe/connect.ts
import { connect } from "node:net";
function openConnection(endpoint, kind, options) {
  const started = performance.now();
  const target = formatEndpoint(endpoint);
  const fail = (facts) => ({
    ok: false,
    result: { ok: false, kind, target, stage: "connect", ...facts, timings: { totalMs: performance.now() - started } }
  });
  if (options.signal?.aborted) return Promise.resolve(fail({ code: ABORTED, message: "aborted before connecting" }));
  return new Promise((resolve3) => {
    const socket = endpoint.kind === "unix" ? connect({ path: endpoint.path }) : connect({ host: endpoint.host, port: endpoint.port, autoSelectFamily: false });
    let settled = false;
    const settle = (c) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      socket.removeListener("error", onError);
      if (!c.ok) socket.destroy();
      resolve3(c);
    };
    const onError = (e) => settle(fail(errorFacts(e)));
    const onAbort = () => settle(fail({ code: ABORTED, message: `aborted after ${Math.round(performance.now() - started)}ms` }));
    const timer = setTimeout(
      () => settle(fail({ code: "ETIMEDOUT", errno: LINUX_ERRNO.ETIMEDOUT, message: `connect timed out after ${options.timeoutMs}ms` })),
      options.timeoutMs
    );
    options.signal?.addEventListener("abort", onAbort, { once: true });
    socket.once("error", onError);
    socket.once("connect", () => {
      socket.on("error", () => {
      });
      settle({ ok: true, socket, connectMs: performance.now() - started });
    });
  });
}
async function probeConnect(endpoint, options) {
  const kind = endpoint.kind === "unix" ? "unix" : "tcp";
  const c = await openConnection(endpoint, kind, options);
  if (!c.ok) return c.result;
  const local = c.socket.localAddress;
  const localPort = c.socket.localPort;
  c.socket.destroy();
  return {
    ok: true,
    kind,
    target: formatEndpoint(endpoint),
    stage: "connect",
    message: `connected in ${c.connectMs.toFixed(1)}ms`,
    timings: { connectMs: c.connectMs, totalMs: c.connectMs },
    ...local !== void 0 && kind === "tcp" && { localAddress: formatEndpoint({ kind: "tcp", host: local, port: localPort ?? 0 }) }
  };
}

// src/probe/printable.ts
function printable(bytes, max = 64) {
  let out = "";
  for (const b of bytes.subarray(0, max)) {
    if (b === 10) out += "\\n";
    else if (b === 13) out += "\\r";
    else if (b >= 32 && b < 127) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, "0")}`;
  }
  return bytes.length > max ? `${out}...` : out;
}
function looksLikeTls(bytes) {
  return bytes.length >= 3 && (bytes[0] === 21 || bytes[0] === 22) && bytes[1] === 3 && (bytes[2] ?? 9) <= 4;
}

// src/probe/http.ts
import { request } from "node:http";
import { connect as tlsConnect } from "node:tls";
var MAX_BODY_BYTES = 64 * 1024;
async function probeHttp(o) {
  const kind = o.tls ? "https" : "http";
  const target = o.label ?? `${kind}://${formatEndpoint(o.endpoint)}${o.path}`;
  const started = performance.now();
  const c = await openConnection(o.endpoint, kind, { timeoutMs: o.connectTimeoutMs, ...o.signal && { signal: o.signal } });
  if (!c.ok) return { ...c.result, target };
  const connectMs = c.connectMs;
  const hostHeader = o.host ?? (o.endpoint.kind === "unix" ? "localhost" : formatEndpoint(o.endpoint));
  const r = await exchange(c.socket, o, { kind, target, started, connectMs, hostHeader });
  if (o.tls || r.ok) return r;
  if (r.status === 400 && /plain HTTP request was sent to HTTPS port/i.test(r.body ?? "")) {
    return { ...r, code: BAD_PROTOCOL, message: `answered TLS-port 400 to a plain HTTP request: ${r.message}` };
  }
  if (r.code === "ECONNRESET" && r.firstBytes === void 0 && await speaksTls(o)) {
    return { ...r, code: BAD_PROTOCOL, message: "closed the plain HTTP request; the port answers a TLS handshake (answered TLS)" };
  }
  return r;
}
var SNIFF_TIMEOUT_MS = 1e3;
async function speaksTls(o) {
  const timeoutMs = Math.min(o.connectTimeoutMs, o.requestTimeoutMs, SNIFF_TIMEOUT_MS);
  const c = await openConnection(o.endpoint, "https", { timeoutMs, ...o.signal && { signal: o.signal } });
  if (!c.ok) return false;
  return new Promise((resolve3) => {
    const s = tlsConnect({ socket: c.socket, rejectUnauthorized: false });
    const onAbort = () => done(false);
    const done = (v) => {
      clearTimeout(timer);
      o.signal?.removeEventListener("abort", onAbort);
      s.destroy();
      c.socket.destroy();
      resolve3(v);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    o.signal?.addEventListener("abort", onAbort, { once: true });
    s.once("secureConnect", () => done(true));
    s.once("error", () => done(false));
  });
}
function exchange(raw, o, s) {
  return new Promise((resolve3) => {
    let stage = o.tls ? "tls" : "request";
    let first;
    let firstByteMs;
    let settled = false;
    let socket = raw;
    const tap = (d) => {
      if (first === void 0) {
        first = Buffer.from(d.subarray(0, 64));
        firstByteMs = performance.now() - s.started;
        stage = "response";
      }
    };
    const done = (r) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal?.removeEventListener("abort", onAbort);
      socket.destroy();
      raw.destroy();
      const firstBytes = first && printable(first);
      resolve3({
        kind: s.kind,
        target: s.target,
        ...r,
        ...firstBytes !== void 0 && r.firstBytes === void 0 && { firstBytes },
        timings: {
          connectMs: s.connectMs,
          ...firstByteMs !== void 0 && { firstByteMs },
          totalMs: performance.now() - s.started
        }
      });
    };
    const failFrom = (e) => {
      const f = errorFacts(e);
      if (first && looksLikeTls(first)) {
        done({ ok: false, stage: "response", code: BAD_PROTOCOL, message: `answered TLS to a plain HTTP request (${f.code ?? f.message})` });
        return;
      }
      done({ ok: false, stage, ...f });
    };
    const onAbort = () => done({ ok: false, stage, code: ABORTED, message: "aborted" });
    const timer = setTimeout(
      () => done({
        ok: false,
        stage,
        code: "ETIMEDOUT",
        errno: LINUX_ERRNO.ETIMEDOUT,
        message: `no complete response within ${o.requestTimeoutMs}ms${first ? "" : " (nothing received)"}`
      }),
      o.requestTimeoutMs
    );
    o.signal?.addEventListener("abort", onAbort, { once: true });
    if (o.signal?.aborted) return onAbort();
    const send = () => {
      stage = "request";
      const req = request({
        createConnection: () => socket,
        method: "GET",
        path: o.path,
        headers: {
          host: s.hostHeader,
          "user-agent": "upstream-gate",
          accept: "*/*",
          connection: "close",
          ...o.credentials !== void 0 && { authorization: `Basic ${Buffer.from(o.credentials).toString("base64")}` }
        }
      });
      req.on("socket", (sock) => sock.prependListener("data", tap));
      req.on("error", failFrom);
      req.on("response", (res) => {
        stage = "response";
        const status = res.statusCode ?? 0;
        const chunks = [];
        let size = 0;
        const finish = () => {
          const body = Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES);
          const text = printable(body, 200);
          const line = `${res.httpVersion ? `HTTP/${res.httpVersion} ` : ""}${status}${res.statusMessage ? ` ${res.statusMessage}` : ""}`;
          if (status >= 400) done({ ok: false, stage, code: HTTP_STATUS, status, message: line, body: text, bytesRead: size });
          else done({ ok: true, stage, status, message: line, body: text, bytesRead: size });
        };
        res.on("data", (d) => {
          chunks.push(d);
          size += d.length;
          if (size >= MAX_BODY_BYTES) finish();
        });
        res.on("end", finish);
        res.on("error", failFrom);
        res.on("aborted", () => failFrom(Object.assign(new Error("connection closed in the middle of the body"), { code: "ECONNRESET" })));
      });
      req.end();
    };
    if (!o.tls) return send();
    const tlsSocket = tlsConnect({
      socket: raw,
      // a health gate checks the backend answers, not its certificate (self-signed backends are the norm)
      rejectUnauthorized: false,
      ALPNProtocols: ["http/1.1"],
      ...o.host !== void 0 && !/^[\d.:[\]]+$/.test(o.host) && { servername: o.host.replace(/:\d+$/, "") }
    });
    socket = tlsSocket;
    tlsSocket.once("error", (e) => {
      const f = errorFacts(e);
      if (stage === "tls" && f.code !== "ECONNRESET" && f.code !== "ETIMEDOUT") {
        done({ ok: false, stage, code: f.code ?? BAD_PROTOCOL, message: `TLS handshake failed: ${f.message}` });
      } else failFrom(e);
    });
    tlsSocket.once("secureConnect", send);
  });
}

// src/probe/fastcgi.ts
var VERSION = 1;
var BEGIN_REQUEST = 1;
var END_REQUEST = 3;
var PARAMS = 4;
var STDIN = 5;
var STDOUT = 6;
var STDERR = 7;
var RESPONDER = 1;
var REQUEST_ID = 1;
function record(type, content) {
  const header = Buffer.alloc(8);
  header.writeUInt8(VERSION, 0);
  header.writeUInt8(type, 1);
  header.writeUInt16BE(REQUEST_ID, 2);
  header.writeUInt16BE(content.length, 4);
  return Buffer.concat([header, content]);
}
function nameValue(name, value) {
  const n = Buffer.from(name);
  const v = Buffer.from(value);
  const len = (l) => {
    if (l < 128) return Buffer.from([l]);
    const b = Buffer.alloc(4);
    b.writeUInt32BE((l | 2147483648) >>> 0);
    return b;
  };
  return Buffer.concat([len(n.length), len(v.length), n, v]);
}
function fastcgiRequest(path) {
  const [script = path, query = ""] = path.split("?", 2);
  const params = {
    GATEWAY_INTERFACE: "CGI/1.1",
    SERVER_SOFTWARE: "upstream-gate",
    SERVER_PROTOCOL: "HTTP/1.1",
    REQUEST_METHOD: "GET",
    REQUEST_URI: path,
    DOCUMENT_URI: script,
    SCRIPT_NAME: script,
    SCRIPT_FILENAME: script,
    QUERY_STRING: query,
    REMOTE_ADDR: "127.0.0.1",
    SERVER_NAME: "localhost",
    HTTP_HOST: "localhost"
  };
  const body = Buffer.concat(Object.entries(params).map(([k, v]) => nameValue(k, v)));
  const begin = Buffer.from([0, RESPONDER, 0, 0, 0, 0, 0, 0]);
  return Buffer.concat([record(BEGIN_REQUEST, begin), record(PARAMS, body), record(PARAMS, Buffer.alloc(0)), record(STDIN, Buffer.alloc(0))]);
}
async function probeFastcgi(o) {
  const target = `fastcgi://${formatEndpoint(o.endpoint)}${o.path}`;
  const started = performance.now();
  const c = await openConnection(o.endpoint, "fastcgi", { timeoutMs: o.connectTimeoutMs, ...o.signal && { signal: o.signal } });
  if (!c.ok) return { ...c.result, target };
  return exchange2(c.socket, o, target, started, c.connectMs);
}
function exchange2(socket, o, target, started, connectMs) {
  return new Promise((resolve3) => {
    let stage = "request";
    let buffered = Buffer.alloc(0);
    let first;
    let firstByteMs;
    const stdout = [];
    let stdoutSize = 0;
    let stderr = "";
    let settled = false;
    const done = (r) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal?.removeEventListener("abort", onAbort);
      socket.destroy();
      resolve3({
        kind: "fastcgi",
        target,
        ...r,
        ...first && { firstBytes: printable(first) },
        timings: { connectMs, ...firstByteMs !== void 0 && { firstByteMs }, totalMs: performance.now() - started }
      });
    };
    const onAbort = () => done({ ok: false, stage, code: ABORTED, message: "aborted" });
    const timer = setTimeout(
      () => done({ ok: false, stage, code: "ETIMEDOUT", errno: LINUX_ERRNO.ETIMEDOUT, message: `no complete FastCGI response within ${o.requestTimeoutMs}ms` }),
      o.requestTimeoutMs
    );
    o.signal?.addEventListener("abort", onAbort, { once: true });
    if (o.signal?.aborted) return onAbort();
    const finish = () => {
      const { status, body, headerLine } = cgiResponse(Buffer.concat(stdout));
      const evidence = stderr.trim() ? `${headerLine}; stderr: ${stderr.trim().split("\n")[0]}` : headerLine;
      if (status >= 400) done({ ok: false, stage, code: HTTP_STATUS, status, message: evidence, body, bytesRead: stdoutSize });
      else done({ ok: true, stage, status, message: evidence, body, bytesRead: stdoutSize });
    };
    socket.on("data", (d) => {
      if (!first) {
        first = Buffer.from(d.subarray(0, 64));
        firstByteMs = performance.now() - started;
        stage = "response";
      }
      buffered = Buffer.concat([buffered, d]);
      while (buffered.length >= 8) {
        const version = buffered.readUInt8(0);
        const type = buffered.readUInt8(1);
        if (version !== VERSION || type < 1 || type > 11) {
          const tls = looksLikeTls(buffered);
          done({ ok: false, stage, code: BAD_PROTOCOL, message: tls ? "answered TLS, not FastCGI" : "the answer is not FastCGI" });
          return;
        }
        const length = buffered.readUInt16BE(4);
        const padding = buffered.readUInt8(6);
        if (buffered.length < 8 + length + padding) break;
        const content = buffered.subarray(8, 8 + length);
        buffered = buffered.subarray(8 + length + padding);
        if (type === STDOUT && stdoutSize < MAX_BODY_BYTES) {
          stdout.push(Buffer.from(content));
          stdoutSize += content.length;
        } else if (type === STDERR) stderr += content.toString("utf8");
        else if (type === END_REQUEST) return finish();
      }
    });
    socket.on("error", (e) => {
      const f = errorFacts(e);
      done({ ok: false, stage, ...f });
    });
    socket.on("end", () => {
      done({
        ok: false,
        stage,
        code: first ? INCOMPLETE : "ECONNRESET",
        ...first ? {} : { errno: LINUX_ERRNO.ECONNRESET },
        message: first ? "closed before END_REQUEST" : "closed before answering"
      });
    });
    socket.write(fastcgiRequest(o.path));
  });
}
function cgiResponse(out) {
  const text = out.toString("latin1");
  const end = text.search(/\r?\n\r?\n/);
  const head = end >= 0 ? text.slice(0, end) : text;
  const body = end >= 0 ? text.slice(end).replace(/^\r?\n\r?\n/, "") : "";
  const m = /^status:\s*(\d{3})(.*)$/im.exec(head);
  const status = m ? Number(m[1]) : 200;
  const headerLine = `Status: ${status}${m?.[2]?.trimEnd() ?? ""}`;
  return { status, body: printable(Buffer.from(body, "latin1"), 200), headerLine };
}

// src/probe/resolve.ts
import { lookup as lookup2 } from "node:dns/promises";
import { isIP as isIP4 } from "node:net";
async function resolveAll2(host, options) {
  const started = performance.now();
  if (isIP4(host)) return { ok: true, addresses: [host], durationMs: 0 };
  let timer;
  let onAbort;
  const bounded2 = new Promise((resolve3) => {
    timer = setTimeout(
      () => resolve3({ ok: false, code: "EAI_AGAIN", message: `no answer within ${options.timeoutMs}ms`, durationMs: performance.now() - started }),
      options.timeoutMs
    );
    onAbort = () => resolve3({ ok: false, code: "ABORT_ERR", message: "aborted", durationMs: performance.now() - started });
    options.signal?.addEventListener("abort", onAbort, { once: true });
  });
  const looked = lookup2(host, { all: true, order: "verbatim" }).then(
    (list) => {
      const seen = /* @__PURE__ */ new Set();
      const v4 = list.filter((a) => a.family === 4).map((a) => a.address);
      const v6 = list.filter((a) => a.family === 6).map((a) => a.address);
      const addresses = [...v4, ...v6].filter((a) => !seen.has(a) && seen.add(a));
      return addresses.length ? { ok: true, addresses, durationMs: performance.now() - started } : { ok: false, code: "ENOTFOUND", message: `${host} has no address`, durationMs: performance.now() - started };
    },
    (e) => {
      const f = errorFacts(e);
      return { ok: false, ...f.code !== void 0 && { code: f.code }, message: `${host}: ${f.code ?? f.message}`, durationMs: performance.now() - started };
    }
  );
  try {
    return await Promise.race([looked, bounded2]);
  } finally {
    clearTimeout(timer);
    if (onAbort) options.signal?.removeEventListener("abort", onAbort);
  }
}

// node_modules/is-network-error/index.js
var objectToString = Object.prototype.toString;
var isError2 = (value) => objectToString.call(value) === "[object Error]";
var errorMessages = /* @__PURE__ */ new Set([
  "network error",
  // Chrome
  "NetworkError when attempting to fetch resource.",
  // Firefox
  "The Internet connection appears to be offline.",
  // Safari 16
  "Network request failed",
  // `cross-fetch`
  "fetch failed",
  // Undici (Node.js)
  "terminated",
  // Undici (Node.js)
  " A network error occurred.",
  // Bun (WebKit)
  "Network connection lost"
  // Cloudflare Workers (fetch)
]);
function isNetworkError(error) {
  const isValid = error && isError2(error) && error.name === "TypeError" && typeof error.message === "string";
  if (!isValid) {
    return false;
  }
  const { message, stack } = error;
  if (message === "Load failed" || message.startsWith("Load failed (") && message.endsWith(")")) {
    return stack === void 0 || "__sentry_captured__" in error;
  }
  if (message.startsWith("error sending request for url")) {
    return true;
  }
  if (message === "Failed to fetch" || message.startsWith("Failed to fetch (") && message.endsWith(")")) {
    return true;
  }
  return errorMessages.has(message);
}

// node_modules/p-retry/index.js
function validateRetries(retries) {
  if (typeof retries === "number") {
    if (retries < 0) {
      throw new TypeError("Expected `retries` to be a non-negative number.");
    }
    if (Number.isNaN(retries)) {
      throw new TypeError("Expected `retries` to be a valid number or Infinity, got NaN.");
    }
  } else if (retries !== void 0) {
    throw new TypeError("Expected `retries` to be a number or Infinity.");
  }
}
function validateNumberOption(name, value, { min = 0, allowInfinity = false } = {}) {
  if (value === void 0) {
    return;
  }
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new TypeError(`Expected \`${name}\` to be a number${allowInfinity ? " or Infinity" : ""}.`);
  }
  if (!allowInfinity && !Number.isFinite(value)) {
    throw new TypeError(`Expected \`${name}\` to be a finite number.`);
  }
  if (value < min) {
    throw new TypeError(`Expected \`${name}\` to be \u2265 ${min}.`);
  }
}
var AbortError = class extends Error {
  constructor(message) {
    super();
    if (message instanceof Error) {
      this.originalError = message;
      ({ message } = message);
    } else {
      this.originalError = new Error(message);
      this.originalError.stack = this.stack;
    }
    this.name = "AbortError";
    this.message = message;
  }
};
function calculateDelay(retriesConsumed, options) {
  const attempt = Math.max(1, retriesConsumed + 1);
  const random = options.randomize ? Math.random() + 1 : 1;
  let timeout = Math.round(random * options.minTimeout * options.factor ** (attempt - 1));
  timeout = Math.min(timeout, options.maxTimeout);
  return timeout;
}
function calculateRemainingTime(start, max) {
  if (!Number.isFinite(max)) {
    return max;
  }
  return max - (performance.now() - start);
}
async function onAttemptFailure({ error, attemptNumber, retriesConsumed, startTime, options }) {
  const normalizedError = error instanceof Error ? error : new TypeError(`Non-error was thrown: "${error}". You should only throw errors.`);
  if (normalizedError instanceof AbortError) {
    throw normalizedError.originalError;
  }
  const retriesLeft = Number.isFinite(options.retries) ? Math.max(0, options.retries - retriesConsumed) : options.retries;
  const maxRetryTime = options.maxRetryTime ?? Number.POSITIVE_INFINITY;
  const context = Object.freeze({
    error: normalizedError,
    attemptNumber,
    retriesLeft,
    retriesConsumed
  });
  await options.onFailedAttempt(context);
  if (calculateRemainingTime(startTime, maxRetryTime) <= 0) {
    throw normalizedError;
  }
  const consumeRetry = await options.shouldConsumeRetry(context);
  const remainingTime = calculateRemainingTime(startTime, maxRetryTime);
  if (remainingTime <= 0 || retriesLeft <= 0) {
    throw normalizedError;
  }
  if (normalizedError instanceof TypeError && !isNetworkError(normalizedError)) {
    if (consumeRetry) {
      throw normalizedError;
    }
    options.signal?.throwIfAborted();
    return false;
  }
  if (!await options.shouldRetry(context)) {
    throw normalizedError;
  }
  if (!consumeRetry) {
    options.signal?.throwIfAborted();
    return false;
  }
  const delayTime = calculateDelay(retriesConsumed, options);
  const finalDelay = Math.min(delayTime, remainingTime);
  options.signal?.throwIfAborted();
  if (finalDelay > 0) {
    await new Promise((resolve3, reject) => {
      const onAbort = () => {
        clearTimeout(timeoutToken);
        options.signal?.removeEventListener("abort", onAbort);
        reject(options.signal.reason);
      };
      const timeoutToken = setTimeout(() => {
        options.signal?.removeEventListener("abort", onAbort);
        resolve3();
      }, finalDelay);
      if (options.unref) {
        timeoutToken.unref?.();
      }
      options.signal?.addEventListener("abort", onAbort, { once: true });
    });
  }
  options.signal?.throwIfAborted();
  return true;
}
async function pRetry(input, options = {}) {
  options = { ...options };
  validateRetries(options.retries);
  if (Object.hasOwn(options, "forever")) {
    throw new Error("The `forever` option is no longer supported. For many use-cases, you can set `retries: Infinity` instead.");
  }
  options.retries ??= 10;
  options.factor ??= 2;
  options.minTimeout ??= 1e3;
  options.maxTimeout ??= Number.POSITIVE_INFINITY;
  options.maxRetryTime ??= Number.POSITIVE_INFINITY;
  options.randomize ??= false;
  options.onFailedAttempt ??= () => {
  };
  options.shouldRetry ??= () => true;
  options.shouldConsumeRetry ??= () => true;
  validateNumberOption("factor", options.factor, { min: 0, allowInfinity: false });
  validateNumberOption("minTimeout", options.minTimeout, { min: 0, allowInfinity: false });
  validateNumberOption("maxTimeout", options.maxTimeout, { min: 0, allowInfinity: true });
  validateNumberOption("maxRetryTime", options.maxRetryTime, { min: 0, allowInfinity: true });
  if (!(options.factor > 0)) {
    options.factor = 1;
  }
  options.signal?.throwIfAborted();
  let attemptNumber = 0;
  let retriesConsumed = 0;
  const startTime = performance.now();
  while (Number.isFinite(options.retries) ? retriesConsumed <= options.retries : true) {
    attemptNumber++;
    try {
      options.signal?.throwIfAborted();
      const result = await input(attemptNumber);
      options.signal?.throwIfAborted();
      return result;
    } catch (error) {
      if (await onAttemptFailure({
        error,
        attemptNumber,
        retriesConsumed,
        startTime,
        options
      })) {
        retriesConsumed++;
      }
    }
  }
  throw new Error("Retry attempts exhausted without throwing an error.");
}

// src/gate/retry.ts
import { setTimeout as sleep } from "node:timers/promises";

// src/model/codes.ts
var CODES = {
  "config.invalid": { phase: "config", retry: "definitive", meaning: "nginx config does not parse, or `nginx -t` fails (file:line)" },
  "config.no_target": { phase: "config", retry: "definitive", meaning: "no `*_pass` / upstream server for the service was found" },
  "config.port_mismatch": { phase: "config", retry: "definitive", meaning: "nginx dials another port than the spec" },
  "config.host_mismatch": { phase: "config", retry: "definitive", meaning: "nginx dials another host or address than the spec" },
  "config.localhost_ambiguous": { phase: "config", retry: "definitive", meaning: "the dialed name resolves to several addresses / IP families (localhost -> 127.0.0.1 and ::1)" },
  "config.socket_mismatch": { phase: "config", retry: "definitive", meaning: "nginx dials another unix socket path than the spec" },
  "config.protocol_mismatch": { phase: "config", retry: "definitive", meaning: "proxy_pass vs fastcgi_pass vs https etc. differ from the spec" },
  "config.dynamic_target": { phase: "config", retry: "definitive", meaning: "the target holds variables and cannot be checked statically (warning)" },
  "backend.down": { phase: "probe", retry: "transient", level: "connect", meaning: "ECONNREFUSED (111): nothing listens on that port in any family" },
  "backend.wrong_port": { phase: "probe", retry: "definitive", level: "connect", meaning: "refused; the service's process listens on another port" },
  "backend.wrong_address": { phase: "probe", retry: "definitive", level: "connect", meaning: "refused; something listens on that port but bound to another address of the same family" },
  "backend.family_mismatch": { phase: "probe", retry: "definitive", level: "connect", meaning: "refused on one IP family while the port listens on the other" },
  "socket.missing": { phase: "probe", retry: "transient", level: "connect", meaning: "ENOENT (2): the unix socket path does not exist (siblings listed)" },
  "socket.refused": { phase: "probe", retry: "transient", level: "connect", meaning: "ECONNREFUSED on a unix socket: stale file, nothing accepting" },
  "socket.permission": { phase: "probe", retry: "definitive", level: "connect", meaning: "EACCES (13) on a unix socket: file mode / owner vs the connecting user" },
  "network.rejected": { phase: "probe", retry: "definitive", level: "connect", meaning: "refused although a listener is present: a firewall REJECT rule" },
  "network.timeout": { phase: "probe", retry: "transient", level: "connect", meaning: "connect timed out (110): a firewall DROP or a dead route" },
  "network.unreachable": { phase: "probe", retry: "transient", level: "connect", meaning: "EHOSTUNREACH (113) / ENETUNREACH (101)" },
  "dns.unresolved": { phase: "probe", retry: "transient", level: "connect", meaning: "the upstream host name does not resolve" },
  "selinux.denied": { phase: "probe", retry: "definitive", level: "connect", meaning: "EACCES (13) on a TCP connect: SELinux (`httpd_can_network_connect`)" },
  "health.status": { phase: "probe", retry: "transient", level: "answer", meaning: "health endpoint answered HTTP >= 400 (`curl -f` fails)" },
  "health.timeout": { phase: "probe", retry: "transient", level: "answer", meaning: "connected, but no complete response within request_timeout" },
  "health.reset": { phase: "probe", retry: "transient", level: "answer", meaning: "connection reset or closed before a response (104)" },
  "health.protocol": { phase: "probe", retry: "definitive", level: "answer", meaning: "the answer is not HTTP, or TLS where plain HTTP was expected, or the reverse" },
  "proxy.bad_gateway": { phase: "probe", retry: "transient", level: "answer", meaning: "through `front`, nginx answered 502/504; the matching error-log line is attached" }
};
var REASON_CODES = Object.keys(CODES);
function isDefinitive(code) {
  return code !== void 0 && CODES[code].retry === "definitive";
}
function isConnectLevel(code) {
  if (code === void 0) return false;
  const info = CODES[code];
  return info.phase === "probe" && info.level === "connect";
}

// src/gate/retry.ts
var CONFIRMATIONS = 2;
var CONNECT_LEVEL = new Set(REASON_CODES.filter(isConnectLevel));
var BACKOFF_FRACTION = 0.1;
function backoffMs(waitedMs, p, random = Math.random) {
  const ceiling = Math.min(p.maxIntervalMs, Math.max(p.intervalMs, waitedMs * BACKOFF_FRACTION));
  return Math.max(p.intervalMs, Math.round(ceiling / 2 + random() * ceiling / 2));
}
var Retry = class extends Error {
  constructor(delayMs) {
    super("retry");
    this.delayMs = delayMs;
  }
  delayMs;
};
async function retryCheck(attempt, policy, onAttempt) {
  const started = performance.now();
  let last;
  let lastFailure;
  let succeeded = false;
  let attempts = 0;
  let passes = 0;
  let answerFailingSince;
  let sameDefinitive = 0;
  const once = async (n) => {
    const budget = policy.deadlineAt - Date.now();
    const outcome2 = await attempt(Math.max(budget, 1), n);
    if ((outcome2.probe.code === ABORTED || outcome2.cut) && last) throw new AbortError("cut short");
    attempts = n;
    const previous = last;
    last = outcome2;
    passes = outcome2.ok ? passes + 1 : 0;
    onAttempt?.(outcome2, n, passes);
    if (outcome2.ok) {
      answerFailingSince = void 0;
      sameDefinitive = 0;
      if (passes >= policy.successThreshold) {
        succeeded = true;
        return outcome2;
      }
      throw new Retry(policy.intervalMs);
    }
    lastFailure = outcome2;
    const code = outcome2.finding?.code;
    if (isDefinitive(code)) {
      sameDefinitive = previous?.finding?.code === code ? sameDefinitive + 1 : 1;
      if (sameDefinitive >= CONFIRMATIONS) throw new AbortError(`${code} confirmed`);
      throw new Retry(policy.intervalMs);
    }
    sameDefinitive = 0;
    if (code !== void 0 && CONNECT_LEVEL.has(code)) {
      answerFailingSince = void 0;
      throw new Retry(policy.intervalMs);
    }
    answerFailingSince ??= performance.now();
    throw new Retry(backoffMs(performance.now() - answerFailingSince, policy));
  };
  try {
    await pRetry(once, {
      retries: Number.POSITIVE_INFINITY,
      minTimeout: 0,
      maxRetryTime: Math.max(0, policy.deadlineAt - Date.now()),
      ...policy.signal && { signal: policy.signal },
      onFailedAttempt: async ({ error }) => {
        const remaining = policy.deadlineAt - Date.now();
        if (!(error instanceof Retry) || remaining <= 0) return;
        await sleep(Math.min(error.delayMs, remaining), void 0, policy.signal ? { signal: policy.signal } : {}).catch(() => {
        });
      },
      // only our own Retry loops; anything else (a bug, the signal) ends the check
      shouldRetry: ({ error }) => error instanceof Retry && policy.deadlineAt - Date.now() > 0
    });
  } catch {
  }
  last ??= await attempt(Math.max(policy.deadlineAt - Date.now(), 1), 1);
  if (!succeeded && last.ok && lastFailure) last = lastFailure;
  return { last, attempts, durationMs: performance.now() - started };
}

// src/gate/probe-phase.ts
var runProbePhase = Object.assign(async (spec, dials, ctx) => {
  const started = Date.now();
  const shared = {
    spec,
    ctx,
    host: createHostView(ctx.runner, ctx.signal),
    policy: {
      intervalMs: spec.gate.intervalMs,
      maxIntervalMs: spec.gate.maxIntervalMs,
      successThreshold: spec.gate.successThreshold,
      deadlineAt: ctx.deadlineAt,
      signal: ctx.signal
    },
    started
  };
  if (spec.nginx.front && spec.nginx.errorLog) {
    const size = await fileSize(spec.nginx.errorLog);
    if (size !== void 0) shared.errorLogFrom = size;
  }
  const runs = await Promise.all(spec.services.map((s) => runService(s, dials.filter((d) => d.service === s.name), shared)));
  return { findings: dedupe2(runs.flatMap((r) => r.findings)), checks: runs.flatMap((r) => r.checks), notRun: runs.flatMap((r) => r.notRun) };
}, { plan });
function plan(spec, dials) {
  return spec.services.flatMap((service) => {
    const listeners = targetsOf(service, dials.filter((d) => d.service === service.name)).map(
      ({ endpoint }) => endpoint.kind === "tcp" && !isIP5(endpoint.host) ? resolveName(endpoint.host) : listenerName(endpoint, endpoint)
    );
    return [.../* @__PURE__ */ new Set([...listeners, ...healthNames(service), ...frontNames(service, spec)])].map((name) => ({ service: service.name, name }));
  });
}
var resolveName = (host) => `resolve ${host}`;
var listenerName = (endpoint, dialed) => `${endpoint.kind} ${endpoint.kind === "unix" ? endpoint.path : formatEndpoint(dialed)}`;
var frontName = (path) => `front GET ${path}`;
function healthKind(service) {
  return service.protocol === "fastcgi" ? "fastcgi" : service.protocol === "https" ? "https" : service.protocol === "http" ? "http" : void 0;
}
function healthName(kind, path, dialed) {
  return `${kind === "fastcgi" ? "fastcgi" : `${kind} GET`} ${path}${dialed ? ` ${formatEndpoint(dialed)}` : ""}`;
}
function healthNames(service) {
  const kind = healthKind(service);
  return kind && service.health ? [healthName(kind, service.health)] : [];
}
function frontNames(service, spec) {
  return spec.nginx.front && service.health ? [frontName(service.health)] : [];
}
function targetsOf(service, dials) {
  const targets = [{ endpoint: service.backend }];
  for (const d of dials) {
    if (d.dynamic || !d.endpoint) continue;
    const same = targets.find((t) => sameEndpoint(t.endpoint, d.endpoint));
    if (same) same.dial ??= d;
    else targets.push({ endpoint: d.endpoint, dial: d });
  }
  return targets;
}
async function runService(service, dials, sh) {
  const out = { findings: [], checks: [], notRun: [], listeners: /* @__PURE__ */ new Map(), started: [] };
  const [backend, ...others] = targetsOf(service, dials);
  const backendChain = async () => {
    if (!backend) return;
    const listeners = [];
    const addresses = await listenerChecks(service, backend, sh, out, listeners);
    if (!addresses) return notRun(out, service, [...healthNames(service), ...frontNames(service, sh.spec)], listeners);
    const health = [];
    const healthy = await healthChecks(service, backend, addresses, sh, out, health);
    if (!healthy) return notRun(out, service, frontNames(service, sh.spec), health);
    if (sh.spec.nginx.front && service.health) await frontCheck(service, sh, out);
  };
  await Promise.all([backendChain(), ...others.map((t) => listenerChecks(service, t, sh, out))]);
  const at2 = (c) => out.started.indexOf(c.name);
  out.checks.sort((a, b) => stageRank(a.name) - stageRank(b.name) || at2(a) - at2(b));
  return out;
}
function notRun(out, service, names2, before) {
  const failed = out.checks.filter((c) => !c.ok && before.includes(c.name)).map((c) => c.name);
  const why = failed.length ? `${failed.join(", ")} failed` : "the gate stopped before it";
  out.notRun.push(...names2.map((name) => ({ service: service.name, name, why })));
}
function stageRank(check) {
  if (/^(resolve|tcp|unix) /.test(check)) return 0;
  if (check.startsWith("front ")) return 2;
  return 1;
}
async function listenerChecks(service, target, sh, out, names2 = []) {
  const { endpoint } = target;
  const g = sh.spec.gate;
  let addresses = endpoint.kind === "tcp" ? [endpoint.host] : [void 0];
  if (endpoint.kind === "tcp" && !isIP5(endpoint.host)) {
    let resolved = [];
    const name = resolveName(endpoint.host);
    names2.push(name);
    out.started.push(name);
    const run = await retryCheck(
      async (budget) => {
        const r = await resolveAll2(endpoint.host, { timeoutMs: Math.min(g.connectTimeoutMs, budget), signal: sh.ctx.signal });
        if (r.ok) resolved = r.addresses;
        const probe = r.ok ? { ok: true, kind: "tcp", target: endpoint.host, stage: "resolve", message: r.addresses.join(", "), timings: { totalMs: r.durationMs } } : { ok: false, kind: "tcp", target: endpoint.host, stage: "resolve", ...r.code !== void 0 && { code: r.code }, message: r.message, timings: { totalMs: r.durationMs } };
        return outcome(service, target, void 0, "listener", probe, {});
      },
      { ...sh.policy, successThreshold: 1 },
      progress(service, name, sh, 1)
    );
    if (!run.last.ok) {
      record2(out, service, name, run, sh);
      return void 0;
    }
    addresses = resolved;
  }
  const runs = await Promise.all(
    addresses.map((address) => {
      const dialed = dialedAt(endpoint, address);
      const name = listenerName(endpoint, dialed);
      names2.push(name);
      const shared = out.listeners.get(name);
      if (shared) return shared;
      const check = listenerCheck(service, target, address, dialed, name, sh, out);
      out.listeners.set(name, check);
      return check;
    })
  );
  return runs.every(Boolean) ? addresses : void 0;
}
function dialedAt(endpoint, address) {
  return endpoint.kind === "tcp" && address !== void 0 ? { kind: "tcp", host: address, port: endpoint.port } : endpoint;
}
async function listenerCheck(service, target, address, dialed, name, sh, out) {
  const { endpoint } = target;
  const g = sh.spec.gate;
  out.started.push(name);
  const run = await retryCheck(
    async (budget) => {
      const timeoutMs = Math.min(g.connectTimeoutMs, budget);
      const probe = await probeConnect(dialed, { timeoutMs, signal: sh.ctx.signal });
      const o = outcome(service, target, address, "listener", probe, await sh.host.gather(probe, endpoint, address, service.unit));
      if (o.finding?.code === "network.rejected" && probe.code === "ECONNREFUSED") {
        const again = await probeConnect(dialed, { timeoutMs, signal: sh.ctx.signal });
        if (again.ok) return { ok: true, probe: again };
      }
      return { ...o, ...cutShort(probe, timeoutMs, g.connectTimeoutMs) && { cut: true } };
    },
    sh.policy,
    progress(service, name, sh)
  );
  record2(out, service, name, run, sh);
  return run.last.ok;
}
async function healthChecks(service, target, list, sh, out, names2) {
  const path = service.health;
  const kind = healthKind(service);
  if (!path) return true;
  if (!kind) {
    out.findings.push({ severity: "info", service: service.name, message: `health ${path} is not requested over ${service.protocol}: the listener probe is the check` });
    return true;
  }
  const { endpoint } = target;
  const g = sh.spec.gate;
  const runs = await Promise.all(
    list.map(async (address) => {
      const dialed = dialedAt(endpoint, address);
      const name = healthName(kind, path, list.length > 1 ? dialed : void 0);
      names2.push(name);
      out.started.push(name);
      const run = await retryCheck(
        async (budget) => {
          const timeouts = { connectTimeoutMs: Math.min(g.connectTimeoutMs, budget), requestTimeoutMs: Math.min(g.requestTimeoutMs, budget), signal: sh.ctx.signal };
          const host = endpoint.kind === "tcp" ? { host: formatEndpoint(endpoint) } : {};
          const probe = kind === "fastcgi" ? await probeFastcgi({ endpoint: dialed, path, ...timeouts }) : await probeHttp({ endpoint: dialed, tls: kind === "https", path, ...host, ...timeouts });
          const o = outcome(service, target, address, "health", probe, await sh.host.gather(probe, endpoint, address, service.unit));
          return { ...o, ...requestCutShort(probe, timeouts, g) && { cut: true } };
        },
        sh.policy,
        progress(service, name, sh)
      );
      record2(out, service, name, run, sh);
      return run.last.ok;
    })
  );
  return runs.every(Boolean);
}
async function frontCheck(service, sh, out) {
  const front = sh.spec.nginx.front;
  const path = service.health;
  if (!front || !path) return;
  let url;
  try {
    url = new URL(front);
  } catch {
    return;
  }
  const tls = url.protocol === "https:";
  const port = Number(url.port || (tls ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const endpoint = { kind: "tcp", host, port };
  const base = url.pathname.replace(/\/$/, "");
  const label = `${url.protocol}//${url.username || url.password ? "***@" : ""}${url.host}${base}${path}`;
  const name = frontName(path);
  const credentials = url.username || url.password ? { credentials: `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` } : {};
  const g = sh.spec.gate;
  const hostHeader = service.serverNames.find((n) => !/[*~]/.test(n)) ?? url.host;
  out.started.push(name);
  const run = await retryCheck(
    async (budget) => {
      const connectTimeoutMs = Math.min(g.connectTimeoutMs, budget);
      const requestTimeoutMs = Math.min(g.requestTimeoutMs, budget);
      const probe = await probeHttp({ endpoint, tls, path: `${base}${path}`, host: hostHeader, label, ...credentials, connectTimeoutMs, requestTimeoutMs, signal: sh.ctx.signal });
      let errorLog;
      if (!probe.ok && (probe.status === 502 || probe.status === 504)) errorLog = await gatewayEvidence(service, sh);
      const evidence = probe.ok || probe.status !== void 0 ? {} : await sh.host.gather(probe, endpoint, void 0, void 0);
      const o = outcome(service, { endpoint }, void 0, "front", probe, evidence, errorLog);
      return { ...o, ...requestCutShort(probe, { connectTimeoutMs, requestTimeoutMs }, g) && { cut: true } };
    },
    sh.policy,
    progress(service, name, sh)
  );
  record2(out, service, name, run, sh);
}
async function gatewayEvidence(service, sh) {
  const file = sh.spec.nginx.errorLog;
  if (!file) return ["nginx.error_log is not set: the 502 cannot be attributed"];
  if (sh.errorLogFrom === void 0) return [`${file} was not readable when the gate started`];
  const { lines, error } = await readSince(file, sh.errorLogFrom);
  if (error) return [error];
  return gatewayLines(lines, service.serverNames);
}
function outcome(service, target, address, check, probe, evidence, errorLog) {
  if (probe.ok) return { ok: true, probe };
  const dial = target.dial;
  const finding = classify({
    service,
    check,
    endpoint: target.endpoint,
    ...address !== void 0 && { address },
    ...dial && { dial },
    probe,
    evidence,
    ...errorLog && { errorLog }
  });
  return { ok: false, probe, ...finding && { finding } };
}
function progress(service, check, sh, threshold = sh.policy.successThreshold) {
  let lastKey;
  return (o, n, passes) => {
    const on = sh.ctx.onProgress;
    if (!on) return;
    const passed = o.ok && passes >= threshold;
    const key = passed ? "pass" : o.ok ? "waiting:passing" : `waiting:${o.finding?.code ?? ""}`;
    if (key === lastKey) return;
    lastKey = key;
    const now = Date.now();
    on({
      service: service.name,
      check,
      state: passed ? "pass" : "waiting",
      ...o.finding?.code && { code: o.finding.code },
      message: o.finding?.message ?? (o.ok && !passed ? `passing, ${threshold} in a row needed` : o.probe.message),
      attempt: n,
      elapsedMs: now - sh.started,
      remainingMs: Math.max(0, sh.ctx.deadlineAt - now)
    });
  };
}
function record2(out, service, name, run, sh) {
  const { last } = run;
  const f = last.finding;
  out.checks.push({
    service: service.name,
    name,
    ok: last.ok,
    ...f?.code && { code: f.code },
    message: f?.message ?? last.probe.message,
    attempts: run.attempts,
    durationMs: Math.round(run.durationMs)
  });
  if (!last.ok && f) {
    out.findings.push(f);
    const now = Date.now();
    sh.ctx.onProgress?.({
      service: service.name,
      check: name,
      state: "fail",
      ...f.code && { code: f.code },
      message: f.message,
      attempt: run.attempts,
      elapsedMs: now - sh.started,
      remainingMs: Math.max(0, sh.ctx.deadlineAt - now)
    });
  }
}
function cutShort(probe, usedMs, configuredMs) {
  return probe.code === "ETIMEDOUT" && usedMs < configuredMs;
}
function requestCutShort(probe, used, g) {
  return probe.stage === "connect" ? cutShort(probe, used.connectTimeoutMs, g.connectTimeoutMs) : cutShort(probe, used.requestTimeoutMs, g.requestTimeoutMs);
}
function dedupe2(findings) {
  const seen = /* @__PURE__ */ new Set();
  return findings.filter((f) => {
    const key = `${f.service}|${f.code}|${f.target}|${f.code ? "" : f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// src/gate/run.ts
function graceMs(spec) {
  return Math.min(spec.gate.connectTimeoutMs, 5e3);
}
async function runGate(spec, opts) {
  const started = Date.now();
  const phase = opts.phase ?? "all";
  const deadlineMs = opts.deadlineMs ?? spec.gate.deadlineMs;
  const deadlineAt = started + deadlineMs;
  const hardStop = AbortSignal.timeout(deadlineMs + graceMs(spec));
  const signal = opts.signal ? AbortSignal.any([opts.signal, hardStop]) : hardStop;
  const ctx = {
    signal,
    deadlineAt,
    runner: opts.runner ?? execaRunner(),
    ...opts.onProgress && { onProgress: opts.onProgress }
  };
  const findings = [];
  const checks = [];
  const notRun2 = [];
  let dials = [];
  if (phase !== "probe") {
    const config = await runConfigPhase(spec, ctx);
    findings.push(...config.findings);
    dials = config.dials;
    const configErrors = config.findings.filter((f) => f.severity === "error");
    for (const s of spec.services) {
      const own = configErrors.find((f) => f.service === s.name) ?? configErrors.find((f) => f.service === void 0);
      checks.push({
        service: s.name,
        name: "config",
        ok: !own,
        ...own?.code && { code: own.code },
        ...own && { message: own.message }
      });
    }
  }
  const configFailed = findings.some((f) => f.severity === "error");
  if (phase !== "config" && !configFailed && !signal.aborted) {
    const probe = await runProbePhase(spec, dials, ctx);
    findings.push(...probe.findings);
    checks.push(...probe.checks);
    notRun2.push(...probe.notRun ?? []);
  } else if (phase !== "config") {
    const failed = checks.filter((c) => !c.ok).map((c) => c.service);
    const why = (service) => !configFailed ? opts.signal?.aborted ? "the gate was interrupted" : "the deadline passed" : failed.includes(service) ? "the config check failed" : `the config check of ${failed.join(", ")} failed`;
    notRun2.push(...(runProbePhase.plan?.(spec, dials) ?? []).map((c) => ({ ...c, why: why(c.service) })));
  }
  if (opts.signal?.aborted) {
    findings.push({ severity: "info", message: "interrupted before the gate finished: the verdict covers only what ran" });
  }
  const report = verdictOf(findings, checks, spec, Date.now() - started, opts.signal?.aborted === true);
  return notRun2.length ? { ...report, notRun: notRun2 } : report;
}
function verdictOf(findings, checks, spec, durationMs, interrupted = false) {
  const deciding = findings.find((f) => f.severity === "error");
  const fail = deciding !== void 0 || interrupted;
  const reason = deciding?.code;
  return {
    verdict: fail ? "fail" : "pass",
    ...fail && reason && { reason },
    findings,
    ...checks && { checks },
    spec: spec.file,
    durationMs
  };
}

// src/report/json.ts
function toJson(report) {
  const out = { verdict: report.verdict };
  if (report.verdict === "fail" && report.reason !== void 0) out.reason = report.reason;
  out.findings = report.findings.map(findingJson);
  if (report.checks !== void 0) out.checks = report.checks.map(checkJson);
  if (report.notRun?.length) out.not_run = report.notRun.map(notRunJson);
  if (report.spec !== void 0) out.spec = report.spec;
  if (report.durationMs !== void 0) out.duration_ms = Math.round(report.durationMs);
  return `${JSON.stringify(out, null, 2)}
`;
}
function findingJson(f) {
  const o = {};
  if (f.code !== void 0) o.code = f.code;
  o.severity = f.severity;
  if (f.service !== void 0) o.service = f.service;
  if (f.target !== void 0) o.target = maskCredentials(f.target);
  if (f.errno !== void 0) o.errno = f.errno;
  if (f.errno_name !== void 0) o.errno_name = f.errno_name;
  o.message = maskCredentials(f.message);
  if (f.evidence !== void 0) o.evidence = f.evidence.map(maskCredentials);
  if (f.fix !== void 0) o.fix = maskCredentials(f.fix);
  if (f.file !== void 0) o.file = f.file;
  if (f.line !== void 0) o.line = f.line;
  return o;
}
function checkJson(c) {
  const o = { service: c.service, name: maskCredentials(c.name), ok: c.ok };
  if (c.code !== void 0) o.code = c.code;
  if (c.message !== void 0) o.message = maskCredentials(c.message);
  if (c.attempts !== void 0) o.attempts = c.attempts;
  if (c.durationMs !== void 0) o.duration_ms = Math.round(c.durationMs);
  return o;
}
function notRunJson(c) {
  return { service: c.service, name: maskCredentials(c.name), why: maskCredentials(c.why) };
}

// src/report/paths.ts
import { isAbsolute as isAbsolute2, relative as relative2, resolve, sep } from "node:path";
function relativeInside(file, dir) {
  if (dir === void 0) return void 0;
  const abs = isAbsolute2(file) ? file : resolve(dir, file);
  const rel = relative2(resolve(dir), abs);
  if (rel === "" || rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute2(rel)) return void 0;
  return rel.split(sep).join("/");
}

// src/report/xml.ts
var FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
function xmlText(s) {
  return s.replace(FORBIDDEN, "\uFFFD").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
function xmlAttr(s) {
  return xmlText(s).replace(/"/g, "&quot;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;").replace(/\t/g, "&#9;");
}

// src/report/junit.ts
function toJunit(report, opts = {}) {
  const shown = { ...report, findings: report.findings.map((f) => f.file === void 0 ? f : { ...f, file: relativeInside(f.file, opts.cwd) ?? f.file }) };
  const general = shown.findings.filter((f) => f.service === void 0);
  const used = /* @__PURE__ */ new Set();
  const notRun2 = shown.notRun ?? [];
  const suites = byService(shown).filter((v) => v.service !== void 0).map((v) => ({ name: v.service, cases: casesOf(v, general, used, notRun2), notes: notesOf(v.findings) }));
  for (const n of notRun2) {
    if (!suites.some((s) => s.name === n.service)) suites.push({ name: n.service, cases: casesOf({ service: n.service, checks: [], findings: [], status: "fail" }, [], used, notRun2), notes: [] });
  }
  const rest = general.filter((f) => !used.has(f));
  const restCases = casesOf({ checks: [], findings: rest, status: "pass" }, [], used, []);
  if (restCases.length || !suites[0]) suites.unshift({ name: "upstream-gate", cases: restCases, notes: notesOf(rest) });
  else suites[0].notes.unshift(...notesOf(rest));
  if (suites.every((s) => s.cases.length === 0)) {
    const failure = { severity: "error", message: "the gate failed", ...report.reason !== void 0 && { code: report.reason } };
    suites.push({ name: "upstream-gate", cases: [{ classname: "upstream-gate", name: "gate", ...report.verdict === "fail" && { failure } }], notes: [] });
  }
  const all = suites.flatMap((s) => s.cases);
  const totalS = report.durationMs !== void 0 ? report.durationMs / 1e3 : void 0;
  const time = totalS !== void 0 ? ` time="${seconds(totalS)}"` : "";
  const skipped = all.filter((c) => c.skipped !== void 0).length;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="upstream-gate" tests="${all.length}" failures="${all.filter((c) => c.failure).length}" errors="0" skipped="${skipped}"${time}>`
  ];
  for (const s of suites) {
    const failures = s.cases.filter((c) => c.failure).length;
    const sum = s.cases.reduce((t2, c) => t2 + (c.timeS ?? 0), 0);
    const t = totalS === void 0 ? sum : Math.min(sum, totalS);
    lines.push(
      `  <testsuite name="${xmlAttr(s.name)}" tests="${s.cases.length}" failures="${failures}" errors="0" skipped="${s.cases.filter((c) => c.skipped !== void 0).length}" time="${seconds(t)}">`
    );
    for (const c of s.cases) lines.push(...caseXml(c));
    if (s.notes.length) lines.push(`    <system-out>${xmlText(maskCredentials(s.notes.join("\n")))}</system-out>`);
    lines.push("  </testsuite>");
  }
  lines.push("</testsuites>");
  return `${lines.join("\n")}
`;
}
function casesOf(v, general, used, notRun2) {
  const classname = v.service ?? "upstream-gate";
  const cases = v.checks.map((c) => {
    const failure = c.ok ? void 0 : explain(c, v.findings, general, used);
    return {
      classname,
      name: maskCredentials(c.name),
      ...c.durationMs !== void 0 && { timeS: c.durationMs / 1e3 },
      ...failure && { failure },
      ...failure && at(failure)
    };
  });
  for (const n of notRun2) if (n.service === v.service) cases.push({ classname, name: maskCredentials(n.name), skipped: maskCredentials(n.why) });
  for (const f of v.findings) {
    if (used.has(f) || isNote(f)) continue;
    const name = [f.code ?? f.severity, f.target].filter(Boolean).map((s) => maskCredentials(s)).join(" ");
    if (f.severity === "error") cases.push({ classname, name, failure: f, ...at(f) });
    else cases.push({ classname, name, out: detail(f), ...at(f) });
  }
  return cases;
}
function at(f) {
  return { ...f.file !== void 0 && { file: f.file }, ...f.file !== void 0 && f.line !== void 0 && { line: f.line } };
}
function notesOf(findings) {
  return findings.filter(isNote).map((f) => `note: ${f.message}`);
}
function explain(c, findings, general, used) {
  const same = (x) => x.severity === "error" && (c.code === void 0 || x.code === c.code);
  const f = findings.find((x) => !used.has(x) && same(x)) ?? general.find(same);
  if (f) {
    used.add(f);
    return f;
  }
  return { ...c.code !== void 0 && { code: c.code }, severity: "error", service: c.service, message: c.message ?? "failed" };
}
function caseXml(c) {
  const attrs = [`name="${xmlAttr(c.name)}"`, `classname="${xmlAttr(c.classname)}"`];
  if (c.file !== void 0) attrs.push(`file="${xmlAttr(c.file)}"`);
  if (c.line !== void 0) attrs.push(`line="${c.line}"`);
  attrs.push(`time="${seconds(c.timeS ?? 0)}"`);
  const open2 = `    <testcase ${attrs.join(" ")}`;
  if (!c.failure && c.out === void 0 && c.skipped === void 0) return [`${open2}/>`];
  const lines = [`${open2}>`];
  if (c.skipped !== void 0) lines.push(`      <skipped message="${xmlAttr(`not run: ${c.skipped}`)}"/>`);
  if (c.failure) {
    const type = c.failure.code ?? "failed";
    const message = firstLine2(maskCredentials(c.failure.message));
    lines.push(`      <failure type="${xmlAttr(type)}" message="${xmlAttr(message)}">${xmlText(detail(c.failure))}</failure>`);
  }
  if (c.out !== void 0) lines.push(`      <system-out>${xmlText(c.out)}</system-out>`);
  lines.push("    </testcase>");
  return lines;
}
function detail(f) {
  const out = [[f.code, f.target].filter(Boolean).join(" "), f.message];
  if (f.errno !== void 0) out.push(`errno: ${f.errno}${f.errno_name ? ` ${f.errno_name}` : ""}`);
  for (const e of f.evidence ?? []) out.push(`evidence: ${e}`);
  if (f.fix) out.push(`fix: ${f.fix}`);
  const at2 = location(f);
  if (at2) out.push(`at: ${at2}`);
  return maskCredentials(out.filter(Boolean).join("\n"));
}
function inputErrorJunit(message) {
  const text = maskCredentials(message);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<testsuites name="upstream-gate" tests="1" failures="0" errors="1" skipped="0">',
    '  <testsuite name="upstream-gate" tests="1" failures="0" errors="1" skipped="0" time="0.000">',
    '    <testcase name="input" classname="upstream-gate" time="0.000">',
    `      <error type="input.invalid" message="${xmlAttr(firstLine2(text))}">${xmlText(text)}</error>`,
    "    </testcase>",
    "  </testsuite>",
    "</testsuites>",
    ""
  ].join("\n");
}
function firstLine2(s) {
  const i = s.indexOf("\n");
  return i < 0 ? s : s.slice(0, i);
}
function seconds(s) {
  return s.toFixed(3);
}

// src/report/text.ts
function toText(report, opts) {
  const p = paint(opts.color);
  if (opts.quiet) return `${verdictLine(report, p)}
`;
  const out = [];
  for (const v of byService(report)) {
    if (v.service !== void 0 || v.status !== "pass") out.push(summaryLine(v, p));
    for (const f of v.findings) out.push(...isNote(f) ? [`  ${p.dim("note:")} ${forTerminal(f.message)}`] : findingLines(f, p));
  }
  if (out.length) out.push("");
  out.push(verdictLine(report, p));
  return `${out.join("\n")}
`;
}
var LABEL = { pass: "PASS", warn: "WARN", fail: "FAIL" };
function statusLabel(status, p) {
  const s = LABEL[status];
  return status === "fail" ? p.bold(p.red(s)) : status === "warn" ? p.yellow(s) : p.green(s);
}
function summaryLine(v, p) {
  const name = v.service === void 0 ? p.dim("(gate)") : p.bold(v.service);
  const failed = v.checks.filter((c) => !c.ok);
  const errors = v.findings.filter((f) => f.severity === "error");
  const warnings = v.findings.filter((f) => f.severity === "warning");
  let detail2;
  if (v.status === "fail") {
    const first = errors[0] ?? failed[0];
    const code = first?.code ? `${first.code}: ` : "";
    const of = v.checks.length ? `${failed.length} of ${plural(v.checks.length, "check")} failed; ` : "";
    detail2 = `${of}${code}${forTerminal(first?.message ?? "failed")}`;
  } else {
    const parts = [v.checks.length > 0 && `${plural(v.checks.length, "check")} passed`, warnings.length > 0 && plural(warnings.length, "warning")];
    detail2 = parts.filter(Boolean).join(", ") || "no checks ran";
  }
  return `${statusLabel(v.status, p)}  ${name}  ${detail2}`;
}
function findingLines(f, p) {
  const mark = f.severity === "error" ? p.red("x") : f.severity === "warning" ? p.yellow("!") : p.dim("i");
  const head = [f.code && p.cyan(f.code), f.target && forTerminal(f.target), f.errno !== void 0 && p.dim(`(${f.errno_name ?? "errno"} ${f.errno})`)].filter(Boolean).join("  ");
  const lines = [`  ${mark} ${head || p.dim(f.severity)}`];
  lines.push(...block("", forTerminal(f.message)));
  if (f.evidence?.length) lines.push(...block("evidence:", f.evidence.map(forTerminal).join("\n")));
  if (f.fix) lines.push(...block(p.bold("fix:"), forTerminal(f.fix), "fix:".length));
  const at2 = location(f);
  if (at2) lines.push(...block("at:", at2));
  return lines;
}
var INDENT = 4;
var LABEL_WIDTH = 10;
function block(label, text, visibleLabelLength = label.length) {
  const pad = " ".repeat(INDENT);
  const gap = label ? " ".repeat(Math.max(1, LABEL_WIDTH - visibleLabelLength)) : "";
  const column = label ? " ".repeat(LABEL_WIDTH) : "";
  return text.split("\n").map((t, i) => i === 0 ? `${pad}${label}${gap}${t}` : `${pad}${column}${t}`);
}
function verdictLine(report, p) {
  const c = counts(report);
  const stats = [plural(c.errors, "error"), plural(c.warnings, "warning")];
  if (c.checks) stats.push(`${plural(c.checks, "check")}${report.durationMs !== void 0 ? ` in ${formatDuration(report.durationMs)}` : ""}`);
  else if (report.durationMs !== void 0) stats.push(formatDuration(report.durationMs));
  if (report.verdict === "pass") return `${p.bold(p.green("PASS"))}  (${stats.join(", ")})`;
  const f = decidingFinding(report);
  const who = f?.service ? `[${f.service}] ` : "";
  const reason = report.reason ?? f?.code;
  const what = f ? `: ${forTerminal(f.message)}` : "";
  return `${p.bold(p.red("FAIL"))}  ${who}${reason ? p.cyan(reason) : "failed"}${what}  (${stats.join(", ")})`;
}

// src/report/progress.ts
function createProgress(stream, opts) {
  if (opts.quiet) return { onProgress() {
  }, done() {
  } };
  const p = paint(opts.color === true);
  return opts.live ?? stream.isTTY === true ? liveProgress(stream, p) : lineProgress(stream, p);
}
function lineProgress(stream, p) {
  const last = /* @__PURE__ */ new Map();
  return {
    onProgress(e) {
      const key = `${e.service}\0${e.check}`;
      const state = `${e.state}\0${e.code ?? ""}`;
      if (last.get(key) === state) return;
      last.set(key, state);
      stream.write(`${p.bold(`[${e.service}]`)} ${forTerminal(e.check)}: ${describe(e, p)}
`);
    },
    done() {
    }
  };
}
var TICK_MS = 250;
function liveProgress(stream, p) {
  const services = /* @__PURE__ */ new Map();
  const received = /* @__PURE__ */ new Map();
  let drawn = 0;
  let ticker;
  const aged = (e, now) => {
    if (e.state !== "waiting") return e;
    const since = now - (received.get(e) ?? now);
    return { ...e, elapsedMs: e.elapsedMs + since, remainingMs: Math.max(0, e.remainingMs - since) };
  };
  const draw = () => {
    const now = Date.now();
    const width = Math.max(20, (stream.columns ?? 100) - 1);
    const lines = [...services].map(([service, checks]) => fit(serviceLine(service, [...checks.values()].map((e) => aged(e, now)), p), width));
    let out = drawn > 0 ? `\x1B[${drawn}A` : "";
    for (const l of lines) out += `\r\x1B[2K${l}
`;
    drawn = lines.length;
    stream.write(out);
  };
  return {
    onProgress(e) {
      let checks = services.get(e.service);
      if (!checks) services.set(e.service, checks = /* @__PURE__ */ new Map());
      const previous = checks.get(e.check);
      if (previous) received.delete(previous);
      checks.set(e.check, e);
      received.set(e, Date.now());
      ticker ??= setInterval(draw, TICK_MS).unref();
      draw();
    },
    done() {
      if (ticker) clearInterval(ticker);
      ticker = void 0;
      if (drawn > 0) draw();
      drawn = 0;
    }
  };
}
function serviceLine(service, events, p) {
  const pick = events.find((e) => e.state === "fail") ?? events.find((e) => e.state === "waiting") ?? events[events.length - 1];
  const passed = events.filter((e) => e.state === "pass").length;
  const tally = p.dim(`${passed}/${events.length}`);
  if (!pick) return service;
  return `${p.bold(service)} ${tally} ${forTerminal(pick.check)}: ${describe(pick, p, true)}`;
}
function describe(e, p, live = false) {
  const why = e.code ? `${p.cyan(e.code)}${e.message ? ` ${forTerminal(e.message)}` : ""}` : e.message ? forTerminal(e.message) : "";
  const attempts = plural(e.attempt, "attempt");
  if (e.state === "pass") return `${p.green("pass")} (${attempts}, ${formatDuration(e.elapsedMs)})`;
  if (e.state === "fail") return `${p.red("fail")}${why ? ` ${why}` : ""} (${attempts}, ${formatDuration(e.elapsedMs)})`;
  const retry = isDefinitive(e.code) ? "confirming, will not fix itself" : "retrying";
  return `${p.yellow("waiting")}${why ? ` ${why}` : ""} (${live ? "since " : ""}attempt ${e.attempt}, ${retry}, ${formatDuration(Math.max(0, e.remainingMs))} left)`;
}
function fit(line, width) {
  if (line.replace(/\x1b\[[0-9;]*m/g, "").length <= width) return line;
  let visible = 0;
  let out = "";
  for (let i = 0; i < line.length && visible < width - 1; i++) {
    const esc = /^\x1b\[[0-9;]*m/.exec(line.slice(i, i + 12));
    if (esc) {
      out += esc[0];
      i += esc[0].length - 1;
      continue;
    }
    out += line[i];
    visible++;
  }
  return `${out}\u2026\x1B[0m`;
}

// src/cli/check.ts
var help = `Usage: upstream-gate check [--spec FILE] [--phase config|probe|all] [--format text|json|junit]
                          [--deadline DUR] [--report FILE] [--nginx-dump FILE] [--quiet]

Check that nginx dials what the spec says (config phase), then probe every
address nginx would dial and each health endpoint (probe phase), and give the
verdict with a classified reason, the evidence and the fix.

Options:
  --spec FILE        spec file (default ./${DEFAULT_SPEC_FILE})
  --phase PHASE      config, probe or all (default all: config, then probe;
                     a config error fails the gate without probing)
  --format FORMAT    text (default), json (the report contract) or junit
  --deadline DUR     bound the whole gate, every retry included (e.g. 30s);
                     overrides gate.deadline of the spec
  --report FILE      also write the JSON report to FILE
  --nginx-dump FILE  read an \`nginx -T\` dump instead of the config files
                     ("-" for standard input); overrides nginx.dump
  --quiet            print only the verdict (progress and details omitted)
  -h, --help         this help

Retries: while nothing listens yet (refused, missing socket) the connect is
retried every gate.interval; HTTP-level failures back off from gate.interval
to gate.max_interval, growing with the time already waited (a tenth of it). Definitive reasons (family mismatch, wrong address or
port, permission, SELinux, firewall reject) fail after two confirmations
instead of waiting for the deadline.

Exit codes: 0 pass, 1 the gate failed, 2 bad input.`;
var unguarded = {
  help,
  async run(args, io) {
    const { values } = parseFlags("check", args, {
      spec: { type: "string" },
      phase: { type: "string" },
      format: { type: "string" },
      deadline: { type: "string" },
      report: { type: "string" },
      "nginx-dump": { type: "string" },
      quiet: { type: "boolean", short: "q" }
    });
    if (values.help) {
      io.stdout.write(`${help}
`);
      return EXIT.pass;
    }
    const phase = oneOf("phase", values.phase, ["config", "probe", "all"], "all");
    const format = oneOf("format", values.format, ["text", "json", "junit"], "text");
    const deadlineMs = durationFlag("deadline", values.deadline);
    const specArg = values.spec ?? DEFAULT_SPEC_FILE;
    const spec = await loadSpecFile(resolve2(io.cwd, specArg), specArg);
    const dump = values["nginx-dump"];
    if (dump !== void 0) spec.nginx.dump = dump === "-" ? "-" : resolve2(io.cwd, dump);
    const reportPath = values.report === void 0 ? void 0 : resolve2(io.cwd, values.report);
    const quiet = values.quiet === true;
    const progress2 = createProgress(io.stderr, { quiet, color: useColor(io.stderr, io.env), live: io.stderr.isTTY === true && io.env.TERM !== "dumb" });
    const report = await runGate(spec, {
      phase,
      ...deadlineMs !== void 0 && { deadlineMs },
      signal: io.signal,
      onProgress: progress2.onProgress
    });
    progress2.done();
    const json = reportPath || format === "json" ? toJson(report) : "";
    if (reportPath) await writeFilesAtomically([{ path: reportPath, text: json }]);
    io.stdout.write(format === "json" ? json : format === "junit" ? toJunit(report, { cwd: io.cwd }) : toText(report, { color: useColor(io.stdout, io.env), quiet }));
    return report.verdict === "pass" ? EXIT.pass : EXIT.fail;
  }
};
var checkCommand = {
  help,
  async run(args, io) {
    try {
      return await unguarded.run(args, io);
    } catch (e) {
      if (isUserError(e) && requestedFormat(args) === "junit") io.stdout.write(inputErrorJunit(e.message));
      throw e;
    }
  }
};
function requestedFormat(args) {
  let format;
  args.forEach((a, i) => {
    if (a === "--format") format = args[i + 1];
    else if (a.startsWith("--format=")) format = a.slice("--format=".length);
  });
  return format;
}
export {
  checkCommand
};
