import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster, until } from '../../server/test-cluster.ts';
import { ControllerManager } from '../engine/manager.ts';
import { createLogger } from '../../base/log.ts';
import type { ApiClient } from '../../client/api-client.ts';
import { newRootCACertPublisher, newServiceAccountsController, ROOT_CA_DESCRIPTION } from './index.ts';

const NAMESPACES = { group: '', version: 'v1', plural: 'namespaces', namespaced: false };
const SERVICE_ACCOUNTS = { group: '', version: 'v1', plural: 'serviceaccounts', namespaced: true };
const CONFIG_MAPS = { group: '', version: 'v1', plural: 'configmaps', namespaced: true };


async function withCluster(fn: (client: ApiClient, caPem: string) => Promise<void>): Promise<void> {
  const cluster = await startTestCluster();
  const abort = new AbortController();
  try {
    const config = await cluster.config('system:kube-controller-manager');
    await new ControllerManager([
      { name: 'serviceaccount', workers: 1, create: newServiceAccountsController },
      { name: 'root-ca-cert-publisher', workers: 1, create: () => newRootCACertPublisher({ caPem: config.caPem }) },
    ], config, createLogger({ component: 'test' })).start(abort.signal);
    await fn(cluster.client, config.caPem);
  } finally {
    abort.abort();
    await cluster.stop();
  }
}

test('every namespace, new or old, gets a default ServiceAccount, re-created when deleted', async () => {
  await withCluster(async (client) => {
    await until('default/default', () => client.get(SERVICE_ACCOUNTS, 'default', 'default'));
    await until('kube-system/default', () => client.get(SERVICE_ACCOUNTS, 'kube-system', 'default'));
    await client.create(NAMESPACES, undefined, { metadata: { name: 'team-a' } });
    const sa = await until('team-a/default', () => client.get(SERVICE_ACCOUNTS, 'team-a', 'default'));
    await client.delete(SERVICE_ACCOUNTS, 'team-a', 'default');
    const again = await until('re-created', async () => { const s = await client.get(SERVICE_ACCOUNTS, 'team-a', 'default'); return s.metadata.uid !== sa.metadata.uid && s; });
    assert.equal(again.metadata.name, 'default');
  });
});

test('every namespace gets kube-root-ca.crt with the cluster CA, restored when changed or deleted', async () => {
  await withCluster(async (client, caPem) => {
    await client.create(NAMESPACES, undefined, { metadata: { name: 'team-b' } });
    const cm = await until('team-b/kube-root-ca.crt', () => client.get(CONFIG_MAPS, 'team-b', 'kube-root-ca.crt'));
    assert.deepEqual(cm.data, { 'ca.crt': caPem });
    assert.match(caPem, /^-----BEGIN CERTIFICATE-----/);
    assert.equal(cm.metadata.annotations['kubernetes.io/description'], ROOT_CA_DESCRIPTION);
    await client.patch(CONFIG_MAPS, 'team-b', 'kube-root-ca.crt', { data: { 'ca.crt': 'tampered', extra: 'x' } });
    await until('restored', async () => { const c = await client.get(CONFIG_MAPS, 'team-b', 'kube-root-ca.crt'); return c.data['ca.crt'] === caPem && !c.data.extra; });
    await client.delete(CONFIG_MAPS, 'team-b', 'kube-root-ca.crt');
    await until('re-created', async () => (await client.get(CONFIG_MAPS, 'team-b', 'kube-root-ca.crt')).data['ca.crt'] === caPem);
    await until('kube-public too', () => client.get(CONFIG_MAPS, 'kube-public', 'kube-root-ca.crt'));
  });
});
