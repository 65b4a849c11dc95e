// A fleet: every host gated on its own (its own connection, deadline and
// verdict), several at a time, and one verdict over them all: a fleet passes
// only when every host passes. A host that cannot be reached fails with the
// reason its connection gave (host.unreachable, ssh.auth, ssh.host_key),
// and the other hosts are gated all the same.
import type { Host } from '../host/host.js';
import type { ReasonCode } from '../model/codes.js';
import type { Finding, Report, Verdict } from '../model/finding.js';
import { runGate, type GateOptions, type PhaseSelection } from '../gate/run.js';
import type { Spec } from '../spec/load.js';
import type { FleetTarget } from './inventory.js';

export type ConnectResult =
  | { ok: true; host: Host; close(): Promise<void> }
  | { ok: false; code?: ReasonCode; message: string; evidence?: string[] };

/** One connection to one host, bounded by `signal` (the host's deadline, SIGINT, SIGTERM). */
export type Connect = (target: FleetTarget, signal: AbortSignal) => Promise<ConnectResult>;

export interface HostReport {
  /** the inventory's name for the host */
  host: string;
  target: FleetTarget;
  report: Report;
}

export interface FleetReport {
  verdict: Verdict;
  hosts: HostReport[];
  spec?: string;
  durationMs: number;
}

export const DEFAULT_CONCURRENCY = 10;

export interface FleetOptions {
  connect: Connect;
  /** hosts gated at once (default 10) */
  concurrency?: number;
  phase?: PhaseSelection;
  /** each host's deadline (default the spec's gate.deadline): it bounds the connection, then the gate, as `check --ssh` does */
  deadlineMs?: number;
  signal?: AbortSignal;
  /** each host's report as it settles, for progress lines */
  onHost?: (done: HostReport, settled: number, total: number) => void;
  /** the gate of one host (default runGate) */
  gate?: (spec: Spec, opts: GateOptions) => Promise<Report>;
}

export async function runFleet(spec: Spec, targets: readonly FleetTarget[], opts: FleetOptions): Promise<FleetReport> {
  const started = Date.now();
  const results: HostReport[] = new Array(targets.length);
  const width = Math.max(1, Math.min(opts.concurrency ?? DEFAULT_CONCURRENCY, targets.length));
  let next = 0;
  let settled = 0;
  const worker = async () => {
    while (next < targets.length) {
      const i = next++;
      const target = targets[i] as FleetTarget;
      const report = await gateOne(spec, target, opts);
      results[i] = { host: target.name, target, report };
      opts.onHost?.(results[i], ++settled, targets.length);
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  const fail = results.length === 0 || results.some((r) => r.report.verdict === 'fail');
  return { verdict: fail ? 'fail' : 'pass', hosts: results, spec: spec.file, durationMs: Date.now() - started };
}

/** `user@address:port`, as the connection was made. */
export function formatTarget(t: FleetTarget): string {
  const address = t.address.includes(':') ? `[${t.address}]` : t.address;
  return `${t.user ? `${t.user}@` : ''}${address}${t.port !== undefined ? `:${t.port}` : ''}`;
}

async function gateOne(spec: Spec, target: FleetTarget, opts: FleetOptions): Promise<Report> {
  const started = Date.now();
  const deadlineMs = opts.deadlineMs ?? spec.gate.deadlineMs;
  if (opts.signal?.aborted) return unreached(spec, target, started, { severity: 'info', message: 'interrupted before this host was gated' });
  // a host that never answers fails at its deadline; a slow handshake (a loaded controller, a far host) takes no time from the probes
  const bound = AbortSignal.timeout(deadlineMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, bound]) : bound;
  // a throw is a bug, not the host's answer: it ends the run (exit 70) rather than pass for an unreachable host
  const connected = await opts.connect(target, signal);
  if (!connected.ok) {
    return unreached(spec, target, started, {
      code: connected.code ?? 'host.unreachable',
      severity: 'error',
      target: formatTarget(target),
      message: `${target.name}: ${connected.message}`,
      ...(connected.evidence?.length && { evidence: connected.evidence }),
      fix: fixFor(connected.code ?? 'host.unreachable', target),
    });
  }
  try {
    const gate = opts.gate ?? runGate;
    return await gate(spec, {
      host: connected.host,
      deadlineMs,
      ...(opts.phase && { phase: opts.phase }),
      ...(opts.signal && { signal: opts.signal }),
    });
  } finally {
    await connected.close().catch(() => undefined);
  }
}

function unreached(spec: Spec, target: FleetTarget, started: number, finding: Finding): Report {
  return {
    verdict: 'fail',
    ...(finding.code && { reason: finding.code }),
    findings: [finding],
    spec: spec.file,
    durationMs: Date.now() - started,
  };
}

function fixFor(code: ReasonCode, t: FleetTarget): string {
  if (code === 'ssh.auth') return `give the key the host accepts for ${t.user ?? 'the user'} (ansible_ssh_private_key_file, --ssh-key, or the agent)`;
  if (code === 'ssh.host_key') return `check the host's key out of band, then add it to known_hosts (ssh-keyscan -p ${t.port ?? 22} ${t.address} >> known_hosts)`;
  return `check that ${formatTarget(t)} runs sshd and is reachable from here (ansible_host, ansible_port)`;
}
