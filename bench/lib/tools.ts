// The command lines of the tools compared, exactly as a pipeline would write
// them: upstream-gate's bundle, wait-on with its defaults, and a bash loop of
// `curl -f` with a fixed retry delay (the shape of most pipeline scripts and of
// the health-check Actions that take a retry count and a delay).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const CLI_BUNDLE = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const CLI_SOURCE = fileURLToPath(new URL('../../src/cli/index.ts', import.meta.url));
export const WAIT_ON = fileURLToPath(new URL('../../node_modules/.bin/wait-on', import.meta.url));

export type CliMode = 'bundle' | 'source';

/** How upstream-gate is started: the committed bundle, or (development only) the source through tsx. */
export function upstreamGateArgv(mode: CliMode, args: readonly string[]): string[] {
  return mode === 'bundle' ? [process.execPath, CLI_BUNDLE, ...args] : [process.execPath, '--import', 'tsx', CLI_SOURCE, ...args];
}

export function upstreamGateAvailable(mode: CliMode): boolean {
  return existsSync(mode === 'bundle' ? CLI_BUNDLE : CLI_SOURCE);
}

export const waitOnAvailable = () => existsSync(WAIT_ON);

/** wait-on with its defaults (250 ms interval, HEAD for http://); only the overall timeout is set. */
export function waitOnArgv(resources: readonly string[], timeoutMs: number): string[] {
  return [WAIT_ON, '--timeout', String(timeoutMs), ...resources];
}

// Each argument after the first two is a URL, or unix:SOCKET:URL for HTTP over
// a unix socket. All must pass in one round; otherwise sleep and retry until
// the deadline. Bounded by bash's own SECONDS clock.
const CURL_LOOP = `
deadline=$1; delay=$2; shift 2
while :; do
  ok=1
  for t in "$@"; do
    if [[ $t == unix:* ]]; then
      rest=\${t#unix:}; sock=\${rest%%:http*}; url=http\${rest#*:http}
      curl -fsS -o /dev/null --max-time 5 --unix-socket "$sock" "$url" || { ok=0; break; }
    else
      curl -fsS -o /dev/null --max-time 5 "$t" || { ok=0; break; }
    fi
  done
  (( ok )) && exit 0
  (( SECONDS + delay >= deadline )) && { echo "gave up after \${SECONDS}s" >&2; exit 1; }
  sleep "$delay"
done
`;

export function curlLoopArgv(targets: readonly string[], opts: { deadlineS: number; delayS: number }): string[] {
  return ['bash', '-c', CURL_LOOP, 'curl-loop', String(opts.deadlineS), String(opts.delayS), ...targets];
}

/** The target of an HTTP health check over a unix socket, for curlLoopArgv. */
export const curlUnix = (socket: string, path: string) => `unix:${socket}:http://localhost${path}`;
