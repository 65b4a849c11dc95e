// A large plain log is cut into byte ranges explained side by side, the first
// in this thread and each other one by a worker thread, and their counts are
// merged in file order, so the result is the one a single pass gives (the
// tests compare them). On a 1 GB log in the middle of an incident, a second
// core shortens the wait (bench/explain.ts measures by how much). Gzip,
// standard input, small files and `--threads 1` take the single pass, in this
// thread.
//
// This module is its own worker script: loaded in a worker thread carrying
// the WORKER marker, it explains the range it was given and posts the counts.
// In the one-file bundle (dist/cli.js) the worker runs that file, whose entry
// (src/cli/bundle-entry.ts) loads this module, not the CLI, off the main thread.
import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { isGzip, readLogBytes, type ByteRange, type ReadSummary } from './error-log-stream.js';
import { createExplainer, type Explainer, type ExplainState, type TimeWindow } from './explain.js';

/** Below this size a worker's start-up costs more than it saves. */
export const PARALLEL_MIN_BYTES = 32 * 1024 * 1024;
/**
 * The default at most: each worker adds about 20 MB of memory, and explain
 * stays under 100 MB with two threads, this one and a worker
 * (bench/explain.ts measures it). `--threads` allows more.
 */
const DEFAULT_MAX_THREADS = 2;
/**
 * A worker's young generation, in MB. What a chunk leaves is garbage as soon
 * as it is explained; V8's default lets it pile up to tens of MB per thread first.
 */
const WORKER_YOUNG_MB = 3;
const WORKER = 'upstream-gate explain worker';
/** errors of the thread itself, not of the work: the work is done here instead */
const WORKER_FAILURES = new Set(['ERR_WORKER_INIT_FAILED', 'ERR_WORKER_OUT_OF_MEMORY', 'ERR_WORKER_EXITED']);

interface Job {
  [WORKER]: true;
  path: string;
  range: ByteRange;
  window: TimeWindow;
}

interface Done {
  state: ExplainState;
  dropped: number;
}

/** The default for `--threads`: the cores this process may use, at most DEFAULT_MAX_THREADS. */
export function defaultThreads(): number {
  return Math.max(1, Math.min(DEFAULT_MAX_THREADS, availableParallelism()));
}

export interface ExplainLogSummary extends ReadSummary {
  /** ranges explained by worker threads (0: a single pass in this thread); the first range is this thread's */
  workers: number;
}

export interface ExplainLogOptions {
  stdin?: NodeJS.ReadableStream;
  signal?: AbortSignal;
  window?: TimeWindow;
  /** threads to use for a large plain file (1: a single pass) */
  threads?: number;
}

/** Explain one log (`-` = standard input) into `explainer`, in parallel when it pays. */
export async function explainLog(path: string, explainer: Explainer, opts: ExplainLogOptions = {}): Promise<ExplainLogSummary> {
  const threads = opts.threads ?? 1;
  const size = path === '-' || threads < 2 ? 0 : await plainSize(path);
  if (size < PARALLEL_MIN_BYTES) return { ...(await readLogBytes(path, explainer.addBytes, opts)), workers: 0 };

  const parts = Math.min(threads, Math.floor(size / (PARALLEL_MIN_BYTES / 2)));
  const ranges = Array.from({ length: parts }, (_, i) => ({ start: Math.floor((size * i) / parts), end: i === parts - 1 ? size : Math.floor((size * (i + 1)) / parts) }));
  const window = opts.window ?? {};
  opts.signal?.throwIfAborted();
  // stops the workers on Ctrl-C, and on an error in any range
  const stop = new AbortController();
  const onAbort = () => stop.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  // the first range here, the others in workers: the lines are bytes that never become strings, so
  // this thread's heap stays as small as a worker's, and one thread fewer starts
  const workers = ranges.slice(1).map((range) => inWorker({ [WORKER]: true, path, range, window }, stop.signal));
  // handled from the start: on Ctrl-C they all fail at once, while the first is awaited
  for (const w of workers) w.catch(() => {});
  const summary: ExplainLogSummary = { bytes: size, dropped: 0, truncatedGzip: false, gzipTrailingBytes: 0, workers: 0 };
  try {
    const own = await readLogBytes(path, explainer.addBytes, { range: ranges[0] as ByteRange, signal: stop.signal });
    summary.dropped += own.dropped;
    for (const [i, w] of workers.entries()) {
      // a worker that could not start or ran out of memory: its range is read here instead
      let byWorker = true;
      const done = await w.catch((e: unknown) => {
        opts.signal?.throwIfAborted();
        if (!WORKER_FAILURES.has((e as NodeJS.ErrnoException).code ?? '')) throw e;
        byWorker = false;
        return inThisThread(path, ranges[i + 1] as ByteRange, window, opts.signal);
      });
      if (byWorker) summary.workers++;
      explainer.merge(done.state);
      summary.dropped += done.dropped;
    }
  } catch (e) {
    stop.abort(e);
    throw e;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
  return summary;
}

/** Size of a plain file; 0 for a gzip file or anything that is not a regular file. */
async function plainSize(path: string): Promise<number> {
  const st = await stat(path);
  if (!st.isFile() || st.size < PARALLEL_MIN_BYTES) return 0;
  // O_NONBLOCK: a FIFO put there since the stat must not hold the open; the read refuses it
  const fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const head = Buffer.alloc(2);
    await fh.read(head, 0, 2, 0);
    return isGzip(head) ? 0 : st.size;
  } finally {
    await fh.close();
  }
}

async function inThisThread(path: string, range: ByteRange, window: TimeWindow, signal?: AbortSignal): Promise<Done> {
  const ex = createExplainer(window);
  const read = await readLogBytes(path, ex.addBytes, { range, ...(signal && { signal }) });
  return { state: ex.state(), dropped: read.dropped };
}

function inWorker(job: Job, signal?: AbortSignal): Promise<Done> {
  return new Promise<Done>((resolve, reject) => {
    signal?.throwIfAborted();
    const worker = spawn(job);
    const stop = () => void worker.terminate();
    signal?.addEventListener('abort', stop, { once: true });
    let done: Done | undefined;
    worker.once('message', (m: Done) => (done = m));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      signal?.removeEventListener('abort', stop);
      if (done) resolve(done);
      else reject(Object.assign(new Error(`explain worker exited with code ${code} before it finished`), { code: 'ERR_WORKER_EXITED' }));
    });
  });
}

function spawn(job: Job): Worker {
  const self = new URL(import.meta.url);
  const options = { workerData: job, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } };
  if (!self.pathname.endsWith('.ts')) return new Worker(self, options);
  // run from the TypeScript source (the tests): a worker does not inherit tsx's loader, so it registers it first
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(self.href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}

if (!isMainThread && (workerData as Partial<Job> | null)?.[WORKER] === true) {
  const job = workerData as Job;
  void inThisThread(job.path, job.range, job.window).then((done) => parentPort?.postMessage(done satisfies Done));
}
