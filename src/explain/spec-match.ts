// Cross-check explain's groups against the spec: is the upstream nginx failed
// to reach the backend the spec names? When a service's server{} saw failures
// dialing another address, the log's upstream is not the spec's backend and
// that is the finding, whatever the errno says.
import { basename } from 'node:path';
import { formatEndpoint, type Endpoint } from '../model/endpoint.js';
import { parseBackend } from '../spec/address.js';
import type { ServiceSpec, Spec } from '../spec/load.js';
import { mismatchCode, relate } from '../model/mismatch.js';
import { speaks } from '../model/protocols.js';
import type { ExplainGroup, SpecMatch } from './explain.js';

export function crossCheck(groups: ExplainGroup[], spec: Pick<Spec, 'services'>): void {
  for (const g of groups) {
    const m = matchGroup(g, spec.services);
    if (m) g.spec = m;
  }
}

function matchGroup(g: ExplainGroup, services: readonly ServiceSpec[]): SpecMatch | undefined {
  const dialed = endpointOf(g.upstream);
  if (dialed) {
    const own = services.find((s) => s.pool.some((b) => sameBackend(b, dialed)));
    const member = own?.poolTexts[own.pool.findIndex((b) => sameBackend(b, dialed))];
    const scheme = schemeOf(g.upstream);
    if (own && scheme !== undefined && !speaks(own.protocol, scheme)) {
      return {
        match: 'mismatch',
        service: own.name,
        backend: member ?? own.backendText,
        code: 'config.protocol_mismatch',
        note: `nginx dials ${formatEndpoint(dialed)}, the spec's backend of ${own.name}, as ${scheme}:// but the spec says it speaks ${own.protocol}`,
      };
    }
    if (own) {
      return { match: 'backend', service: own.name, backend: member ?? own.backendText, note: `${formatEndpoint(dialed)} is the spec's backend of ${own.name}: the backend itself failed` };
    }
  }
  // a group or host name: nothing to compare with a backend
  if (!dialed) return undefined;
  const candidates = services.filter((s) => s.serverNames.some((n) => g.servers.includes(n) || g.hosts.includes(n)));
  const byServer = closest(candidates, dialed, schemeOf(g.upstream));
  if (!byServer) {
    return { match: 'unknown', note: `no service of the spec has ${formatEndpoint(dialed)} as its backend or ${g.servers.join(', ') || 'this server'} as its server_name` };
  }
  const relation = relate(dialed, byServer.backend, sameHost);
  // a match would have been the backend, above
  const code = mismatchCode(relation === 'match' ? 'host' : relation);
  return {
    match: 'mismatch',
    service: byServer.name,
    backend: byServer.backendText,
    code,
    note: `the log's upstream is not the spec's backend: nginx dialed ${formatEndpoint(dialed)} for ${byServer.serverNames.join(', ')}, the spec says ${byServer.name} listens on ${byServer.backendText} (${code}); run \`upstream-gate check\` to find the line`,
  };
}

/**
 * Several services may share a server{} block (an API and a PHP pool): the
 * one nginx meant is the one whose backend looks most like what it dialed.
 */
function closest(services: ServiceSpec[], dialed: Endpoint, scheme: string | undefined): ServiceSpec | undefined {
  let best: ServiceSpec | undefined;
  let bestScore = -1;
  for (const s of services) {
    let score = 0;
    if (s.backend.kind === dialed.kind) score += 4;
    if (scheme !== undefined && speaks(s.protocol, scheme)) score += 2;
    if (s.backend.kind === 'tcp' && dialed.kind === 'tcp' && s.backend.port === dialed.port) score += 1;
    if (s.backend.kind === 'unix' && dialed.kind === 'unix' && basename(s.backend.path) === basename(dialed.path)) score += 1;
    if (score > bestScore) {
      best = s;
      bestScore = score;
    }
  }
  return best;
}

/** The upstream field's scheme; stream{} upstreams have none. */
function schemeOf(upstream: string): string | undefined {
  return /^([a-z]+):\/\//.exec(upstream)?.[1];
}

/** `http://127.0.0.1:8000`, `fastcgi://unix:/run/php.sock`, `127.0.0.1:8000` (stream) -> endpoint; a group or host name -> undefined */
function endpointOf(upstream: string): Endpoint | undefined {
  const bare = upstream.replace(/^[a-z]+:\/\//, '');
  const e = parseBackend(bare);
  return typeof e === 'string' ? undefined : e;
}

/** nginx logs resolved addresses: the spec's `localhost` is both loopbacks. */
function sameBackend(spec: Endpoint, dialed: Endpoint): boolean {
  return relate(dialed, spec, sameHost) === 'match';
}

function sameHost(dialed: string, spec: string): boolean {
  return dialed.toLowerCase() === spec.toLowerCase() || (spec === 'localhost' && (dialed === '127.0.0.1' || dialed === '::1'));
}
