// A failing check as a terminal shows it: on a real 80-column pseudo-terminal
// (and with COLUMNS=80 when piped) no line is wider than the terminal, so the
// terminal never cuts an address in two; piped without COLUMNS a line stays
// one line; NO_COLOR means not one colour sequence.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_SOURCE, runNode, TSX } from '../helpers/cli.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tmp.js';

const PYTHON = ['/usr/bin/python3', '/usr/local/bin/python3'].find((p) => existsSync(p));

// Runs argv on a pseudo-terminal of 24 rows and COLUMNS columns; prints what the terminal received.
const ON_PTY = `
import fcntl, os, pty, struct, sys, termios
cols = int(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack('HHHH', 24, cols, 0, 0))
    os.execvp(sys.argv[2], sys.argv[2:])
out = b''
while True:
    try:
        data = os.read(fd, 65536)
    except OSError:
        break
    if not data:
        break
    out += data
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(out)
sys.exit(os.waitstatus_to_exitcode(status))
`;

/** A gate that fails: nginx dials 127.0.0.1:PORT, where nothing listens. */
async function failingSpec(t: TestContext): Promise<{ spec: string; port: number }> {
  const tmp = tempDir(`ugate-term-${process.pid}-`);
  t.after(tmp.remove);
  const port = await freePort();
  writeFileSync(
    join(tmp.dir, 'nginx.conf'),
    `events {}\nhttp {\n    server {\n        listen 127.0.0.1:8080;\n        server_name app.example.test;\n        location / {\n            proxy_pass http://127.0.0.1:${port};\n        }\n    }\n}\n`,
  );
  const spec = join(tmp.dir, 'upstream-gate.yml');
  writeFileSync(
    spec,
    `version: 1\nservices:\n  app:\n    backend: 127.0.0.1:${port}\n    server_name: app.example.test\nnginx:\n  config: nginx.conf\n  test: off\ngate:\n  deadline: 1s\n`,
  );
  return { spec, port };
}

const env = (extra: NodeJS.ProcessEnv) => {
  const { COLUMNS: _c, NO_COLOR: _n, FORCE_COLOR: _f, ...rest } = process.env;
  return { ...rest, TERM: 'xterm', ...extra };
};

/** What a terminal shows: the text after the last carriage return of each line, control sequences removed. */
function screenLines(raw: string): string[] {
  return raw.split('\n').map((l) => (l.split('\r').filter(Boolean).pop() ?? '').replace(/\x1b\[[0-9;?]*[A-Za-z]/g, ''));
}

function assertFits(lines: string[], width: number): void {
  for (const l of lines) assert.ok([...l].length <= width || !l.trim().includes(' '), `${[...l].length} columns: ${JSON.stringify(l)}`);
}

/** Each address is whole on its line: wrapping never cut `127.0.0.` from `1:PORT`. */
function assertAddressesWhole(text: string, port: number): void {
  const tokens = text.split(/\s+/).filter((w) => w.includes('127.0.0.'));
  assert.ok(tokens.length > 0, text);
  for (const w of tokens) {
    assert.match(w, /127\.0\.0\.1(?![\d.])/, `${w} in ${text}`);
    if (w.includes('127.0.0.1:')) assert.match(w, new RegExp(`127\\.0\\.0\\.1:${port}(?!\\d)`), `${w} in ${text}`);
  }
}

test('COLUMNS=80, piped: report and progress wrapped to 80 columns at spaces; without COLUMNS, not wrapped', async (t) => {
  const { spec, port } = await failingSpec(t);
  const r = await runNode(['--import', TSX, CLI_SOURCE, 'check', '--spec', spec], { env: env({ COLUMNS: '80' }), node: process.execPath });
  assert.equal(r.code, 1, r.stderr);
  assertFits(r.stdout.split('\n'), 80);
  assertFits(r.stderr.split('\n'), 80);
  assertAddressesWhole(r.stdout, port);
  assertAddressesWhole(r.stderr, port);

  const wide = await runNode(['--import', TSX, CLI_SOURCE, 'check', '--spec', spec], { env: env({}), node: process.execPath });
  assert.equal(wide.code, 1, wide.stderr);
  assert.ok(wide.stdout.split('\n').some((l) => l.length > 80), 'piped without COLUMNS, a finding line stays whole');
});

test('on an 80-column terminal: no line wider than the terminal; NO_COLOR: no colour sequence', { skip: !PYTHON && 'python3 not installed' }, async (t) => {
  const { spec, port } = await failingSpec(t);
  const argv = ['-c', ON_PTY, '80', process.execPath, '--import', TSX, CLI_SOURCE, 'check', '--spec', spec];
  const colour = await runNode(argv, { env: env({}), node: PYTHON });
  assert.equal(colour.code, 1, colour.stdout);
  assert.match(colour.stdout, /\x1b\[[0-9;]*m/, 'a terminal gets colour');
  const screen = screenLines(colour.stdout);
  assertFits(screen, 80);
  assertAddressesWhole(screen.join('\n'), port);
  assert.ok(screen.some((l) => l.startsWith('FAIL  [app] ')), screen.join('\n'));

  const plain = await runNode(argv, { env: env({ NO_COLOR: '1' }), node: PYTHON });
  assert.equal(plain.code, 1, plain.stdout);
  assert.doesNotMatch(plain.stdout, /\x1b\[[0-9;]*m/);
  assertFits(screenLines(plain.stdout), 80);
});
