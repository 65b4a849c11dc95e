// What a service's health answer must be to prove the release deployed
// (`expect:` in the spec): the spec builds it, the probes' matcher reads it,
// the renderer writes its release identity into the backend's env file.

/** How one observed value is compared: exactly, as a substring (a body), or by a regular expression (searched). */
export type ValueMatch =
  | { kind: 'equals'; value: string | number | boolean | null }
  | { kind: 'contains'; value: string }
  | { kind: 'regex'; source: string };

/** An inclusive range of HTTP statuses: `200` is `{from: 200, to: 200}`. */
export interface StatusRange {
  from: number;
  to: number;
}

export interface Expectation {
  /** the statuses that pass; absent: `curl -f`'s rule, any status below 400 */
  status?: StatusRange[];
  /** response headers, names as the spec writes them (compared case-insensitively) */
  headers: { name: string; match: ValueMatch }[];
  body?: ValueMatch;
  /** fields of a JSON body by dotted path (`build.commit`, `items.0.id`) */
  json: { path: string; match: ValueMatch }[];
}

/** The first value compared exactly, header before JSON field: the release the spec names. */
export function releaseIdentity(e: Expectation): { from: string; value: string } | undefined {
  for (const h of e.headers) if (h.match.kind === 'equals') return { from: `header ${h.name}`, value: String(h.match.value) };
  for (const j of e.json) if (j.match.kind === 'equals' && j.match.value !== null) return { from: `JSON field ${j.path}`, value: String(j.match.value) };
  return undefined;
}

/** `200`, `200-299`, `200, 204` */
export function formatStatuses(ranges: readonly StatusRange[]): string {
  return ranges.map((r) => (r.from === r.to ? String(r.from) : `${r.from}-${r.to}`)).join(', ');
}

/** The expected side as messages show it. */
export function formatMatch(m: ValueMatch): string {
  switch (m.kind) {
    case 'equals':
      return typeof m.value === 'string' ? m.value : JSON.stringify(m.value);
    case 'contains':
      return JSON.stringify(m.value);
    case 'regex':
      return `/${m.source}/`;
  }
}

/** One way an answer differs from the expectation: the observed value beside the expected one. */
export interface Mismatch {
  /** what was compared: `status`, `X-Release`, `body`, `JSON field version` */
  subject: string;
  /** the value the answer holds, printable and bounded; absent when it holds none */
  observed?: string;
  /** as `formatMatch` shows it */
  expected: string;
  /** why nothing could be compared (`the body is not JSON: ...`) */
  problem?: string;
  /** an exact value that differs: most likely another release answered */
  identity?: boolean;
}

/** `X-Release is 3f2a9c1 (the previous release?), expected 8d41e07` */
export function describeMismatch(m: Mismatch): string {
  if (m.problem !== undefined) return `${m.problem}, expected ${m.subject} ${m.expected}`;
  const seen = m.observed === undefined ? 'is absent' : `is ${m.observed}${m.identity ? ' (the previous release?)' : ''}`;
  return `${m.subject} ${seen}, expected ${m.expected}`;
}
