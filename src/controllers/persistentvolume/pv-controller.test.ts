import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster, until } from '../../server/test-cluster.ts';
import { ControllerManager } from '../engine/manager.ts';
import { createLogger } from '../../base/log.ts';
import type { ApiClient, KubeObject } from '../../client/api-client.ts';
import { newPersistentVolumeController, PVS, PVCS } from './index.ts';

const EVENTS = { group: '', version: 'v1', plural: 'events', namespaced: true };
const CLASSES = { group: 'storage.k8s.io', version: 'v1', plural: 'storageclasses', namespaced: false };
const NS = 'default';


async function withCluster(fn: (client: ApiClient) => Promise<void>): Promise<void> {
  const cluster = await startTestCluster();
  const abort = new AbortController();
  try {
    const config = await cluster.config('system:kube-controller-manager');
    await new ControllerManager([{ name: 'persistentvolume-binder', workers: 1, create: newPersistentVolumeController }], config, createLogger({ component: 'test' })).start(abort.signal);
    await fn(cluster.client);
  } finally {
    abort.abort();
    await cluster.stop();
  }
}

const pv = (name: string, size: string, extra: KubeObject = {}): KubeObject => ({
  metadata: { name, ...(extra.metadata ?? {}) },
  spec: { capacity: { storage: size }, accessModes: ['ReadWriteOnce'], hostPath: { path: `/tmp/${name}` }, storageClassName: 'manual', persistentVolumeReclaimPolicy: 'Retain', ...(extra.spec ?? {}) },
});
const pvc = (name: string, size: string, spec: KubeObject = {}): KubeObject => ({
  metadata: { name },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } }, storageClassName: 'manual', ...spec },
});
const eventsFor = async (client: ApiClient, name: string) =>
  ((await client.list(EVENTS, NS)).items as KubeObject[]).filter((e) => e.involvedObject?.name === name);
const bound = (client: ApiClient, name: string) => until(`${name} bound`, async () => { const c = await client.get(PVCS, NS, name); return c.status?.phase === 'Bound' && c; });

test('a claim binds to the smallest matching volume of its class and access modes, and both become Bound', async () => {
  await withCluster(async (client) => {
    await client.create(PVS, undefined, pv('pv-1g', '1Gi'));
    await client.create(PVS, undefined, pv('pv-3g', '3Gi'));
    await client.create(PVS, undefined, pv('pv-5g', '5Gi'));
    await client.create(PVS, undefined, pv('pv-rwx', '2Gi', { spec: { accessModes: ['ReadWriteMany'] } }));
    await client.create(PVS, undefined, pv('pv-fast', '2Gi', { spec: { storageClassName: 'fast' } }));
    await until('volumes Available', async () => ((await client.list(PVS)).items as KubeObject[]).every((v) => v.status?.phase === 'Available'));

    const c = await client.create(PVCS, NS, pvc('data', '2Gi'));
    const claim = await bound(client, 'data');
    assert.equal(claim.spec.volumeName, 'pv-3g');
    assert.equal(claim.metadata.annotations['pv.kubernetes.io/bind-completed'], 'yes');
    assert.equal(claim.metadata.annotations['pv.kubernetes.io/bound-by-controller'], 'yes');
    assert.deepEqual(claim.status.capacity, { storage: '3Gi' });
    assert.deepEqual(claim.status.accessModes, ['ReadWriteOnce']);
    const vol = await until('pv Bound', async () => { const v = await client.get(PVS, undefined, 'pv-3g'); return v.status?.phase === 'Bound' && v; });
    assert.equal(vol.metadata.annotations['pv.kubernetes.io/bound-by-controller'], 'yes');
    assert.deepEqual({ ...vol.spec.claimRef, resourceVersion: undefined }, { kind: 'PersistentVolumeClaim', namespace: NS, name: 'data', uid: c.metadata.uid, apiVersion: 'v1', resourceVersion: undefined });

    // A selector narrows the choice to labelled volumes.
    await client.create(PVS, undefined, pv('pv-gold', '10Gi', { metadata: { labels: { tier: 'gold' } } }));
    await client.create(PVCS, NS, pvc('gold', '1Gi', { selector: { matchLabels: { tier: 'gold' } } }));
    assert.equal((await bound(client, 'gold')).spec.volumeName, 'pv-gold');

    // A claim naming its volume gets exactly that one; the user's choice carries no bound-by-controller mark.
    await client.create(PVCS, NS, pvc('named', '1Gi', { volumeName: 'pv-5g' }));
    const named = await bound(client, 'named');
    assert.equal(named.spec.volumeName, 'pv-5g');
    assert.equal(named.metadata.annotations['pv.kubernetes.io/bound-by-controller'], undefined);
  });
});

test('a claim with no matching volume and no class stays Pending and says why', async () => {
  await withCluster(async (client) => {
    await client.create(PVCS, NS, pvc('lonely', '1Gi', { storageClassName: '' }));
    await until('Pending', async () => (await client.get(PVCS, NS, 'lonely')).status?.phase === 'Pending');
    const ev = await until('FailedBinding', async () => (await eventsFor(client, 'lonely')).find((e) => e.reason === 'FailedBinding'));
    assert.equal(ev.message, 'no persistent volumes available for this claim and no storage class is set');
    assert.equal(ev.source.component, 'persistentvolume-controller');

    // A claim of an unknown class says so.
    await client.create(PVCS, NS, pvc('nosuch', '1Gi', { storageClassName: 'gone' }));
    const failed = await until('ProvisioningFailed', async () => (await eventsFor(client, 'nosuch')).find((e) => e.reason === 'ProvisioningFailed'));
    assert.equal(failed.message, 'storageclass.storage.k8s.io "gone" not found');
  });
});

test('deleting a claim releases its volume: Retain keeps it Released, Delete without a deleter fails it', async () => {
  await withCluster(async (client) => {
    await client.create(PVS, undefined, pv('keep', '1Gi'));
    await client.create(PVS, undefined, pv('drop', '1Gi', { spec: { storageClassName: 'other', persistentVolumeReclaimPolicy: 'Delete' } }));
    await client.create(PVCS, NS, pvc('a', '1Gi'));
    await client.create(PVCS, NS, pvc('b', '1Gi', { storageClassName: 'other' }));
    await bound(client, 'a');
    await bound(client, 'b');
    await client.delete(PVCS, NS, 'a');
    await client.delete(PVCS, NS, 'b');
    await until('keep Released', async () => (await client.get(PVS, undefined, 'keep')).status?.phase === 'Released');
    const drop = await until('drop Failed', async () => { const v = await client.get(PVS, undefined, 'drop'); return v.status?.phase === 'Failed' && v; });
    assert.equal(drop.status.message, 'error getting deleter volume plugin for volume "drop": no deletable volume plugin matched');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal((await client.get(PVS, undefined, 'keep')).status.phase, 'Released', 'Retain leaves the volume for an admin');

    // A volume whose bound claim vanished from under a Bound claim: the claim is Lost.
    await client.create(PVS, undefined, pv('lost', '1Gi', { spec: { storageClassName: 'l' } }));
    await client.create(PVCS, NS, pvc('c', '1Gi', { storageClassName: 'l' }));
    await bound(client, 'c');
    await client.delete(PVS, undefined, 'lost');
    await until('claim Lost', async () => (await client.get(PVCS, NS, 'c')).status?.phase === 'Lost');
    const lost = await until('ClaimLost event', async () => (await eventsFor(client, 'c')).find((e) => e.reason === 'ClaimLost'));
    assert.equal(lost.message, 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
  });
});

test('WaitForFirstConsumer claims wait for a node, then are handed to their external provisioner', async () => {
  await withCluster(async (client) => {
    await client.create(CLASSES, undefined, { metadata: { name: 'late' }, provisioner: 'example.com/ext', volumeBindingMode: 'WaitForFirstConsumer' });
    await client.create(PVCS, NS, pvc('later', '1Gi', { storageClassName: 'late' }));
    const wait = await until('WaitForFirstConsumer', async () => (await eventsFor(client, 'later')).find((e) => e.reason === 'WaitForFirstConsumer'));
    assert.equal(wait.message, 'waiting for first consumer to be created before binding');
    assert.equal((await client.get(PVCS, NS, 'later')).metadata.annotations?.['volume.kubernetes.io/storage-provisioner'], undefined);

    await client.patch(PVCS, NS, 'later', { metadata: { annotations: { 'volume.kubernetes.io/selected-node': 'node-1' } } });
    const claim = await until('provisioner named', async () => { const c = await client.get(PVCS, NS, 'later'); return c.metadata.annotations?.['volume.kubernetes.io/storage-provisioner'] && c; });
    assert.equal(claim.metadata.annotations['volume.beta.kubernetes.io/storage-provisioner'], 'example.com/ext');
    const ext = await until('ExternalProvisioning', async () => (await eventsFor(client, 'later')).find((e) => e.reason === 'ExternalProvisioning'));
    assert.match(ext.message, /^Waiting for a volume to be created either by the external provisioner 'example\.com\/ext' or manually by the system administrator\./);
  });
});
