// One probe attempt's outcome. Success and failure have the same shape (like
// execa's result and error): `ok` plus the raw facts, never a bare boolean.
import type { Mismatch } from './expect.js';

export type ProbeKind = 'tcp' | 'unix' | 'http' | 'https' | 'fastcgi';

/** Where an attempt stopped: the classifier reads connect failures and answer failures differently. */
export type ProbeStage = 'resolve' | 'connect' | 'tls' | 'request' | 'response';

export interface ProbeTimings {
  /** until the connection was established */
  connectMs?: number;
  /** until the first byte of the answer */
  firstByteMs?: number;
  totalMs: number;
}

export interface ProbeResult {
  ok: boolean;
  kind: ProbeKind;
  /** what was dialed: `127.0.0.1:8000`, `[::1]:8000`, `unix:/run/app.sock`, a URL with credentials masked */
  target: string;
  /** the stage reached (on success: the last one) */
  stage: ProbeStage;
  /** Node's error code (`ECONNREFUSED`, `ETIMEDOUT`, `HPE_INVALID_CONSTANT`, `ERR_SSL_WRONG_VERSION_NUMBER`), `HTTP_STATUS`, `ABORT_ERR` */
  code?: string;
  /** positive errno number when the failure has one (111, 110, 13, 2...) */
  errno?: number;
  /** one line, for evidence */
  message: string;
  timings: ProbeTimings;
  /** HTTP status (for fastcgi: the CGI `Status:`, 200 when absent) */
  status?: number;
  /** the first bytes received, printable, at most 64 */
  firstBytes?: string;
  /** the body read (at most 64 KiB), trimmed for evidence */
  body?: string;
  bytesRead?: number;
  /** the socket's own address, for the evidence of a pass */
  localAddress?: string;
  /** a name's resolution: its addresses, in the order nginx dials them */
  addresses?: string[];
  /** the answer whole (body: at most 64 KiB), kept when a service expects something of it */
  answer?: Answer;
  /** code UNEXPECTED: how the answer differs from the service's `expect:` */
  mismatches?: Mismatch[];
}

export interface Answer {
  /** names in lower case; a repeated header's values joined with `, ` */
  headers: Record<string, string>;
  body: string;
  /** the body was cut at 64 KiB */
  truncated: boolean;
}

/** Outcome codes that are not Node error codes. */
export const HTTP_STATUS = 'HTTP_STATUS';
export const ABORTED = 'ABORT_ERR';
/** The answer ended before a complete response (a FastCGI stream without END_REQUEST...). */
export const INCOMPLETE = 'INCOMPLETE_RESPONSE';
/** The answer is not the protocol spoken (not HTTP, not FastCGI, TLS where plain was expected). */
export const BAD_PROTOCOL = 'BAD_PROTOCOL';
/** The answer passed `curl -f` but is not what the service's `expect:` says (another release answered). */
export const UNEXPECTED = 'UNEXPECTED_ANSWER';
