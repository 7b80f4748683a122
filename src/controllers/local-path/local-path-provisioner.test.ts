import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestCluster, until } from '../../server/test-cluster.ts';
import { startFakeNode } from '../../server/fake-node.ts';
import { ControllerManager } from '../engine/manager.ts';
import { createLogger } from '../../base/log.ts';
import type { ApiClient, KubeObject } from '../../client/api-client.ts';
import { newLocalPathProvisioner, STORAGE_CLASSES } from './index.ts';

// The PV binder's part (naming the provisioner on the claim, binding, releasing) is done here by
// hand; src/server/local-path-storage.test.ts runs both controllers together.
const PVS = { group: '', version: 'v1', plural: 'persistentvolumes', namespaced: false };
const PVCS = { group: '', version: 'v1', plural: 'persistentvolumeclaims', namespaced: true };
const EVENTS = { group: '', version: 'v1', plural: 'events', namespaced: true };
const NS = 'default';


async function withCluster(fn: (client: ApiClient, baseDir: string) => Promise<void>): Promise<void> {
  const baseDir = mkdtempSync(join(tmpdir(), 'navarch-local-path-'));
  const cluster = await startTestCluster();
  const abort = new AbortController();
  let node: { stop(): void } | undefined;
  try {
    node = await startFakeNode(cluster.client);
    const config = await cluster.config('system:kube-controller-manager');
    await new ControllerManager([{ name: 'local-path-provisioner', workers: 2, create: () => newLocalPathProvisioner({ baseDir, localNode: 'test-node' }) }], config, createLogger({ component: 'test' })).start(abort.signal);
    await until('local-path class', () => cluster.client.get(STORAGE_CLASSES, undefined, 'local-path'));
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
const claim = (name: string, annotations: Record<string, string>, accessModes = ['ReadWriteOnce']): KubeObject => ({
  metadata: { name, annotations }, spec: { storageClassName: 'local-path', accessModes, resources: { requests: { storage: '1Gi' } } },
});
const HANDED = { 'volume.kubernetes.io/storage-provisioner': 'rancher.io/local-path' };

test('the local-path class is created as the default, WaitForFirstConsumer, Delete', async () => {
  await withCluster(async (client) => {
    const sc = await client.get(STORAGE_CLASSES, undefined, 'local-path');
    assert.equal(sc.metadata.annotations['storageclass.kubernetes.io/is-default-class'], 'true');
    assert.equal(sc.provisioner, 'rancher.io/local-path');
    assert.equal(sc.reclaimPolicy, 'Delete');
    assert.equal(sc.volumeBindingMode, 'WaitForFirstConsumer');
  });
});

test('a volume is provisioned only once the claim has a node, pre-bound to it; released, it is deleted with its directory', async () => {
  await withCluster(async (client, baseDir) => {
    const c = await client.create(PVCS, NS, claim('data', HANDED));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(((await client.list(PVS)).items as KubeObject[]).length, 0, 'no node chosen yet: nothing provisioned');

    await client.patch(PVCS, NS, 'data', { metadata: { annotations: { 'volume.kubernetes.io/selected-node': 'test-node' } } });
    const pvName = `pvc-${c.metadata.uid}`;
    const pv = await until('volume', () => client.get(PVS, undefined, pvName));
    const dir = join(baseDir, `${pvName}_${NS}_data`);
    assert.deepEqual(pv.spec.hostPath, { path: dir, type: 'DirectoryOrCreate' });
    assert.deepEqual(pv.spec.nodeAffinity.required.nodeSelectorTerms, [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['test-node'] }] }]);
    assert.deepEqual(pv.spec.capacity, { storage: '1Gi' });
    assert.deepEqual(pv.spec.accessModes, ['ReadWriteOnce']);
    assert.equal(pv.spec.claimRef.uid, c.metadata.uid);
    assert.equal(pv.metadata.annotations['pv.kubernetes.io/provisioned-by'], 'rancher.io/local-path');
    assert.equal(pv.metadata.annotations['local.path.provisioner/selected-node'], 'test-node');
    assert.ok(existsSync(dir));
    const ok = await until('ProvisioningSucceeded', async () => (await eventsFor(client, 'data')).find((e) => e.reason === 'ProvisioningSucceeded'));
    assert.equal(ok.message, `Successfully provisioned volume ${pvName}`);
    const started = (await eventsFor(client, 'data')).find((e) => e.reason === 'Provisioning')!;
    assert.equal(started.message, `External provisioner is provisioning volume for claim "${NS}/data"`);

    // What the binder does when the claim is gone.
    writeFileSync(join(dir, 'file'), 'x');
    await client.patch(PVS, undefined, pvName, { status: { phase: 'Released' } }, 'merge', 'status');
    await until('volume deleted', async () => client.get(PVS, undefined, pvName).then(() => false, () => true));
    assert.ok(!existsSync(dir));
  });
});

test('claims the provisioner cannot serve fail with upstream messages', async () => {
  await withCluster(async (client) => {
    await client.create(PVCS, NS, claim('shared', { ...HANDED, 'volume.kubernetes.io/selected-node': 'test-node' }, ['ReadWriteMany']));
    const ev = await until('ProvisioningFailed', async () => (await eventsFor(client, 'shared')).find((e) => e.reason === 'ProvisioningFailed'));
    assert.equal(ev.message, 'failed to provision volume with StorageClass "local-path": NodePath only supports ReadWriteOnce and ReadWriteOncePod (1.22+) access modes');
    await client.create(PVCS, NS, claim('nowhere', { ...HANDED, 'volume.kubernetes.io/selected-node': 'no-such-node' }));
    const ev2 = await until('node not found', async () => (await eventsFor(client, 'nowhere')).find((e) => e.reason === 'ProvisioningFailed'));
    assert.equal(ev2.message, 'failed to provision volume with StorageClass "local-path": failed to get target node: nodes "no-such-node" not found');
    assert.equal(((await client.list(PVS)).items as KubeObject[]).length, 0);
  });
});
