// At thousands of services every probe starting at once would overflow the
// backends' accept queues: the probe phase keeps at most MAX_PROBES_IN_FLIGHT
// probes in flight. Observed by a real HTTP server that counts the requests
// it holds open at once (it never answers, so each holds its probe's slot
// until the test stops the phase, once every slot is taken and no request
// beyond them has come for a while).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runProbePhase } from '../../src/gate/probe-phase.js';
import { MAX_PROBES_IN_FLIGHT, probePool } from '../../src/gate/probe-pool.js';
import { localHost } from '../../src/host/local/local-host.js';
import { parseSpec } from '../../src/spec/load.js';

test(`the probe phase keeps at most ${MAX_PROBES_IN_FLIGHT} probes in flight, however many services`, async (t) => {
  let open = 0;
  let most = 0;
  let seen = 0;
  const held: ServerResponse[] = [];
  const stop = new AbortController();
  let quiet: NodeJS.Timeout | undefined;
  const server = createServer((_req: IncomingMessage, res: ServerResponse) => {
    seen++;
    most = Math.max(most, ++open);
    held.push(res);
    res.on('close', () => open--);
    // all slots taken: any request beyond them would come now, while every slot is held
    clearTimeout(quiet);
    if (seen >= MAX_PROBES_IN_FLIGHT) quiet = setTimeout(() => stop.abort(new Error('enough seen')), 500);
  });
  server.maxConnections = 10_000;
  await new Promise<void>((r) => server.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, r));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const { port } = server.address() as AddressInfo;
  const services = MAX_PROBES_IN_FLIGHT + 40;
  const yaml = [
    'version: 1',
    'services:',
    ...Array.from({ length: services }, (_, i) => `  s${i}: {backend: "127.0.0.1:${port}", health: /healthz}`),
    'gate: {deadline: 120s, request_timeout: 120s, connect_timeout: 60s}',
    '',
  ].join('\n');
  const spec = parseSpec(yaml, `${process.cwd()}/upstream-gate.yml`);
  const deadlineAt = Date.now() + spec.gate.deadlineMs;
  await runProbePhase(spec, [], { signal: stop.signal, deadlineAt, host: localHost() });

  // the health requests filled every slot and held it to the end
  assert.equal(most, MAX_PROBES_IN_FLIGHT, `${most} requests were held at once`);
  assert.equal(seen, MAX_PROBES_IN_FLIGHT, 'no request reached the server once every slot was taken');
});

test('a probe pool hands each freed slot to the probe that waited longest, and runs every probe', async () => {
  const pool = probePool(2);
  const order: string[] = [];
  let inFlight = 0;
  let most = 0;
  const gates = new Map<string, () => void>();
  const probe = (name: string) =>
    pool.run(async () => {
      most = Math.max(most, ++inFlight);
      order.push(name);
      await new Promise<void>((r) => gates.set(name, r));
      inFlight--;
      return name;
    });
  const all = Promise.all(['a', 'b', 'c', 'd'].map(probe));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(order, ['a', 'b']);
  gates.get('b')?.();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(order, ['a', 'b', 'c']);
  gates.get('a')?.();
  await new Promise((r) => setImmediate(r));
  gates.get('c')?.();
  await new Promise((r) => setImmediate(r));
  gates.get('d')?.();
  assert.deepEqual(await all, ['a', 'b', 'c', 'd']);
  assert.deepEqual(order, ['a', 'b', 'c', 'd']);
  assert.equal(most, 2);
});

test('a probe that throws frees its slot', async () => {
  const pool = probePool(1);
  await assert.rejects(pool.run(() => Promise.reject(new Error('bug'))), /bug/);
  assert.equal(await pool.run(() => Promise.resolve('next')), 'next');
});
