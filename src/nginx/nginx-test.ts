// `nginx -t` through the Runner (never a reload, never a shell), sandboxed
// (nginx-sandbox.ts), refused on a config that loads code from outside the
// system's module directories unless the spec says `nginx.test: always`, and
// its messages read back into file and line. The same reader serves the
// `nginx: ...` lines captured in an `nginx -T` dump.
import { accessSync, constants, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { commandLine, type CommandResult, type Runner } from '../host/run.js';
import type { Finding } from '../model/finding.js';
import type { NginxTestMode } from '../spec/schema.js';
import { UserError } from '../user-error.js';
import { findCodeLoading, loadsModules, type CodeLoad, type NginxBuild } from './code-loading.js';
import { configWait } from './config-wait.js';
import { makeScratch, testEnv, testUser } from './nginx-sandbox.js';
import type { ParseResult } from './parser.js';

export interface NginxMessage {
  level: string;
  message: string;
  file?: string;
  line?: number;
  /** the whole output line, for evidence */
  raw: string;
}

/** What nginx -t made of the config, for the config phase. */
export interface NginxCheck {
  /** false only when nginx -t says the config is invalid */
  ok: boolean;
  messages: NginxMessage[];
  /** info notes, and config.untrusted_code warnings */
  notes: Finding[];
  /** the one-line reason when nginx -t failed without a message of its own */
  failure?: string;
}

export interface NginxTestOptions {
  binary: string;
  config: string;
  /** absent: safe */
  mode?: NginxTestMode;
  parse: ParseResult;
  signal: AbortSignal;
  deadlineAt: number;
  /** the gate's environment: PATH is passed on, CI decides the user, nothing else reaches nginx */
  env: NodeJS.ProcessEnv;
  /** nginx.prefix: `-p` as nginx runs with it (absolute) */
  prefix?: string;
  /** `FILE:LINE` of nginx.binary when the spec sets it: then a path that is not there is bad input */
  binaryAt?: string;
}

export const NGINX_TEST_TIMEOUT_MS = 15_000;

// `nginx: [emerg] ...` before the error log is open, `2026/11/30 12:48:08 [emerg] 19289#19289: ...` after.
const LINE = /^(?:nginx: |\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d )\[(emerg|alert|crit|error|warn|notice|info)\] (?:\d+#\d+: )?(.*?)(?: in (\/.*?):(\d+))?$/;

export function parseNginxMessages(output: string): NginxMessage[] {
  const out: NginxMessage[] = [];
  for (const raw of output.split('\n')) {
    const m = LINE.exec(raw.trimEnd());
    if (!m) continue;
    out.push({
      level: m[1] as string,
      message: m[2] as string,
      raw: raw.trimEnd(),
      ...(m[3] !== undefined && { file: m[3], line: Number(m[4]) }),
    });
  }
  return out;
}

export function isErrorMessage(m: NginxMessage): boolean {
  return m.level === 'emerg' || m.level === 'alert' || m.level === 'crit' || m.level === 'error';
}

/** What nginx could not open, read or bind as the user it ran as: not a fault of the config. */
export function isPermissionMessage(m: NginxMessage): boolean {
  // OpenSSL 3 words fopen()'s EACCES its own way: `system library::Permission denied:calling fopen(...)`
  return m.message.includes('(13: Permission denied)') || m.message.includes('(1: Operation not permitted)') || m.message.includes('::Permission denied:calling fopen(');
}

export async function testConfig(runner: Runner, o: NginxTestOptions): Promise<NginxCheck> {
  const shown = commandLine(o.binary, ['-t', '-c', o.config]);
  if (o.mode === 'off') return note(`nginx -t not run (nginx.test: off): the config was checked by upstream-gate's parser only`);
  const uid = process.getuid?.();
  const { user, because } = testUser(o.config, o.env, uid);
  const env = testEnv(o.env);
  const binary = findExecutable(o.binary, env.PATH);
  if (!binary && o.binaryAt !== undefined && o.binary.includes('/')) {
    // the spec names this file: a typo or an install elsewhere, not "nginx is not installed" (a name is
    // looked up on PATH, which differs between a CI runner and the server, as for the default)
    throw new UserError(`nginx.binary: "${o.binary}" does not exist or is not executable (to skip nginx -t, set nginx.test: off)`, o.binaryAt);
  }
  if (!binary) return note(`nginx binary "${o.binary}" not found: nginx -t skipped, the config was checked by upstream-gate's parser only`);
  const base = { env, signal: o.signal, ...(user && { user }) };
  const as = user ? ` as nobody (${because})` : '';
  const left = () => configWait(o.deadlineAt, NGINX_TEST_TIMEOUT_MS);

  let build: NginxBuild | undefined;
  if (loadsModules(o.parse)) {
    const v = await runner.run(binary, ['-V'], { ...base, cwd: '/', timeoutMs: left() });
    const stopped = didNotRun(v, { binary: o.binary, shown, as }, left());
    if (stopped) return stopped;
    build = readBuild(`${v.stderr}${v.stdout}`);
  }
  if ((o.mode ?? 'safe') === 'safe') {
    const loads = findCodeLoading(o.parse, build, o.prefix);
    if (loads.length > 0) return { ok: true, messages: [], notes: loads.map(untrusted) };
  }

  const scratch = makeScratch(o.parse, build, user, o.prefix);
  try {
    const timeoutMs = left();
    const r = await runner.run(binary, ['-t', ...scratch.args, '-c', o.config], { ...base, cwd: scratch.cwd, timeoutMs });
    const stopped = didNotRun(r, { binary: o.binary, shown, as }, timeoutMs);
    if (stopped) return stopped;
    const output = `${r.stderr}${r.stdout}`;
    const all = parseNginxMessages(output);
    // Unprivileged, nginx -t cannot open, create or bind what root could once the config has parsed (pid,
    // logs, temp paths, ports below 1024): that is the sandbox or the gate's own user, not the config. As
    // nobody it goes unsaid; as the gate's own user (a unit's User=) one note says what it could not open.
    const read = /syntax is ok$/m.test(output);
    const unprivileged = user !== undefined || (uid !== undefined && uid !== 0);
    const userWarning = (m: NginxMessage) => unprivileged && /^the "user" directive makes sense only if/.test(m.message);
    const runtimeFile = (m: NginxMessage) => unprivileged && read && isErrorMessage(m) && isPermissionMessage(m);
    const messages = all.filter((m) => !userWarning(m) && !runtimeFile(m));
    const errors = messages.filter(isErrorMessage);
    const unopened = user ? [] : all.filter(runtimeFile).map((m) => m.message);
    const notes = unopened.length > 0 ? [info(`nginx -t: the syntax is ok; as uid ${uid} it could not open what nginx opens as its own user at start (not a config error): ${unopened.join('; ')}`)] : [];
    if (!r.failed || (errors.length === 0 && messages.length < all.length)) return { ok: true, messages, notes };
    if (errors.length > 0 && errors.every(isPermissionMessage)) return note(`nginx -t ran${as} and could not read all of the config`, messages);
    const last = output.trim().split('\n').pop() ?? '';
    return { ok: false, messages, notes: [], failure: `${shown} failed: ${last}` };
  } finally {
    scratch.remove();
  }
}

/** A run that gave no verdict on the config: not installed, not startable, stopped. */
function didNotRun(r: CommandResult, { binary, shown, as }: { binary: string; shown: string; as: string }, timeoutMs: number): NginxCheck | undefined {
  if (r.aborted) return note(`${shown} was stopped before it finished: the gate was interrupted`);
  if (r.notFound) return note(`nginx binary "${binary}" not found: nginx -t skipped, the config was checked by upstream-gate's parser only`);
  if (r.spawnError) return note(`${shown} could not be started${as}: ${r.spawnError}; the config was checked by upstream-gate's parser only`);
  if (r.timedOut) {
    return note(`${shown} did not finish within ${timeoutMs} ms (nginx resolves every upstream name as it reads the config: a resolver that does not answer holds it up)`);
  }
  if (r.signal) return note(`${shown} was killed by ${r.signal} before it finished`);
  return undefined;
}

/**
 * The binary's path, looked up as the gate sees it: unprivileged, execvp's own
 * search fails with EACCES on a PATH entry it may not enter, which would hide
 * "not installed". A relative path is the spec's, from where the gate runs
 * (nginx -t's working directory is its scratch prefix).
 */
function findExecutable(binary: string, path: string): string | undefined {
  const candidates = binary.includes('/') ? [resolve(binary)] : path.split(':').filter(Boolean).map((dir) => join(dir, binary));
  return candidates.find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return statSync(file).isFile();
    } catch {
      return false;
    }
  });
}

/** `--prefix` and `--modules-path` from `nginx -V` (nginx's defaults when absent). */
export function readBuild(output: string): NginxBuild {
  const arg = (name: string) => new RegExp(`--${name}=(\\S+)`).exec(output)?.[1];
  const prefix = arg('prefix') ?? '/usr/local/nginx';
  return { prefix, modulesPath: arg('modules-path') ?? resolve(prefix, 'modules') };
}

function untrusted(l: CodeLoad): Finding {
  return {
    code: 'config.untrusted_code',
    severity: 'warning',
    message: `nginx -t not run on this config: ${l.directive} ${l.why}`,
    evidence: [`${[l.directive, ...l.args].join(' ')};`],
    fix: 'if this config is yours, let nginx -t load it with `nginx.test: always` in the spec; otherwise remove the line',
    file: l.file,
    line: l.line,
  };
}

function note(message: string, messages: NginxMessage[] = []): NginxCheck {
  return { ok: true, messages, notes: [info(message)] };
}

function info(message: string): Finding {
  return { severity: 'info', message };
}
