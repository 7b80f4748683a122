import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultStorageClass } from './default-storage-class.ts';
import type { ApiContext } from '../rest/context.ts';
import type { KubeObject, ResourceDescription } from '../../api/registry/resource.ts';

const PVC_DESC = { group: '', plural: 'persistentvolumeclaims' } as ResourceDescription;
const cls = (name: string, created: string, isDefault: boolean): KubeObject => ({
  metadata: { name, creationTimestamp: created, annotations: isDefault ? { 'storageclass.kubernetes.io/is-default-class': 'true' } : {} },
});
const ctxWith = (classes: KubeObject[]) => ({
  cache: { list: (prefix: string) => (prefix === '/registry/storage.k8s.io/storageclasses/' ? classes.map((obj) => ({ key: '', obj, rv: 1 })) : []) },
}) as unknown as ApiContext;

test('a claim without a class gets the newest default class; explicit classes, even empty, are kept', async () => {
  const ctx = ctxWith([cls('old', '2024-01-01T00:00:00Z', true), cls('new', '2024-06-01T00:00:00Z', true), cls('plain', '2025-01-01T00:00:00Z', false)]);
  const claim: KubeObject = { metadata: { name: 'c' }, spec: {} };
  await defaultStorageClass.admit('CREATE', PVC_DESC, claim, undefined, ctx, { dryRun: false });
  assert.equal(claim.spec.storageClassName, 'new');

  const empty: KubeObject = { metadata: { name: 'c' }, spec: { storageClassName: '' } };
  await defaultStorageClass.admit('CREATE', PVC_DESC, empty, undefined, ctx, { dryRun: false });
  assert.equal(empty.spec.storageClassName, '');

  const beta: KubeObject = { metadata: { name: 'c', annotations: { 'volume.beta.kubernetes.io/storage-class': 'x' } }, spec: {} };
  await defaultStorageClass.admit('CREATE', PVC_DESC, beta, undefined, ctx, { dryRun: false });
  assert.equal(beta.spec.storageClassName, undefined);

  const update: KubeObject = { metadata: { name: 'c' }, spec: {} };
  await defaultStorageClass.admit('UPDATE', PVC_DESC, update, update, ctx, { dryRun: false });
  assert.equal(update.spec.storageClassName, undefined, 'only creates are defaulted');
});

test('no default class leaves the claim without one', async () => {
  const claim: KubeObject = { metadata: { name: 'c' }, spec: {} };
  await defaultStorageClass.admit('CREATE', PVC_DESC, claim, undefined, ctxWith([cls('plain', '2025-01-01T00:00:00Z', false)]), { dryRun: false });
  assert.equal(claim.spec.storageClassName, undefined);
});
