// The text report at a terminal's width: wrapped at spaces only, continuation
// lines under the text they continue, colour codes taking no column; and
// control characters of untrusted names escaped wherever they are printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Report } from '../../src/model/finding.js';
import { toText } from '../../src/report/text.js';
import { terminalWidth, visibleLength, wrap } from '../../src/report/wrap.js';
import { assertGolden, loadReport } from './golden.js';

const SGR = /\x1b\[[0-9;]*m/g;

/** A line wider than `width` is one word (after its indentation): there was no space to break at. */
function assertFits(text: string, width: number): void {
  for (const line of text.split('\n')) {
    assert.ok(visibleLength(line) <= width || !line.trim().replace(SGR, '').includes(' '), `${visibleLength(line)} columns: ${JSON.stringify(line)}`);
  }
}

const words = (s: string) => s.replace(SGR, '').split(/\s+/).filter(Boolean);

for (const name of ['fail', 'pass', 'config-invalid'] as const) {
  test(`${name}: at 80 columns, the same words as the piped report, none cut, every line within 80`, () => {
    const r = loadReport(name);
    const wrapped = toText(r, { color: false, width: 80 });
    assertGolden(`${name}.80.txt`, wrapped);
    assertFits(wrapped, 80);
    assert.deepEqual(words(wrapped), words(toText(r, { color: false })));
    // colour sequences take no column: the coloured report wraps at the same places
    assert.equal(toText(r, { color: true, width: 80 }).replace(SGR, ''), wrapped);
  });
}

test('continuation lines start under the text they continue', () => {
  const text = toText(loadReport('fail'), { color: false, width: 60 });
  const lines = text.split('\n');
  const at = (start: string) => lines.findIndex((l) => l.startsWith(start));
  // the summary's detail starts after "FAIL  api  "
  const summary = at('FAIL  api  ');
  assert.match(lines[summary + 1] as string, /^ {11}\S/);
  // evidence, fix and at: text starts in column 14
  const fix = at('    fix:      the health endpoint');
  assert.match(lines[fix + 1] as string, /^ {14}\S/);
  // a fix line indented within the fix keeps its own indentation
  assert.ok(lines.includes('                journalctl -u web.service --since -5m'));
  // the verdict's text starts after "FAIL  "
  const verdict = at('FAIL  [api]');
  assert.match(lines[verdict + 1] as string, /^ {6}\S/);
});

test('piped without COLUMNS: not wrapped, one line stays one line', () => {
  const r = loadReport('fail');
  assert.equal(toText(r, { color: false, width: undefined }), toText(r, { color: false }));
  assert.ok(toText(r, { color: false }).split('\n').some((l) => l.length > 120));
});

test('wrap: breaks at runs of spaces, keeps a word longer than the line whole', () => {
  assert.deepEqual(wrap('  ', 'aaa bbb  ccc', 9), ['  aaa bbb', '  ccc']);
  assert.deepEqual(wrap('x: ', 'https://example.test/a/very/long/path short', 12), ['x: https://example.test/a/very/long/path', '   short']);
  assert.deepEqual(wrap('', 'one two', undefined), ['one two']);
  assert.deepEqual(wrap('> ', 'a\tb c', 5), ['> a\tb', '  c']);
});

test('terminalWidth: the TTY width, else COLUMNS, else none (piped)', () => {
  assert.equal(terminalWidth({ isTTY: true, columns: 80 }, {}), 80);
  assert.equal(terminalWidth({ isTTY: true, columns: 80 }, { COLUMNS: '120' }), 80);
  assert.equal(terminalWidth({ isTTY: false }, { COLUMNS: '100' }), 100);
  assert.equal(terminalWidth({ isTTY: false }, {}), undefined);
  assert.equal(terminalWidth({ isTTY: false }, { COLUMNS: 'wide' }), undefined);
  assert.equal(terminalWidth({ isTTY: true, columns: 0 }, {}), undefined);
});

test('control characters in a file name are escaped on the at: line, as in every other untrusted text', () => {
  const report: Report = {
    verdict: 'fail',
    reason: 'config.port_mismatch',
    findings: [
      {
        code: 'config.port_mismatch',
        severity: 'error',
        service: 'api',
        message: 'nginx dials 127.0.0.1:8001, the spec says 127.0.0.1:8000',
        file: '/srv/conf.d/\x1b]0;owned\x07app\x1b[2J.conf',
        line: 3,
      },
    ],
  };
  for (const color of [false, true]) {
    const text = toText(report, { color });
    assert.ok(text.includes('at:       /srv/conf.d/\\x1b]0;owned\\x07app\\x1b[2J.conf:3'), text);
    assert.doesNotMatch(text.replace(SGR, ''), /[\x00-\x08\x0b-\x1f\x7f]/);
  }
});
