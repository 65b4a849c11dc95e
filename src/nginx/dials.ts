// Every address each `*_pass` line makes nginx dial: the URL's own address,
// or each server of the `upstream {}` group it names (`down` servers are
// never dialed; `backup` ones are, when the others fail).
import { append } from '../append.js';
import type { Endpoint } from '../model/endpoint.js';
import type { ConfigModel, PassSite, ServerBlock, Site, UpstreamGroup, UpstreamServer } from './model.js';
import { upstreamKey } from './model.js';
import { parsePassTarget, type PassTarget } from './pass-target.js';

export interface Candidate {
  pass: PassSite;
  server: ServerBlock;
  target: PassTarget;
  scheme: string;
  group?: UpstreamGroup;
  member?: UpstreamServer;
  endpoint?: Endpoint;
  dynamic: boolean;
  /** the line that holds the address: the pass, or the upstream `server` line */
  site: Site;
}

export interface Expansion {
  candidates: Candidate[];
  /** nginx would refuse these (`no port in upstream`, `invalid URL prefix`) */
  errors: (Site & { error: string })[];
}

export function expandPass(pass: PassSite, server: ServerBlock, model: ConfigModel): Expansion {
  const target = parsePassTarget(pass.directive, pass.arg, pass.module);
  const base = { pass, server, target, scheme: target.scheme };
  if (target.error) return { candidates: [], errors: [{ file: pass.file, line: pass.line, error: target.error }] };
  if (target.dynamic) return { candidates: [{ ...base, dynamic: true, site: pass }], errors: [] };
  const group = target.group === undefined ? undefined : model.upstreams.get(upstreamKey(pass.module, target.group));
  if (group) {
    const candidates: Candidate[] = [];
    const errors: Expansion['errors'] = [];
    for (const member of group.servers) {
      if (member.down) continue;
      if (member.error) {
        errors.push({ file: member.file, line: member.line, error: member.error });
        continue;
      }
      const site = { file: member.file, line: member.line };
      candidates.push({ ...base, group, member, site, dynamic: member.dynamic, ...(member.endpoint && { endpoint: member.endpoint }) });
    }
    return { candidates, errors };
  }
  if (!target.endpoint) {
    return { candidates: [], errors: [{ file: pass.file, line: pass.line, error: `no port in upstream "${target.authority}"` }] };
  }
  return { candidates: [{ ...base, endpoint: target.endpoint, dynamic: false, site: pass }], errors: [] };
}

export function expandAll(model: ConfigModel): Map<ServerBlock, Expansion> {
  const out = new Map<ServerBlock, Expansion>();
  for (const server of model.servers) {
    const exp: Expansion = { candidates: [], errors: [] };
    for (const pass of server.passes) {
      const e = expandPass(pass, server, model);
      append(exp.candidates, e.candidates);
      append(exp.errors, e.errors);
    }
    out.set(server, exp);
  }
  return out;
}
