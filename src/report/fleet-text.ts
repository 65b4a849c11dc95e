// The fleet in a terminal: each host's report in full, under a header line
// naming the host and where it was reached, then the fleet at a glance, last
// (what a scrolled-to-the-bottom terminal shows): one line per host with its
// verdict and, for a failed host, its reason and diagnosis, and the verdict.
import { append } from '../append.js';
import { formatDuration } from '../spec/duration.js';
import type { FleetReport, HostReport } from '../fleet/run-fleet.js';
import { formatTarget } from '../fleet/run-fleet.js';
import { forTerminal } from '../model/mask.js';
import { decidingFinding, plural } from './by-service.js';
import { paint } from './color.js';
import { toText, type TextOptions } from './text.js';
import { wrap } from './wrap.js';

/** One host's line as it settles, for a fleet's progress: `[3/50] web3 (root@web3): fail (backend.down)`. */
export function hostProgressLine(h: HostReport, settled: number, total: number): string {
  const why = h.report.verdict === 'pass' ? 'pass' : `fail${h.report.reason ? ` (${h.report.reason})` : ''}`;
  return `[${settled}/${total}] ${forTerminal(h.host)} (${forTerminal(formatTarget(h.target))}): ${why}\n`;
}

export function toFleetText(fleet: FleetReport, opts: TextOptions): string {
  const p = paint(opts.color);
  const w = opts.width;
  const out: string[] = [];
  if (!opts.quiet) {
    for (const h of fleet.hosts) {
      out.push(p.bold(`== ${forTerminal(h.host)} (${forTerminal(formatTarget(h.target))}) ==`));
      out.push(toText(h.report, opts).trimEnd(), '');
    }
    out.push(p.bold('Fleet:'));
    const name = fleet.hosts.reduce((most, h) => Math.max(most, h.host.length), 4);
    for (const h of fleet.hosts) {
      const ok = h.report.verdict === 'pass';
      const label = ok ? p.green('PASS') : p.bold(p.red('FAIL'));
      const f = ok ? undefined : decidingFinding(h.report);
      const why = ok ? '' : `${h.report.reason ? p.cyan(h.report.reason) : 'failed'}${f ? `: ${forTerminal(f.message)}` : ''}`;
      if (ok) out.push(`  ${label}  ${forTerminal(h.host)}`);
      else append(out, wrap(`  ${label}  ${forTerminal(h.host).padEnd(name)}  `, why, w));
    }
    out.push('');
  }
  const failed = fleet.hosts.filter((h) => h.report.verdict === 'fail');
  const stats = `${plural(fleet.hosts.length, 'host')}, ${failed.length} failed, ${formatDuration(fleet.durationMs)}`;
  if (fleet.verdict === 'pass') append(out, wrap(`${p.bold(p.green('PASS'))}  `, `fleet (${stats})`, w));
  else {
    const names = failed.map((h) => `${forTerminal(h.host)}${h.report.reason ? ` (${h.report.reason})` : ''}`).join(', ');
    append(out, wrap(`${p.bold(p.red('FAIL'))}  `, `fleet: ${names || 'no host was gated'}  (${stats})`, w));
  }
  return `${out.join('\n')}\n`;
}
