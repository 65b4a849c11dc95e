// What a tool concluded, from its exit and (for upstream-gate) its JSON report.
import type { RunResult } from './measure.js';

export interface Conclusion {
  passed: boolean;
  /** one line: "pass", "fail: backend.family_mismatch", "timed out after 60 s" ... */
  text: string;
}

export function concludeUpstreamGate(r: RunResult): Conclusion {
  if (r.timedOut) return { passed: false, text: 'killed by the bench timeout' };
  try {
    const report = JSON.parse(r.stdout) as { verdict?: string; reason?: string };
    if (report.verdict === 'pass') return { passed: r.code === 0, text: r.code === 0 ? 'pass' : `pass but exit ${r.code}` };
    if (report.verdict === 'fail') return { passed: false, text: `fail: ${report.reason ?? '(no reason)'}` };
  } catch {
    // not a report: fall through to the exit code
  }
  const err = r.stderr.trim().split('\n').at(-1) ?? '';
  return { passed: false, text: `exit ${r.code ?? r.signal}${err ? `: ${err.slice(0, 160)}` : ''}` };
}

export function concludeByExit(r: RunResult): Conclusion {
  if (r.timedOut) return { passed: false, text: 'killed by the bench timeout' };
  if (r.code === 0) return { passed: true, text: 'pass (exit 0)' };
  const err = r.stderr.trim().split('\n').at(-1) ?? '';
  return { passed: false, text: `fail (exit ${r.code ?? r.signal})${err ? `: ${err.slice(0, 160)}` : ''}` };
}
