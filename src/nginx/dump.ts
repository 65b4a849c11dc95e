// `nginx -T` output -> the files it holds. nginx writes, for each file it
// read, `# configuration file PATH:` + the file's bytes + one newline; the
// first one is the main config. The `nginx: ...` lines of `-t` (when stderr
// was captured too) are kept: they say whether the test passed.

export interface Dump {
  main: string;
  files: Map<string, string>;
  /** `nginx: [emerg] ...`, `nginx: configuration file ... test failed`, in order */
  messages: string[];
}

const HEADER = /^# configuration file (\/.*):\r?$/;
/** what `nginx -t` writes to stderr, with or without the error log's timestamp */
const NGINX_MESSAGE = /^(nginx: |\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[\w+\] )/;

/** Does this text look like `nginx -T` output rather than a config file? */
export function isDump(text: string): boolean {
  for (const line of text.slice(0, 64 * 1024).split('\n')) {
    if (line.trim() === '' || NGINX_MESSAGE.test(line)) continue;
    return HEADER.test(line);
  }
  return false;
}

export function parseDump(text: string): Dump | undefined {
  const lines = text.split('\n');
  const files = new Map<string, string>();
  const messages: string[] = [];
  let main: string | undefined;
  let current: string | undefined;
  let body: string[] = [];
  const flush = () => {
    if (current === undefined) return;
    // nginx added one newline after the file's own bytes.
    if (body.length > 0 && body[body.length - 1] === '') body.pop();
    if (!files.has(current)) files.set(current, body.join('\n'));
  };
  for (const line of lines) {
    const m = HEADER.exec(line);
    if (m) {
      flush();
      current = m[1] as string;
      main ??= current;
      body = [];
      continue;
    }
    if (NGINX_MESSAGE.test(line) && (current === undefined || !line.startsWith('nginx: ') || /^nginx: (\[\w+\]|configuration file|the configuration file)/.test(line))) {
      messages.push(line.trimEnd());
      continue;
    }
    if (current !== undefined) body.push(line);
  }
  flush();
  if (main === undefined) return undefined;
  return { main, files, messages };
}
