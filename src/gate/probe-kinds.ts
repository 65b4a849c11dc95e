// Every probe kind, by name: adding one is its file in kinds/ and one entry
// here. The planner picks a health kind by the service's protocol.
import { fastcgiKind } from './kinds/fastcgi.js';
import { frontKind } from './kinds/front.js';
import { httpKind } from './kinds/http.js';
import { listenerKind } from './kinds/listener.js';
import { resolveKind } from './kinds/resolve.js';
import type { ProbeKind } from './probe-kind.js';

export const PROBE_KINDS = {
  resolve: resolveKind,
  tcp: listenerKind,
  unix: listenerKind,
  http: httpKind(false),
  https: httpKind(true),
  fastcgi: fastcgiKind,
  front: frontKind,
} as const satisfies Record<string, ProbeKind>;

export type ProbeKindName = keyof typeof PROBE_KINDS;
