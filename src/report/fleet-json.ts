// The fleet's JSON report (DESIGN.md "Remote hosts and fleets"): the overall
// verdict, then one entry per host with its own verdict, reason and findings
// (each host's report in the single-host contract, so a script reads a
// host's entry as it reads `check --format json`), then a summary that says
// at a glance which hosts failed and why.
import type { FleetReport } from '../fleet/run-fleet.js';
import { formatTarget } from '../fleet/run-fleet.js';
import { maskCredentials } from '../model/mask.js';
import { toJson } from './json.js';

export function toFleetJson(fleet: FleetReport): string {
  const failed = fleet.hosts.filter((h) => h.report.verdict === 'fail');
  const first = failed[0];
  const out: Record<string, unknown> = { verdict: fleet.verdict };
  if (first?.report.reason !== undefined) out.reason = first.report.reason;
  out.hosts = fleet.hosts.map((h) => ({ host: h.host, target: maskCredentials(formatTarget(h.target)), ...(JSON.parse(toJson(h.report)) as Record<string, unknown>) }));
  out.summary = {
    hosts: fleet.hosts.length,
    passed: fleet.hosts.length - failed.length,
    failed: failed.length,
    failures: failed.map((h) => {
      const deciding = h.report.findings.find((f) => f.severity === 'error' && f.code === h.report.reason) ?? h.report.findings.find((f) => f.severity === 'error');
      return { host: h.host, ...(h.report.reason !== undefined && { reason: h.report.reason }), ...(deciding && { message: maskCredentials(deciding.message) }) };
    }),
  };
  if (fleet.spec !== undefined) out.spec = fleet.spec;
  out.duration_ms = Math.round(fleet.durationMs);
  return `${JSON.stringify(out, null, 2)}\n`;
}
