import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readInputs } from '../../src/action/inputs.js';
import { Inputs } from '../../src/action/constants.js';
import { isUserError } from '../../src/user-error.js';

const inputs = (deadline: string) => (name: string) => (name === Inputs.Deadline ? deadline : '');

test('the deadline input is a duration from 1ms to a day: no timer overflows', () => {
  assert.equal(readInputs(inputs('90s'), '/srv').deadlineMs, 90_000);
  assert.equal(readInputs(inputs('1440m'), '/srv').deadlineMs, 86_400_000);
  for (const [value, why] of [
    ['2147483648ms', 'is longer than a day (1440m), the longest duration allowed'],
    ['0s', 'is shorter than 1ms'],
    ['soon', 'is not a duration: write 30s or 2m'],
  ]) {
    assert.throws(
      () => readInputs(inputs(value as string), '/srv'),
      (e) => isUserError(e) && e.message === `input "${Inputs.Deadline}" "${value}" ${why}`,
    );
  }
});
