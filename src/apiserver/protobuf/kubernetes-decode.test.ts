import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeKubernetesProtobuf } from './kubernetes-decode.ts';
import { ProtoDecodeError } from './wire-reader.ts';
import { sampleTypeNameFor, sampleTypes } from './testdata/sample-types.ts';

// Request bodies recorded from kubectl v1.33.1 (a loopback stub logged each POST).
const captured = {
  createConfigMap: '6b3873000a0f0a0276311209436f6e6669674d6170121d0a130a03666f6f12001a0022002a0032003800420012060a01611201621a002200',
  createNamespace: '6b3873000a0f0a02763112094e616d657370616365121b0a130a036e733112001a0022002a0032003800420012001a020a001a002200',
  createDeploymentZeroReplicas:
    '6b3873000a150a07617070732f7631120a4465706c6f796d656e7412b8010a1f0a0377656212001a0022002a003200380042005a0a0a0361707012037765621286010800120c0a0a0a0361707012037765621a6c0a1c0a0012001a0022002a003200380042005a0a0a036170701203776562124c122e0a056e67696e7812056e67696e782a00320a0a001000185022002a0042006a007200800100880100900100a201001a00320042004a0052005800600068008201008a01009a0100c2010022020a00280038001a0c0800100018002000280038001a002200',
  createSecret: '6b3873000a0c0a0276311206536563726574121d0a110a017312001a0022002a0032003800420012060a016b1201761a001a002200',
  createServiceClusterIP:
    '6b3873000a0d0a02763112075365727669636512690a1f0a0373766312001a0022002a003200380042005a0a0a03617070120373766312420a1b0a0738302d38303830120354435018502207080010903f1a002800120a0a0361707012037376631a002209436c757374657249503a00420052005a00600068001a020a001a002200',
  createJob:
    '6b3873000a0f0a0862617463682f763112034a6f621282010a110a016a12001a0022002a00320038004200126332610a100a0012001a0022002a00320038004200124d122a0a016a120762757379626f781a046563686f1a0268692a0042006a007200800100880100900100a201001a054e65766572320042004a0052005800600068008201008a01009a0100c201001a082000280030003a001a002200',
  authCanI:
    '6b3873000a320a17617574686f72697a6174696f6e2e6b38732e696f2f7631121753656c665375626a656374416363657373526576696577123f0a100a0012001a0022002a0032003800420012210a1f0a0764656661756c7412066372656174651a0022002a04706f647332003a001a08080012001a0020001a002200',
  createToken:
    '6b3873000a280a1861757468656e7469636174696f6e2e6b38732e696f2f7631120c546f6b656e52657175657374121d0a100a0012001a0022002a00320038004200120320901c1a040a0012001a002200',
  authWhoami:
    '6b3873000a2d0a1861757468656e7469636174696f6e2e6b38732e696f2f7631121153656c665375626a656374526576696577121a0a100a0012001a0022002a0032003800420012060a040a0012001a002200',
};

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
