// The fleet as JUnit: one <testsuite> per host (named by the inventory's
// host name), holding that host's test cases as a single gate's report has
// them (classname: the service), so GitLab's widget and the GitHub test
// reporters list the fleet host by host.
import { append } from '../append.js';
import type { FleetReport } from '../fleet/run-fleet.js';
import { junitSuites, suiteXml, type JunitOptions } from './junit.js';

export function toFleetJunit(fleet: FleetReport, opts: JunitOptions = {}): string {
  const suites = fleet.hosts.map((h) => {
    const own = junitSuites(h.report, opts);
    return {
      suite: { name: h.host, cases: own.flatMap((s) => s.cases), notes: own.flatMap((s) => s.notes) },
      totalS: h.report.durationMs !== undefined ? h.report.durationMs / 1000 : undefined,
    };
  });
  const all = suites.flatMap((s) => s.suite.cases);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="upstream-gate" tests="${all.length}" failures="${all.filter((c) => c.failure).length}" errors="0" skipped="${all.filter((c) => c.skipped !== undefined).length}" time="${(fleet.durationMs / 1000).toFixed(3)}">`,
  ];
  for (const s of suites) append(lines, suiteXml(s.suite, s.totalS));
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
