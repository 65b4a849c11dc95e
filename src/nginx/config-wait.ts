// How long the config phase waits on something outside the gate: nginx -t, a
// name lookup. At most half the time left, so that a resolver that does not
// answer (nginx -t resolves every upstream name too, as nginx does at start)
// leaves the probes their turn within the deadline.
export function configWait(deadlineAt: number, capMs: number): number {
  return Math.max(1, Math.min(capMs, Math.floor((deadlineAt - Date.now()) / 2)));
}
