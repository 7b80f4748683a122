import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeKubernetesMessage, encodeKubernetesProtobuf } from './kubernetes-encode.ts';
import { decodeKubernetesMessage, decodeKubernetesProtobuf } from './kubernetes-decode.ts';
import { sampleTypeNameFor, sampleTypes } from './testdata/sample-types.ts';

test('encodes a ConfigMap with the envelope kubectl uses', () => {
  const body = encodeKubernetesProtobuf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'foo' }, data: { a: 'b' } }, sampleTypes, 'io.k8s.api.core.v1.ConfigMap');
  // magic, typeMeta {v1, ConfigMap}, raw {1: {1: foo}, 2: {1: a, 2: b}}, contentEncoding "", contentType "".
  assert.equal(Buffer.from(body).toString('hex'), '6b3873000a0f0a0276311209436f6e6669674d6170' + '120f' + '0a050a03666f6f' + '12060a0161120162' + '1a002200');
});

test('round-trips every scalar kind through protobuf', () => {
  const obj = {
    text: 'héllo',
    flag: true,
    small: -5,
    big: 9007199254740993n, // beyond 2^53: stays exact as a BigInt
    ratio: 0.25,
    blob: Buffer.from([0, 1, 255]).toString('base64'),
    size: '100m',
    port: 'http',
    when: '2024-01-02T03:04:05Z',
    whenMicro: '2024-01-02T03:04:05.123456Z',
    timeout: '1m30s',
    extra: { nested: [1, 'two', null] },
    counts: [1, 0, -1, 300],
    matrix: [['a', 'b'], [], ['c']],
    byName: { http: { containerPort: 80, protocol: 'TCP' }, dns: { containerPort: 53 } },
  };
  const bytes = encodeKubernetesMessage(obj, sampleTypes, 'test.v1.Everything');
  assert.deepEqual(decodeKubernetesMessage(bytes, sampleTypes, 'test.v1.Everything'), obj);
});

test('round-trips an int-or-string holding a number and a negative int64', () => {
  const obj = { port: 8080, big: -42 };
  const bytes = encodeKubernetesMessage(obj, sampleTypes, 'test.v1.Everything');
  assert.deepEqual(decodeKubernetesMessage(bytes, sampleTypes, 'test.v1.Everything'), obj);
});

test('reads packed repeated integers as well as unpacked ones', () => {
  // field 13 (counts), wire type 2, 3 bytes: varints 1, 2, 150 (96 01).
  const packed = Buffer.from('6a0401029601', 'hex');
  assert.deepEqual(decodeKubernetesMessage(packed, sampleTypes, 'test.v1.Everything'), { counts: [1, 2, 150] });
});

test('writes date-time as whole seconds and reads an empty time as absent', () => {
  const bytes = encodeKubernetesMessage({ when: '2024-01-02T03:04:05.999Z' }, sampleTypes, 'test.v1.Everything');
  assert.deepEqual(decodeKubernetesMessage(bytes, sampleTypes, 'test.v1.Everything'), { when: '2024-01-02T03:04:05Z' });
  assert.deepEqual(decodeKubernetesMessage(Buffer.from('4a00', 'hex'), sampleTypes, 'test.v1.Everything'), {});
});

test('round-trips a deployment through the full envelope', () => {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, creationTimestamp: '2024-05-06T07:08:09Z' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: { limits: { cpu: '500m', memory: '1Gi' } } }],
          terminationGracePeriodSeconds: 0,
        },
      },
    },
  };
  const body = encodeKubernetesProtobuf(deployment, sampleTypes, 'io.k8s.api.apps.v1.Deployment');
  assert.deepEqual(decodeKubernetesProtobuf(body, sampleTypes, sampleTypeNameFor), deployment);
});
