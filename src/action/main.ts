// The Action: inputs -> gate -> outputs, step summary, annotations. The only
// code that imports @actions/core. Every exit sets the outputs and writes a
// summary; untrusted text reaches the log only neutralised (./log.ts).
import * as core from '@actions/core';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { writeFilesAtomically } from '../atomic-write.js';
import { runGate } from '../gate/run.js';
import { localHost } from '../host/local/local-host.js';
import { openSshHost } from '../host/ssh/ssh-host.js';
import type { Runner } from '../host/run.js';
import { decidingFinding, isNote } from '../report/by-service.js';
import { annotations, errorSummary, stepSummary } from '../report/github.js';
import { toJson } from '../report/json.js';
import type { Report } from '../model/finding.js';
import { createProgress } from '../report/progress.js';
import { toText } from '../report/text.js';
import { loadSpecFile } from '../spec/load.js';
import { isUserError, UserError } from '../user-error.js';
import { ERROR_VERDICT, ErrorReason, Outputs } from './constants.js';
import { hostCommandsText, hostCommandsTitle } from './host-commands.js';
import { readInputs, type ActionSettings } from './inputs.js';
import { neutralised, region } from './log.js';
import { actionsRunner, type CommandRecord } from './runner.js';
import { secretRegistry } from './secrets.js';

/** The SSH connection of the `ssh` input, or a one-line input error. */
async function openRemote(ssh: NonNullable<ActionSettings['ssh']>, signal: AbortSignal | undefined) {
  const passphrase = process.env.UPSTREAM_GATE_SSH_PASSPHRASE;
  const agent = process.env.SSH_AUTH_SOCK;
  const opened = await openSshHost(ssh.target, { ...ssh.options, ...(passphrase && { passphrase }), ...(agent && { agent }), ...(signal && { signal }) });
  if (!opened.ok) throw new UserError(opened.message);
  return opened;
}

export async function run(signal?: AbortSignal, runner?: Runner): Promise<Report | undefined> {
  const debug = core.isDebug();
  const commands: CommandRecord[] = [];
  const mask = secretRegistry((s) => core.setSecret(s));
  let workspace = process.env.GITHUB_WORKSPACE || process.cwd();
  try {
    const settings = readInputs((name) => core.getInput(name), process.cwd());
    // the key is a secret whatever else happens: the whole text and each line (the runner masks line by line)
    const key = settings.ssh?.options.key;
    if (key) for (const secret of [key, ...key.split(/\r?\n/).filter((l) => l.trim().length >= 8)]) core.setSecret(secret);
    workspace = process.env.GITHUB_WORKSPACE || settings.workingDirectory;
    const spec = await loadSpecFile(settings.specPath);
    mask(spec);
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

    const reportPath = join(process.env.RUNNER_TEMP || tmpdir(), `upstream-gate-report-${process.pid}.json`);
    await writeFilesAtomically([{ path: reportPath, text: toJson(report) }]);
    core.setOutput(Outputs.Verdict, report.verdict);
    core.setOutput(Outputs.Reason, report.reason ?? '');
    core.setOutput(Outputs.Report, reportPath);

    process.stdout.write(neutralised(toText(report, { color: false })));
    const notes = annotations(report, workspace);
    for (const a of notes) {
      const props = { title: a.title, ...(a.file && { file: a.file }), ...(a.line && { startLine: a.line }) };
      if (a.level === 'error') core.error(a.message, props);
      else if (a.level === 'warning') core.warning(a.message, props);
      else core.notice(a.message, props);
    }
    await writeSummary(stepSummary(report, { workspace }));

    if (report.verdict === 'fail') {
      // the error annotations already say why, one per finding: a second, file-less one would repeat it
      if (notes.some((a) => a.level === 'error')) process.exitCode = core.ExitCode.Failure;
      else core.setFailed(`upstream-gate: ${report.reason ?? 'fail'}${failWhy(report)}`);
    }
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
