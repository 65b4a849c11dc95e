// The one report model. Every renderer (text, json, junit, GitHub) reads this;
// the JSON renderer emits it as the DESIGN.md contract.
import type { ReasonCode } from './codes.js';

export type Severity = 'error' | 'warning' | 'info';

/**
 * One classified observation. Field names are the public JSON contract:
 * `errno_name` stays snake_case on purpose.
 */
export interface Finding {
  /** a reason code, or `info` notes (code omitted) such as "nginx binary not installed" */
  code?: ReasonCode;
  severity: Severity;
  service?: string;
  /** what was dialed: `127.0.0.1:8000`, `[::1]:8000`, `unix:/run/app.sock`, a URL */
  target?: string;
  errno?: number;
  errno_name?: string;
  message: string;
  evidence?: string[];
  fix?: string;
  file?: string;
  line?: number;
  /** where it was observed from, when that is not the gate's own process: nginx's network namespace, as nginx's workers */
  vantage?: Vantage;
}

/** DESIGN.md's vantage rule: the machine, the network namespace and the user a probe was made from. */
export interface Vantage {
  host: string;
  /** `net:[4026532717]`: nginx's master's, entered */
  netns?: string;
  /** nginx's worker user the probe connected as */
  user?: string;
}

export type Verdict = 'pass' | 'fail';

/** Per service and probe outcome, for summaries and JUnit test cases. */
export interface CheckOutcome {
  service: string;
  /** `config`, `tcp 127.0.0.1:8000`, `unix /run/php/php8.2-fpm.sock`, `http GET /healthz`, `front GET /healthz` */
  name: string;
  ok: boolean;
  /** the deciding finding's code when not ok */
  code?: ReasonCode;
  message?: string;
  attempts?: number;
  durationMs?: number;
}

/** A check the gate would have run, and why it did not (a check it depends on failed). */
export interface NotRunCheck {
  service: string;
  name: string;
  /** `tcp 127.0.0.1:8000 failed`, `the config check failed` */
  why: string;
}

export interface Report {
  verdict: Verdict;
  reason?: ReasonCode;
  findings: Finding[];
  /** not part of the JSON contract's required fields; added fields are allowed */
  checks?: CheckOutcome[];
  notRun?: NotRunCheck[];
  spec?: string;
  durationMs?: number;
  /** where the time went: each stage with its start (ms from the process's start) and length */
  timings?: { stages: { stage: string; startMs: number; ms: number }[] };
}
