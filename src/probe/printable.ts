/** Bytes as one printable line for evidence: control bytes as \xNN, cut at `max`. */
export function printable(bytes: Buffer, max = 64): string {
  let out = '';
  for (const b of bytes.subarray(0, max)) {
    if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return bytes.length > max ? `${out}...` : out;
}

/** A TLS record header (handshake or alert) where plain text was expected. */
export function looksLikeTls(bytes: Buffer): boolean {
  return bytes.length >= 3 && (bytes[0] === 0x15 || bytes[0] === 0x16) && bytes[1] === 0x03 && (bytes[2] ?? 9) <= 0x04;
}
