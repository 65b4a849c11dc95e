// The Action: inputs -> gate -> outputs, step summary, annotations. The only
// code that imports @actions/core. Every exit sets the outputs and writes a
// summary; untrusted text reaches the log only neutralised (./log.ts).
import * as core from '@actions/core';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { writeFilesAtomically } from '../atomic-write.js';
import { runFleet, type FleetReport } from '../fleet/run-fleet.js';
import { inventoryTargets, sshConnect } from '../fleet/targets.js';
import { runGate } from '../gate/run.js';
import { localHost } from '../host/local/local-host.js';
import { openSshHost, type SshOptions } from '../host/ssh/ssh-host.js';
import type { Runner } from '../host/run.js';
import { decidingFinding, isNote } from '../report/by-service.js';
import { fleetAnnotations, fleetStepSummary } from '../report/fleet-github.js';
import { toFleetJson } from '../report/fleet-json.js';
import { hostProgressLine, toFleetText } from '../report/fleet-text.js';
import { annotations, errorSummary, stepSummary, type Annotation } from '../report/github.js';
import { toJson } from '../report/json.js';
import type { Report } from '../model/finding.js';
import { createProgress } from '../report/progress.js';
import { toText } from '../report/text.js';
import { loadSpecFile, type Spec } from '../spec/load.js';
import { isUserError, UserError } from '../user-error.js';
import { ERROR_VERDICT, ErrorReason, Inputs, Outputs } from './constants.js';
import { hostCommandsText, hostCommandsTitle } from './host-commands.js';
import { readInputs, type ActionSettings } from './inputs.js';
import { neutralised, region } from './log.js';
import { actionsRunner, type CommandRecord } from './runner.js';
import { secretRegistry } from './secrets.js';

/** The SSH inputs' options with what only the environment holds: the key's passphrase and the runner's ssh-agent. */
function withEnvironment(options: SshOptions): SshOptions {
  const passphrase = process.env.UPSTREAM_GATE_SSH_PASSPHRASE;
  const agent = process.env.SSH_AUTH_SOCK;
  return { ...options, ...(passphrase && { passphrase }), ...(agent && { agent }) };
}

/** The SSH connection of the `ssh` input, or a one-line input error. */
async function openRemote(ssh: NonNullable<ActionSettings['ssh']>, signal: AbortSignal | undefined) {
  const opened = await openSshHost(ssh.target, { ...withEnvironment(ssh.options), ...(signal && { signal }) });
  if (!opened.ok) throw new UserError(opened.message);
  return opened;
}

export async function run(signal?: AbortSignal, runner?: Runner): Promise<Report | FleetReport | undefined> {
  const debug = core.isDebug();
  const commands: CommandRecord[] = [];
  const mask = secretRegistry((s) => core.setSecret(s));
  let workspace = process.env.GITHUB_WORKSPACE || process.cwd();
  try {
    const settings = readInputs((name) => core.getInput(name), process.cwd());
    // the key is a secret whatever else happens: the whole text and each line (the runner masks line by line)
    const key = settings.ssh?.options.key ?? settings.fleet?.options.key;
    if (key) for (const secret of [key, ...key.split(/\r?\n/).filter((l) => l.trim().length >= 8)]) core.setSecret(secret);
    workspace = process.env.GITHUB_WORKSPACE || settings.workingDirectory;
    const spec = await loadSpecFile(settings.specPath);
    mask(spec);
    if (settings.fleet) return await runFleetStep(spec, settings, settings.fleet, workspace, mask, signal);
    const live = region(process.stdout);
    let report: Report;
    try {
      const progress = createProgress(writable(live.write), { color: false });
      const remote = settings.ssh ? await openRemote(settings.ssh, signal) : undefined;
      try {
        report = await runGate(spec, {
          phase: settings.phase,
          ...(settings.deadlineMs !== undefined && { deadlineMs: settings.deadlineMs }),
          ...(signal && { signal }),
          host: remote?.host ?? localHost(runner ?? actionsRunner((r) => commands.push(r), debug)),
          onProgress: progress.onProgress,
        });
      } finally {
        await remote?.close();
      }
      progress.done();
    } finally {
      live.close();
    }
    mask(report);
    logHostCommands(commands, debug, mask);

    await publish({
      verdict: report.verdict,
      reason: report.reason,
      json: toJson(report),
      text: toText(report, { color: false }),
      notes: annotations(report, workspace),
      summary: stepSummary(report, { workspace }),
      why: () => `${report.reason ?? 'fail'}${failWhy(report)}`,
    });
    return report;
  } catch (e) {
    logHostCommands(commands, debug, mask);
    // A user mistake is one line; anything else is a bug and keeps its stack.
    const reason = isUserError(e) ? ErrorReason.InputInvalid : ErrorReason.InternalError;
    const message = isUserError(e)
      ? e.message
      : e instanceof Error
        ? `internal error (a bug): ${e.stack ?? e.message}`
        : `internal error (a bug): thrown ${typeof e}: ${String(e)}`;
    core.setOutput(Outputs.Verdict, ERROR_VERDICT);
    core.setOutput(Outputs.Reason, reason);
    core.setOutput(Outputs.Report, '');
    await writeSummary(errorSummary(reason, message)).catch(() => undefined);
    core.setFailed(`upstream-gate: ${message}`);
    return undefined;
  }
}

/**
 * `inventory`: every host selected, each over its own SSH connection, its own
 * deadline and verdict; the outputs, log, annotations and summary are the
 * fleet's (the reason: the first failed host's).
 */
async function runFleetStep(spec: Spec, settings: ActionSettings, fleetInput: NonNullable<ActionSettings['fleet']>, workspace: string, mask: (v: unknown) => void, signal: AbortSignal | undefined): Promise<FleetReport> {
  const targets = await inventoryTargets({
    path: fleetInput.inventory,
    shown: fleetInput.shown,
    limitName: `input "${Inputs.Limit}"`,
    ...(fleetInput.limit !== undefined && { limit: fleetInput.limit }),
    ...(signal && { signal }),
  });
  const live = region(process.stdout);
  let fleet: FleetReport;
  try {
    fleet = await runFleet(spec, targets, {
      connect: sshConnect(withEnvironment(fleetInput.options), settings.workingDirectory),
      concurrency: fleetInput.concurrency,
      phase: settings.phase,
      ...(settings.deadlineMs !== undefined && { deadlineMs: settings.deadlineMs }),
      ...(signal && { signal }),
      onHost: (h, settled, total) => live.write(hostProgressLine(h, settled, total)),
    });
  } finally {
    live.close();
  }
  mask(fleet);
  const reason = fleet.hosts.find((h) => h.report.verdict === 'fail')?.report.reason;
  await publish({
    verdict: fleet.verdict,
    reason,
    json: toFleetJson(fleet),
    text: toFleetText(fleet, { color: false }),
    notes: fleetAnnotations(fleet, workspace),
    summary: fleetStepSummary(fleet),
    why: () => reason ?? 'fail',
  });
  return fleet;
}

/**
 * A gate's (or a fleet's) results on the run page: the JSON report and the
 * outputs, the text report in the log, annotations, the step summary; a failed
 * gate fails the step.
 */
async function publish(r: { verdict: 'pass' | 'fail'; reason: string | undefined; json: string; text: string; notes: Annotation[]; summary: string; why: () => string }): Promise<void> {
  const reportPath = join(process.env.RUNNER_TEMP || tmpdir(), `upstream-gate-report-${process.pid}.json`);
  await writeFilesAtomically([{ path: reportPath, text: r.json }]);
  core.setOutput(Outputs.Verdict, r.verdict);
  core.setOutput(Outputs.Reason, r.reason ?? '');
  core.setOutput(Outputs.Report, reportPath);
  process.stdout.write(neutralised(r.text));
  for (const a of r.notes) {
    const props = { title: a.title, ...(a.file && { file: a.file }), ...(a.line && { startLine: a.line }) };
    if (a.level === 'error') core.error(a.message, props);
    else if (a.level === 'warning') core.warning(a.message, props);
    else core.notice(a.message, props);
  }
  await writeSummary(r.summary);
  if (r.verdict === 'fail') {
    // the error annotations already say why, one per finding: a second, file-less one would repeat it
    if (r.notes.some((a) => a.level === 'error')) process.exitCode = core.ExitCode.Failure;
    else core.setFailed(`upstream-gate: ${r.why()}`);
  }
}

/** The host commands in a collapsed group: their output only with debug logging, and neutralised either way. */
function logHostCommands(commands: CommandRecord[], debug: boolean, mask: (v: unknown) => void): void {
  if (commands.length === 0) return;
  if (debug) mask(commands.map((c) => c.output ?? ''));
  core.startGroup(hostCommandsTitle(commands));
  process.stdout.write(neutralised(hostCommandsText(commands, debug)));
  core.endGroup();
  commands.length = 0;
}

async function writeSummary(markdown: string): Promise<void> {
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(markdown).write();
}

/** For a failure no error annotation explains (the gate was interrupted): the deciding finding, else the first note. */
function failWhy(report: Report): string {
  const why = decidingFinding(report)?.message ?? report.findings.find(isNote)?.message;
  return why ? `: ${why}` : '';
}

/** The progress renderer writes to a stream; here each write goes into the live region. */
function writable(write: (text: string) => void): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      write(chunk.toString());
      done();
    },
  });
}
