// The Action's entry: only calls run(). The runner cancels with SIGINT.
import '../regexp-guard.js';
import { run } from './main.js';

const controller = new AbortController();
process.on('SIGINT', () => controller.abort(new Error('cancelled')));
process.on('SIGTERM', () => controller.abort(new Error('cancelled')));
void run(controller.signal);
