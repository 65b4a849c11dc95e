// What the probe phase needs to request each service through nginx by
// default: the route the config gives it (nginx/front-route.ts), the running
// nginx, and where its error log stood when the phase began. And the names
// nginx resolved once, at start, that a hosts file changed since may have
// moved: a warning, as the gate cannot see which address nginx holds until a
// request through it fails.
import type { Host } from '../host/host.js';
import type { Finding } from '../model/finding.js';
import type { Spec } from '../spec/load.js';
import type { PhaseContext } from './phases.js';
import type { FrontTarget } from './probe-kind.js';

/**
 * Each service's request through nginx: when nginx runs, or when the spec
 * expects it to serve (a server_name) and it does not. `notes`: why none is
 * made where the config gives a route.
 */
export async function frontTargets(spec: Spec, ctx: PhaseContext): Promise<{ targets: Map<string, FrontTarget>; notes: Finding[] }> {
  const out = new Map<string, FrontTarget>();
  const { nginx, fronts } = ctx;
  if (spec.nginx.front || spec.nginx.frontOff || !fronts || !nginx) return { targets: out, notes: [] };
  // nginx's listen addresses mean something else from another network namespace, unless the host's dials are made from nginx's
  const otherNetns = nginx.running && nginx.process.netns !== undefined && nginx.process.ownNetns !== undefined && nginx.process.netns !== nginx.process.ownNetns;
  if (otherNetns && ctx.vantage?.netns !== nginx.process.netns) {
    const { netns, ownNetns } = nginx.process;
    const notes = fronts.map((r) => ({
      severity: 'info' as const,
      service: r.service,
      message: `${r.path} is not requested through nginx: nginx runs in network namespace ${netns}, the gate's dials are made from ${ownNetns}`,
    }));
    return { targets: out, notes };
  }
  const sizes = new Map<string, Promise<{ size?: number; problem?: string }>>();
  const byName = new Map(spec.services.map((s) => [s.name, s]));
  await Promise.all(
    fronts.map(async (route) => {
      const service = byName.get(route.service);
      if (!service || (!nginx.running && service.serverNames.length === 0)) return;
      const target: FrontTarget = { route, nginx, ...(ctx.nginxFacts?.pidFile !== undefined && { pidFile: ctx.nginxFacts.pidFile }) };
      const log = spec.nginx.errorLog ?? ('path' in route.errorLog ? route.errorLog.path : undefined);
      if (log === undefined) {
        if ('unreadable' in route.errorLog) target.errorLogProblem = route.errorLog.unreadable;
      } else {
        let at = sizes.get(log);
        if (!at) {
          at = sizeOf(ctx.host, log, ctx.signal);
          sizes.set(log, at);
        }
        const { size, problem } = await at;
        if (size !== undefined) target.errorLogFrom = size;
        if (problem !== undefined) target.errorLogProblem = problem;
      }
      out.set(route.service, target);
    }),
  );
  return { targets: out, notes: [] };
}

async function sizeOf(host: Host, path: string, signal: AbortSignal): Promise<{ size?: number; problem?: string }> {
  const st = await host.stat(path, { followLinks: true, signal });
  if (!st.ok) return { problem: `${path} could not be read when the gate started: ${st.code ?? st.message}` };
  if (st.type !== 'file') return { problem: `${path} is not a regular file` };
  return { size: st.size };
}

/** The hosts file as nginx's processes see it (their mount namespace), else the gate's own. */
export async function nginxHostsFile(host: Host, masterPid: number, signal: AbortSignal): Promise<{ path: string; mtimeMs?: number } | undefined> {
  for (const path of [`/proc/${masterPid}/root/etc/hosts`, '/etc/hosts']) {
    const st = await host.stat(path, { followLinks: true, signal });
    if (st.ok) return { path, ...(st.mtimeMs !== undefined && { mtimeMs: st.mtimeMs }) };
  }
  return undefined;
}

/**
 * A warning per name nginx resolved at start when the hosts file changed
 * after nginx started: nginx still dials what the name meant then. Services
 * whose request through nginx already showed the stale address are skipped.
 */
export async function staleNotes(spec: Spec, ctx: PhaseContext, fronts: ReadonlyMap<string, FrontTarget>, found: readonly Finding[]): Promise<Finding[]> {
  const nginx = ctx.nginx;
  if (!nginx?.running || nginx.process.startedAt === undefined) return [];
  const shown = new Set(found.filter((x) => x.code === 'nginx.stale_address').map((x) => x.service));
  const routes = [...fronts.values()].filter((f) => f.route.startNames.length > 0 && !shown.has(f.route.service));
  if (routes.length === 0) return [];
  const startedAt = nginx.process.startedAt;
  const hosts = await nginxHostsFile(ctx.host, nginx.process.masterPid, ctx.signal);
  if (hosts?.mtimeMs === undefined || hosts.mtimeMs <= startedAt) return [];
  const timeoutMs = Math.max(1, Math.min(spec.gate.connectTimeoutMs, ctx.deadlineAt - Date.now()));
  const out: Finding[] = [];
  for (const { route } of routes) {
    for (const n of route.startNames) {
      const now = await ctx.host.resolve(n.name, { timeoutMs, signal: ctx.signal });
      out.push({
        code: 'nginx.stale_address',
        severity: 'warning',
        service: route.service,
        target: `${n.name}:${n.port}`,
        message: `nginx resolved ${n.name} when it started (${iso(startedAt)}); ${hosts.path} changed after that (${iso(hosts.mtimeMs)}): nginx may still dial the address ${n.name} had then`,
        evidence: [
          `nginx master pid ${nginx.process.masterPid} started ${iso(startedAt)}`,
          `${hosts.path} modified ${iso(hosts.mtimeMs)}`,
          now.ok ? `${n.name} resolves now to ${now.addresses.join(', ')}` : `${n.name} does not resolve now: ${now.code ?? now.message}`,
        ],
        fix: reloadFix(n.name),
        file: n.file,
        line: n.line,
      });
    }
  }
  return out;
}

export function reloadFix(name: string): string {
  return `reload nginx (nginx -s reload, or systemctl reload nginx) so it resolves ${name} again; or resolve it at run time: a resolver plus a variable in proxy_pass, or \`server ${name} resolve;\` in a zone'd upstream (nginx 1.27.3+)`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}
