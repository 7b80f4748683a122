// Dynamic local storage end to end: the PV binder and the local-path provisioner together, as
// the controller manager runs them (the registry wiring aside).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestCluster, until } from './test-cluster.ts';
import { startFakeNode } from './fake-node.ts';
import { ControllerManager } from '../controllers/engine/manager.ts';
import { createLogger } from '../base/log.ts';
import type { ApiClient, KubeObject } from '../client/api-client.ts';
import { newPersistentVolumeController } from '../controllers/persistentvolume/index.ts';
import { newLocalPathProvisioner, STORAGE_CLASSES } from '../controllers/local-path/index.ts';

const PVS = { group: '', version: 'v1', plural: 'persistentvolumes', namespaced: false };
const PVCS = { group: '', version: 'v1', plural: 'persistentvolumeclaims', namespaced: true };
const EVENTS = { group: '', version: 'v1', plural: 'events', namespaced: true };
const NS = 'default';


/** The PV binder and this provisioner (volumes under a temp dir, this machine being test-node). */
async function withCluster(fn: (client: ApiClient, baseDir: string) => Promise<void>): Promise<void> {
  const baseDir = mkdtempSync(join(tmpdir(), 'navarch-local-path-'));
  const cluster = await startTestCluster();
  const abort = new AbortController();
  let node: { stop(): void } | undefined;
  try {
    node = await startFakeNode(cluster.client);
    const config = await cluster.config('system:kube-controller-manager');
    await new ControllerManager([
      { name: 'persistentvolume-binder', workers: 1, create: newPersistentVolumeController },
      { name: 'local-path-provisioner', workers: 2, create: () => newLocalPathProvisioner({ baseDir, localNode: 'test-node' }) },
    ], config, createLogger({ component: 'test' })).start(abort.signal);
    await fn(cluster.client, baseDir);
  } finally {
    node?.stop();
    abort.abort();
    await cluster.stop();
    rmSync(baseDir, { recursive: true, force: true });
  }
}

const eventsFor = async (client: ApiClient, name: string) =>
  ((await client.list(EVENTS, NS)).items as KubeObject[]).filter((e) => e.involvedObject?.name === name);

test('a claim of the default class gets a volume on its selected node, bound; deleting the claim deletes volume and directory', async () => {
  await withCluster(async (client, baseDir) => {
    await until('local-path class', () => client.get(STORAGE_CLASSES, undefined, 'local-path'));
    // No class named: the default is assigned (by admission when registered, else retroactively by the binder).
    const created = await client.create(PVCS, NS, { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } } } });
    await until('class assigned', async () => (await client.get(PVCS, NS, 'data')).spec.storageClassName === 'local-path');
    await until('WaitForFirstConsumer', async () => (await eventsFor(client, 'data')).some((e) => e.reason === 'WaitForFirstConsumer'));
    assert.equal(((await client.list(PVS)).items as KubeObject[]).length, 0, 'nothing provisioned before a node is chosen');

    // What the scheduler does once a pod using the claim is placed.
    await client.patch(PVCS, NS, 'data', { metadata: { annotations: { 'volume.kubernetes.io/selected-node': 'test-node' } } });
    const claim = await until('claim Bound', async () => { const c = await client.get(PVCS, NS, 'data'); return c.status?.phase === 'Bound' && c; });
    const pvName = `pvc-${created.metadata.uid}`;
    assert.equal(claim.spec.volumeName, pvName);
    assert.equal(claim.metadata.annotations['volume.kubernetes.io/storage-provisioner'], 'rancher.io/local-path');
    assert.deepEqual(claim.status.capacity, { storage: '2Gi' });
    const pv = await until('pv Bound', async () => { const v = await client.get(PVS, undefined, pvName); return v.status?.phase === 'Bound' && v; });
    const dir = join(baseDir, `${pvName}_${NS}_data`);
    assert.deepEqual(pv.spec.hostPath, { path: dir, type: 'DirectoryOrCreate' });
    assert.deepEqual(pv.spec.nodeAffinity, { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['test-node'] }] }] } });
    assert.equal(pv.spec.persistentVolumeReclaimPolicy, 'Delete');
    assert.equal(pv.spec.storageClassName, 'local-path');
    assert.equal(pv.metadata.annotations['pv.kubernetes.io/provisioned-by'], 'rancher.io/local-path');
    assert.equal(pv.spec.claimRef.uid, created.metadata.uid);
    assert.ok(existsSync(dir), 'the directory is made on this node');
    const reasons = (await eventsFor(client, 'data')).map((e) => e.reason);
    for (const r of ['WaitForFirstConsumer', 'ExternalProvisioning', 'Provisioning', 'ProvisioningSucceeded']) assert.ok(reasons.includes(r), `${r} event`);
    const ok = (await eventsFor(client, 'data')).find((e) => e.reason === 'ProvisioningSucceeded')!;
    assert.equal(ok.message, `Successfully provisioned volume ${pvName}`);
    assert.match(ok.source.component, /^rancher\.io\/local-path_/);

    writeFileSync(join(dir, 'file'), 'data');
    await client.delete(PVCS, NS, 'data');
    await until('pv deleted', async () => client.get(PVS, undefined, pvName).then(() => false, () => true));
    assert.ok(!existsSync(dir), 'the directory is removed with the volume');
  });
});
