// The fleet on a GitHub run page: a step summary that shows the fleet at a
// glance (a table, one row per host: verdict, reason, diagnosis), then each
// failed host's deciding finding with its fix; and annotations named by
// host. Text from the hosts is escaped as in a single gate's summary.
import { formatDuration } from '../spec/duration.js';
import type { FleetReport } from '../fleet/run-fleet.js';
import { formatTarget } from '../fleet/run-fleet.js';
import { maskCredentials } from '../model/mask.js';
import { decidingFinding, plural } from './by-service.js';
import { annotations, cell, codeCell, codeSpan, fence, paragraph, text, type Annotation } from './github.js';

export function fleetStepSummary(fleet: FleetReport): string {
  const failed = fleet.hosts.filter((h) => h.report.verdict === 'fail');
  const out = [
    fleet.verdict === 'pass'
      ? `## :white_check_mark: upstream-gate: pass (${plural(fleet.hosts.length, 'host')})`
      : `## :x: upstream-gate: fail (${failed.length} of ${plural(fleet.hosts.length, 'host')})`,
    '',
    `${plural(fleet.hosts.length, 'host')} · ${failed.length} failed · ${formatDuration(fleet.durationMs)}`,
    '',
    '| Host | Result | Reason | Diagnosis |',
    '|---|---|---|---|',
  ];
  for (const h of fleet.hosts) {
    const f = h.report.verdict === 'fail' ? decidingFinding(h.report) : undefined;
    const result = h.report.verdict === 'pass' ? ':white_check_mark: pass' : ':x: fail';
    out.push(`| ${cell(h.host)} ${codeCell(formatTarget(h.target))} | ${result} | ${h.report.reason ? codeSpan(h.report.reason) : ''} | ${f ? cell(f.message) : ''} |`);
  }
  out.push('');
  for (const h of failed) {
    const f = decidingFinding(h.report);
    out.push(`### ${text(h.host)}${h.report.reason ? ` · ${codeSpan(h.report.reason)}` : ''}`, '');
    if (f) {
      out.push(`${f.service ? `**${text(f.service)}**: ` : ''}${paragraph(f.message)}`, '');
      for (const e of f.evidence ?? []) out.push(`- ${codeSpan(e)}`);
      if (f.evidence?.length) out.push('');
      if (f.fix) out.push('**Fix:**', '', fence(maskCredentials(f.fix)), '');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/** Each host's annotations, titled with the host: one fleet's errors first, as GitHub shows only the first few. */
export function fleetAnnotations(fleet: FleetReport, workspace?: string): Annotation[] {
  const all = fleet.hosts.flatMap((h) =>
    annotations(h.report, workspace).map((a) => ({ ...a, title: a.title.replace(/^upstream-gate:/, `upstream-gate [${maskCredentials(h.host)}]:`), message: `${maskCredentials(h.host)}: ${a.message}` })),
  );
  const rank = { error: 0, warning: 1, notice: 2 } as const;
  return all.sort((a, b) => rank[a.level] - rank[b.level]);
}
