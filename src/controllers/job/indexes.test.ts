import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstPendingIndexes, formatIntervals, parseIntervals, withIndexes } from './indexes.ts';
import { matchSuccessPolicy } from './success-policy.ts';

const podWithIndex = (ix: number) => ({ metadata: { annotations: { 'batch.kubernetes.io/job-completion-index': String(ix) } } });

test('completed indexes are written as runs, pairs with a comma', () => {
  assert.equal(formatIntervals(withIndexes([], [0, 1, 2, 4, 6, 7, 9])), '0-2,4,6,7,9');
  assert.deepEqual(parseIntervals('0-2,4,6,7,9', 8), [{ first: 0, last: 2 }, { first: 4, last: 4 }, { first: 6, last: 7 }]);
  assert.equal(formatIntervals(withIndexes(parseIntervals('1,3', 10), [2])), '1-3');
});

test('pending indexes skip succeeded and active ones', () => {
  assert.deepEqual(firstPendingIndexes([podWithIndex(1)], parseIntervals('0,3', 6), 3, 6), [2, 4, 5]);
  assert.deepEqual(firstPendingIndexes([], [], 2, 1), [0]);
});

test('a success policy matches by indexes or by count', () => {
  const succeeded = parseIntervals('0-2', 10);
  assert.equal(matchSuccessPolicy({ rules: [{ succeededIndexes: '5-6' }, { succeededIndexes: '0,1' }] }, 10, succeeded), 'Matched rules at index 1');
  assert.equal(matchSuccessPolicy({ rules: [{ succeededCount: 3 }] }, 10, succeeded), 'Matched rules at index 0');
  assert.equal(matchSuccessPolicy({ rules: [{ succeededIndexes: '0-5', succeededCount: 4 }] }, 10, succeeded), undefined);
});
