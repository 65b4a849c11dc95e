// A config written inline (as /e/nginx.conf) and a spec's services, through
// the config phase's own steps: parsed, modelled, expanded, and each service
// evaluated with names resolved from a fixed table, for tests of the rules
// on small configs.
import assert from 'node:assert/strict';
import { memorySource } from '../../src/host/config-source.js';
import { expandAll } from '../../src/nginx/dials.js';
import { evaluate } from '../../src/nginx/evaluate.js';
import { buildModel } from '../../src/nginx/model.js';
import { parseConfig } from '../../src/nginx/parser.js';
import { parseSpec } from '../../src/spec/load.js';

export function evaluateConfig(text: string, services: string, addresses: Record<string, string[]> = {}) {
  const parse = parseConfig('/e/nginx.conf', { source: memorySource(new Map([['/e/nginx.conf', text]])) });
  assert.deepEqual(parse.payload.errors, []);
  const model = buildModel(parse);
  const expansions = expandAll(model);
  const spec = parseSpec(`version: 1\nservices:\n${services}`, '/e/upstream-gate.yml');
  const lines = text.split('\n');
  const results = spec.services.map((service) =>
    evaluate({
      service,
      services: spec.services,
      model,
      expansions,
      addresses: new Map(Object.entries(addresses)),
      display: (f) => f.replace('/e/', ''),
      lineText: (s) => (lines[s.line - 1] ?? '').trim(),
    }),
  );
  return { parse, model, expansions, spec, results };
}
