// The program of dist/cli.js (its head, src/cli/program-loader.ts, compiles
// it). explain's worker threads run that same file (src/explain/threads.ts),
// so the CLI starts on the main thread only. The bundle evaluates a module
// when it is first imported, so a worker never evaluates the CLI, and
// `--version` never evaluates a command.
import { isMainThread } from 'node:worker_threads';

void (isMainThread ? import('./index.js') : import('../explain/threads.js'));
