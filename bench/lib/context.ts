// The run's settings, passed to every scenario.
import type { CliMode } from './tools.js';

export interface BenchContext {
  quick: boolean;
  /** how upstream-gate is started; 'source' is for development and is flagged in the results */
  cli: CliMode;
  /** the CLI can be run at all (bundle built, or source present) */
  ugAvailable: boolean;
  /** progress on stderr: the tables go to stdout */
  log(message: string): void;
}
