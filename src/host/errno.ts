// errno numbers and names. Node reports negative numbers (uv), nginx and the
// contract positive ones; names come from the platform's own table.
import { constants } from 'node:os';

/**
 * The numbers the gate itself sets, as Linux (and so nginx's log and the report
 * contract) numbers them, whatever platform the gate runs on.
 */
export const LINUX_ERRNO = { ENOENT: 2, EACCES: 13, ECONNRESET: 104, ETIMEDOUT: 110 } as const;

const BY_NAME = constants.errno as Record<string, number>;
const BY_NUMBER = new Map<number, string>();
for (const [name, n] of Object.entries(BY_NAME)) if (!BY_NUMBER.has(n)) BY_NUMBER.set(n, name);

export function errnoNumber(name: string | undefined): number | undefined {
  return name === undefined ? undefined : BY_NAME[name];
}

export function errnoName(n: number | undefined): string | undefined {
  return n === undefined ? undefined : BY_NUMBER.get(Math.abs(n));
}

/** A Node error's code and positive errno, whatever the error is. */
export function errorFacts(e: unknown): { code?: string; errno?: number; message: string } {
  const err = e as NodeJS.ErrnoException | undefined;
  const code = typeof err?.code === 'string' ? err.code : undefined;
  const raw = typeof err?.errno === 'number' ? Math.abs(err.errno) : undefined;
  const errno = raw ?? errnoNumber(code);
  const message = err instanceof Error ? err.message : String(e);
  return { ...(code !== undefined && { code }), ...(errno !== undefined && { errno }), message };
}
