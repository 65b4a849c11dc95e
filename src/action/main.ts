// The Action: inputs -> gate -> outputs, step summary, annotations. The only
// code that imports @actions/core.
import * as core from '@actions/core';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFilesAtomically } from '../atomic-write.js';
import { configPhase, probePhase } from '../gate/default-phases.js';
import { runGate } from '../gate/run.js';
import type { Runner } from '../host/run.js';
import { decidingFinding } from '../report/by-service.js';
import { annotations, stepSummary } from '../report/github.js';
import { toJson } from '../report/json.js';
import type { Report } from '../report/model.js';
import { toText } from '../report/text.js';
import { createProgress } from '../report/progress.js';
import { loadSpecFile } from '../spec/load.js';
import { isUserError } from '../user-error.js';
import { Outputs } from './constants.js';
import { readInputs } from './inputs.js';
import { actionsRunner } from './runner.js';

export async function run(signal?: AbortSignal, runner: Runner = actionsRunner()): Promise<Report | undefined> {
  try {
    const settings = readInputs((name) => core.getInput(name), process.cwd());
    const spec = await loadSpecFile(settings.specPath);
    const progress = createProgress(process.stdout, { color: false });
    const report = await runGate(spec, {
      phase: settings.phase,
      ...(settings.deadlineMs !== undefined && { deadlineMs: settings.deadlineMs }),
      ...(signal && { signal }),
      runner,
      onProgress: progress.onProgress,
      configPhase,
      probePhase,
    });
    progress.done();

    const reportPath = join(process.env.RUNNER_TEMP || tmpdir(), `upstream-gate-report-${process.pid}.json`);
    await writeFilesAtomically([{ path: reportPath, text: toJson(report) }]);
    core.setOutput(Outputs.Verdict, report.verdict);
    core.setOutput(Outputs.Reason, report.reason ?? '');
    core.setOutput(Outputs.Report, reportPath);

    core.info(toText(report, { color: false }));
    const workspace = process.env.GITHUB_WORKSPACE || settings.workingDirectory;
    for (const a of annotations(report, workspace)) {
      const props = { title: a.title, ...(a.file && { file: a.file }), ...(a.line && { startLine: a.line }) };
      if (a.level === 'error') core.error(a.message, props);
      else if (a.level === 'warning') core.warning(a.message, props);
      else core.notice(a.message, props);
    }
    if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(stepSummary(report)).write();

    if (report.verdict === 'fail') {
      const deciding = decidingFinding(report);
      core.setFailed(`upstream-gate: ${report.reason ?? 'fail'}${deciding ? `: ${deciding.message}` : ''}`);
    }
    return report;
  } catch (e) {
    // A user mistake is one line; anything else is a bug and keeps its stack.
    if (isUserError(e)) core.setFailed(`upstream-gate: ${e.message}`);
    else if (e instanceof Error) core.setFailed(`upstream-gate: internal error (a bug): ${e.stack ?? e.message}`);
    else core.setFailed(`upstream-gate: internal error (a bug): thrown ${typeof e}: ${String(e)}`);
    return undefined;
  }
}
