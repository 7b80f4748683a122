import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildOpenApiV2 } from './openapi-v2.ts';
import { sampleDefs, sampleResources } from './testdata/sample-api.ts';

const info = { title: 'Kubernetes', version: 'v1.33.1' };
const doc = buildOpenApiV2(sampleDefs, sampleResources, info) as any;

test('publishes every definition with properties, required fields and its group/version/kind', () => {
  assert.equal(doc.swagger, '2.0');
  assert.deepEqual(doc.info, info);
  const pod = doc.definitions['io.k8s.api.core.v1.Pod'];
  assert.equal(pod.type, 'object');
  assert.equal(pod.description, 'A group of containers scheduled together on one node.');
  assert.deepEqual(pod['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Pod', version: 'v1' }]);
  assert.deepEqual(pod.properties.spec, { $ref: '#/definitions/io.k8s.api.core.v1.PodSpec', description: 'Desired state of the pod.' });
  assert.deepEqual(doc.definitions['io.k8s.api.core.v1.ContainerPort'].required, ['containerPort']);
});

test('renders scalars with upstream formats and named scalar definitions', () => {
  const every = doc.definitions['test.v1.Everything'].properties;
  assert.deepEqual(every.small, { type: 'integer', format: 'int32' });
  assert.deepEqual(every.big, { type: 'integer', format: 'int64' });
  assert.deepEqual(every.blob, { type: 'string', format: 'byte' });
  assert.deepEqual(every.ratio, { type: 'number', format: 'double' });
  assert.deepEqual(every.timeout, { type: 'string' });
  assert.deepEqual(every.port, { $ref: '#/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString' });
  assert.deepEqual(every.size, { $ref: '#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity' });
  assert.deepEqual(every.when, { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Time' });
  assert.deepEqual(every.matrix, { type: 'array', items: { type: 'array', items: { type: 'string' } } });
  assert.equal(doc.definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].format, 'int-or-string');
  assert.equal(doc.definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].type, 'string');
  assert.equal(doc.definitions['io.k8s.apimachinery.pkg.api.resource.Quantity'].type, 'string');
  assert.equal(doc.definitions['io.k8s.apimachinery.pkg.apis.meta.v1.Time'].format, 'date-time');
});

test('carries patch strategies, merge keys, list and map types', () => {
  const containers = doc.definitions['io.k8s.api.core.v1.PodSpec'].properties.containers;
  assert.equal(containers['x-kubernetes-patch-strategy'], 'merge');
  assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
  assert.equal(containers['x-kubernetes-list-type'], 'map');
  assert.deepEqual(containers['x-kubernetes-list-map-keys'], ['name']);
  assert.deepEqual(containers.items, { $ref: '#/definitions/io.k8s.api.core.v1.Container' });
  assert.equal(doc.definitions['io.k8s.api.core.v1.PodSpec'].properties.nodeSelector['x-kubernetes-map-type'], 'atomic');
  assert.equal(doc.definitions['io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference']['x-kubernetes-map-type'], 'atomic');
  assert.deepEqual(doc.definitions['io.k8s.api.core.v1.PodStatus'].properties.phase.enum, ['Failed', 'Pending', 'Running', 'Succeeded', 'Unknown']);
});

test('serves every verb of a namespaced resource at the upstream paths and operation ids', () => {
  const ids = (path: string) => Object.fromEntries(Object.entries(doc.paths[path]).filter(([k]) => k !== 'parameters').map(([m, op]: [string, any]) => [m, `${op.operationId}:${op['x-kubernetes-action']}`]));
  assert.deepEqual(ids('/api/v1/namespaces/{namespace}/configmaps'), {
    get: 'listCoreV1NamespacedConfigMap:list',
    post: 'createCoreV1NamespacedConfigMap:post',
    delete: 'deleteCoreV1CollectionNamespacedConfigMap:deletecollection',
  });
  assert.deepEqual(ids('/api/v1/namespaces/{namespace}/configmaps/{name}'), {
    get: 'readCoreV1NamespacedConfigMap:get',
    put: 'replaceCoreV1NamespacedConfigMap:put',
    patch: 'patchCoreV1NamespacedConfigMap:patch',
    delete: 'deleteCoreV1NamespacedConfigMap:delete',
  });
  assert.deepEqual(ids('/api/v1/configmaps'), { get: 'listCoreV1ConfigMapForAllNamespaces:list' });
  assert.deepEqual(ids('/api/v1/watch/namespaces/{namespace}/configmaps'), { get: 'watchCoreV1NamespacedConfigMapList:watchlist' });
  assert.deepEqual(ids('/api/v1/watch/namespaces/{namespace}/configmaps/{name}'), { get: 'watchCoreV1NamespacedConfigMap:watch' });
  assert.deepEqual(ids('/api/v1/watch/configmaps'), { get: 'watchCoreV1ConfigMapListForAllNamespaces:watchlist' });
  assert.deepEqual(ids('/api/v1/namespaces/{name}'), { get: 'readCoreV1Namespace:get', put: 'replaceCoreV1Namespace:put', patch: 'patchCoreV1Namespace:patch', delete: 'deleteCoreV1Namespace:delete' });
  assert.equal(doc.paths['/api/v1/namespaces'].delete, undefined, 'namespaces have no deletecollection verb');
});

test('describes status, scale and object subresources but not streaming ones', () => {
  const status = doc.paths['/api/v1/namespaces/{namespace}/pods/{name}/status'];
  assert.equal(status.get.operationId, 'readCoreV1NamespacedPodStatus');
  assert.equal(status.patch.operationId, 'patchCoreV1NamespacedPodStatus');
  const scale = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'];
  assert.equal(scale.put.operationId, 'replaceAppsV1NamespacedDeploymentScale');
  assert.deepEqual(scale.get['x-kubernetes-group-version-kind'], { group: 'autoscaling', kind: 'Scale', version: 'v1' });
  assert.deepEqual(scale.get.responses['200'].schema, { $ref: '#/definitions/io.k8s.api.autoscaling.v1.Scale' });
  const eviction = doc.paths['/api/v1/namespaces/{namespace}/pods/{name}/eviction'];
  assert.equal(eviction.post.operationId, 'createCoreV1NamespacedPodEviction');
  assert.deepEqual(eviction.post['x-kubernetes-group-version-kind'], { group: 'policy', kind: 'Eviction', version: 'v1' });
  assert.equal(doc.paths['/api/v1/namespaces/{namespace}/pods/{name}/exec'], undefined);
  assert.equal(doc.paths['/api/v1/namespaces/{namespace}/pods/{name}/log'], undefined);
});

test('lists the write parameters and patch content types kubectl looks for', () => {
  const patch = doc.paths['/api/v1/namespaces/{namespace}/pods/{name}'].patch;
  assert.deepEqual(
    patch.parameters.map((p: any) => `${p.in}:${p.name}`),
    ['body:body', 'query:dryRun', 'query:fieldManager', 'query:fieldValidation', 'query:force'],
  );
  assert.deepEqual(patch.consumes, ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml']);
  assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: '', kind: 'Pod', version: 'v1' });
  const create = doc.paths['/api/v1/namespaces/{namespace}/pods'].post;
  assert.deepEqual(create.parameters.map((p: any) => p.name), ['body', 'dryRun', 'fieldManager', 'fieldValidation']);
  assert.deepEqual(create.consumes, ['*/*']);
  assert.deepEqual(Object.keys(create.responses), ['200', '201', '202', '401']);
  assert.deepEqual(doc.paths['/api/v1/namespaces/{namespace}/pods/{name}'].parameters.map((p: any) => `${p.in}:${p.name}`), ['path:namespace', 'path:name', 'query:pretty']);
  assert.ok(doc.paths['/api/v1/namespaces/{namespace}/pods'].get.produces.includes('application/json;stream=watch'));
});

test('gives custom resources a schema and no strategic merge patch', () => {
  const patch = doc.paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}'].patch;
  assert.deepEqual(patch.consumes, ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml']);
  assert.equal(patch.operationId, 'patchStableExampleComV1NamespacedCronTab');
  assert.deepEqual(patch.responses['200'].schema, { $ref: '#/definitions/com.example.stable.v1.CronTab' });
  const crontab = doc.definitions['com.example.stable.v1.CronTab'];
  assert.deepEqual(crontab['x-kubernetes-group-version-kind'], [{ group: 'stable.example.com', kind: 'CronTab', version: 'v1' }]);
  assert.ok(doc.definitions['com.example.stable.v1.CronTabList'].properties.items);
  assert.deepEqual(doc.paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs'].get.responses['200'].schema, {
    $ref: '#/definitions/com.example.stable.v1.CronTabList',
  });
});

test('leaves no dangling references', () => {
  const refs = JSON.stringify(doc).match(/"\$ref":"#\/definitions\/[^"]+"/g) ?? [];
  for (const r of new Set(refs)) assert.ok(doc.definitions[r.slice('"$ref":"#/definitions/'.length, -1)], r);
});

test('returns the cached document for equal content and rebuilds when content changes', () => {
  const again = buildOpenApiV2(structuredClone(sampleDefs), [...sampleResources], info);
  assert.equal(again, doc);
  const changed = buildOpenApiV2({ ...sampleDefs, 'io.k8s.api.core.v1.Pod': { ...sampleDefs['io.k8s.api.core.v1.Pod']!, description: 'Changed.' } }, sampleResources, info) as any;
  assert.notEqual(changed, doc);
  assert.equal(changed.definitions['io.k8s.api.core.v1.Pod'].description, 'Changed.');
});
