// Host key verification as OpenSSH does it: the key the server shows must be
// one known_hosts lists for that name (plain, wildcard or hashed `|1|SALT|HASH`
// entries; `[host]:port` off port 22; `@revoked` keys refused), or the pinned
// one. An unknown host or another key is never accepted: the caller reports it
// with the fingerprint seen, so the user can compare it with the real one.
import { createHash, createHmac } from 'node:crypto';

export interface KnownKey {
  type: string;
  /** the key blob, as the server sends it */
  key: Buffer;
  /** FILE:LINE */
  where: string;
  revoked: boolean;
}

export type HostKeyVerdict = { ok: true } | { ok: false; why: 'unknown' | 'mismatch' | 'revoked'; message: string };

/** `SHA256:...` as `ssh-keygen -l` prints it. */
export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** The algorithm name a key blob starts with (`ssh-ed25519`). */
export function keyType(key: Buffer): string {
  if (key.length < 4) return 'unknown';
  const n = key.readUInt32BE(0);
  return n > 0 && n < 64 && key.length >= 4 + n ? key.subarray(4, 4 + n).toString('latin1') : 'unknown';
}

function patternMatches(pattern: string, name: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return re.test(name);
}

/** Does a known_hosts host field (comma-separated patterns, or one hashed name) name this host? */
export function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  let matched = false;
  for (const p of field.split(',')) {
    if (p.startsWith('!')) {
      if (patternMatches(p.slice(1), name)) return false;
    } else if (patternMatches(p, name)) matched = true;
  }
  return matched;
}

/** The keys a known_hosts text lists for `name` (`host` or `[host]:port`). */
export function knownKeys(text: string, file: string, name: string): KnownKey[] {
  const out: KnownKey[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const words = line.split(/\s+/);
    let marker: string | undefined;
    if (words[0]?.startsWith('@')) marker = words.shift();
    if (marker === '@cert-authority') return;
    const [hosts, type, blob] = words;
    if (!hosts || !type || !blob || !hostFieldMatches(hosts, name)) return;
    const key = Buffer.from(blob, 'base64');
    if (key.length === 0) return;
    out.push({ type, key, where: `${file}:${i + 1}`, revoked: marker === '@revoked' });
  });
  return out;
}

/** A pinned key: `SHA256:...`, or a public key line `TYPE BASE64 [comment]`. */
export function pinnedMatches(pin: string, key: Buffer): boolean {
  const p = pin.trim();
  if (p.startsWith('SHA256:')) return p.replace(/=+$/, '') === fingerprint(key);
  const blob = p.split(/\s+/)[1];
  return blob !== undefined && Buffer.from(blob, 'base64').equals(key);
}

export function verifyHostKey(key: Buffer, known: readonly KnownKey[], name: string, knownFile: string): HostKeyVerdict {
  const seen = `${keyType(key)} ${fingerprint(key)}`;
  if (known.some((k) => k.revoked && k.key.equals(key))) return { ok: false, why: 'revoked', message: `the host key of ${name} is marked @revoked in ${knownFile}: ${seen}` };
  const usable = known.filter((k) => !k.revoked);
  if (usable.some((k) => k.key.equals(key))) return { ok: true };
  if (usable.length === 0) {
    return {
      ok: false,
      why: 'unknown',
      message: `${name} is not in ${knownFile}; it shows ${seen}: compare that with the host's own key (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub on it), then add it (ssh-keyscan)`,
    };
  }
  const first = usable[0] as KnownKey;
  return {
    ok: false,
    why: 'mismatch',
    message: `the host key of ${name} does not match ${first.where}: it shows ${seen}, known is ${first.type} ${fingerprint(first.key)} (the key changed, or someone is in between)`,
  };
}
