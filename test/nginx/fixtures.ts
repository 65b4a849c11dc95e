// Fixture trees under test/fixtures/nginx/<scenario>/ and their payloads with
// the checkout's location taken out, so expected JSON files hold stable paths.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../../src/nginx/parser.js';
import type { Payload } from '../../src/nginx/payload.js';
import { fileSource } from '../../src/host/local/config-files.js';
import type { ConfigSource } from '../../src/host/config-source.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/nginx/', import.meta.url));

export function fixture(scenario: string, file = ''): string {
  return `${FIXTURES}${scenario}/${file}`.replace(/\/$/, '');
}

export function expected(scenario: string, name = 'expected.json'): Payload {
  return JSON.parse(readFileSync(fixture(scenario, name), 'utf8')) as Payload;
}

/** Replace the fixture directory by `prefix` in every file name and message. */
export function relocate(payload: Payload, dir: string, prefix = ''): Payload {
  const swap = (s: string) => s.split(`${dir}/`).join(prefix);
  return JSON.parse(JSON.stringify(payload), (key, value: unknown) =>
    (key === 'file' || key === 'error') && typeof value === 'string' ? swap(value) : value,
  ) as Payload;
}

/** The files of a fixture seen at another absolute place (a copy of /etc/nginx seen as /etc/nginx). */
export function mountedSource(at: string, dir: string): ConfigSource {
  const fs = fileSource();
  const inward = (p: string) => (p === at || p.startsWith(`${at}/`) ? dir + p.slice(at.length) : p);
  const outward = (p: string) => (p === dir || p.startsWith(`${dir}/`) ? at + p.slice(dir.length) : p);
  return {
    read: (path, max) => {
      const r = fs.read(inward(path), max);
      return 'error' in r ? { error: r.error.split(dir).join(at) } : r;
    },
    glob: (pattern, max) => {
      const r = fs.glob(inward(pattern), max);
      return { paths: r.paths.map(outward), denied: r.denied.map(outward) };
    },
  };
}

/** Parse `scenario/file` and return the payload with paths relative to the scenario. */
export function parseFixture(scenario: string, file = 'nginx.conf'): Payload {
  const dir = fixture(scenario);
  return relocate(parseConfig(`${dir}/${file}`, { source: fileSource() }).payload, dir);
}
