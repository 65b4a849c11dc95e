// What may reach an output. Credentials never do: `https://user:pass@host/`
// -> `https://***@host/`. On a terminal, control bytes from a backend's answer
// (an ESC sequence in a health body) must not act on the screen.
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@"'<>]*@/gi;
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F]/g;

export function maskCredentials(s: string): string {
  return s.replace(USERINFO, '$1***@');
}

/** Masked, and control characters other than newline and tab shown as `\xNN`. */
export function forTerminal(s: string): string {
  return maskCredentials(s).replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
