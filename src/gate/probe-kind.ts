// What a probe kind is to the probe phase: the stage it belongs to, how its
// checks are named, and one attempt. The planner (probe-plan.ts) makes the
// check records, the runner (check-runner.ts) retries and classifies them;
// each kind in kinds/ only probes, and says what evidence it needs when the
// host's own is not it.
import type { ClassifyInput } from '../diagnose/classify.js';
import type { GatewayFacts } from '../diagnose/gateway-lines.js';
import type { Evidence, EvidenceCollector } from '../host/evidence.js';
import type { Host } from '../host/host.js';
import { formatEndpoint, type Endpoint } from '../model/endpoint.js';
import type { ProbeResult } from '../model/probe-result.js';
import type { ServiceSpec, Spec } from '../spec/load.js';
import type { Protocol } from '../model/protocols.js';
import type { NginxDial } from '../model/dial.js';
import type { NginxLookup } from '../host/nginx-process.js';
import type { FrontRoute } from '../nginx/front-route.js';
import type { Attempt } from './retry.js';

/** Listeners first, then the health request, then the same path through nginx's front. */
export type Stage = ClassifyInput['check'];

/** The order checks run and are reported in, stage by stage. */
export const STAGE_ORDER: Readonly<Record<Stage, number>> = { listener: 0, health: 1, front: 2 };

export interface CheckTarget {
  /** as configured: a name is kept (`localhost:8000`) */
  endpoint: Endpoint;
  /** the nginx line that dials it, when it came from the config */
  dial?: NginxDial;
  /** the one address dialed: an IP literal itself, one of a name's addresses; absent for a socket path or a name not yet resolved */
  address?: string;
  /** a front check through the server block that serves the service (no nginx.front URL) */
  front?: FrontTarget;
}

/** The request through nginx as a client makes it, and what the gate knew of nginx when the phase began. */
export interface FrontTarget {
  route: FrontRoute;
  nginx?: NginxLookup;
  /** the pid file looked at for the running nginx */
  pidFile?: string;
  /** the route's error log's size when the phase began; absent when it could not be read */
  errorLogFrom?: number;
  /** why the error log could not be read when the phase began */
  errorLogProblem?: string;
}

/** One check the probe phase runs: data, its identity apart from how it is shown. */
export interface Check {
  /** unique in the phase; a service's checks that dial the same address share one */
  id: string;
  kind: ProbeKind;
  stage: Stage;
  /** as reports and progress lines show it: `tcp [::1]:8000`, `http GET /healthz` */
  name: string;
  service: ServiceSpec;
  target: CheckTarget;
  /** checks that must pass before this one runs */
  after: readonly string[];
}

/** What one attempt may use: the host, and the configured timeouts cut to the time left. */
export interface AttemptContext {
  host: Host;
  spec: Spec;
  signal: AbortSignal;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  /** epoch ms: the gate's deadline */
  deadlineAt: number;
  evidence: EvidenceCollector;
  /** the error log's size when the phase began */
  errorLogFrom?: number;
}

export interface ProbeKind {
  stage: Stage;
  /** health kinds: the spec's `protocol` values they speak */
  protocols?: readonly Protocol[];
  /** `distinct`: the target's name has several addresses, each checked apart */
  checkName(service: ServiceSpec, target: CheckTarget, distinct: boolean): string;
  /** One attempt. Never throws for the endpoint's failure. */
  probe(check: Check, a: AttemptContext): Promise<ProbeResult>;
  /** What the classifier reads beside a probe; default: the host's evidence about the target. */
  evidence?(probe: ProbeResult, check: Check, a: AttemptContext): Promise<{ evidence: Evidence; errorLog?: string[]; gateway?: GatewayFacts }>;
  /** A classified failure looked at once more before it counts. */
  recheck?(attempt: Attempt, check: Check, a: AttemptContext): Promise<Attempt>;
  /** passes needed in a row; default: gate.success_threshold */
  successThreshold?: number;
  /** a pass adds no check to the report: the checks that follow it stand for it */
  silentPass?: boolean;
}

/** The target's endpoint with its name replaced by the address dialed. */
export function dialed(target: CheckTarget): Endpoint {
  const { endpoint, address } = target;
  return endpoint.kind === 'tcp' && address !== undefined ? { kind: 'tcp', host: address, port: endpoint.port } : endpoint;
}

/** `127.0.0.1:8000`, ` [::1]:8000` after a health path when the name has several addresses. */
export function dialedSuffix(target: CheckTarget, distinct: boolean): string {
  return distinct ? ` ${formatEndpoint(dialed(target))}` : '';
}
