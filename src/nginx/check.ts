// The config phase of `check`: parse the nginx config (files or an `nginx -T`
// dump), run `nginx -t` when the binary is there, and compare every address
// nginx dials with the spec. Returns the findings and, for the probe phase,
// every address nginx dials for each service.
import { dirname, relative, isAbsolute, resolve } from 'node:path';
import { append } from '../append.js';
import type { Host } from '../host/host.js';
import { DEFAULT_PID_FILE } from '../host/nginx-process.js';
import type { NginxDial } from '../model/dial.js';
import { maskCredentials } from '../model/mask.js';
import type { Finding } from '../model/finding.js';
import { relativeConfigNote, type Spec } from '../spec/load.js';
import { mark, timed, type Timings } from '../timings.js';
import { isUserError, UserError } from '../user-error.js';
import { expandAll } from './dials.js';
import { frontRoutes, type FrontRoute } from './front-route.js';
import { prepareEvaluation } from './evaluate.js';
import { parseDump } from './dump.js';
import { loadDump, loadDumpText, loadFiles, type LoadedConfig } from './load.js';
import { buildModel, type ConfigModel, type Site } from './model.js';
import { isErrorMessage as isError, isPermissionMessage as isPermission, parseNginxMessages, testConfig, type NginxCheck } from './nginx-test.js';
import { hostResolver, type Resolver } from './resolve.js';

/** Beyond this many distinct upstream names, the rest are not resolved (a hostile config cannot stall the gate). */
export const MAX_RESOLVED_NAMES = 256;

export interface ConfigPhaseOptions {
  resolver?: Resolver;
  readStdin?: () => Promise<Buffer>;
}

/** What the config phase takes from the gate. */
export interface ConfigPhaseContext {
  /** aborted on the deadline and on SIGINT / SIGTERM: every socket, request and child takes it */
  signal: AbortSignal;
  /** epoch ms by which everything must be settled */
  deadlineAt: number;
  /** the machine checked: where the config is read, nginx -t run and names resolved */
  host: Host;
  /** where each stage's time is recorded, when asked (`check --debug`, the JSON report) */
  timings?: Timings;
  /** told the facts about nginx as soon as the config is parsed, before nginx -t and the name lookups end */
  onFacts?: (facts: NginxFacts) => void;
}

export interface ConfigPhaseResult {
  /** config.* findings, and `info` notes such as "nginx binary not installed" */
  findings: Finding[];
  /** every address nginx dials for each spec service */
  dials: NginxDial[];
  /** how each service with a health path is reached through nginx (front-route.ts) */
  fronts?: FrontRoute[];
  /** what finding the running nginx needs: its pid file and the workers' `user` */
  nginx?: NginxFacts;
}

export interface NginxFacts {
  /** the `pid` directive's file, else nginx's default; absent when the config names a relative one (found among the processes instead) */
  pidFile?: string;
  /** the `user` directive, when the config has one (nginx's default: nobody) */
  user?: { name: string; group?: string; file: string; line: number };
}

export const runConfigPhase = (spec: Spec, ctx: ConfigPhaseContext): Promise<ConfigPhaseResult> => configPhase(spec, ctx);

export async function configPhase(spec: Spec, ctx: ConfigPhaseContext, options: ConfigPhaseOptions = {}): Promise<ConfigPhaseResult> {
  const { signal, timings } = ctx;
  const { dump } = spec.nginx;
  const loaded: LoadedConfig = await timed(timings, 'config read and parse', () =>
    dump
      ? loadDump(dump, { signal, ...(options.readStdin && { readStdin: options.readStdin }) })
      : ctx.host.nginxDump
        ? loadHostDump(spec, ctx)
        : loadConfigFiles(spec, ctx.host, signal),
  );
  const { parse, main } = loaded;
  // nginx -t needs only the parse (its sandbox, the code-loading check): it runs beside the rest of the phase
  const nginxChecked = timed(timings, 'nginx -t', () => nginxCheck(spec, loaded, ctx));
  const base = dirname(main);
  // one path.relative per file, not per dial and finding: thousands of services share a few files
  const shown = new Map<string, string>();
  const display = (file: string) => {
    let d = shown.get(file);
    if (d === undefined) {
      const r = relative(base, file);
      d = r && !r.startsWith('..') && !isAbsolute(r) ? r : file;
      shown.set(file, d);
    }
    return d;
  };
  const lines = new Map<string, string[]>();
  const lineText = (s: Site): string => {
    let l = lines.get(s.file);
    if (!l) {
      l = (parse.texts.get(s.file) ?? '').split('\n');
      lines.set(s.file, l);
    }
    return (l[s.line - 1] ?? '').trim();
  };

  // services that share a backend address share every line that dials it: each masked once
  const maskedLines = new Map<string, string>();
  const maskedLine = (text: string) => {
    let m = maskedLines.get(text);
    if (m === undefined) {
      m = mask(text);
      maskedLines.set(text, m);
    }
    return m;
  };

  const modelStart = performance.now();
  const model = buildModel(parse);
  const facts = nginxFacts(model, spec.nginx.prefix);
  ctx.onFacts?.(facts);
  const expansions = expandAll(model);
  mark(timings, 'config model', modelStart);

  // Our own parse errors, then what nginx itself says; nginx wins on the same line.
  const ours: Finding[] = [];
  for (const c of parse.payload.config) {
    for (const e of c.errors) ours.push(invalid(stripWhere(e.error), c.file, e.line ?? undefined));
  }
  for (const e of model.errors) ours.push(invalid(e.error, e.file, e.line));
  for (const exp of expansions.values()) for (const e of exp.errors) ours.push(invalid(e.error, e.file, e.line));

  const resolver = options.resolver ?? hostResolver(ctx.host, undefined, ctx.deadlineAt);
  const [nginx, addresses] = await Promise.all([nginxChecked, timed(timings, 'name lookups', () => resolveAll(spec, expansions, resolver, signal))]);

  const theirs = nginx.messages.filter((m) => isError(m) && !isPermission(m)).map((m) => invalid(m.message, m.file, m.line, m.raw));
  const notes: Finding[] = [...nginx.notes];
  for (const m of nginx.messages) {
    if (isError(m) && isPermission(m)) notes.push(info(`nginx -t could not read what it needs as this user: ${m.message}`, m.file, m.line));
    else if (!isError(m)) notes.push(info(`nginx -t: [${m.level}] ${m.message}`, m.file, m.line));
  }
  if (!nginx.ok && theirs.length === 0 && nginx.failure) theirs.push(invalid(nginx.failure));
  const taken = new Set(theirs.map((f) => `${f.file}:${f.line}`));
  const invalids = [...theirs, ...ours.filter((f) => f.line === undefined || !taken.has(`${f.file}:${f.line}`))];

  const findings: Finding[] = [...invalids];
  const dials: NginxDial[] = [];
  const compareStart = performance.now();
  const evaluate = prepareEvaluation({ services: spec.services, model, expansions, addresses, display, lineText });
  for (const service of spec.services) {
    const r = evaluate(service);
    append(findings, r.findings);
    append(dials, r.dials);
  }
  mark(timings, 'config compare', compareStart);
  append(findings, notes);
  // each dial was made for this result alone: finished in place, not copied (a service per block each dials)
  for (const d of dials) {
    d.text = maskedLine(d.text);
    d.shownFile = display(d.file);
  }
  return {
    findings: findings.map(masked),
    dials,
    nginx: facts,
    fronts: frontRoutes({ parse, model, expansions, services: spec.services, dials }),
  };

  function invalid(message: string, file?: string, line?: number, raw?: string): Finding {
    const evidence = [file && line ? lineText({ file, line }) : undefined, raw].filter((x): x is string => Boolean(x));
    const f: Finding = {
      code: 'config.invalid',
      severity: 'error',
      message,
      ...(file !== undefined && file !== '-' && { file }),
      ...(line !== undefined && { line }),
      ...(evidence.length > 0 && { evidence }),
    };
    const fix = invalidFix(message, file && line ? lineText({ file, line }) : undefined);
    const at = file && line ? `  (${display(file)}:${line})` : '';
    return { ...f, fix: `${fix ?? `correct the line, then check with: nginx -t -c ${main}`}${at}` };
  }

  function info(message: string, file?: string, line?: number): Finding {
    return { severity: 'info', message, ...(file !== undefined && { file }), ...(line !== undefined && { line }) };
  }
}

/** `prefix`: nginx.prefix, which a relative `pid` is relative to. */
function nginxFacts(model: ConfigModel, prefix: string | undefined): NginxFacts {
  const pid = model.pid?.path;
  const pidFile = pid === undefined ? DEFAULT_PID_FILE : isAbsolute(pid) ? pid : prefix !== undefined ? resolve(prefix, pid) : undefined;
  return { ...(pidFile !== undefined && { pidFile }), ...(model.user && { user: model.user }) };
}

/** `user:pass@host` without a scheme, as nginx quotes it: `invalid port in upstream "user:pass@host:80"`. */
function mask(s: string): string {
  return maskCredentials(s).replace(/(^|["\s])[^"\s@/]+:[^"\s@/]*@/g, '$1***@');
}

/** Config lines may hold `scheme://user:pass@host`: never shown as written. */
function masked(f: Finding): Finding {
  return {
    ...f,
    message: mask(f.message),
    ...(f.target !== undefined && { target: mask(f.target) }),
    ...(f.fix !== undefined && { fix: mask(f.fix) }),
    ...(f.evidence !== undefined && { evidence: f.evidence.map(mask) }),
  };
}

/** A replacement line when the error says exactly what is missing. */
function invalidFix(message: string, text: string | undefined): string | undefined {
  const host = /^host not found in upstream "([^"]+)"/.exec(message)?.[1];
  if (host) return `make ${host.replace(/:\d+$/, '')} resolve where nginx runs (DNS or /etc/hosts), or write the address itself`;
  if (!text) return undefined;
  if (/is not terminated by ";"|expecting ";"/.test(message) && !text.endsWith(';')) return `${text.replace(/\s*[{}]\s*$/, '')};`;
  if (message.startsWith('include cycle')) return `# ${text}`;
  return undefined;
}

/** crossplane's messages end in ` in FILE:LINE`; the finding carries those apart. */
function stripWhere(error: string): string {
  return error.replace(/ in (\/|-).*:\d+$/, '');
}

async function nginxCheck(spec: Spec, loaded: LoadedConfig, ctx: ConfigPhaseContext): Promise<NginxCheck> {
  if (loaded.dump) {
    const messages = parseNginxMessages(loaded.dump.messages.join('\n'));
    const failed = loaded.dump.messages.some((m) => /test failed/.test(m));
    const notes: Finding[] =
      loaded.dump.messages.length === 0
        ? [{ severity: 'info', message: 'read an nginx -T dump: nginx -t was not run here, and the dump holds no nginx -t messages' }]
        : [];
    return { ok: !failed, messages, notes, ...(failed && { failure: 'nginx -t failed (from the dump)' }) };
  }
  if (ctx.host.nginxDump) {
    return { ok: true, messages: [], notes: [{ severity: 'info', message: `${spec.nginx.binary} is not installed on the host: nginx -t was not run, the config files were read instead` }] };
  }
  const { binary, config, test: mode, prefix, binaryAt } = spec.nginx;
  return testConfig(ctx.host, {
    binary,
    config,
    ...(mode && { mode }),
    ...(prefix !== undefined && { prefix }),
    ...(binaryAt !== undefined && { binaryAt }),
    parse: loaded.parse,
    signal: ctx.signal,
    deadlineAt: ctx.deadlineAt,
    env: process.env,
  });
}

async function resolveAll(
  spec: Spec,
  expansions: ReturnType<typeof expandAll>,
  resolver: Resolver,
  signal: AbortSignal,
): Promise<Map<string, string[]>> {
  const names = new Set<string>();
  for (const s of spec.services) for (const b of s.pool) if (b.kind === 'tcp') names.add(b.host.toLowerCase());
  for (const exp of expansions.values()) {
    for (const c of exp.candidates) if (c.endpoint?.kind === 'tcp') names.add(c.endpoint.host.toLowerCase());
  }
  const list = [...names].slice(0, MAX_RESOLVED_NAMES);
  const out = new Map<string, string[]>();
  await Promise.all(list.map(async (n) => out.set(n, await resolver(n, signal))));
  return out;
}

/**
 * A host on another file system: `nginx -T` there is the config and nginx -t's
 * verdict in one run. When it printed no config (nginx -t failed) the files
 * are read on the host and nginx's messages kept as the verdict.
 */
async function loadHostDump(spec: Spec, ctx: ConfigPhaseContext): Promise<LoadedConfig> {
  const { binary, config } = spec.nginx;
  const timeoutMs = Math.max(1000, Math.min(15_000, (ctx.deadlineAt - Date.now()) / 2));
  const r = await ctx.host.nginxDump!(binary, config, { signal: ctx.signal, timeoutMs });
  const text = `${r.stderr}\n${r.stdout}`;
  const dump = parseDump(text);
  if (dump) return loadDumpText(text, `${r.command} (on the host)`);
  if (r.notFound) return loadConfigFiles(spec, ctx.host, ctx.signal);
  // `nginx: [emerg] ...`, or in the error log's form once the config set error_log
  const messages = text.split('\n').filter((l) => /^(nginx: |\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[\w+\] )/.test(l)).map((l) => l.trimEnd());
  if (messages.length === 0) throw new UserError(`${r.command} on the host failed: ${(r.stderr.trim().split('\n')[0] ?? '') || (r.timedOut ? 'timed out' : `exit ${r.exitCode ?? r.signal}`)}`);
  // refused only what the host's user may not open (not root, no --sudo): not the config's fault, as locally
  const parsed = parseNginxMessages(messages.join('\n'));
  const onlyPermission = parsed.some(isError) && parsed.filter(isError).every(isPermission);
  const loaded = await loadConfigFiles(spec, ctx.host, ctx.signal);
  return { ...loaded, dump: { main: loaded.main, files: new Map(), messages: onlyPermission ? messages.filter((m) => !/test failed/.test(m)) : messages } };
}

/** The config files, read on the host; when the main one is not there, a relative nginx.config says what it was relative to. */
async function loadConfigFiles(spec: Spec, host: Host, signal: AbortSignal | undefined): Promise<LoadedConfig> {
  try {
    return await loadFiles(host, spec.nginx.config, { signal });
  } catch (e) {
    const note = relativeConfigNote(spec);
    if (!isUserError(e) || note === undefined || (await host.stat(spec.nginx.config, { followLinks: true, ...(signal && { signal }) })).ok) throw e;
    throw new UserError(`${e.message} (${note})`);
  }
}
