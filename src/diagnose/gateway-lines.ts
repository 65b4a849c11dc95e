// The error-log lines that explain a 502/504 seen through nginx: upstream
// failures, for the service's server_name when the line names one.
import { parseErrorLine } from './error-log.js';

const UPSTREAM_FAILURE = /connect\(\) (to \S+ )?failed|upstream timed out|upstream prematurely closed|recv\(\) failed|no live upstreams|could not be resolved|upstream sent/;

export function gatewayLines(lines: readonly string[], serverNames: readonly string[]): string[] {
  const wanted = new Set(serverNames.map((s) => s.toLowerCase()));
  return lines.filter((line) => {
    const e = parseErrorLine(line);
    if (!e || !UPSTREAM_FAILURE.test(e.message)) return false;
    if (wanted.size === 0) return true;
    const server = e.server?.toLowerCase();
    const host = e.host?.toLowerCase().replace(/:\d+$/, '');
    return (server !== undefined && wanted.has(server)) || (host !== undefined && wanted.has(host)) || (!server && !host);
  });
}
