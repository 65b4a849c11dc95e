// `${NAME}` in a service's `expect:` values: the pipeline passes the release
// it deploys (`X-Release: ${GITHUB_SHA}`). Substituted in the parsed spec
// before validation, so a pattern is checked as the gate will use it; `$$`
// is a literal `$`. A variable unset or empty is an error naming it: an
// empty release would prove nothing.

export interface EnvProblem {
  path: (string | number)[];
  message: string;
}

const REFERENCE = /\$(\$|\{([^}]*)\}?)/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The data with every string under `services.*.expect` substituted, or the first problem (in document order). */
export function substituteExpectEnv(data: unknown, env: Readonly<Record<string, string | undefined>>): { data: unknown } | { problem: EnvProblem } {
  if (!isMapping(data) || !isMapping(data.services)) return { data };
  let problem: EnvProblem | undefined;
  const walk = (v: unknown, path: (string | number)[]): unknown => {
    if (problem) return v;
    if (typeof v === 'string') {
      const r = substitute(v, env);
      if (typeof r === 'string') return r;
      problem = { path, message: r.problem };
      return v;
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, i]));
    if (isMapping(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, [...path, k])]));
    return v;
  };
  const services = Object.fromEntries(
    Object.entries(data.services).map(([name, s]) => [name, isMapping(s) && 'expect' in s ? { ...s, expect: walk(s.expect, ['services', name, 'expect']) } : s]),
  );
  return problem ? { problem } : { data: { ...data, services } };
}

function substitute(text: string, env: Readonly<Record<string, string | undefined>>): string | { problem: string } {
  let problem: string | undefined;
  const out = text.replace(REFERENCE, (whole, inner: string, name: string | undefined) => {
    if (problem !== undefined) return whole;
    if (inner === '$') return '$';
    if (name === undefined || !whole.endsWith('}') || !NAME.test(name)) {
      problem = `"${whole}" is not a variable reference: write \${NAME} (letters, digits and _), or $$ for a literal $`;
      return whole;
    }
    const value = env[name];
    if (value === undefined || value === '') problem = `environment variable ${name} is ${value === undefined ? 'not set' : 'empty'}`;
    return value ?? '';
  });
  return problem === undefined ? out : { problem };
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
