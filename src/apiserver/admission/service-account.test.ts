import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster, until, type TestCluster } from '../../server/test-cluster.ts';
import { StatusError } from '../../api/status.ts';
import type { ApiContext } from '../rest/context.ts';
import type { KubeObject, ResourceDescription } from '../../api/registry/resource.ts';
import { newServiceAccountAdmission, tokenVolumeSource } from './service-account.ts';

const PODS = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const SAS = { group: '', version: 'v1', plural: 'serviceaccounts', namespaced: true };
const NAMESPACES = { group: '', version: 'v1', plural: 'namespaces', namespaced: false };
const MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

let cluster: TestCluster;
before(async () => {
  cluster = await startTestCluster({ controllers: ['serviceaccount'] });
  await until('default/default', () => cluster.client.get(SAS, 'default', 'default'));
});
after(() => cluster?.stop());

async function rejection(p: Promise<unknown>): Promise<StatusError> {
  try { await p; } catch (e) { if (e instanceof StatusError) return e; throw e; }
  assert.fail('expected the pod to be refused');
}

const pod = (name: string, spec: KubeObject = {}) => ({ metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } });

test('a new pod runs as the default account with the kube-api-access volume mounted in every container, exactly as upstream', async () => {
  const created = await cluster.client.create(PODS, 'default', pod('plain', {
    initContainers: [{ name: 'init', image: 'busybox' }],
    containers: [{ name: 'a', image: 'busybox', volumeMounts: [{ name: 'data', mountPath: '/data' }] }, { name: 'b', image: 'busybox' }],
    volumes: [{ name: 'data', emptyDir: {} }],
  }));
  const spec = created.spec;
  assert.equal(spec.serviceAccountName, 'default');
  assert.equal(spec.serviceAccount, 'default');
  assert.equal(spec.volumes.length, 2);
  const [data, access] = spec.volumes;
  assert.equal(data.name, 'data');
  assert.match(access.name, /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.deepEqual(access, {
    name: access.name,
    projected: {
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
      defaultMode: 420,
    },
  });
  const mount = { name: access.name, readOnly: true, mountPath: MOUNT_PATH };
  assert.deepEqual(spec.initContainers[0].volumeMounts, [mount]);
  assert.deepEqual(spec.containers[0].volumeMounts, [{ name: 'data', mountPath: '/data' }, mount]);
  assert.deepEqual(spec.containers[1].volumeMounts, [mount]);
  // Stored so: a read gives the same.
  assert.deepEqual((await cluster.client.get(PODS, 'default', 'plain')).spec.volumes, spec.volumes);
});

test('automountServiceAccountToken false on the pod or its account leaves the token out; the pod setting wins', async () => {
  await cluster.client.create(SAS, 'default', { metadata: { name: 'quiet' }, automountServiceAccountToken: false });
  const optedOut = await cluster.client.create(PODS, 'default', pod('opted-out', { automountServiceAccountToken: false }));
  assert.equal(optedOut.spec.volumes, undefined);
  assert.equal(optedOut.spec.containers[0].volumeMounts, undefined);
  const quiet = await cluster.client.create(PODS, 'default', pod('quiet', { serviceAccountName: 'quiet' }));
  assert.equal(quiet.spec.volumes, undefined);
  const loud = await cluster.client.create(PODS, 'default', pod('loud', { serviceAccountName: 'quiet', automountServiceAccountToken: true }));
  assert.equal(loud.spec.volumes.length, 1);
  assert.match(loud.spec.volumes[0].name, /^kube-api-access-/);
});

test('containers that mount something at the token path keep it, and an existing kube-api-access volume is reused', async () => {
  const own = await cluster.client.create(PODS, 'default', pod('own', {
    containers: [{ name: 'c', image: 'busybox', volumeMounts: [{ name: 'mine', mountPath: MOUNT_PATH }] }],
    volumes: [{ name: 'mine', emptyDir: {} }],
  }));
  assert.deepEqual(own.spec.volumes, [{ name: 'mine', emptyDir: {} }], 'no container needs the token volume');
  const reused = await cluster.client.create(PODS, 'default', pod('reused', {
    containers: [{ name: 'c', image: 'busybox' }],
    volumes: [{ name: 'kube-api-access-abcde', projected: tokenVolumeSource() }],
  }));
  assert.deepEqual(reused.spec.volumes.map((v: KubeObject) => v.name), ['kube-api-access-abcde']);
  assert.deepEqual(reused.spec.containers[0].volumeMounts, [{ name: 'kube-api-access-abcde', readOnly: true, mountPath: MOUNT_PATH }]);
});

test('a pod naming a missing account is forbidden with upstream\'s message; the deprecated serviceAccount field counts', async () => {
  const err = await rejection(cluster.client.create(PODS, 'default', pod('lost', { serviceAccountName: 'ghost' })));
  assert.equal(err.code, 403);
  assert.equal(err.reason, 'Forbidden');
  assert.equal(err.message, 'pods "lost" is forbidden: error looking up service account default/ghost: serviceaccount "ghost" not found');
  const old = await rejection(cluster.client.create(PODS, 'default', pod('old', { serviceAccount: 'ghost' })));
  assert.equal(old.message, 'pods "old" is forbidden: error looking up service account default/ghost: serviceaccount "ghost" not found');
});

test('a pod in a namespace just created waits for the controller to make its default account', async () => {
  await cluster.client.create(NAMESPACES, undefined, { metadata: { name: 'fresh' } });
  const created = await cluster.client.create(PODS, 'fresh', pod('first'));
  assert.equal(created.spec.serviceAccountName, 'default');
});

test('a pod without image pull secrets gets its account\'s', async () => {
  await cluster.client.create(SAS, 'default', { metadata: { name: 'puller' }, imagePullSecrets: [{ name: 'registry' }] });
  const inherits = await cluster.client.create(PODS, 'default', pod('inherits', { serviceAccountName: 'puller' }));
  assert.deepEqual(inherits.spec.imagePullSecrets, [{ name: 'registry' }]);
  const keeps = await cluster.client.create(PODS, 'default', pod('keeps', { serviceAccountName: 'puller', imagePullSecrets: [{ name: 'mine' }] }));
  assert.deepEqual(keeps.spec.imagePullSecrets, [{ name: 'mine' }]);
});

test('mirror pods may reference neither service accounts nor secrets, and are not changed', async () => {
  const mirror = (name: string, spec: KubeObject) => ({ metadata: { name, annotations: { 'kubernetes.io/config.mirror': 'x' } }, spec: { nodeName: 'n', containers: [{ name: 'c', image: 'busybox' }], ...spec } });
  const named = await rejection(cluster.client.create(PODS, 'default', mirror('m1', { serviceAccountName: 'default' })));
  assert.equal(named.message, 'pods "m1" is forbidden: a mirror pod may not reference service accounts');
  const secret = await rejection(cluster.client.create(PODS, 'default', mirror('m2', { volumes: [{ name: 's', secret: { secretName: 'x' } }] })));
  assert.equal(secret.message, 'pods "m2" is forbidden: a mirror pod may not reference secrets');
  const ok = await cluster.client.create(PODS, 'default', mirror('m3', {}));
  assert.equal(ok.spec.serviceAccountName, undefined);
  assert.equal(ok.spec.volumes, undefined);
});

const PODS_DESC = { group: '', plural: 'pods' } as ResourceDescription;

/** A context whose storage answers `found` from the given attempt on (0: never). */
function lookups(foundAt: number): { ctx: ApiContext; attempts: () => number } {
  let n = 0;
  const ctx = {
    cache: { get: () => undefined },
    store: { get: async () => (++n === foundAt ? { key: '', value: new TextEncoder().encode(JSON.stringify({ metadata: { name: 'default', uid: 'u' } })), modRevision: 1, createRevision: 1 } : undefined) },
  } as unknown as ApiContext;
  return { ctx, attempts: () => n };
}

test('the default account is looked up ten times before giving up; other accounts once', async () => {
  const admission = newServiceAccountAdmission({ retryIntervalMs: () => 1 });
  const late = lookups(4);
  const p: KubeObject = { metadata: { name: 'p', namespace: 'ns' }, spec: { containers: [{ name: 'c' }] } };
  await admission.admit('CREATE', PODS_DESC, p, undefined, late.ctx, { dryRun: false });
  assert.equal(late.attempts(), 4);
  assert.equal(p.spec.volumes.length, 1);
  const never = lookups(0);
  await assert.rejects(admission.admit('CREATE', PODS_DESC, { metadata: { name: 'p', namespace: 'ns' }, spec: {} }, undefined, never.ctx, { dryRun: false }),
    { message: 'pods "p" is forbidden: error looking up service account ns/default: serviceaccount "default" not found' });
  assert.equal(never.attempts(), 10);
  const named = lookups(0);
  await assert.rejects(admission.admit('CREATE', PODS_DESC, { metadata: { name: 'p', namespace: 'ns' }, spec: { serviceAccountName: 'x' } }, undefined, named.ctx, { dryRun: false }));
  assert.equal(named.attempts(), 1);
});

test('updates, subresources and other resources are left alone', async () => {
  const admission = newServiceAccountAdmission({ retryIntervalMs: () => 1 });
  const { ctx, attempts } = lookups(0);
  const p: KubeObject = { metadata: { name: 'p', namespace: 'ns' }, spec: {} };
  await admission.admit('UPDATE', PODS_DESC, p, p, ctx, { dryRun: false });
  await admission.admit('CREATE', PODS_DESC, p, undefined, ctx, { dryRun: false, subresource: 'status' });
  await admission.admit('CREATE', { group: 'apps', plural: 'deployments' } as ResourceDescription, p, undefined, ctx, { dryRun: false });
  assert.deepEqual(p.spec, {});
  assert.equal(attempts(), 0);
});
