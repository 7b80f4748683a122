import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BackoffStore, remainingBackoffMs } from './backoff.ts';

const failedAt = (t: number) => ({ metadata: { creationTimestamp: new Date(0).toISOString() }, status: { phase: 'Failed', containerStatuses: [{ state: { terminated: { finishedAt: new Date(t).toISOString() } } }] } });
const succeededAt = (t: number) => ({ ...failedAt(t), status: { ...failedAt(t).status, phase: 'Succeeded' } });

test('the pod failure backoff doubles per failure since the last success and is capped', () => {
  const base = 10_000;
  const max = 600_000;
  assert.equal(remainingBackoffMs({ failuresAfterLastSuccess: 0 }, 0, base, max), 0);
  assert.equal(remainingBackoffMs({ failuresAfterLastSuccess: 1, lastFailureTime: 0 }, 0, base, max), 10_000);
  assert.equal(remainingBackoffMs({ failuresAfterLastSuccess: 3, lastFailureTime: 0 }, 5_000, base, max), 35_000);
  assert.equal(remainingBackoffMs({ failuresAfterLastSuccess: 20, lastFailureTime: 0 }, 0, base, max), 600_000);
  assert.equal(remainingBackoffMs({ failuresAfterLastSuccess: 2, lastFailureTime: 0 }, 25_000, base, max), 0);
});

test('a success resets the failure count; failures after it count again', () => {
  const store = new BackoffStore();
  let r = store.next('ns/j', [], [failedAt(1000), failedAt(3000)]);
  assert.deepEqual(r, { failuresAfterLastSuccess: 2, lastFailureTime: 3000 });
  store.set('ns/j', r);
  r = store.next('ns/j', [], [failedAt(5000)]);
  assert.deepEqual(r, { failuresAfterLastSuccess: 3, lastFailureTime: 5000 });
  store.set('ns/j', r);
  assert.deepEqual(store.next('ns/j', [succeededAt(6000)], []), { failuresAfterLastSuccess: 0 });
  assert.deepEqual(store.next('ns/j', [succeededAt(6000)], [failedAt(4000), failedAt(7000)]), { failuresAfterLastSuccess: 1, lastFailureTime: 7000 });
});
