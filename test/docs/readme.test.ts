// What the README shows must be what the tool does: the command synopses are
// the --help usages, and the spec example is a valid spec that shows every key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../helpers/cli.js';
import { parseSpec } from '../../src/spec/load.js';
import { specJsonSchema } from '../../src/spec/schema.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

function block(after: string, lang: string): string {
  const at = readme.indexOf(after);
  assert.ok(at >= 0, `README has "${after}"`);
  const m = new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(readme.slice(at));
  assert.ok(m, `a ${lang} block after "${after}"`);
  return m[1] as string;
}

async function help(verb: string): Promise<string> {
  const m = memoryIO();
  assert.equal(await main([verb, '--help'], m.io), 0);
  return m.out();
}

/** The usage of `verb`: its words after `upstream-gate VERB`, up to the first blank line. */
function usageWords(text: string, verb: string): string[] {
  const words = text.split('\n\n')[0]?.replace(/#.*$/gm, '').split(/\s+/).filter(Boolean) ?? [];
  const at = words.indexOf(verb);
  assert.ok(at > 0 && words[at - 1] === 'upstream-gate', text);
  return words.slice(at + 1);
}

test('README: each command synopsis is the usage its --help prints', async () => {
  const synopsis = block('## Commands', '');
  const entries = synopsis.split(/\n(?=upstream-gate )/);
  const verbs = entries.map((e) => e.split(/\s+/)[1]);
  assert.deepEqual(verbs, ['render', 'check', 'explain', 'parse']);
  for (const [i, verb] of verbs.entries()) {
    assert.deepEqual(usageWords(entries[i] as string, verb as string), usageWords(await help(verb as string), verb as string), verb);
  }
});

test('README: the spec example is valid and shows every key of the spec', () => {
  const text = block('## The spec', 'yaml');
  const spec = parseSpec(text, '/srv/app/upstream-gate.yml');
  assert.ok(spec.services.length > 0);
  const schema = specJsonSchema() as {
    properties: Record<string, { properties?: Record<string, unknown>; additionalProperties?: { properties: Record<string, unknown> } }>;
  };
  const keys = (o: Record<string, unknown> | undefined) => Object.keys(o ?? {});
  const expected = [
    ...keys(schema.properties),
    ...keys(schema.properties.services?.additionalProperties?.properties),
    ...keys(schema.properties.nginx?.properties),
    ...keys(schema.properties.gate?.properties),
  ];
  const shown = new Set([...text.matchAll(/^\s*(?:# )?([a-z_]+):/gm)].map((m) => m[1]));
  assert.deepEqual(expected.filter((k) => !shown.has(k)), []);
});
