import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DelayQueue } from './delay-queue.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('due entries fire in time order, once each', async () => {
  const fired: string[] = [];
  const q = new DelayQueue<number>((k) => fired.push(k));
  const t = Date.now();
  q.schedule('c', t + 30, 3);
  q.schedule('a', t + 10, 1);
  q.schedule('b', t + 20, 2);
  assert.equal(q.size, 3);
  await sleep(60);
  assert.deepEqual(fired, ['a', 'b', 'c']);
  assert.equal(q.size, 0);
  q.stop();
});

test('scheduling a key again replaces its entry, and a cancelled key never fires', async () => {
  const fired: [string, string][] = [];
  const q = new DelayQueue<string>((k, v) => fired.push([k, v]));
  const t = Date.now();
  q.schedule('x', t + 200, 'late');
  q.schedule('x', t + 10, 'early');
  q.schedule('y', t + 10, 'gone');
  assert.equal(q.get('x')?.value, 'early');
  assert.ok(q.cancel('y'));
  assert.ok(!q.cancel('y'));
  await sleep(40);
  assert.deepEqual(fired, [['x', 'early']]);
  q.schedule('z', Date.now() + 5, 'moved');
  q.schedule('z', Date.now() + 100_000, 'moved later');
  await sleep(30);
  assert.deepEqual(fired, [['x', 'early']], 'an entry moved later does not fire at its old time');
  q.stop();
});

test('keeps heap order across many random inserts, moves and cancels', async () => {
  const fired: number[] = [];
  const q = new DelayQueue<number>((_k, v) => fired.push(v));
  const base = Date.now() + 20;
  const want = new Map<string, number>();
  for (let i = 0; i < 2000; i++) {
    const k = `k${i % 700}`;
    const at = base + Math.floor(Math.random() * 30);
    q.schedule(k, at, at);
    want.set(k, at);
    if (i % 7 === 0) { q.cancel(`k${(i * 13) % 700}`); want.delete(`k${(i * 13) % 700}`); }
  }
  assert.equal(q.size, want.size);
  await sleep(120);
  assert.equal(fired.length, want.size);
  assert.deepEqual(fired, [...fired].sort((a, b) => a - b));
  q.stop();
});
