// Everything the bench starts (servers, child process groups, namespaces, temp
// dirs) registers its undo here. Undos are synchronous so they also run from
// the 'exit' handler, and on SIGINT / SIGTERM, not only from finally blocks.
type Undo = () => void;

const undos: Undo[] = [];
let installed = false;

/** Register an undo; call the returned function to run it early (it runs once). */
export function onCleanup(undo: Undo): () => void {
  let done = false;
  const once: Undo = () => {
    if (done) return;
    done = true;
    const i = undos.indexOf(once);
    if (i >= 0) undos.splice(i, 1);
    try {
      undo();
    } catch {
      // an undo must not stop the others
    }
  };
  undos.push(once);
  return once;
}

/** Run every pending undo, newest first. */
export function cleanupAll(): void {
  for (let undo = undos.at(-1); undo; undo = undos.at(-1)) undo();
}

export function installCleanupHandlers(): void {
  if (installed) return;
  installed = true;
  process.on('exit', cleanupAll);
  // `on`, not `once`: Ctrl-C reaches us twice (from the terminal and forwarded
  // by bench/run.mjs), and a signal with no listener left would kill us mid-cleanup
  let stopping = false;
  for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    process.on(sig, () => {
      if (stopping) return;
      stopping = true;
      process.stderr.write(`\nbench: ${sig}: stopping every server, child and namespace\n`);
      cleanupAll();
      process.exit(code);
    });
  }
}
