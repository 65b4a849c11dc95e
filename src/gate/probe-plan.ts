// The probe phase's plan, pure: a service's spec, the dials nginx makes for
// it, and what the run has learnt so far, in; its checks out, each with its
// stage and the checks it waits for. Every address nginx dials gets a
// listener check (the spec's backend first, then each dial that differs; a
// name first resolved, then each of its addresses), the backend's health
// request follows its listeners, and the request through nginx's front
// follows the health request. What fans out over a name's addresses is one
// check until it can run: a name not yet resolved stands for the addresses it
// will give, the health request for one per address the listeners passed.
import { ipFamily, formatEndpoint, type Endpoint } from '../model/endpoint.js';
import type { Finding } from '../model/finding.js';
import type { ServiceSpec, Spec } from '../spec/load.js';
import type { Protocol } from '../model/protocols.js';
import { frontRequest } from './kinds/front.js';
import type { NginxDial } from '../model/dial.js';
import { dialed, type Check, type CheckTarget, type FrontTarget } from './probe-kind.js';
import { PROBE_KINDS, type ProbeKindName } from './probe-kinds.js';

/** A finding the plan gives once the checks it is `after` have passed. */
export interface PlannedNote {
  id: string;
  after: readonly string[];
  finding: Finding;
}

export interface ServicePlan {
  /** in the order they start: listener checks (the backend's first), the health checks, the front check */
  checks: Check[];
  notes: PlannedNote[];
}

/** What the run has learnt that the plan depends on. */
export interface Learnt {
  /** a resolve check's id -> the addresses it found, in nginx's order */
  resolved: ReadonlyMap<string, readonly string[]>;
  /** the ids of the checks that passed */
  passed: ReadonlySet<string>;
}

export const NOTHING_LEARNT: Learnt = { resolved: new Map(), passed: new Set() };

/** Each service's targets, kept across its plans: they depend only on its spec and its dials, which a run never changes. */
const targetsByDials = new WeakMap<readonly NginxDial[], { service: ServiceSpec; targets: readonly CheckTarget[] }>();

function targetsOnce(service: ServiceSpec, dials: readonly NginxDial[]): readonly CheckTarget[] {
  const known = targetsByDials.get(dials);
  if (known?.service === service) return known.targets;
  const targets = targetsOf(service, dials);
  targetsByDials.set(dials, { service, targets });
  return targets;
}

/** The spec's backends first (every member of a pool), then each static dial that differs from them (sameEndpoint), in one pass. */
export function targetsOf(service: ServiceSpec, dials: readonly NginxDial[]): CheckTarget[] {
  const key = (e: Endpoint) => (e.kind === 'unix' ? `unix ${e.path}` : `tcp ${e.host.toLowerCase()} ${e.port}`);
  const targets = new Map<string, CheckTarget>(service.pool.map((b) => [key(b), { endpoint: b }]));
  for (const d of dials) {
    if (d.dynamic || !d.endpoint) continue;
    const same = targets.get(key(d.endpoint));
    if (same) same.dial ??= d;
    else targets.set(key(d.endpoint), { endpoint: d.endpoint, dial: d });
  }
  return [...targets.values()];
}

/** Each service's dials, in one pass. */
export function dialsByService(dials: readonly NginxDial[]): Map<string, NginxDial[]> {
  const out = new Map<string, NginxDial[]>();
  for (const d of dials) {
    const list = out.get(d.service);
    if (list) list.push(d);
    else out.set(d.service, [d]);
  }
  return out;
}

/** `front`: the request through the server block that serves the service, when nginx.front names no URL. */
export function planService(spec: Spec, service: ServiceSpec, dials: readonly NginxDial[], learnt: Learnt, front?: FrontTarget): ServicePlan {
  const checks = new Map<string, Check>();
  const add = (c: Check) => {
    // a dial that reaches an address already checked shares its check
    if (!checks.has(c.id)) checks.set(c.id, c);
    return c.id;
  };
  const make = (kind: ProbeKindName, target: CheckTarget, after: readonly string[], distinct = false): Check => {
    const k = PROBE_KINDS[kind];
    const where = kind === 'front' ? '' : `:${formatEndpoint(kind === 'resolve' ? target.endpoint : dialed(target))}`;
    return { id: `${service.name}:${kind}${where}`, kind: k, stage: k.stage, name: k.checkName(service, target, distinct), service, target, after };
  };

  const targets = targetsOnce(service, dials);
  const backends = targets.slice(0, service.pool.length);
  const stage = (target: CheckTarget) => {
    const { endpoint } = target;
    if (endpoint.kind === 'unix') return { ids: [add(make('unix', target, []))], addresses: [undefined] };
    if (ipFamily(endpoint.host) !== 0) return { ids: [add(make('tcp', { ...target, address: endpoint.host }, []))], addresses: [endpoint.host] };
    const resolve = add(make('resolve', target, []));
    const addresses = learnt.resolved.get(resolve);
    const ids = [resolve, ...(addresses ?? []).map((address) => add(make('tcp', { ...target, address }, [resolve])))];
    return { ids, ...(addresses && { addresses }) };
  };
  const listeners = backends.map(stage);
  for (const t of targets.slice(backends.length)) stage(t);

  const notes: PlannedNote[] = [];
  const path = service.health;
  let healthIds = listeners.flatMap((l) => l.ids);
  if (backends.length > 0 && path) {
    const kind = healthKindOf(service.protocol);
    if (!kind) {
      notes.push({
        id: `${service.name}:no-health-kind`,
        after: healthIds,
        finding: { severity: 'info', service: service.name, message: `health ${path} is not requested over ${service.protocol}: the listener probe is the check` },
      });
    } else {
      // each member of a pool is requested apart, named by its address
      const pool = backends.length > 1;
      healthIds = backends.flatMap((backend, i) => {
        const mine = listeners[i] as { ids: string[]; addresses?: readonly (string | undefined)[] };
        if (!mine.addresses || !mine.ids.every((id) => learnt.passed.has(id))) return [add(make(kind, backend, mine.ids, pool))];
        const { addresses } = mine;
        return addresses.map((address) => add(make(kind, { ...backend, ...(address !== undefined && { address }) }, mine.ids, pool || addresses.length > 1)));
      });
    }
    if (spec.nginx.front) add(make('front', { endpoint: frontRequest(spec.nginx.front).endpoint }, healthIds));
    else if (front && !spec.nginx.frontOff) add(make('front', { endpoint: front.route.endpoint, front }, healthIds));
  }
  return { checks: [...checks.values()], notes };
}

/** The first checks of each service, each before its dependants: what the phase would run when it does not. */
export function firstChecks(spec: Spec, dials: readonly NginxDial[]): { service: string; name: string }[] {
  const byService = dialsByService(dials);
  return spec.services.flatMap((service) => {
    const names = new Set(planService(spec, service, byService.get(service.name) ?? [], NOTHING_LEARNT).checks.map((c) => c.name));
    return [...names].map((name) => ({ service: service.name, name }));
  });
}

function healthKindOf(protocol: Protocol): ProbeKindName | undefined {
  return (Object.keys(PROBE_KINDS) as ProbeKindName[]).find((k) => PROBE_KINDS[k].stage === 'health' && PROBE_KINDS[k].protocols?.includes(protocol));
}
