// Credentials the Action sees (in the spec, the report, a host command's
// output) are registered with the runner's secret masker too, so they are
// masked wherever they would appear in the log, whatever the gate's own
// masking misses. A value shorter than MIN_LENGTH would mask ordinary text
// all over the log; the gate's own masking still hides it in URLs.
import { credentialsIn } from '../model/mask.js';

const MIN_LENGTH = 4;

export function secretRegistry(setSecret: (value: string) => void): (value: unknown) => void {
  const seen = new Set<string>();
  return (value) => {
    for (const s of stringsOf(value)) {
      for (const c of credentialsIn(s)) {
        if (c.length < MIN_LENGTH || seen.has(c)) continue;
        seen.add(c);
        setSecret(c);
      }
    }
  };
}

function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsOf);
  return [];
}
