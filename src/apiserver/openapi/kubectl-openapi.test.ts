import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildOpenApiV2 } from './openapi-v2.ts';
import { buildOpenApiV3 } from './openapi-v3.ts';
import { encodeOpenApiV2Protobuf, OPENAPI_V2_PROTOBUF_CONTENT_TYPE } from './gnostic-v2.ts';
import { sampleDefs, sampleResources } from './testdata/sample-api.ts';
import { findKubectl, startKubectlStub, type KubectlStub } from '../protobuf/testdata/kubectl-stub.ts';

const kubectls = (['1.27', '1.33'] as const).map((v) => ({ version: v, path: findKubectl(v) }));
const v2 = encodeOpenApiV2Protobuf(buildOpenApiV2(sampleDefs, sampleResources, { title: 'Kubernetes', version: 'v1.33.1' }));
const v3 = buildOpenApiV3(sampleDefs, sampleResources);

// The object apply finds on the server: applied before with data a=1.
const existing = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name: 'cfg',
    namespace: 'default',
    resourceVersion: '1',
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg","namespace":"default"},"data":{"a":"1"}}\n' },
  },
  data: { a: '1' },
};

let stub: KubectlStub;
let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'navarch-openapi-'));
  stub = await startKubectlStub((req) => {
    const p = req.url.split('?')[0]!;
    if (p === '/openapi/v2') return { status: 200, contentType: OPENAPI_V2_PROTOBUF_CONTENT_TYPE, body: v2 };
    if (p === '/openapi/v3') return { status: 200, contentType: 'application/json', body: v3.serializedIndex().json };
    const doc = p.startsWith('/openapi/v3/') ? v3.serialized(p.slice('/openapi/v3/'.length)) : undefined;
    if (doc) return { status: 200, contentType: 'application/json', body: doc.json };
    if (req.method === 'GET' && p === '/api/v1/namespaces/default/configmaps/cfg') return { status: 200, contentType: 'application/json', body: JSON.stringify(existing) };
    return undefined;
  });
});
after(async () => {
  await stub?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

for (const { version, path: kubectl } of kubectls) {
  const skip = !kubectl && `kubectl.${version} not installed`;

  test(`kubectl ${version} explains a kind from the documents`, { skip }, async () => {
    const r = await stub.run(kubectl!, ['explain', 'configmaps']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /KIND:\s+ConfigMap/);
    assert.match(r.stdout, /Configuration data for pods to consume\./);
    assert.match(r.stdout, /data\s+<map\[string\]string>/);
  });

  test(`kubectl ${version} explains a nested field through references`, { skip }, async () => {
    const r = await stub.run(kubectl!, ['explain', 'pods.spec.containers']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /FIELD: containers <\[\]Container>/);
    assert.match(r.stdout, /name\s+<string> -required-/);
    assert.match(r.stdout, /ports\s+<\[\]ContainerPort>/);
  });

  test(`kubectl ${version} explains from the protobuf v2 document`, { skip }, async () => {
    const r = await stub.run(kubectl!, ['explain', 'pods.spec.containers', '--output=plaintext-openapiv2']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /RESOURCE: containers <\[\]Object>/);
    assert.match(r.stdout, /A container in a pod\./);
  });

  test(`kubectl ${version} apply finds fieldValidation and leaves validation to the server with a strategic merge patch`, { skip }, async () => {
    const manifest = path.join(dir, `cm-${version}.yaml`);
    // `bogus` is unknown: client-side validation (used when the probe fails) would reject it before any PATCH.
    await writeFile(manifest, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: "2"\nbogus: 1\n');
    const start = stub.requests.length;
    await stub.run(kubectl!, ['apply', '-f', manifest]);
    const patch = stub.requests.slice(start).find((r) => r.method === 'PATCH');
    assert.ok(patch, `no PATCH sent; requests: ${stub.requests.slice(start).map((r) => r.url).join(', ')}`);
    assert.equal(patch.url, '/api/v1/namespaces/default/configmaps/cfg?fieldManager=kubectl-client-side-apply&fieldValidation=Strict');
    assert.equal(patch.headers['content-type'], 'application/strategic-merge-patch+json');
    assert.equal(JSON.parse(patch.body.toString()).bogus, 1);
  });
}
