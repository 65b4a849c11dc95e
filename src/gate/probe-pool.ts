// A bound on the probes in flight. Every check of every service starts at
// once; with thousands of services, that many simultaneous connects overflow
// the backends' accept queues (nginx's and node's default backlog is 511), and
// the refused or dropped SYNs would be blamed on the backends. A probe waits
// for a slot before it dials; the evidence and the retry waits hold none.

/** Probes in flight at once: under the smallest common listen backlog, far above a small spec's checks. */
export const MAX_PROBES_IN_FLIGHT = 256;

export interface ProbePool {
  run<T>(probe: () => Promise<T>): Promise<T>;
}

export function probePool(size: number = MAX_PROBES_IN_FLIGHT): ProbePool {
  let inFlight = 0;
  const queue: (() => void)[] = [];
  const release = () => {
    const next = queue.shift();
    if (next) next();
    else inFlight--;
  };
  return {
    async run(probe) {
      if (inFlight < size) inFlight++;
      // the slot passes straight from the probe that ends to the one that waited longest
      else await new Promise<void>((r) => queue.push(r));
      try {
        return await probe();
      } finally {
        release();
      }
    },
  };
}
