import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore } from '../../storage/index.ts';
import { WatchCache } from '../watchcache/watch-cache.ts';
import { createLogger } from '../../base/log.ts';
import { AllocationRepair } from './allocation-repair.ts';
import { SERVICE_IP_PREFIX, NODE_PORT_PREFIX } from './service-allocator.ts';

const enc = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));

test('a claim no service holds is released on the second pass; a service value without a claim gets one', async () => {
  const store = await openStore({ kind: 'sqlite', dataDir: ':memory:', autoCompact: false });
  const abort = new AbortController();
  try {
    const cache = new WatchCache(store, createLogger({ component: 'test' }));
    await cache.start(abort.signal);
    await store.create(`${SERVICE_IP_PREFIX}10.96.0.9`, enc({ kind: 'ServiceAllocation', owner: { namespace: 'default', name: 'gone', uid: 'u-gone' } }));
    await store.create('/registry/core/services/default/web', enc({
      metadata: { namespace: 'default', name: 'web', uid: 'u-web' },
      spec: { type: 'NodePort', clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20'], ports: [{ port: 80, nodePort: 30080 }] },
    }));
    const repair = new AllocationRepair(store, cache, createLogger({ component: 'test' }));
    const first = await repair.repairOnce();
    assert.deepEqual(first, { released: 0, claimed: 2 }, 'a claim seen once without owner may be a create under way');
    assert.ok(await store.get(`${SERVICE_IP_PREFIX}10.96.0.9`));
    assert.ok(await store.get(`${SERVICE_IP_PREFIX}10.96.0.20`));
    assert.ok(await store.get(`${NODE_PORT_PREFIX}30080`));
    await cache.waitFresh();
    const second = await repair.repairOnce();
    assert.deepEqual(second, { released: 1, claimed: 0 });
    assert.equal(await store.get(`${SERVICE_IP_PREFIX}10.96.0.9`), undefined);
    assert.ok(await store.get(`${SERVICE_IP_PREFIX}10.96.0.20`), 'the held claim stays');
  } finally {
    abort.abort();
    await store.close();
  }
});
