// schema/upstream-gate.schema.json, generated from the one spec schema.
import { mkdirSync, writeFileSync } from 'node:fs';
import { specJsonSchema } from '../src/spec/schema.js';

mkdirSync('schema', { recursive: true });
writeFileSync('schema/upstream-gate.schema.json', `${JSON.stringify(specJsonSchema(), null, 2)}\n`);
