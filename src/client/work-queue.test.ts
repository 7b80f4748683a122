import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkQueue } from './work-queue.ts';

test('a pending key is queued once however often it is added', async () => {
  const q = new WorkQueue();
  q.add('a'); q.add('a'); q.add('b'); q.add('a');
  assert.equal(q.length, 2);
  assert.equal(await q.get(), 'a');
  assert.equal(await q.get(), 'b');
});

test('a key is never handed to two workers at once, and one re-added while processing runs again after', async () => {
  const q = new WorkQueue();
  q.add('k');
  const first = await q.get();
  q.add('k');
  assert.equal(q.length, 0, 'not queued while being processed');
  let second: string | undefined;
  const waiting = q.get().then((k) => { second = k; });
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(second, undefined, 'the second worker waits');
  q.done(first!);
  await waiting;
  assert.equal(second, 'k');
  q.done('k');
  q.shutDown();
});

test('failures back off exponentially per key, and forget resets the backoff', async () => {
  const q = new WorkQueue({ baseDelayMs: 20, maxDelayMs: 1000, qps: 1000, burst: 1000 });
  const t0 = Date.now();
  q.addRateLimited('x');
  assert.equal(await q.get(), 'x');
  q.done('x');
  const firstDelay = Date.now() - t0;
  const t1 = Date.now();
  q.addRateLimited('x');
  assert.equal(await q.get(), 'x');
  q.done('x');
  const secondDelay = Date.now() - t1;
  assert.ok(firstDelay >= 15, `first retry after ~20 ms, was ${firstDelay}`);
  assert.ok(secondDelay >= 35, `second retry after ~40 ms, was ${secondDelay}`);
  assert.equal(q.failures('x'), 2);
  q.forget('x');
  assert.equal(q.failures('x'), 0);
  q.shutDown();
});

test('the overall token bucket delays a burst of different failing keys', async () => {
  const q = new WorkQueue({ baseDelayMs: 1, maxDelayMs: 1, qps: 100, burst: 2 });
  const t0 = Date.now();
  for (const k of ['a', 'b', 'c', 'd']) q.addRateLimited(k);
  const got: string[] = [];
  for (let i = 0; i < 4; i++) { const k = await q.get(); got.push(k!); q.done(k!); }
  assert.deepEqual(got.sort(), ['a', 'b', 'c', 'd']);
  assert.ok(Date.now() - t0 >= 15, 'beyond the burst of 2, keys wait for tokens at 100/s');
  q.shutDown();
});

test('addAfter keeps the earliest pending time and shutDown releases waiting workers', async () => {
  const q = new WorkQueue();
  q.addAfter('late', 10_000);
  q.addAfter('late', 5);
  assert.equal(await q.get(), 'late');
  const waiting = q.get();
  q.shutDown();
  assert.equal(await waiting, undefined);
});
