import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeKubernetesProtobuf } from './kubernetes-decode.ts';
import { ProtoDecodeError } from './wire-reader.ts';
import { sampleTypeNameFor, sampleTypes } from './testdata/sample-types.ts';
import { captured } from './testdata/captured-bodies.ts';


const decode = (hex: string) => decodeKubernetesProtobuf(Buffer.from(hex, 'hex'), sampleTypes, sampleTypeNameFor);

test('decodes kubectl create configmap to the JSON kubectl would have sent', () => {
  assert.deepEqual(decode(captured.createConfigMap), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'foo' }, data: { a: 'b' } });
});

test('decodes kubectl create namespace, keeping the empty spec and status messages', () => {
  assert.deepEqual(decode(captured.createNamespace), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns1' }, spec: {}, status: {} });
});

test('decodes kubectl create secret with data as base64', () => {
  assert.deepEqual(decode(captured.createSecret), { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { k: Buffer.from('v').toString('base64') } });
});

test('keeps an explicit zero in a pointer field (replicas: 0) and drops unset non-pointer zeros', () => {
  const d = decode(captured.createDeploymentZeroReplicas);
  assert.deepEqual(d, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }], resources: {} }] },
      },
      strategy: {},
    },
  });
});

test('decodes an int-or-string target port as a number', () => {
  const d = decode(captured.createServiceClusterIP) as any;
  assert.deepEqual(d.spec, { ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }], selector: { app: 'svc' }, type: 'ClusterIP' });
});

test('decodes kubectl create job with its command', () => {
  const d = decode(captured.createJob) as any;
  assert.deepEqual(d.spec.template.spec, {
    containers: [{ name: 'j', image: 'busybox', command: ['echo', 'hi'], resources: {} }],
    restartPolicy: 'Never',
  });
  assert.deepEqual(d.metadata, { name: 'j' });
});

test('decodes auth can-i into a SelfSubjectAccessReview', () => {
  const d = decode(captured.authCanI);
  assert.deepEqual(d, {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    metadata: {},
    spec: { resourceAttributes: { namespace: 'default', verb: 'create', resource: 'pods' } },
    status: {},
  });
});

test('decodes create token with a 64-bit expiration', () => {
  const d = decode(captured.createToken) as any;
  assert.equal(d.kind, 'TokenRequest');
  assert.deepEqual(d.spec, { expirationSeconds: 3600 });
});

test('decodes auth whoami into a SelfSubjectReview', () => {
  const d = decode(captured.authWhoami);
  assert.deepEqual(d, { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', metadata: {}, status: { userInfo: {} } });
});

test('rejects a body without the k8s magic', () => {
  assert.throws(() => decode('7b7d'), (e: unknown) => e instanceof ProtoDecodeError && /expected prefix \[107 56 115 0\]/.test(e.message));
});

test('rejects a kind the caller cannot map to a type', () => {
  const body = captured.createConfigMap.replace('436f6e6669674d6170', '436f6e6669674d6171'); // ConfigMaq
  assert.throws(() => decode(body), /no kind "ConfigMaq" is registered for version "v1"/);
});

test('rejects a truncated body', () => {
  assert.throws(() => decode(captured.createConfigMap.slice(0, -20)), ProtoDecodeError);
});

test('skips field numbers the schema does not know', () => {
  // ConfigMap raw: metadata {name: foo}, an unknown field 99 holding varint 7 (tag 98 06), data {a: b}.
  const raw = Buffer.from('0a050a03666f6f' + '980607' + '12060a0161120162', 'hex');
  const env = Buffer.concat([Buffer.from('6b3873000a0f0a0276311209436f6e6669674d617012', 'hex'), Buffer.from([raw.length]), raw]);
  assert.deepEqual(decodeKubernetesProtobuf(env, sampleTypes, sampleTypeNameFor), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'foo' }, data: { a: 'b' } });
});
