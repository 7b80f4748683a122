import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Expectations } from './expectations.ts';
import { slowStartBatch } from './slow-start.ts';

test('expectations hold a controller back until its creations are observed, or expire', () => {
  let now = 0;
  const e = new Expectations(() => now);
  assert.ok(e.satisfied('ns/rs'));
  e.expectCreations('ns/rs', 2);
  assert.ok(!e.satisfied('ns/rs'));
  e.creationObserved('ns/rs');
  assert.ok(!e.satisfied('ns/rs'));
  e.creationObserved('ns/rs');
  assert.ok(e.satisfied('ns/rs'));
  e.expectDeletions('ns/rs', 1);
  assert.ok(!e.satisfied('ns/rs'));
  now += 5 * 60_000 + 1;
  assert.ok(e.satisfied('ns/rs'), 'a stale expectation expires');
});

test('slow-start batches grow 1, 2, 4 and stop at the first failing batch', async () => {
  const calls: number[] = [];
  assert.equal(await slowStartBatch(7, 1, async (i) => { calls.push(i); }), 7);
  assert.deepEqual(calls, [0, 1, 2, 3, 4, 5, 6]);
  let attempted = 0;
  await assert.rejects(slowStartBatch(20, 1, async (i) => { attempted++; if (i >= 3) throw new Error('quota'); }), (e: any) => e.message === 'quota' && e.succeeded === 3);
  assert.equal(attempted, 7, 'batches of 1, 2 and 4 ran; the failing batch of 4 stopped it');
});
