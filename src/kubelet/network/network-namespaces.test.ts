import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNetns, deleteNetns, listNetns, netnsExists, netnsPath } from './network-namespaces.ts';
import { inNetns, isRoot, suffix } from './test-fixtures.ts';

const skip = isRoot() ? false : 'needs root';

test('a created namespace is a persistent, named netns that ip netns can enter', { skip }, async (t) => {
  const prefix = `nvt${suffix()}-`;
  t.after(async () => { for (const n of await listNetns(prefix)) await deleteNetns(n); });
  const path = await createNetns(`${prefix}one`);
  assert.equal(path, netnsPath(`${prefix}one`));
  assert.equal(await createNetns(`${prefix}one`), path, 'creating again is fine');
  const r = await inNetns(`${prefix}one`, 'ip', ['-o', 'link', 'show']);
  assert.equal(r.code, 0, r.stderr);
  // A fresh namespace holds only its loopback device, already up.
  assert.deepEqual(r.stdout.trim().split('\n').map((l) => l.split(':')[1]!.trim()), ['lo']);
  assert.match(r.stdout, /<LOOPBACK,UP,LOWER_UP>/);
});

test('namespaces are listed by prefix and deleted idempotently', { skip }, async (t) => {
  const prefix = `nvt${suffix()}-`;
  t.after(async () => { for (const n of await listNetns(prefix)) await deleteNetns(n); });
  await createNetns(`${prefix}b`);
  await createNetns(`${prefix}a`);
  assert.deepEqual(await listNetns(prefix), [`${prefix}a`, `${prefix}b`]);
  await deleteNetns(`${prefix}a`);
  await deleteNetns(`${prefix}a`);
  assert.equal(await netnsExists(`${prefix}a`), false);
  assert.deepEqual(await listNetns(prefix), [`${prefix}b`]);
});

test('names that are not plain file names are refused', async () => {
  await assert.rejects(createNetns('../etc'), /invalid network namespace name/);
  await assert.rejects(deleteNetns('a/b'), /invalid network namespace name/);
});
