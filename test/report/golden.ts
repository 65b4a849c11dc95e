// Golden files: the renderer's whole output is compared with a committed file.
// UPDATE_GOLDEN=1 rewrites them (review the diff before committing).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Report } from '../../src/model/finding.js';

const dir = new URL('../fixtures/report/', import.meta.url);

export function loadReport(name: string): Report {
  return JSON.parse(readFileSync(new URL(`${name}.json`, dir), 'utf8')) as Report;
}

export function assertGolden(file: string, actual: string): void {
  const url = new URL(`golden/${file}`, dir);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(url)) {
    writeFileSync(url, actual);
    if (process.env.UPDATE_GOLDEN !== '1') assert.fail(`golden file ${file} was missing and has been written: review and commit it`);
    return;
  }
  assert.equal(actual, readFileSync(url, 'utf8'), `${file} differs (UPDATE_GOLDEN=1 rewrites it)`);
}
