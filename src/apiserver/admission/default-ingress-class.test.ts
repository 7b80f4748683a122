import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster, type TestCluster } from '../../server/test-cluster.ts';

const CLASSES = { group: 'networking.k8s.io', version: 'v1', plural: 'ingressclasses', namespaced: false };
const INGRESSES = { group: 'networking.k8s.io', version: 'v1', plural: 'ingresses', namespaced: true };
let cluster: TestCluster;
before(async () => { cluster = await startTestCluster(); });
after(async () => { await cluster.stop(); });

const ingress = (name: string, extra: Record<string, unknown> = {}) => ({
  metadata: { name, ...(extra.metadata ?? {}) },
  spec: { defaultBackend: { service: { name: 'web', port: { number: 80 } } }, ...(extra.spec ?? {}) },
});

test('an Ingress without a class gets the default IngressClass; an explicit class or the legacy annotation is kept', async () => {
  const { client } = cluster;
  const before = await client.create(INGRESSES, 'default', ingress('no-default-yet'));
  assert.equal(before.spec.ingressClassName, undefined, 'no default class, nothing set');
  await client.create(CLASSES, undefined, { metadata: { name: 'other' }, spec: { controller: 'example.com/other' } });
  await client.create(CLASSES, undefined, { metadata: { name: 'navarch', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } }, spec: { controller: 'navarch.io/ingress-controller' } });
  assert.equal((await client.create(INGRESSES, 'default', ingress('plain'))).spec.ingressClassName, 'navarch');
  assert.equal((await client.create(INGRESSES, 'default', ingress('explicit', { spec: { ingressClassName: 'other' } }))).spec.ingressClassName, 'other');
  const legacy = await client.create(INGRESSES, 'default', ingress('legacy', { metadata: { annotations: { 'kubernetes.io/ingress.class': 'other' } } }));
  assert.equal(legacy.spec.ingressClassName, undefined);
});
