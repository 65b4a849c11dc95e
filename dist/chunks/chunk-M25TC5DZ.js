import { createRequire as __ugateCreateRequire } from 'node:module';
const require = __ugateCreateRequire(import.meta.url);
import {
  UserError,
  fileErrorWords
} from "./chunk-ZLXW7TD3.js";

// src/nginx/load.ts
import { closeSync as closeSync2, openSync as openSync2, readFileSync, readSync as readSync2, statSync as statSync3 } from "node:fs";
import { dirname as dirname4 } from "node:path";

// src/nginx/dump.ts
var HEADER = /^# configuration file (\/.*):\r?$/;
var NGINX_MESSAGE = /^(nginx: |\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[\w+\] )/;
function isDump(text) {
  for (const line of text.slice(0, 64 * 1024).split("\n")) {
    if (line.trim() === "" || NGINX_MESSAGE.test(line)) continue;
    return HEADER.test(line);
  }
  return false;
}
function parseDump(text) {
  const lines = text.split("\n");
  const files = /* @__PURE__ */ new Map();
  const messages = [];
  let main;
  let current;
  let body = [];
  const flush = () => {
    if (current === void 0) return;
    if (body.length > 0 && body[body.length - 1] === "") body.pop();
    if (!files.has(current)) files.set(current, body.join("\n"));
  };
  for (const line of lines) {
    const m = HEADER.exec(line);
    if (m) {
      flush();
      current = m[1];
      main ??= current;
      body = [];
      continue;
    }
    if (NGINX_MESSAGE.test(line) && (current === void 0 || !line.startsWith("nginx: ") || /^nginx: (\[\w+\]|configuration file|the configuration file)/.test(line))) {
      messages.push(line.trimEnd());
      continue;
    }
    if (current !== void 0) body.push(line);
  }
  flush();
  if (main === void 0) return void 0;
  return { main, files, messages };
}

// src/nginx/nginx-test.ts
import { accessSync, constants, statSync } from "node:fs";
import { join as join3, resolve as resolve2 } from "node:path";

// src/host/run.ts
var DEFAULT_COMMAND_TIMEOUT_MS = 5e3;
function commandLine(file, args) {
  return [file, ...args].map((a) => /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`).join(" ");
}
function notStarted(file, args) {
  return { command: commandLine(file, args), stdout: "", stderr: "", failed: true, timedOut: false, notFound: false, aborted: true, durationMs: 0 };
}
function stopStarted(child) {
  const { pid } = child;
  if (pid === void 0 || !Number.isInteger(pid) || pid <= 0) return;
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill();
}
function execaRunner() {
  return {
    async run(file, args, options = {}) {
      const { signal } = options;
      if (signal?.aborted) return notStarted(file, args);
      const { execa } = await import("./execa-YVRQM5JW.js");
      if (signal?.aborted) return notStarted(file, args);
      const started = performance.now();
      const child = execa(file, [...args], {
        reject: false,
        input: options.input,
        stdin: options.input === void 0 ? "ignore" : "pipe",
        cwd: options.cwd,
        forceKillAfterDelay: 500,
        // the gate stops its children itself, through stopStarted
        cleanup: false,
        stripFinalNewline: false,
        maxBuffer: 16 * 1024 * 1024,
        ...options.env ? { env: { ...options.env }, extendEnv: false } : { env: { LC_ALL: "C" } },
        ...options.user && { uid: options.user.uid, gid: options.user.gid }
      });
      const stopped = { timedOut: false, aborted: false };
      const timer = setTimeout(() => {
        if (!stopped.aborted) stopped.timedOut = true;
        stopStarted(child);
      }, options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS);
      const onAbort = () => {
        if (!stopped.timedOut) stopped.aborted = true;
        stopStarted(child);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      const r = await child;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      const spawnError = child.pid === void 0 ? r.code ?? "failed to start" : void 0;
      return {
        command: commandLine(file, args),
        ...r.exitCode !== void 0 && { exitCode: r.exitCode },
        stdout: typeof r.stdout === "string" ? r.stdout : "",
        stderr: typeof r.stderr === "string" ? r.stderr : "",
        failed: r.failed,
        timedOut: stopped.timedOut,
        notFound: spawnError === "ENOENT",
        ...stopped.aborted && { aborted: true },
        ...spawnError !== void 0 && { spawnError },
        ...r.signal !== void 0 && { signal: r.signal },
        durationMs: performance.now() - started
      };
    }
  };
}

// src/nginx/code-loading.ts
import { realpathSync } from "node:fs";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
var SYSTEM_MODULE_DIRS = ["/usr/lib/nginx/modules", "/usr/lib64/nginx/modules", "/usr/share/nginx/modules", "/etc/nginx/modules", "/usr/local/nginx/modules"];
var CODE = {
  ssl_engine: "loads an OpenSSL engine",
  perl_modules: "makes Perl load modules from a path the config names",
  perl_require: "runs Perl code",
  perl: "runs Perl code",
  perl_set: "runs Perl code",
  js_import: "runs JavaScript (njs)",
  js_include: "runs JavaScript (njs)",
  init_by_lua: "runs Lua code",
  init_by_lua_block: "runs Lua code",
  init_by_lua_file: "runs Lua code"
};
function findCodeLoading(parse, build) {
  const dirs = moduleDirs(build);
  const out = [];
  const walk = (list, file) => {
    for (const d of list) {
      const why = whyCode(d, build, dirs);
      if (why) out.push({ directive: d.directive, args: d.args, file, line: d.line, why });
      if (d.block) walk(d.block, file);
    }
  };
  for (const c of parse.payload.config) walk(c.parsed, c.file);
  return out;
}
function loadsModules(parse) {
  return parse.payload.config.some((c) => c.parsed.some((d) => d.directive === "load_module"));
}
function whyCode(d, build, dirs) {
  const name = d.directive;
  const arg = d.args[0] ?? "";
  if (name === "load_module") {
    if (!isAbsolute(arg) && !build) return `loads ${arg}, relative to a prefix the gate could not learn from nginx -V`;
    const path = realPath(isAbsolute(arg) ? arg : join(build?.prefix ?? "/", arg));
    return dirs.some((dir) => path === dir || path.startsWith(`${dir}/`)) ? void 0 : `loads ${path} from outside the system's module directories (${dirs.join(", ")})`;
  }
  if (name.endsWith("ssl_certificate_key") && /^(engine|store):/.test(arg)) return `loads an OpenSSL ${arg.split(":")[0]} for its key`;
  return CODE[name];
}
function moduleDirs(build) {
  const dirs = [...SYSTEM_MODULE_DIRS, ...build ? [build.modulesPath, join(build.prefix, "modules")] : []];
  return [...new Set(dirs.map(realPath))];
}
function realPath(path) {
  const abs = resolve(path);
  try {
    return realpathSync(abs);
  } catch {
    const parent = dirname(abs);
    return parent === abs ? abs : join(realPath(parent), basename(abs));
  }
}

// src/nginx/config-wait.ts
function configWait(deadlineAt, capMs) {
  return Math.max(1, Math.min(capMs, Math.floor((deadlineAt - Date.now()) / 2)));
}

// src/nginx/nginx-sandbox.ts
import { chownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname as dirname2, isAbsolute as isAbsolute2, join as join2, normalize } from "node:path";
var NOBODY = { uid: 65534, gid: 65534 };
var INSTALLED_CONFIG_DIRS = ["/etc/nginx/", "/usr/local/etc/nginx/", "/usr/local/nginx/conf/"];
var DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
function testEnv(env) {
  return { PATH: env.PATH || DEFAULT_PATH, LC_ALL: "C" };
}
function untrustedBecause(config, env) {
  const ci = env.CI;
  if (ci !== void 0 && ci !== "" && ci !== "0" && ci.toLowerCase() !== "false") return "CI is set";
  const path = realPath(config);
  if (!INSTALLED_CONFIG_DIRS.some((d) => path.startsWith(d))) return `${config} is not the installed config (${INSTALLED_CONFIG_DIRS[0]})`;
  return void 0;
}
function testUser(config, env, uid = process.getuid?.()) {
  const because = untrustedBecause(config, env);
  return uid === 0 && because ? { user: NOBODY, because } : {};
}
function makeScratch(parse, build, user) {
  const dir = mkdtempSync(join2(tmpdir(), "upstream-gate-nginx-t-"));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    const made = [dir];
    for (const sub of ["logs", ...relativeWriteDirs(parse)]) {
      const path = join2(dir, sub);
      for (let p = path; p.startsWith(`${dir}/`); p = dirname2(p)) made.push(p);
      mkdirSync(path, { recursive: true });
    }
    if (build) symlinkSync(join2(build.prefix, "modules"), join2(dir, "modules"));
    if (user) for (const p of new Set(made)) chownSync(p, user.uid, user.gid);
    const pid = setsPid(parse) ? [] : ["-g", `pid ${quote(join2(dir, "nginx.pid"))};`];
    return { prefix: `${dir}/`, args: ["-p", `${dir}/`, "-e", join2(dir, "error.log"), ...pid], remove };
  } catch (e) {
    remove();
    throw e;
  }
}
var WRITES = /* @__PURE__ */ new Set([
  "pid",
  "lock_file",
  "error_log",
  "access_log",
  "client_body_temp_path",
  "proxy_temp_path",
  "fastcgi_temp_path",
  "uwsgi_temp_path",
  "scgi_temp_path",
  "proxy_cache_path",
  "fastcgi_cache_path",
  "uwsgi_cache_path",
  "scgi_cache_path"
]);
function relativeWriteDirs(parse) {
  const out = /* @__PURE__ */ new Set();
  const walk = (list) => {
    for (const d of list) {
      const arg = d.args[0];
      if (WRITES.has(d.directive) && arg && !isAbsolute2(arg) && !/^(off|stderr|syslog:|memory:)/.test(arg)) {
        const parent = dirname2(normalize(arg));
        if (parent !== "." && !parent.startsWith("..")) out.add(parent);
      }
      if (d.block) walk(d.block);
    }
  };
  for (const c of parse.payload.config) walk(c.parsed);
  return [...out];
}
function setsPid(parse) {
  const { config } = parse.payload;
  const seen = /* @__PURE__ */ new Set();
  const atMain = (index) => {
    if (seen.has(index)) return false;
    seen.add(index);
    return (config[index]?.parsed ?? []).some((d) => d.directive === "pid" || (d.includes ?? []).some(atMain));
  };
  return atMain(0);
}
function quote(path) {
  return `"${path.replace(/["\\]/g, "\\$&")}"`;
}

// src/nginx/nginx-test.ts
var NGINX_TEST_TIMEOUT_MS = 15e3;
var LINE = /^(?:nginx: |\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d )\[(emerg|alert|crit|error|warn|notice|info)\] (?:\d+#\d+: )?(.*?)(?: in (\/.*?):(\d+))?$/;
function parseNginxMessages(output) {
  const out = [];
  for (const raw of output.split("\n")) {
    const m = LINE.exec(raw.trimEnd());
    if (!m) continue;
    out.push({
      level: m[1],
      message: m[2],
      raw: raw.trimEnd(),
      ...m[3] !== void 0 && { file: m[3], line: Number(m[4]) }
    });
  }
  return out;
}
function isErrorMessage(m) {
  return m.level === "emerg" || m.level === "alert" || m.level === "crit" || m.level === "error";
}
function isPermissionMessage(m) {
  return m.message.includes("(13: Permission denied)") || m.message.includes("(1: Operation not permitted)");
}
async function testConfig(runner, o) {
  const shown = commandLine(o.binary, ["-t", "-c", o.config]);
  if (o.mode === "off") return note(`nginx -t not run (nginx.test: off): the config was checked by upstream-gate's parser only`);
  const { user, because } = testUser(o.config, o.env);
  const env = testEnv(o.env);
  const binary = findExecutable(o.binary, env.PATH);
  if (!binary) return note(`nginx binary "${o.binary}" not found: nginx -t skipped, the config was checked by upstream-gate's parser only`);
  const base = { env, signal: o.signal, ...user && { user } };
  const as = user ? ` as nobody (${because})` : "";
  const left = () => configWait(o.deadlineAt, NGINX_TEST_TIMEOUT_MS);
  let build;
  if (loadsModules(o.parse)) {
    const v = await runner.run(binary, ["-V"], { ...base, cwd: "/", timeoutMs: left() });
    const stopped = didNotRun(v, { binary: o.binary, shown, as }, left());
    if (stopped) return stopped;
    build = readBuild(`${v.stderr}${v.stdout}`);
  }
  if ((o.mode ?? "safe") === "safe") {
    const loads = findCodeLoading(o.parse, build);
    if (loads.length > 0) return { ok: true, messages: [], notes: loads.map(untrusted) };
  }
  const scratch = makeScratch(o.parse, build, user);
  try {
    const timeoutMs = left();
    const r = await runner.run(binary, ["-t", ...scratch.args, "-c", o.config], { ...base, cwd: scratch.prefix, timeoutMs });
    const stopped = didNotRun(r, { binary: o.binary, shown, as }, timeoutMs);
    if (stopped) return stopped;
    const output = `${r.stderr}${r.stdout}`;
    const all = parseNginxMessages(output);
    const read = /syntax is ok$/m.test(output);
    const sandbox = (m) => user && /^the "user" directive makes sense only if/.test(m.message) || user && read && isErrorMessage(m) && isPermissionMessage(m);
    const messages = all.filter((m) => !sandbox(m));
    const errors = messages.filter(isErrorMessage);
    if (!r.failed || errors.length === 0 && messages.length < all.length) return { ok: true, messages, notes: [] };
    if (errors.length > 0 && errors.every(isPermissionMessage)) return note(`nginx -t ran${as} and could not read all of the config`, messages);
    const last = output.trim().split("\n").pop() ?? "";
    return { ok: false, messages, notes: [], failure: `${shown} failed: ${last}` };
  } finally {
    scratch.remove();
  }
}
function didNotRun(r, { binary, shown, as }, timeoutMs) {
  if (r.aborted) return note(`${shown} was stopped before it finished: the gate was interrupted`);
  if (r.notFound) return note(`nginx binary "${binary}" not found: nginx -t skipped, the config was checked by upstream-gate's parser only`);
  if (r.spawnError) return note(`${shown} could not be started${as}: ${r.spawnError}; the config was checked by upstream-gate's parser only`);
  if (r.timedOut) {
    return note(`${shown} did not finish within ${timeoutMs} ms (nginx resolves every upstream name as it reads the config: a resolver that does not answer holds it up)`);
  }
  if (r.signal) return note(`${shown} was killed by ${r.signal} before it finished`);
  return void 0;
}
function findExecutable(binary, path) {
  const candidates = binary.includes("/") ? [resolve2(binary)] : path.split(":").filter(Boolean).map((dir) => join3(dir, binary));
  return candidates.find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return statSync(file).isFile();
    } catch {
      return false;
    }
  });
}
function readBuild(output) {
  const arg = (name) => new RegExp(`--${name}=(\\S+)`).exec(output)?.[1];
  const prefix = arg("prefix") ?? "/usr/local/nginx";
  return { prefix, modulesPath: arg("modules-path") ?? resolve2(prefix, "modules") };
}
function untrusted(l) {
  return {
    code: "config.untrusted_code",
    severity: "warning",
    message: `nginx -t not run on this config: ${l.directive} ${l.why}`,
    evidence: [`${[l.directive, ...l.args].join(" ")};`],
    fix: "if this config is yours, let nginx -t load it with `nginx.test: always` in the spec; otherwise remove the line",
    file: l.file,
    line: l.line
  };
}
function note(message, messages = []) {
  return { ok: true, messages, notes: [info(message)] };
}
function info(message) {
  return { severity: "info", message };
}

// src/nginx/parser.ts
import { dirname as dirname3, isAbsolute as isAbsolute3, join as join5, normalize as normalize2 } from "node:path";

// src/nginx/analyzer.ts
var ANY = Infinity;
var LOC = ["http/location", "http/if-location"];
var PASS_CONTEXTS = [...LOC];
var RULES = {
  events: { block: true, in: ["main"], minArgs: 0, maxArgs: 0, child: () => "events" },
  http: { block: true, in: ["main"], minArgs: 0, maxArgs: 0, child: () => "http" },
  stream: { block: true, in: ["main"], minArgs: 0, maxArgs: 0, child: () => "stream" },
  mail: { block: true, in: ["main"], minArgs: 0, maxArgs: 0, child: () => "mail" },
  location: { block: true, in: ["http/server", "http/location"], minArgs: 1, maxArgs: 2, child: () => "http/location" },
  upstream: {
    block: true,
    in: ["http", "stream"],
    minArgs: 1,
    maxArgs: 1,
    child: (p) => p === "stream" ? "stream/upstream" : "http/upstream"
  },
  if: {
    block: true,
    in: ["http/server", "http/location"],
    minArgs: 1,
    maxArgs: ANY,
    child: (p) => p === "http/server" ? "http/if-server" : "http/if-location"
  },
  limit_except: { block: true, in: ["http/location"], minArgs: 1, maxArgs: ANY, child: () => "http/limit_except" },
  proxy_pass: { block: false, in: [...LOC, "http/limit_except", "stream/server"], minArgs: 1, maxArgs: 1 },
  fastcgi_pass: { block: false, in: PASS_CONTEXTS, minArgs: 1, maxArgs: 1 },
  uwsgi_pass: { block: false, in: PASS_CONTEXTS, minArgs: 1, maxArgs: 1 },
  scgi_pass: { block: false, in: PASS_CONTEXTS, minArgs: 1, maxArgs: 1 },
  grpc_pass: { block: false, in: PASS_CONTEXTS, minArgs: 1, maxArgs: 1 },
  memcached_pass: { block: false, in: PASS_CONTEXTS, minArgs: 1, maxArgs: 1 },
  server_name: [
    // stream since nginx 1.25.5
    { block: false, in: ["http/server", "stream/server"], minArgs: 1, maxArgs: ANY },
    { block: false, in: ["mail", "mail/server"], minArgs: 1, maxArgs: 1 }
  ],
  listen: { block: false, in: ["http/server", "stream/server", "mail/server"], minArgs: 1, maxArgs: ANY },
  map: { block: true, in: ["http", "stream"], minArgs: 2, maxArgs: 2, child: () => "opaque" },
  geo: { block: true, in: ["http", "stream"], minArgs: 1, maxArgs: 2, child: () => "opaque" },
  split_clients: { block: true, in: ["http", "stream"], minArgs: 2, maxArgs: 2, child: () => "opaque" },
  types: { block: true, in: ["http", "http/server", "http/location"], minArgs: 0, maxArgs: 0, child: () => "opaque" },
  charset_map: { block: true, in: ["http"], minArgs: 2, maxArgs: 2, child: () => "opaque" },
  match: { block: true, in: ["http", "stream"], minArgs: 1, maxArgs: 1, child: () => "opaque" }
};
var SERVER_BLOCK = {
  block: true,
  in: ["http", "stream", "mail"],
  minArgs: 0,
  maxArgs: 0,
  child: (p) => p === "stream" ? "stream/server" : p === "mail" ? "mail/server" : "http/server"
};
var SERVER_LINE = { block: false, in: ["http/upstream", "stream/upstream"], minArgs: 1, maxArgs: ANY };
var TABLE = new Map(Object.entries(RULES));
function ruleFor(name, parent) {
  if (name === "server") return parent === "http/upstream" || parent === "stream/upstream" ? SERVER_LINE : SERVER_BLOCK;
  const rules = TABLE.get(name);
  if (!Array.isArray(rules)) return rules;
  return rules.find((r) => r.in.includes(parent)) ?? rules[0];
}
function childContext(name, parent) {
  if (parent === "opaque") return "opaque";
  return ruleFor(name, parent)?.child?.(parent) ?? "unknown";
}
function analyze(name, args, terminator, parent) {
  if (parent === "opaque" || parent === "unknown") return void 0;
  const rule = ruleFor(name, parent);
  if (!rule) return void 0;
  const strayBlock = !rule.block && terminator === "{";
  const problem = (error) => ({ error, strayBlock });
  if (!rule.in.includes(parent)) return problem(`"${name}" directive is not allowed here`);
  if (rule.block && terminator !== "{") return problem(`directive "${name}" has no opening "{"`);
  if (strayBlock) return problem(`directive "${name}" is not terminated by ";"`);
  if (args.length < rule.minArgs || args.length > rule.maxArgs) return problem(`invalid number of arguments in "${name}" directive`);
  return void 0;
}

// src/nginx/glob.ts
function hasMagic(pattern) {
  return /[*?[]/.test(pattern);
}
function compile(component) {
  const out = [];
  for (let i = 0; i < component.length; i++) {
    const c = component[i];
    if (c === "*") {
      if (out[out.length - 1]?.kind !== "star") out.push({ kind: "star" });
    } else if (c === "?") out.push({ kind: "any" });
    else if (c === "\\" && i + 1 < component.length) out.push({ kind: "char", c: component[++i] });
    else if (c === "[") {
      const start = component[i + 1] === "!" || component[i + 1] === "^" ? i + 2 : i + 1;
      const close = component.indexOf("]", start + 1);
      if (close < 0) {
        out.push({ kind: "char", c });
        continue;
      }
      const body = component.slice(start, close);
      const ranges = [];
      for (let k = 0; k < body.length; k++) {
        const a = body[k];
        if (body[k + 1] === "-" && k + 2 < body.length) {
          ranges.push([a, body[k + 2]]);
          k += 2;
        } else ranges.push([a, a]);
      }
      out.push({ kind: "set", negate: start === i + 2, ranges });
      i = close;
    } else out.push({ kind: "char", c });
  }
  return out;
}
function one(p, ch) {
  switch (p.kind) {
    case "any":
      return true;
    case "char":
      return p.c === ch;
    case "set":
      return p.ranges.some(([lo, hi]) => ch >= lo && ch <= hi) !== p.negate;
    default:
      return false;
  }
}
function componentMatcher(component) {
  const pieces = compile(component);
  const dotOk = component.startsWith(".");
  return (name) => {
    if (!dotOk && name.startsWith(".")) return false;
    let p = 0;
    let i = 0;
    let starP = -1;
    let starI = 0;
    while (i < name.length) {
      const piece = pieces[p];
      if (piece?.kind === "star") {
        starP = p++;
        starI = i;
      } else if (piece && one(piece, name[i])) {
        p++;
        i++;
      } else if (starP >= 0) {
        p = starP + 1;
        i = ++starI;
      } else return false;
    }
    while (pieces[p]?.kind === "star") p++;
    return p === pieces.length;
  };
}
function byteOrder(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 55296 && x <= 57343 || y >= 55296 && y <= 57343) return Buffer.compare(Buffer.from(a), Buffer.from(b));
    return x - y;
  }
  return a.length - b.length;
}
function globMatcher(pattern) {
  const parts = pattern.split("/").map((c) => hasMagic(c) ? componentMatcher(c) : c);
  return (path) => {
    const s = path.split("/");
    return s.length === parts.length && parts.every((c, i) => typeof c === "string" ? c === s[i] : c(s[i]));
  };
}

// src/nginx/lexer.ts
var LF = 10;
var CR = 13;
var SPACE = 32;
var TAB = 9;
var HASH = 35;
var SEMI = 59;
var LBRACE = 123;
var RBRACE = 125;
var DQUOTE = 34;
var SQUOTE = 39;
var BACKSLASH = 92;
var DOLLAR = 36;
var STOP = new Uint8Array(128);
for (const c of [SPACE, TAB, CR, LF, SEMI, LBRACE, RBRACE]) STOP[c] = 1;
STOP[BACKSLASH] = 2;
STOP[DOLLAR] = 2;
function isRawBlockDirective(name) {
  return name.endsWith("_by_lua_block");
}
var Lexer = class {
  constructor(text) {
    this.text = text;
    this.i = text.charCodeAt(0) === 65279 ? 1 : 0;
  }
  text;
  value = "";
  line = 1;
  quoted = false;
  errors = [];
  /** the current line: after the last token, the line the file ends on */
  cursorLine = 1;
  i;
  atStart = true;
  rawDirective = false;
  semiAfterRaw = false;
  /** the last position found of a character by nextIndex() */
  found = /* @__PURE__ */ new Map();
  next() {
    const text = this.text;
    const n = text.length;
    if (this.semiAfterRaw) {
      this.semiAfterRaw = false;
      return this.emit(";", this.cursorLine, false);
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
        const end = text.indexOf("\n", i);
        i = end < 0 ? n : end;
        continue;
      }
      if (c === SEMI || c === RBRACE) {
        this.i = i + 1;
        this.atStart = true;
        this.rawDirective = false;
        return this.emit(c === SEMI ? ";" : "}", this.cursorLine, false);
      }
      if (c === LBRACE) {
        if (this.rawDirective) return this.rawBlock(i);
        this.i = i + 1;
        this.atStart = true;
        return this.emit("{", this.cursorLine, false);
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
  nextIndex(char, from) {
    const known = this.found.get(char);
    if (known !== void 0 && (known >= from || known === -1)) return known;
    const at = this.text.indexOf(String.fromCharCode(char), from);
    this.found.set(char, at);
    return at;
  }
  emit(value, line, quoted) {
    this.value = value;
    this.line = line;
    this.quoted = quoted;
    return true;
  }
  startsStatement(value) {
    if (this.atStart) this.rawDirective = value.length > 13 && isRawBlockDirective(value);
    this.atStart = false;
  }
  /** A bare word: up to whitespace, `;`, `{`, `}`; `${name}` keeps its braces. */
  bareWord(start) {
    const text = this.text;
    const n = text.length;
    const line = this.cursorLine;
    let j = start;
    while (j < n) {
      const d = text.charCodeAt(j);
      const k = d < 128 ? STOP[d] : 0;
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
  quotedWord(start, q) {
    const text = this.text;
    const n = text.length;
    const line = this.cursorLine;
    let value = "";
    let j = start + 1;
    let chunk = j;
    let closed = false;
    while (j < n) {
      const d = text.charCodeAt(j);
      if (d === BACKSLASH && j + 1 < n) {
        const e = text.charCodeAt(j + 1);
        if (e === LF) this.cursorLine++;
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
    if (!closed) this.errors.push({ line, error: "unexpected end of file, expecting closing quote" });
    this.i = closed ? j + 1 : n;
    this.startsStatement(value);
    return this.emit(value, line, true);
  }
  /** The Lua body after `{` as one quoted token; a `;` follows it. */
  rawBlock(open) {
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
};
var INTERN_SLOTS = 4096;
var interned = new Array(INTERN_SLOTS).fill(void 0);
function intern(text, start, end) {
  const len = end - start;
  if (len > 32) return text.slice(start, end);
  const slot = len * 961 + text.charCodeAt(start) * 31 + text.charCodeAt(end - 1) + text.charCodeAt(start + (len >> 1)) * 7 & INTERN_SLOTS - 1;
  const hit = interned[slot];
  if (hit !== void 0 && hit.length === len && text.startsWith(hit, start)) return hit;
  const word = text.slice(start, end);
  interned[slot] = word;
  return word;
}
function countLines(text, from, to) {
  let k = 0;
  for (let i = text.indexOf("\n", from); i >= 0 && i < to; i = text.indexOf("\n", i + 1)) k++;
  return k;
}
function rawBlockEnd(text, from) {
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
    } else if (c === 45 && text.charCodeAt(i + 1) === 45) {
      const long = /^\[(=*)\[/.exec(text.slice(i + 2, i + 40));
      if (long) {
        const close = text.indexOf(`]${long[1]}]`, i + 2 + long[0].length);
        i = close < 0 ? n : close + long[0].length;
      } else {
        const end = text.indexOf("\n", i);
        i = end < 0 ? n : end;
      }
      continue;
    } else if (c === 91) {
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

// src/nginx/source.ts
import { closeSync, constants as constants2, fstatSync, openSync, readSync, readdirSync, statSync as statSync2 } from "node:fs";
import { join as join4 } from "node:path";
function openError(path, e) {
  const err = e;
  const reason = {
    ENOENT: "2: No such file or directory",
    EACCES: "13: Permission denied",
    EISDIR: "21: Is a directory",
    ENOTDIR: "20: Not a directory",
    ELOOP: "40: Too many levels of symbolic links"
  };
  return `open() "${path}" failed (${(err.code && reason[err.code]) ?? err.message})`;
}
function decode(buf) {
  return buf.toString("utf8");
}
var SNIFF_CHARS = 4096;
function notText(text) {
  const n = Math.min(text.length, SNIFF_CHARS);
  let controls = 0;
  let undecoded = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return "it holds NUL bytes";
    if (c < 32 && c !== 9 && c !== 10 && c !== 11 && c !== 12 && c !== 13 || c === 127) controls++;
    else if (c === 65533) undecoded++;
  }
  return controls * 100 >= n && (controls + undecoded) * 10 >= n * 3 ? "its first bytes are not text" : void 0;
}
function fileSource() {
  return {
    read(path, maxBytes) {
      let fd;
      try {
        fd = openSync(path, constants2.O_RDONLY | constants2.O_NONBLOCK);
      } catch (e) {
        const code = e.code;
        return { error: openError(path, e), ...code && { code } };
      }
      try {
        const st = fstatSync(fd);
        if (st.isDirectory()) return { error: `pread() "${path}" failed (21: Is a directory)` };
        if (!st.isFile()) return { error: `"${path}" is not a regular file` };
        if (st.size > maxBytes) return { error: `"${path}" is too large (${st.size} bytes, limit ${maxBytes})` };
        const buf = Buffer.allocUnsafe(st.size);
        let off = 0;
        while (off < st.size) {
          const got = readSync(fd, buf, off, st.size - off, off);
          if (got === 0) break;
          off += got;
        }
        return { text: decode(buf.subarray(0, off)), bytes: off };
      } catch (e) {
        return { error: `read() "${path}" failed (${e.message})` };
      } finally {
        closeSync(fd);
      }
    },
    glob(pattern, maxMatches) {
      const parts = pattern.split("/");
      const denied = [];
      let found = [{ path: parts[0] === "" ? "/" : parts[0], seen: true }];
      for (let k = 1; k < parts.length && found.length > 0; k++) {
        const part = parts[k];
        if (part === "") continue;
        const last = k === parts.length - 1;
        const next = [];
        const match = hasMagic(part) ? componentMatcher(part) : void 0;
        for (const { path: dir } of found) {
          if (!match) {
            next.push({ path: join4(dir, part), seen: false });
            continue;
          }
          let entries;
          try {
            entries = readdirSync(dir, { withFileTypes: true });
          } catch (e) {
            if (e.code === "EACCES") denied.push(dir);
            continue;
          }
          for (const e of entries) {
            if (!match(e.name)) continue;
            const p = join4(dir, e.name);
            if (!last && !(e.isDirectory() || e.isSymbolicLink() && isDir(p))) continue;
            next.push({ path: p, seen: true });
            if (next.length > maxMatches) break;
          }
        }
        found = next;
      }
      const paths = found.filter((f) => f.seen || exists(f.path)).map((f) => f.path).sort(byteOrder).slice(0, maxMatches + 1);
      return { paths, denied };
    }
  };
}
function isDir(p) {
  try {
    return statSync2(p).isDirectory();
  } catch {
    return false;
  }
}
function exists(p) {
  try {
    statSync2(p);
    return true;
  } catch {
    return false;
  }
}
function memorySource(files, origin = "the dump") {
  return {
    read(path, maxBytes) {
      const text = files.get(path);
      if (text === void 0) return { error: `open() "${path}" failed (2: No such file or directory in ${origin})` };
      if (text.length > maxBytes) return { error: `"${path}" is too large (${text.length} characters, limit ${maxBytes})` };
      return { text, bytes: text.length };
    },
    glob(pattern, maxMatches) {
      const match = globMatcher(pattern);
      return { paths: [...files.keys()].filter(match).sort(byteOrder).slice(0, maxMatches + 1), denied: [] };
    }
  };
}
function overlaySource(files, base) {
  const mem = memorySource(files);
  return {
    read: (path, maxBytes) => files.has(path) ? mem.read(path, maxBytes) : base.read(path, maxBytes),
    glob: (pattern, maxMatches) => base.glob(pattern, maxMatches)
  };
}

// src/nginx/parser.ts
var DEFAULT_LIMITS = {
  maxFiles: 1e4,
  maxFileBytes: 16 * 1024 * 1024,
  maxTotalBytes: 128 * 1024 * 1024,
  maxIncludeDepth: 32,
  maxBlockDepth: 64
};
function parseConfig(main, options) {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const { source, signal } = options;
  const prefix = options.prefix ?? dirname3(main);
  const files = [main];
  const byPath = /* @__PURE__ */ new Map([[main, 0]]);
  const config = [];
  const texts = /* @__PURE__ */ new Map();
  const edges = [];
  const queue = [{ index: 0, context: "main", depth: 0 }];
  let totalBytes = 0;
  let stopped;
  const notConfigFiles = /* @__PURE__ */ new Map();
  const denied = [];
  const siteOf = (job) => job.from ? { file: files[job.from.index], line: job.from.line } : void 0;
  const reads = /* @__PURE__ */ new Map();
  const readOnce = (path) => {
    let r = reads.get(path);
    if (!r) {
      r = source.read(path, limits.maxFileBytes);
      if (!("error" in r) && totalBytes + r.bytes > limits.maxTotalBytes) {
        r = { error: `"${path}" would take the config over ${limits.maxTotalBytes} bytes in all` };
      } else if (!("error" in r)) totalBytes += r.bytes;
      reads.set(path, r);
    }
    return r;
  };
  for (let q = 0; q < queue.length; q++) {
    const job = queue[q];
    const file = files[job.index];
    const errors2 = [];
    const entry = { file, status: "ok", errors: errors2, parsed: [] };
    config[job.index] = entry;
    if (stopped) {
      errors2.push({ error: stopped, line: null });
      continue;
    }
    if (signal?.aborted) {
      stopped = "parsing stopped: aborted";
      errors2.push({ error: stopped, line: null });
      continue;
    }
    const read = readOnce(file);
    reads.delete(file);
    if ("error" in read) {
      if (read.code === "EACCES") denied.push({ path: file, listing: false, ...job.from && { site: siteOf(job) } });
      errors2.push({ error: read.error, line: null });
      continue;
    }
    const notConfig = (why) => {
      notConfigFiles.set(file, why);
      entry.parsed = [];
      errors2.length = 0;
      texts.delete(file);
      const error = `"${file}" does not read as an nginx config file: ${why}`;
      const from = job.from;
      if (!from) errors2.push({ error, line: null });
      else config[from.index]?.errors.push({ error: `${error} in ${files[from.index]}:${from.line}`, line: from.line });
    };
    const binary = notText(read.text);
    if (binary) {
      notConfig(`it is not text (${binary})`);
      continue;
    }
    texts.set(file, read.text);
    const include = (d, ctx, fail) => {
      if (d.args.length !== 1) return;
      const arg = d.args[0];
      const path = normalize2(isAbsolute3(arg) ? arg : join5(prefix, arg));
      const magic = hasMagic(path);
      const found = magic ? source.glob(path, limits.maxFiles) : { paths: [path], denied: [] };
      for (const dir of found.denied) denied.push({ path: dir, listing: true, site: { file, line: d.line } });
      const matches = found.paths;
      d.includes = [];
      for (const m of matches) {
        let idx = byPath.get(m);
        if (idx === void 0) {
          const r = magic ? void 0 : readOnce(m);
          if (r && "error" in r) {
            if (r.code === "EACCES") denied.push({ path: m, listing: false, site: { file, line: d.line } });
            fail(r.error, d.line);
            continue;
          }
          if (files.length >= limits.maxFiles) {
            fail(`too many included files (limit ${limits.maxFiles})`, d.line);
            break;
          }
          if (job.depth + 1 > limits.maxIncludeDepth) {
            fail(`includes nested deeper than ${limits.maxIncludeDepth} levels at "${m}"`, d.line);
            break;
          }
          idx = files.length;
          files.push(m);
          byPath.set(m, idx);
          queue.push({ index: idx, context: ctx, depth: job.depth + 1, from: { index: job.index, line: d.line } });
        }
        d.includes.push(idx);
        edges.push({ from: job.index, to: idx, line: d.line });
      }
    };
    const fp = new FileParser(read.text, file, errors2, include, limits.maxBlockDepth);
    entry.parsed = fp.block(job.context, 0);
    for (const e of fp.lexer.errors) errors2.push({ error: `${e.error} in ${file}:${e.line}`, line: e.line });
    const garbled = fp.notConfig();
    if (garbled) notConfig(garbled);
  }
  const errors = [];
  reportCycles(files, edges, config);
  for (const c of config) {
    c.errors.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
    if (c.errors.length > 0) c.status = "failed";
    for (const e of c.errors) errors.push({ file: c.file, error: e.error, line: e.line });
  }
  return {
    payload: { status: errors.length > 0 ? "failed" : "ok", errors, config },
    texts,
    notConfig: notConfigFiles,
    denied
  };
}
var MAX_ERRORS_PER_FILE = 100;
var FileParser = class {
  constructor(text, file, errors, include, maxDepth) {
    this.file = file;
    this.errors = errors;
    this.include = include;
    this.maxDepth = maxDepth;
    this.lexer = new Lexer(text);
  }
  file;
  errors;
  include;
  maxDepth;
  lexer;
  /** the lexer's current token has not been used yet */
  held = false;
  eofReported = false;
  /** the line a failed statement ended on: stray `;`, `{`, `}` there are part of it, not more errors */
  quietLine = 0;
  statements = 0;
  syntaxErrors = 0;
  /** the syntax error of the file's first statement (or a stray token before it) */
  firstBroken;
  scratch = [];
  /** An error of the syntax itself, not of a directive's use: counts towards "this is no config". */
  broken(error, line) {
    this.countBroken(error);
    this.fail(error, line);
  }
  countBroken(error) {
    this.syntaxErrors++;
    if (this.statements === 0) this.firstBroken ??= error;
  }
  /**
   * Why this file does not read as nginx config, or undefined: its first
   * statement is broken (a password file is one long statement to the end),
   * or most of its statements are.
   */
  notConfig() {
    if (this.firstBroken) return `its first statement does not parse (${this.firstBroken})`;
    if (this.syntaxErrors >= 3 && this.syntaxErrors * 2 > this.statements) return `${this.syntaxErrors} syntax errors in ${this.statements} statements`;
    return void 0;
  }
  fail = (error, line) => {
    if (this.errors.length === MAX_ERRORS_PER_FILE) this.errors.push({ error: `more than ${MAX_ERRORS_PER_FILE} errors in ${this.file}; the rest are not reported`, line: null });
    this.quietLine = this.lexer.line;
    if (this.errors.length > MAX_ERRORS_PER_FILE) return;
    this.errors.push({ error: `${error} in ${this.file}:${line}`, line });
  };
  advance() {
    if (this.held) {
      this.held = false;
      return true;
    }
    return this.lexer.next();
  }
  block(ctx, depth) {
    const lx = this.lexer;
    const out = [];
    for (; ; ) {
      if (!this.advance()) {
        if (depth > 0) this.endOfFile('unexpected end of file, expecting "}"');
        return out.slice();
      }
      const name = lx.value;
      const line = lx.line;
      if (!lx.quoted && name.length === 1 && (name === "}" || name === ";" || name === "{")) {
        if (name === "}" && depth > 0) return out.slice();
        if (line !== this.quietLine) this.broken(`unexpected "${name}"`, line);
        if (name === "{") this.skipStray();
        continue;
      }
      const scratch = this.scratch;
      let count = 0;
      let end = "eof";
      while (lx.next()) {
        const v = lx.value;
        if (!lx.quoted && v.length === 1 && (v === ";" || v === "{" || v === "}")) {
          end = v;
          if (v === "}") this.held = true;
          break;
        }
        scratch[count++] = v;
      }
      const args = scratch.slice(0, count);
      if (name === "if") stripIfParens(args);
      const d = { directive: name, line, args };
      out.push(d);
      if (end === "eof") this.endOfFile('unexpected end of file, expecting ";" or "}"');
      else if (end === "}") this.broken(`unexpected "}": directive "${excerpt(name)}" is not terminated by ";"`, lx.line);
      const problem = name === "include" ? includeProblem(args, end, ctx) : analyze(name, args, end, ctx);
      if (problem && end !== "}" && end !== "eof") this.fail(problem.error, line);
      this.statements++;
      if (end === "{") {
        if (problem?.strayBlock) this.skipStray();
        else if (depth + 1 >= this.maxDepth) {
          this.fail(`blocks nested deeper than ${this.maxDepth} levels`, line);
          this.skipBlock();
          d.block = [];
        } else {
          d.block = this.block(childContext(name, ctx), depth + 1);
        }
      } else if (name === "include" && !problem) {
        this.include(d, ctx, this.fail);
      }
    }
  }
  /**
   * The end of the file came too soon: one error, at the innermost statement
   * or block still open, as nginx stops there. None when the lexer already
   * said why (a quote or a Lua block never closed ran to the end).
   */
  endOfFile(error) {
    if (this.eofReported) return;
    this.eofReported = true;
    const lexed = this.lexer.errors[0];
    if (lexed) this.countBroken(lexed.error);
    else this.broken(error, this.lexer.cursorLine);
  }
  /**
   * Skip a `{` that opens no block, up to its `}`, and the rest of the
   * statement on that line (`{{ host }}:{{ port }};`), quietly: nginx stops at
   * the first error, so what follows it in the same statement is not another.
   */
  skipStray() {
    const lx = this.lexer;
    this.skipBlock();
    const at = lx.line;
    while (this.advance()) {
      if (lx.line !== at || !lx.quoted && lx.value === "}") {
        this.held = true;
        break;
      }
      if (lx.quoted) continue;
      if (lx.value === ";") break;
      if (lx.value === "{") this.skipBlock();
    }
    this.quietLine = at;
  }
  /** Skip a block whose `{` was just read, without recursion. */
  skipBlock() {
    const lx = this.lexer;
    let depth = 1;
    while (depth > 0 && this.advance()) {
      if (lx.quoted) continue;
      if (lx.value === "{") depth++;
      else if (lx.value === "}") depth--;
    }
  }
};
var EXCERPT_CHARS = 80;
function excerpt(token) {
  const cut = token.length > EXCERPT_CHARS ? `${token.slice(0, EXCERPT_CHARS - 3)}...` : token;
  return cut.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
function stripIfParens(args) {
  const first = args[0];
  const last = args[args.length - 1];
  if (first === void 0 || last === void 0 || !first.startsWith("(") || !last.endsWith(")")) return;
  args[0] = first.slice(1).trimStart();
  const end = args.length - 1;
  args[end] = args[end].slice(0, -1).trimEnd();
  if (args[end] === "") args.pop();
  if (args[0] === "") args.shift();
}
function includeProblem(args, end, ctx) {
  if (ctx === "opaque") return void 0;
  if (end === "{") return { error: 'directive "include" is not terminated by ";"', strayBlock: true };
  if (args.length !== 1) return { error: 'invalid number of arguments in "include" directive', strayBlock: false };
  return void 0;
}
function reportCycles(files, edges, config) {
  const out = /* @__PURE__ */ new Map();
  for (const e of edges) {
    const list = out.get(e.from) ?? [];
    list.push(e);
    out.set(e.from, list);
  }
  const state = new Uint8Array(files.length);
  const stack = [];
  const seen = /* @__PURE__ */ new Set();
  const frames = [{ node: 0, next: 0 }];
  state[0] = 1;
  while (frames.length > 0) {
    const f = frames[frames.length - 1];
    const list = out.get(f.node) ?? [];
    if (f.next >= list.length) {
      state[f.node] = 2;
      frames.pop();
      stack.pop();
      continue;
    }
    const e = list[f.next++];
    if (state[e.to] === 1) {
      const key = `${e.from}:${e.line}:${e.to}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const start = stack.findIndex((s) => s.from === e.to);
      const chain = [...start >= 0 ? stack.slice(start) : [], e].map((s) => `${files[s.from]}:${s.line}`);
      const from = files[e.from];
      const errs = config[e.from]?.errors;
      if (!errs || errs.length >= MAX_ERRORS_PER_FILE) continue;
      errs.push({ error: `include cycle: ${chain.join(" -> ")} -> ${files[e.to]} in ${from}:${e.line}`, line: e.line });
    } else if (state[e.to] === 0) {
      state[e.to] = 1;
      stack.push(e);
      frames.push({ node: e.to, next: 0 });
    }
  }
}

// src/nginx/load.ts
async function readStdin(stream = process.stdin, maxBytes = 256 * 1024 * 1024) {
  const chunks = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    size += b.length;
    if (size > maxBytes) throw new UserError(`stdin holds more than ${maxBytes} bytes`, "-");
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}
async function readText(path, opts) {
  if (path === "-") return decode(await (opts.readStdin ?? readStdin)());
  try {
    if (!statSync3(path).isFile()) throw Object.assign(new Error("not a file"), { code: "EISDIR" });
    return decode(readFileSync(path));
  } catch (e) {
    throw new UserError(`cannot read ${fileErrorWords(e)}`, path);
  }
}
function loadDumpText(text, where, opts = {}) {
  const dump = parseDump(text);
  if (!dump) {
    const failed = parseNginxMessages(text).find((m) => m.level === "emerg");
    if (failed) throw new UserError(`nginx -T failed, so the dump holds no configuration: ${failed.raw}`, where);
    throw new UserError('not an `nginx -T` dump: no "# configuration file PATH:" line', where);
  }
  const parse = parseConfig(dump.main, { source: memorySource(dump.files), ...opts });
  return { main: dump.main, parse, dump };
}
async function loadDump(path, opts = {}) {
  return loadDumpText(await readText(path, opts), path, opts);
}
function loadFiles(main, opts = {}) {
  const loaded = parseFiles(main, opts);
  const { notConfig, denied } = loaded.parse;
  const why = notConfig.get(main);
  if (why) throw new UserError(`does not read as an nginx config file: ${why}`, main);
  const first = denied[0];
  if (first) {
    const what = first.listing ? `cannot list ${first.path} for an include` : `cannot read included file ${first.path}`;
    throw new UserError(`${what}: permission denied`, first.site ? `${first.site.file}:${first.site.line}` : main);
  }
  return loaded;
}
function parseFiles(main, opts) {
  try {
    if (!statSync3(main).isFile()) throw Object.assign(new Error("not a file"), { code: "EISDIR" });
    closeSync2(openSync2(main, "r"));
  } catch (e) {
    throw new UserError(`cannot read nginx config: ${fileErrorWords(e)}`, main);
  }
  return { main, parse: parseConfig(main, { source: fileSource(), prefix: dirname4(main), ...opts }) };
}
function readHead(path, max) {
  const fd = openSync2(path, "r");
  try {
    const head = Buffer.alloc(max);
    let n = 0;
    for (let r = 1; r > 0 && n < max; n += r) r = readSync2(fd, head, n, max - n, n);
    return head.subarray(0, n);
  } finally {
    closeSync2(fd);
  }
}
async function loadAny(path, opts = {}) {
  if (path !== "-") {
    let head = "";
    try {
      head = statSync3(path).isFile() ? readHead(path, 64 * 1024).toString("utf8") : "";
    } catch {
    }
    if (!isDump(head)) return parseFiles(path, opts);
  }
  const text = await readText(path, opts);
  if (isDump(text)) return loadDumpText(text, path, opts);
  const parse = parseConfig("-", { source: overlaySource(/* @__PURE__ */ new Map([["-", text]]), fileSource()), prefix: process.cwd(), ...opts });
  return { main: "-", parse };
}

export {
  stopStarted,
  execaRunner,
  isRawBlockDirective,
  configWait,
  parseNginxMessages,
  isErrorMessage,
  isPermissionMessage,
  testConfig,
  readStdin,
  loadDump,
  loadFiles,
  loadAny
};
