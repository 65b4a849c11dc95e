// `nginx -t -c CONFIG` through the Runner (never a reload, never a shell), and
// its messages read back into file and line. The same reader serves the
// `nginx: ...` lines captured in an `nginx -T` dump.
import type { Runner } from '../host/run.js';

export interface NginxMessage {
  level: string;
  message: string;
  file?: string;
  line?: number;
  /** the whole output line, for evidence */
  raw: string;
}

export interface NginxTestResult {
  /** the binary is not installed */
  notFound: boolean;
  ok: boolean;
  timedOut: boolean;
  messages: NginxMessage[];
  command: string;
  output: string;
}

// `nginx: [emerg] ...` before the error log is open, `2026/11/30 12:48:08 [emerg] 19289#19289: ...` after.
const LINE = /^(?:nginx: |\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d )\[(emerg|alert|crit|error|warn|notice|info)\] (?:\d+#\d+: )?(.*?)(?: in (\/.*?):(\d+))?$/;

export function parseNginxMessages(output: string): NginxMessage[] {
  const out: NginxMessage[] = [];
  for (const raw of output.split('\n')) {
    const m = LINE.exec(raw.trimEnd());
    if (!m) continue;
    out.push({
      level: m[1] as string,
      message: m[2] as string,
      raw: raw.trimEnd(),
      ...(m[3] !== undefined && { file: m[3], line: Number(m[4]) }),
    });
  }
  return out;
}

export async function runNginxTest(
  runner: Runner,
  binary: string,
  config: string,
  opts: { signal: AbortSignal; timeoutMs: number },
): Promise<NginxTestResult> {
  const r = await runner.run(binary, ['-t', '-c', config], { signal: opts.signal, timeoutMs: opts.timeoutMs });
  const output = `${r.stderr}${r.stdout}`;
  return {
    notFound: r.notFound,
    ok: !r.failed,
    timedOut: r.timedOut,
    messages: parseNginxMessages(output),
    command: r.command,
    output,
  };
}
