import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeKubernetesProtobuf } from './kubernetes-decode.ts';
import { findKubectl, startKubectlStub } from './testdata/kubectl-stub.ts';
import { sampleTypeNameFor, sampleTypes } from './testdata/sample-types.ts';

const kubectl133 = findKubectl('1.33');

test('decodes the protobuf body a live kubectl 1.33 sends for create configmap', { skip: !kubectl133 && 'kubectl.1.33 not installed' }, async () => {
  const stub = await startKubectlStub();
  try {
    await stub.run(kubectl133!, ['create', 'configmap', 'foo', '--from-literal=a=b']);
    const post = stub.requests.find((r) => r.method === 'POST');
    assert.ok(post, 'kubectl sent no POST');
    assert.equal(post.url, '/api/v1/namespaces/default/configmaps?fieldManager=kubectl-create&fieldValidation=Strict');
    assert.equal(post.headers['content-type'], 'application/vnd.kubernetes.protobuf');
    assert.deepEqual(decodeKubernetesProtobuf(post.body, sampleTypes, sampleTypeNameFor), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'foo' },
      data: { a: 'b' },
    });
  } finally {
    await stub.close();
  }
});
