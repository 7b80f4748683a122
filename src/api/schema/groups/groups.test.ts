import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Field, TypeDef, TypeRef } from '../model.ts';
import { groupTypeTables, groupTypes } from './index.ts';

const APPS = 'io.k8s.api.apps.v1';
const BATCH = 'io.k8s.api.batch.v1';
const APIEXT = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';

/** Definition-name prefix → the API group and version its kinds are served under. */
const groupOfPrefix: Record<string, { group: string; version: string }> = {
  'io.k8s.api.apps.v1': { group: 'apps', version: 'v1' },
  'io.k8s.api.batch.v1': { group: 'batch', version: 'v1' },
  'io.k8s.api.networking.v1': { group: 'networking.k8s.io', version: 'v1' },
  'io.k8s.api.autoscaling.v1': { group: 'autoscaling', version: 'v1' },
  'io.k8s.api.autoscaling.v2': { group: 'autoscaling', version: 'v2' },
  'io.k8s.api.policy.v1': { group: 'policy', version: 'v1' },
  'io.k8s.api.coordination.v1': { group: 'coordination.k8s.io', version: 'v1' },
  'io.k8s.api.discovery.v1': { group: 'discovery.k8s.io', version: 'v1' },
  'io.k8s.api.events.v1': { group: 'events.k8s.io', version: 'v1' },
  'io.k8s.api.rbac.v1': { group: 'rbac.authorization.k8s.io', version: 'v1' },
  'io.k8s.api.storage.v1': { group: 'storage.k8s.io', version: 'v1' },
  'io.k8s.api.scheduling.v1': { group: 'scheduling.k8s.io', version: 'v1' },
  'io.k8s.api.authorization.v1': { group: 'authorization.k8s.io', version: 'v1' },
  'io.k8s.api.authentication.v1': { group: 'authentication.k8s.io', version: 'v1' },
  [APIEXT]: { group: 'apiextensions.k8s.io', version: 'v1' },
};

const splitName = (name: string) => ({ prefix: name.slice(0, name.lastIndexOf('.')), short: name.slice(name.lastIndexOf('.') + 1) });
const isExternal = (name: string) => name.startsWith('io.k8s.api.core.v1.') || name.startsWith('io.k8s.apimachinery.');

function refsOf(type: TypeRef): string[] {
  if (typeof type === 'string') return [];
  if ('ref' in type) return [type.ref];
  if ('array' in type) return refsOf(type.array);
  return refsOf(type.map);
}
function itemRef(f: Field): string | undefined {
  return typeof f.type === 'object' && 'array' in f.type && typeof f.type.array === 'object' && 'ref' in f.type.array ? f.type.array.ref : undefined;
}
function* allFields(): Generator<[string, string, Field]> {
  for (const [name, def] of Object.entries(groupTypes)) for (const [fieldName, f] of Object.entries(def.fields)) yield [name, fieldName, f];
}
function def(name: string): TypeDef {
  const d = groupTypes[name];
  assert.ok(d, `${name} is defined`);
  return d;
}
function fieldOf(typeName: string, fieldName: string): Field {
  const f = def(typeName).fields[fieldName];
  assert.ok(f, `${typeName}.${fieldName} is defined`);
  return f;
}

test('no definition name is defined by two group tables', () => {
  const total = groupTypeTables.reduce((n, t) => n + Object.keys(t).length, 0);
  assert.equal(Object.keys(groupTypes).length, total);
});

test('every definition belongs to a known group/version and has a description', () => {
  for (const [name, d] of Object.entries(groupTypes)) {
    assert.ok(groupOfPrefix[splitName(name).prefix], `${name} has a known prefix`);
    assert.ok(d.description.length > 0, `${name} has a description`);
  }
  for (const [name, fieldName, f] of allFields()) assert.ok(f.description && f.description.length > 0, `${name}.${fieldName} has a description`);
});

test('every ref names a definition here or a core/meta definition', () => {
  for (const [name, fieldName, f] of allFields()) {
    for (const r of refsOf(f.type)) assert.ok(groupTypes[r] || isExternal(r), `${name}.${fieldName} refers to ${r}, which is not defined`);
  }
});

test('protobuf numbers are present on every serialized field and unique within a type', () => {
  // apiVersion/kind travel in the protobuf envelope; IngressRule.http is nested under field 2 in protobuf.
  const unnumbered = new Set(['apiVersion', 'kind']);
  const nested = new Set(['io.k8s.api.networking.v1.IngressRule.http']);
  for (const [name, d] of Object.entries(groupTypes)) {
    const seen = new Map<number, string>();
    for (const [fieldName, f] of Object.entries(d.fields)) {
      if (f.proto === undefined) {
        assert.ok(unnumbered.has(fieldName) || nested.has(`${name}.${fieldName}`), `${name}.${fieldName} has a protobuf number`);
        continue;
      }
      assert.ok(Number.isInteger(f.proto) && f.proto > 0, `${name}.${fieldName} number is a positive integer`);
      assert.ok(!seen.has(f.proto), `${name}: ${fieldName} and ${seen.get(f.proto)} share number ${f.proto}`);
      seen.set(f.proto, fieldName);
    }
  }
});

test('every top-level kind and list carries the group/version/kind its name implies', () => {
  let kinds = 0;
  for (const [name, d] of Object.entries(groupTypes)) {
    const { prefix, short } = splitName(name);
    // Object references also have apiVersion and kind; only kinds and lists have metadata beside them.
    const topLevel = 'apiVersion' in d.fields && 'kind' in d.fields && 'metadata' in d.fields;
    assert.equal(d.gvk !== undefined, topLevel, `${name}: gvk present exactly when it has apiVersion, kind and metadata`);
    if (!d.gvk) continue;
    kinds++;
    assert.deepEqual(d.gvk, [{ ...groupOfPrefix[prefix], kind: short }], `${name} gvk`);
    const items = d.fields['items'];
    if (short.endsWith('List') && items) {
      const item = itemRef(items);
      assert.equal(item, `${prefix}.${short.slice(0, -'List'.length)}`, `${name} lists its kind`);
      assert.ok(def(item!).gvk, `${name}: listed ${item} is a top-level kind`);
    } else {
      assert.equal(fieldOf(name, 'metadata').proto, 1, `${name}.metadata is field 1`);
    }
  }
  assert.ok(kinds > 60, `found ${kinds} kinds and lists`);
});

test('merge keys and list map keys name fields of the list items', () => {
  for (const [name, fieldName, f] of allFields()) {
    const where = `${name}.${fieldName}`;
    if (f.listMapKeys) assert.equal(f.listType, 'map', `${where}: map keys only on map lists`);
    if (f.listType === 'map') assert.ok(f.listMapKeys && f.listMapKeys.length > 0, `${where}: map list has keys`);
    if (f.patchMergeKey) assert.ok(f.patchStrategy?.includes('merge'), `${where}: merge key only with the merge strategy`);
    const item = itemRef(f);
    if (!item || isExternal(item)) continue;
    for (const key of [...(f.listMapKeys ?? []), ...(f.patchMergeKey ? [f.patchMergeKey] : [])]) {
      const keyField = def(item).fields[key];
      assert.ok(keyField, `${where}: key ${key} is a field of ${item}`);
      if (f.listType === 'map') assert.ok(keyField.required, `${where}: map key ${key} is required in ${item}`);
    }
  }
});

test('enums list distinct string values on string fields', () => {
  for (const [name, fieldName, f] of allFields()) {
    if (!f.enum) continue;
    const scalar = typeof f.type === 'object' && 'array' in f.type ? f.type.array : f.type;
    assert.equal(scalar, 'string', `${name}.${fieldName}: enum on a string`);
    assert.ok(f.enum.length > 0 && new Set(f.enum).size === f.enum.length, `${name}.${fieldName}: distinct values`);
  }
});

test('Deployment spec carries upstream numbers, required fields and the retainKeys strategy', () => {
  const spec = `${APPS}.DeploymentSpec`;
  const numbers = Object.fromEntries(Object.entries(def(spec).fields).map(([n, f]) => [n, f.proto]));
  assert.deepEqual(numbers, {
    replicas: 1, selector: 2, template: 3, strategy: 4, minReadySeconds: 5, revisionHistoryLimit: 6, paused: 7, progressDeadlineSeconds: 9,
  });
  assert.deepEqual(Object.entries(def(spec).fields).filter(([, f]) => f.required).map(([n]) => n), ['selector', 'template']);
  assert.deepEqual(fieldOf(spec, 'template').type, { ref: 'io.k8s.api.core.v1.PodTemplateSpec' });
  assert.equal(fieldOf(spec, 'strategy').patchStrategy, 'retainKeys');
  assert.deepEqual(fieldOf(`${APPS}.DeploymentStrategy`, 'type').enum, ['Recreate', 'RollingUpdate']);
  assert.equal(fieldOf(`${APPS}.RollingUpdateDeployment`, 'maxSurge').type, 'int-or-string');
  const conditions = fieldOf(`${APPS}.DeploymentStatus`, 'conditions');
  assert.equal(conditions.proto, 6);
  assert.equal(conditions.patchStrategy, 'merge');
  assert.equal(conditions.patchMergeKey, 'type');
  assert.equal(conditions.listType, 'map');
  assert.deepEqual(conditions.listMapKeys, ['type']);
});

test('Job conditions merge by type under strategic merge patch but are atomic for apply', () => {
  const conditions = fieldOf(`${BATCH}.JobStatus`, 'conditions');
  assert.equal(conditions.patchStrategy, 'merge');
  assert.equal(conditions.patchMergeKey, 'type');
  assert.equal(conditions.listType, 'atomic');
  assert.equal(conditions.listMapKeys, undefined);
  const spec = def(`${BATCH}.JobSpec`).fields;
  assert.equal(spec['template']?.proto, 6);
  assert.equal(spec['backoffLimit']?.proto, 7);
  assert.equal(spec['podReplacementPolicy']?.proto, 14);
  assert.equal(spec['successPolicy']?.proto, 16);
  assert.deepEqual(spec['completionMode']?.enum, ['Indexed', 'NonIndexed']);
  assert.deepEqual(fieldOf(`${BATCH}.CronJobSpec`, 'jobTemplate').type, { ref: `${BATCH}.JobTemplateSpec` });
  assert.equal(fieldOf(`${BATCH}.CronJobSpec`, 'timeZone').proto, 8);
  assert.deepEqual(def(`${BATCH}.JobList`).gvk, [{ group: 'batch', version: 'v1', kind: 'JobList' }]);
});

test('the review kinds kubectl sends as protobuf carry upstream numbers', () => {
  const attrs = def('io.k8s.api.authorization.v1.ResourceAttributes').fields;
  assert.deepEqual(
    ['namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name'].map((n) => attrs[n]?.proto),
    [1, 2, 3, 4, 5, 6, 7],
  );
  assert.equal(fieldOf('io.k8s.api.authorization.v1.SelfSubjectAccessReviewSpec', 'nonResourceAttributes').proto, 2);
  const status = def('io.k8s.api.authorization.v1.SubjectAccessReviewStatus').fields;
  assert.deepEqual([status['allowed']?.proto, status['reason']?.proto, status['evaluationError']?.proto, status['denied']?.proto], [1, 2, 3, 4]);
  assert.equal(status['allowed']?.required, true);
  assert.equal(fieldOf('io.k8s.api.authentication.v1.SelfSubjectReviewStatus', 'userInfo').proto, 1);
  const user = def('io.k8s.api.authentication.v1.UserInfo').fields;
  assert.deepEqual(user['extra']?.type, { map: { array: 'string' } });
  assert.equal(user['extra']?.proto, 4);
  const token = def('io.k8s.api.authentication.v1.TokenRequestSpec').fields;
  assert.deepEqual([token['audiences']?.proto, token['boundObjectRef']?.proto, token['expirationSeconds']?.proto], [1, 3, 4]);
  assert.equal(fieldOf('io.k8s.api.authentication.v1.TokenRequestStatus', 'expirationTimestamp').type, 'date-time');
});

test('Ingress paths and NetworkPolicy peers follow upstream shapes', () => {
  const path = def('io.k8s.api.networking.v1.HTTPIngressPath').fields;
  assert.deepEqual([path['path']?.proto, path['backend']?.proto, path['pathType']?.proto], [1, 2, 3]);
  assert.deepEqual(path['pathType']?.enum, ['Exact', 'ImplementationSpecific', 'Prefix']);
  assert.equal(path['pathType']?.required, true);
  assert.deepEqual(fieldOf('io.k8s.api.networking.v1.IngressRule', 'http').type, { ref: 'io.k8s.api.networking.v1.HTTPIngressRuleValue' });
  assert.equal(fieldOf('io.k8s.api.networking.v1.IngressRuleValue', 'http').proto, 1);
  assert.equal(fieldOf('io.k8s.api.networking.v1.NetworkPolicyPort', 'port').type, 'int-or-string');
  assert.deepEqual(fieldOf('io.k8s.api.networking.v1.NetworkPolicySpec', 'policyTypes').enum, ['Egress', 'Ingress']);
  assert.equal(def('io.k8s.api.networking.v1.ServiceBackendPort').structType, 'atomic');
});

test('RBAC, PodDisruptionBudget and EndpointSlice keep their patch and list markers', () => {
  assert.equal(fieldOf('io.k8s.api.rbac.v1.RoleBinding', 'roleRef').required, true);
  assert.deepEqual(fieldOf('io.k8s.api.rbac.v1.PolicyRule', 'verbs').listType, 'atomic');
  assert.equal(def('io.k8s.api.rbac.v1.RoleRef').structType, 'atomic');
  assert.equal(fieldOf('io.k8s.api.policy.v1.PodDisruptionBudgetSpec', 'selector').patchStrategy, 'replace');
  assert.deepEqual(fieldOf('io.k8s.api.policy.v1.PodDisruptionBudgetStatus', 'disruptedPods').type, { map: 'date-time' });
  assert.deepEqual(fieldOf('io.k8s.api.discovery.v1.EndpointSlice', 'addressType').enum, ['FQDN', 'IPv4', 'IPv6']);
  assert.equal(fieldOf('io.k8s.api.discovery.v1.Endpoint', 'addresses').listType, 'set');
  assert.equal(fieldOf('io.k8s.api.coordination.v1.LeaseSpec', 'renewTime').type, 'micro-time');
});

test('CustomResourceDefinition schemas are recursive with polymorphic members left free-form', () => {
  const props = def(`${APIEXT}.JSONSchemaProps`).fields;
  assert.deepEqual(props['properties']?.type, { map: { ref: `${APIEXT}.JSONSchemaProps` } });
  assert.equal(props['properties']?.proto, 29);
  assert.equal(props['items']?.type, 'any');
  assert.equal(props['additionalProperties']?.type, 'any');
  assert.equal(props['default']?.type, 'any');
  assert.equal(props['$ref']?.proto, 3);
  assert.equal(props['x-kubernetes-preserve-unknown-fields']?.proto, 38);
  assert.equal(props['x-kubernetes-validations']?.patchMergeKey, 'rule');
  assert.deepEqual(props['x-kubernetes-validations']?.listMapKeys, ['rule']);
  const version = def(`${APIEXT}.CustomResourceDefinitionVersion`).fields;
  assert.deepEqual(version['schema']?.type, { ref: `${APIEXT}.CustomResourceValidation` });
  assert.deepEqual(Object.keys(def(`${APIEXT}.CustomResourceSubresourceStatus`).fields), []);
  assert.deepEqual(def(`${APIEXT}.CustomResourceDefinition`).gvk, [{ group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition' }]);
  assert.deepEqual(fieldOf(`${APIEXT}.CustomResourceDefinitionSpec`, 'scope').required, true);
});
