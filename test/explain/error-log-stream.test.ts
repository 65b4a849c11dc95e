// Reading rotated logs compressed by logrotate as gzip(1) reads them: every
// member of a multi-member file, the valid part of a file followed by
// trailing garbage (said, not fatal), as far as a cut file goes; and the
// same from a pipe as from a file.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, constants, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { readLogLines, type ReadSummary } from '../../src/explain/error-log-stream.js';
import { isUserError } from '../../src/user-error.js';
import { tempDir } from '../helpers/tmp.js';

const SAMPLES = readFileSync(fileURLToPath(new URL('../fixtures/error-log/nginx-1.22-samples.txt', import.meta.url)), 'latin1');
const tmp = tempDir(`ugate-log-stream-${process.pid}-`);
after(() => tmp.remove());

let n = 0;
function file(data: Buffer): string {
  const p = join(tmp.dir, `log-${++n}.gz`);
  writeFileSync(p, data);
  return p;
}

/** Many lines, so the decompressed text spans many 64 KiB chunks and the last one matters. */
const LOG = Array.from({ length: 60 }, () => SAMPLES).join('');
const LINES = LOG.split('\n').length - 1;

async function read(path: string): Promise<{ lines: string[]; summary: ReadSummary }> {
  const lines: string[] = [];
  const summary = await readLogLines(path, (l) => lines.push(l));
  return { lines, summary };
}

test('trailing garbage after the gzip data: every line before it is read, and the bytes are counted', async () => {
  const garbage = Buffer.from('this is not gzip data\n'.repeat(10));
  const { lines, summary } = await read(file(Buffer.concat([gzipSync(LOG), garbage])));
  assert.equal(lines.length, LINES);
  assert.equal(`${lines.join('\n')}\n`, LOG);
  assert.equal(summary.gzipTrailingBytes, garbage.length);
  assert.equal(summary.truncatedGzip, false);
});

test('members one after another are all read; garbage after the last, or zeros, is counted', async () => {
  const half = LOG.length / 2;
  const members = Buffer.concat([gzipSync(LOG.slice(0, half)), gzipSync(LOG.slice(half))]);
  const both = await read(file(members));
  assert.equal(`${both.lines.join('\n')}\n`, LOG);
  assert.equal(both.summary.gzipTrailingBytes, 0);

  // garbage that starts like a member (the magic bytes) but is not one
  const fake = Buffer.from([0x1f, 0x8b, 0x63, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const withFake = await read(file(Buffer.concat([members, fake])));
  assert.equal(withFake.lines.length, LINES);
  assert.equal(withFake.summary.gzipTrailingBytes, fake.length);

  const zeros = await read(file(Buffer.concat([members, Buffer.alloc(512)])));
  assert.equal(zeros.lines.length, LINES);
  assert.equal(zeros.summary.gzipTrailingBytes, 512);
});

test('a member cut short, or cut in its header or trailer, is read as far as it goes', async () => {
  const gz = gzipSync(LOG);
  const cut = await read(file(gz.subarray(0, Math.floor(gz.length * 0.6))));
  assert.equal(cut.summary.truncatedGzip, true);
  assert.ok(cut.lines.length > 10 && cut.lines.length < LINES);
  // the whole deflate stream, but not the CRC and length after it
  const noTrailer = await read(file(gz.subarray(0, gz.length - 4)));
  assert.equal(noTrailer.summary.truncatedGzip, true);
  assert.equal(noTrailer.lines.length, LINES);
  // a second member cut inside its header
  const secondHeader = await read(file(Buffer.concat([gz, gzipSync('x\n').subarray(0, 5)])));
  assert.equal(secondHeader.summary.truncatedGzip, true);
  assert.equal(secondHeader.lines.length, LINES);
});

test('a damaged first member, or a member whose CRC does not match, is bad input', async () => {
  await assert.rejects(read(file(Buffer.from([0x1f, 0x8b, 0x77, 0x00, 1, 2, 3, 4, 5, 6, 7]))), (e) => isUserError(e) && /not a readable gzip file/.test(e.message));
  const gz = Buffer.from(gzipSync(LOG));
  // the CRC-32 is the trailer's first four bytes
  gz[gz.length - 8] = (gz[gz.length - 8] as number) ^ 0xff;
  await assert.rejects(read(file(gz)), (e) => isUserError(e) && /not a readable gzip file \(.*check/.test(e.message));
});

test('a gzip stream with trailing garbage from a FIFO reads the same as from a file', async () => {
  const fifo = join(tmp.dir, 'log.fifo');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  const data = Buffer.concat([gzipSync(LOG), Buffer.from('garbage')]);
  const reading = read(fifo);
  // the reader is open once our O_NONBLOCK writer can open: wait for that, not for a delay
  let fd = -1;
  while (fd < 0) {
    try {
      fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENXIO') throw e;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  // more than a pipe holds: the rest is written as the reader makes room
  for (let off = 0; off < data.length; ) {
    try {
      off += writeSync(fd, data, off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  closeSync(fd);
  const { lines, summary } = await reading;
  assert.equal(lines.length, LINES);
  assert.equal(summary.gzipTrailingBytes, 7);
});
