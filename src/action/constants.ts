export enum Inputs {
  Spec = 'spec',
  Phase = 'phase',
  Deadline = 'deadline',
  WorkingDirectory = 'working-directory',
  Ssh = 'ssh',
  SshKey = 'ssh-key',
  KnownHosts = 'known-hosts',
  Sudo = 'sudo',
  SshProxy = 'ssh-proxy',
  Inventory = 'inventory',
  Limit = 'limit',
  Concurrency = 'concurrency',
}

export enum Outputs {
  Verdict = 'verdict',
  Reason = 'reason',
  Report = 'report',
}

/** The `verdict` output when the gate could not run; the JSON report's verdict stays pass or fail. */
export const ERROR_VERDICT = 'error';

/** The `reason` output with the `error` verdict. */
export enum ErrorReason {
  InputInvalid = 'input.invalid',
  InternalError = 'internal.error',
}
