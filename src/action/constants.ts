export enum Inputs {
  Spec = 'spec',
  Phase = 'phase',
  Deadline = 'deadline',
  WorkingDirectory = 'working-directory',
}

export enum Outputs {
  Verdict = 'verdict',
  Reason = 'reason',
  Report = 'report',
}
