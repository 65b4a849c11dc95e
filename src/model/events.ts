// What the gate says while it runs: one event per probe attempt, for the live
// progress lines.
import type { ReasonCode } from './codes.js';

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
