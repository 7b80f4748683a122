import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { storeConformance } from '../conformance.ts';
import { isStorageError } from '../store.ts';
import { EtcdStore } from './etcd-store.ts';
import { startTestEtcd } from './test-etcd.ts';
import type { TestEtcd } from './test-etcd.ts';

let etcd: TestEtcd | undefined;
before(async () => { etcd = await startTestEtcd(); });
after(async () => { await etcd?.stop(); });

let stores = 0;
storeConformance('etcd', async () => {
  // Each store gets its own key prefix in the one etcd: revisions and compaction are shared, keys are not.
  const store = await EtcdStore.open({ endpoints: [etcd!.endpoint], prefix: `/conformance-${String(++stores).padStart(3, '0')}` });
  return { store, cleanup: () => store.close() };
});

test('etcd: stores under different prefixes do not see each other\'s keys', async () => {
  const one = await EtcdStore.open({ endpoints: [etcd!.endpoint], prefix: '/tenant-one' });
  const two = await EtcdStore.open({ endpoints: [etcd!.endpoint], prefix: '/tenant-two' });
  try {
    await one.create('/a', new Uint8Array([1]));
    assert.equal(await two.get('/a'), undefined);
    assert.deepEqual((await two.list('')).kvs, []);
    assert.deepEqual((await one.list('')).kvs.map((kv) => kv.key), ['/a']);
  } finally {
    await one.close();
    await two.close();
  }
});

test('etcd: opening a store on an endpoint nobody serves fails with Unavailable', async () => {
  await assert.rejects(EtcdStore.open({ endpoints: ['http://127.0.0.1:1'], dialTimeoutMs: 500 }), (err) => isStorageError(err, 'Unavailable'));
});

test('etcd: a watch fails with Unavailable when etcd goes away', async () => {
  const own = await startTestEtcd();
  try {
    const store = await EtcdStore.open({ endpoints: [own.endpoint] });
    try {
      const abort = new AbortController();
      const events = store.watch('/', (await store.currentRevision()) + 1, abort.signal)[Symbol.asyncIterator]();
      await store.create('/a', new Uint8Array([1]));
      assert.equal((await events.next()).value?.length, 1);
      await own.stop();
      await assert.rejects(events.next(), (err) => isStorageError(err, 'Unavailable'));
      abort.abort();
    } finally {
      await store.close();
    }
  } finally {
    await own.stop();
  }
});
