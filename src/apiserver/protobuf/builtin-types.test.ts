// Decoding and encoding against the full built-in schema model (src/api/schema), with its
// inline-embedded structs, rather than the trimmed test types.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinTypes } from '../../api/schema/index.ts';
import { coreV1ProtoEmbeds } from '../../api/schema/core-v1/index.ts';
import { schemaPackage } from '../../api/registry/define.ts';
import { decodeKubernetesProtobuf } from './kubernetes-decode.ts';
import { encodeKubernetesProtobuf } from './kubernetes-encode.ts';
import { captured } from './testdata/captured-bodies.ts';

const typeNameFor = (apiVersion: string, kind: string) => {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return `${schemaPackage(group!, version!)}.${kind}`;
};
const options = { embeds: coreV1ProtoEmbeds };
const decode = (hex: string) => decodeKubernetesProtobuf(Buffer.from(hex, 'hex'), builtinTypes, typeNameFor, options) as any;

test('decodes kubectl create deployment with the built-in types', () => {
  const d = decode(captured.createDeploymentZeroReplicas);
  assert.equal(d.spec.replicas, 0);
  assert.deepEqual(d.spec.template.spec.containers, [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }], resources: {} }]);
});

test('decodes kubectl create service, job, can-i and token with the built-in types', () => {
  assert.equal(decode(captured.createServiceClusterIP).spec.ports[0].targetPort, 8080);
  assert.deepEqual(decode(captured.createJob).spec.template.spec.containers[0].command, ['echo', 'hi']);
  assert.deepEqual(decode(captured.authCanI).spec.resourceAttributes, { namespace: 'default', verb: 'create', resource: 'pods' });
  assert.equal(decode(captured.createToken).spec.expirationSeconds, 3600);
});

test('round-trips a pod whose volumes, probes and key selectors embed structs inline', () => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default' },
    spec: {
      volumes: [
        { name: 'config', configMap: { name: 'cm', defaultMode: 420 } },
        { name: 'scratch', emptyDir: { sizeLimit: '1Gi' } },
      ],
      containers: [
        {
          name: 'app',
          image: 'nginx',
          env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k', optional: false } } }],
          livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 },
        },
      ],
    },
  };
  const body = encodeKubernetesProtobuf(pod, builtinTypes, 'io.k8s.api.core.v1.Pod', options);
  assert.deepEqual(decodeKubernetesProtobuf(body, builtinTypes, typeNameFor, options), pod);
});
