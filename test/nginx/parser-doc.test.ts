// The examples in docs/parser.md are real: each `json upstream-gate` block is
// what `parse` prints (errors, and the main file's statements) for the files
// shown before it in the same section.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadAny } from '../../src/nginx/load.js';
import { tempDir } from '../helpers/tmp.js';

const doc = readFileSync(new URL('../../docs/parser.md', import.meta.url), 'utf8');
const sections = doc.split(/^### /m).slice(1);

test('docs/parser.md has an example for each deviation', () => {
  assert.ok(sections.length >= 10, `${sections.length} sections`);
  for (const s of sections) assert.match(s, /```json upstream-gate\n/, s.split('\n')[0]);
});

for (const section of sections) {
  const title = section.split('\n')[0] as string;
  test(`docs/parser.md: ${title}`, async () => {
    const { dir, remove } = tempDir('ugate-doc-');
    try {
      let expected: unknown;
      for (const m of section.matchAll(/```(\w+) ([\w.-]+)\n([\s\S]*?)```/g)) {
        const [, lang, name, body] = m as unknown as [string, string, string, string];
        if (lang === 'json') expected = JSON.parse(body);
        // a text block shows the file's bytes: the last line without its newline
        else writeFileSync(join(dir, name), lang === 'text' ? body.replace(/\n$/, '') : body);
      }
      const payload = (await loadAny(join(dir, 'nginx.conf'))).parse.payload;
      const actual = { errors: payload.errors.map((e) => e.error.split(`${dir}/`).join('')), parsed: payload.config[0]?.parsed };
      assert.deepEqual(actual, expected);
    } finally {
      remove();
    }
  });
}
