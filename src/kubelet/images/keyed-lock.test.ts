import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyedLock } from './keyed-lock.ts';

const tick = () => new Promise((r) => setTimeout(r, 5));

test('work on one key runs one at a time in arrival order; other keys run alongside', async () => {
  const lock = new KeyedLock();
  const log: string[] = [];
  const job = (key: string, name: string) => lock.run(key, async () => { log.push(`${name}+`); await tick(); log.push(`${name}-`); return name; });
  const results = await Promise.all([job('a', 'a1'), job('a', 'a2'), job('b', 'b1'), job('a', 'a3')]);
  assert.deepEqual(results, ['a1', 'a2', 'b1', 'a3']);
  const a = log.filter((e) => e.startsWith('a'));
  assert.deepEqual(a, ['a1+', 'a1-', 'a2+', 'a2-', 'a3+', 'a3-']);
  assert.ok(log.indexOf('b1+') < log.indexOf('a1-'), 'b does not wait for a');
});

test('a failing holder releases the key', async () => {
  const lock = new KeyedLock();
  await assert.rejects(lock.run('k', async () => { throw new Error('boom'); }), /boom/);
  assert.equal(await lock.run('k', async () => 'next'), 'next');
});
