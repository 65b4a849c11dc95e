// Contracts between the gate's phases. Data flows one way:
// spec -> config phase (what nginx dials) -> probe phase -> verdict -> report.
import type { ReasonCode } from '../model/codes.js';
import type { Runner } from '../host/run.js';
import type { Endpoint } from '../model/endpoint.js';
import type { CheckOutcome, Finding, NotRunCheck } from '../model/finding.js';
import type { Spec } from '../spec/load.js';

export type PassDirective = 'proxy_pass' | 'fastcgi_pass' | 'uwsgi_pass' | 'scgi_pass' | 'grpc_pass' | 'memcached_pass';

/** One address nginx dials for a service, with where the config says so. */
export interface NginxDial {
  service: string;
  directive: PassDirective;
  /** http, https, fastcgi, uwsgi, suwsgi, scgi, grpc, grpcs, memcached; stream proxy_pass: tcp */
  scheme: string;
  /** as nginx dials it: default port applied, name not yet resolved; absent when dynamic */
  endpoint?: Endpoint;
  /** the `upstream {}` group the endpoint came from */
  upstream?: string;
  /** the target holds variables */
  dynamic?: boolean;
  /** the `*_pass` line, or the upstream `server` line when via a group */
  file: string;
  /** `file` as messages show it: relative to the main config's directory when under it */
  shownFile?: string;
  line: number;
  /** that line as written, trimmed */
  text: string;
  /** server_name of the block the *_pass sits in */
  serverName?: string;
}

export interface ProgressEvent {
  service: string;
  /** `tcp [::1]:8000`, `http GET /healthz`, `unix /run/php/php8.2-fpm.sock` */
  check: string;
  state: 'waiting' | 'pass' | 'fail';
  /** the classified reason of the latest attempt, while waiting or on fail */
  code?: ReasonCode;
  message?: string;
  attempt: number;
  elapsedMs: number;
  remainingMs: number;
}

export interface PhaseContext {
  /** aborted on the deadline and on SIGINT / SIGTERM: every socket, request and child takes it */
  signal: AbortSignal;
  /** epoch ms by which everything must be settled */
  deadlineAt: number;
  runner: Runner;
  onProgress?: (event: ProgressEvent) => void;
}

export interface ConfigPhaseResult {
  /** config.* findings, and `info` notes such as "nginx binary not installed" */
  findings: Finding[];
  /** every address nginx dials for each spec service */
  dials: NginxDial[];
}

export interface ProbePhaseResult {
  findings: Finding[];
  checks: CheckOutcome[];
  /** checks a failure before them kept from running (health after a refused connect...) */
  notRun?: NotRunCheck[];
}

export type ConfigPhase = (spec: Spec, ctx: PhaseContext) => Promise<ConfigPhaseResult>;
export interface ProbePhase {
  (spec: Spec, dials: readonly NginxDial[], ctx: PhaseContext): Promise<ProbePhaseResult>;
  /** the first checks it would run for each service, each before its dependants: listed when the phase does not run */
  plan?(spec: Spec, dials: readonly NginxDial[]): { service: string; name: string }[];
}
