// Contracts between the gate and its phases. Data flows one way:
// spec -> config phase (what nginx dials) -> probe phase -> verdict -> report.
import type { NginxLookup } from '../host/nginx-process.js';
import type { NginxDial } from '../model/dial.js';
import type { ProgressEvent } from '../model/events.js';
import type { CheckOutcome, Finding, NotRunCheck } from '../model/finding.js';
import type { ConfigPhaseContext, ConfigPhaseResult, NginxFacts } from '../nginx/check.js';
import type { Spec } from '../spec/load.js';

/** What every phase gets from the gate: the config phase's context, and where progress goes. */
export interface PhaseContext extends ConfigPhaseContext {
  onProgress?: (event: ProgressEvent) => void;
  /** the running nginx (its master, workers, network namespace), found between the phases; absent for the config phase */
  nginx?: NginxLookup;
  /** the config phase's facts about nginx (pid file, `user`); absent when the config phase did not run */
  nginxFacts?: NginxFacts;
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
