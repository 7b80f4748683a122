import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { buildOpenApiV3 } from './openapi-v3.ts';
import { sampleDefs, sampleResources } from './testdata/sample-api.ts';

const v3 = buildOpenApiV3(sampleDefs, sampleResources);

test('indexes one document per group/version with the SHA-512 of its bytes in the URL', () => {
  const index = v3.index() as any;
  assert.deepEqual(Object.keys(index.paths), ['api/v1', 'apis/apps/v1', 'apis/stable.example.com/v1']);
  const served = v3.serialized('apis/apps/v1')!;
  const expected = createHash('sha512').update(served.json).digest('hex').toUpperCase();
  assert.equal(served.hash, expected);
  assert.match(served.hash, /^[0-9A-F]{128}$/);
  assert.equal(index.paths['apis/apps/v1'].serverRelativeURL, `/openapi/v3/apis/apps/v1?hash=${expected}`);
  assert.deepEqual(JSON.parse(served.json), v3.document('apis/apps/v1'));
  assert.equal(v3.serializedIndex().json, JSON.stringify(index));
});

test('answers undefined for a group/version it does not serve', () => {
  assert.equal(v3.document('apis/batch/v1'), undefined);
  assert.equal(v3.serialized('apis/batch/v1'), undefined);
});

test('holds only the schemas its paths reach, with component references', () => {
  const apps = v3.document('apis/apps/v1') as any;
  assert.equal(apps.openapi, '3.0.0');
  const names = Object.keys(apps.components.schemas);
  assert.ok(names.includes('io.k8s.api.apps.v1.Deployment'));
  assert.ok(names.includes('io.k8s.api.core.v1.Container'), 'reached through the pod template');
  assert.ok(names.includes('io.k8s.api.autoscaling.v1.Scale'), 'reached through /scale');
  assert.ok(!names.includes('io.k8s.api.core.v1.ConfigMap'));
  assert.ok(!names.includes('io.k8s.api.core.v1.Pod'));
  const refs = JSON.stringify(apps).match(/"\$ref":"[^"]+"/g) ?? [];
  for (const r of new Set(refs)) {
    assert.match(r, /^"\$ref":"#\/components\/schemas\//);
    assert.ok(apps.components.schemas[r.slice('"$ref":"#/components/schemas/'.length, -1)], r);
  }
});

test('tags kinds for explain and wraps described references in allOf', () => {
  const core = v3.document('api/v1') as any;
  const pod = core.components.schemas['io.k8s.api.core.v1.Pod'];
  assert.deepEqual(pod['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Pod', version: 'v1' }]);
  assert.equal(pod.description, 'A group of containers scheduled together on one node.');
  assert.deepEqual(pod.properties.spec, { allOf: [{ $ref: '#/components/schemas/io.k8s.api.core.v1.PodSpec' }], description: 'Desired state of the pod.' });
  const containers = core.components.schemas['io.k8s.api.core.v1.PodSpec'].properties.containers;
  assert.deepEqual(containers.items, { $ref: '#/components/schemas/io.k8s.api.core.v1.Container' });
});

test('puts fieldValidation on every PATCH operation, tagged with its kind', () => {
  for (const gv of v3.groupVersionPaths()) {
    const doc = v3.document(gv) as any;
    let patches = 0;
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      if (!item.patch) continue;
      patches++;
      assert.ok(item.patch.parameters.some((p: any) => p.name === 'fieldValidation' && p.in === 'query'), path);
      assert.ok(item.patch['x-kubernetes-group-version-kind'].kind, path);
    }
    assert.ok(patches > 0, gv);
  }
});

test('offers strategic merge patch only for built-in types', () => {
  const core = v3.document('api/v1') as any;
  const podPatch = core.paths['/api/v1/namespaces/{namespace}/pods/{name}'].patch;
  assert.deepEqual(Object.keys(podPatch.requestBody.content), [
    'application/json-patch+json',
    'application/merge-patch+json',
    'application/strategic-merge-patch+json',
    'application/apply-patch+yaml',
  ]);
  assert.deepEqual(podPatch.requestBody.content['application/apply-patch+yaml'].schema, { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Patch' });
  const cr = v3.document('apis/stable.example.com/v1') as any;
  const crPatch = cr.paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}'].patch;
  assert.ok(!('application/strategic-merge-patch+json' in crPatch.requestBody.content));
  assert.ok('com.example.stable.v1.CronTab' in cr.components.schemas);
});

test('describes request bodies, responses and parameters in OpenAPI 3 form', () => {
  const core = v3.document('api/v1') as any;
  const create = core.paths['/api/v1/namespaces/{namespace}/configmaps'].post;
  assert.deepEqual(create.requestBody, { content: { '*/*': { schema: { $ref: '#/components/schemas/io.k8s.api.core.v1.ConfigMap' } } }, required: true });
  assert.deepEqual(Object.keys(create.responses['201'].content), ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf']);
  assert.deepEqual(create.parameters.find((p: any) => p.name === 'dryRun').schema, { type: 'string', uniqueItems: true });
  const item = core.paths['/api/v1/namespaces/{namespace}/configmaps/{name}'];
  assert.deepEqual(item.parameters[0], { name: 'namespace', in: 'path', description: 'The namespace of the objects.', required: true, schema: { type: 'string', uniqueItems: true } });
  assert.equal(item.delete.requestBody.required, undefined);
});
