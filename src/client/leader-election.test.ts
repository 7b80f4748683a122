import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster } from '../server/test-cluster.ts';
import { ApiClient } from './api-client.ts';
import { LeaderElector } from './leader-election.ts';
import { createLogger } from '../base/log.ts';

test('two candidates share one lease: one leads, the other takes over when it stops', async () => {
  const cluster = await startTestCluster();
  const log = createLogger({ component: 'test' });
  const a = new ApiClient(await cluster.config());
  const b = new ApiClient(await cluster.config());
  const opts = { namespace: 'kube-system', name: 'test-leader', leaseDurationMs: 1500, renewDeadlineMs: 1000, retryPeriodMs: 200 };
  const leaders: string[] = [];
  const stopA = new AbortController();
  const stopB = new AbortController();
  try {
    const ea = new LeaderElector(a, { ...opts, identity: 'a' }, log);
    const eb = new LeaderElector(b, { ...opts, identity: 'b' }, log);
    const runA = ea.run(stopA.signal, () => { leaders.push('a'); });
    await new Promise((r) => setTimeout(r, 500));
    const runB = eb.run(stopB.signal, () => { leaders.push('b'); });
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual(leaders, ['a'], 'only the first candidate leads');
    const lease = await cluster.client.get({ group: 'coordination.k8s.io', version: 'v1', plural: 'leases', namespaced: true }, 'kube-system', 'test-leader');
    assert.equal(lease.spec.holderIdentity, 'a');
    stopA.abort();
    await runA;
    const deadline = Date.now() + 5000;
    while (!leaders.includes('b')) {
      assert.ok(Date.now() < deadline, 'the second candidate takes over');
      await new Promise((r) => setTimeout(r, 100));
    }
    stopB.abort();
    await runB;
  } finally {
    stopA.abort(); stopB.abort();
    a.close(); b.close();
    await cluster.stop();
  }
});
