import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Field, TypeDef, TypeDefs, TypeRef } from '../model.ts';
import { metaV1Types } from '../meta-v1.ts';
import { coreV1Types, coreV1ProtoEmbeds } from './index.ts';

const CORE = 'io.k8s.api.core.v1';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const all: TypeDefs = { ...metaV1Types, ...coreV1Types };

function def(name: string): TypeDef {
  const d = all[name];
  assert.ok(d, `type ${name} is defined`);
  return d;
}
function fieldOf(type: string, path: string): Field {
  const f = def(type).fields[path];
  assert.ok(f, `${type} has field ${path}`);
  return f;
}
function refsIn(t: TypeRef): string[] {
  if (typeof t === 'string') return [];
  if ('ref' in t) return [t.ref];
  if ('array' in t) return refsIn(t.array);
  return refsIn(t.map);
}
function itemRef(f: Field): string | undefined {
  return typeof f.type === 'object' && 'array' in f.type && typeof f.type.array === 'object' && 'ref' in f.type.array ? f.type.array.ref : undefined;
}
const isHeader = (name: string) => name === 'apiVersion' || name === 'kind';

test('every type reference resolves to a meta/v1 or core/v1 definition', () => {
  const dangling: string[] = [];
  for (const [name, d] of Object.entries(all)) {
    for (const [fname, f] of Object.entries(d.fields)) {
      for (const r of refsIn(f.type)) if (!all[r]) dangling.push(`${name}.${fname} -> ${r}`);
    }
  }
  assert.deepEqual(dangling, []);
});

test('definition names carry the upstream package prefix', () => {
  for (const name of Object.keys(metaV1Types)) assert.ok(name.startsWith(`${META}.`), name);
  for (const name of Object.keys(coreV1Types)) assert.ok(name.startsWith(`${CORE}.`), name);
});

test('protobuf field numbers are unique within each type, counting embedded messages', () => {
  for (const [name, d] of Object.entries(all)) {
    const seen = new Map<number, string>();
    for (const [fname, f] of Object.entries(d.fields)) {
      if (f.proto === undefined) continue;
      assert.ok(Number.isInteger(f.proto) && f.proto > 0, `${name}.${fname} has a positive proto number`);
      assert.equal(seen.get(f.proto), undefined, `${name}: ${fname} and ${seen.get(f.proto)} share number ${f.proto}`);
      seen.set(f.proto, fname);
    }
    for (const e of coreV1ProtoEmbeds[name] ?? []) {
      assert.equal(seen.get(e.proto), undefined, `${name}: embedded ${e.type} collides with ${seen.get(e.proto)}`);
      seen.set(e.proto, e.type);
    }
  }
});

test('every field without a protobuf number is a type header or comes from an embedded message', () => {
  for (const [name, d] of Object.entries(all)) {
    const embeds = coreV1ProtoEmbeds[name] ?? [];
    for (const [fname, f] of Object.entries(d.fields)) {
      if (f.proto !== undefined || isHeader(fname)) continue;
      const providers = embeds.filter((e) => def(e.type).fields[fname]);
      assert.equal(providers.length, 1, `${name}.${fname} is provided by exactly one embedded type`);
    }
    // and every field of an embedded type shows up flat in the outer one
    for (const e of embeds) {
      for (const fname of Object.keys(def(e.type).fields)) {
        const outer = d.fields[fname];
        assert.ok(outer && outer.proto === undefined, `${name} carries ${e.type}.${fname} flat, without a number`);
        assert.deepEqual(outer.type, def(e.type).fields[fname].type);
      }
    }
  }
});

test('every field and type has a description', () => {
  for (const [name, d] of Object.entries(all)) {
    assert.ok(d.description.length > 5 && !d.description.includes('TODO'), `${name} description`);
    for (const [fname, f] of Object.entries(d.fields)) {
      assert.ok(f.description && f.description.length > 3 && !f.description.includes('TODO'), `${name}.${fname} description`);
    }
  }
});

const topLevelKinds = ['Pod', 'PodTemplate', 'Namespace', 'Service', 'Endpoints', 'ConfigMap', 'Secret', 'ServiceAccount', 'Node', 'Event',
  'PersistentVolume', 'PersistentVolumeClaim', 'LimitRange', 'ResourceQuota', 'ReplicationController', 'ComponentStatus'];

test('every top-level kind and its list carry a core/v1 group-version-kind', () => {
  for (const kind of [...topLevelKinds, 'Binding']) {
    assert.deepEqual(def(`${CORE}.${kind}`).gvk, [{ group: '', version: 'v1', kind }]);
  }
  for (const kind of topLevelKinds) {
    const list = def(`${CORE}.${kind}List`);
    assert.deepEqual(list.gvk, [{ group: '', version: 'v1', kind: `${kind}List` }]);
    assert.deepEqual(list.fields.items.type, { array: { ref: `${CORE}.${kind}` } });
    assert.equal(list.fields.items.proto, 2);
    assert.deepEqual(list.fields.metadata.type, { ref: `${META}.ListMeta` });
  }
});

test('any type with apiVersion, kind and object metadata is a kind with a matching gvk', () => {
  for (const [name, d] of Object.entries(coreV1Types)) {
    const { apiVersion, kind, metadata } = d.fields;
    if (!apiVersion || !kind || !metadata) continue;
    assert.equal(d.gvk?.[0]?.kind, name.slice(CORE.length + 1), `${name} has a gvk naming itself`);
  }
});

test('list-map lists name keys that exist on their items, and merge keys agree', () => {
  for (const [name, d] of Object.entries(all)) {
    for (const [fname, f] of Object.entries(d.fields)) {
      const where = `${name}.${fname}`;
      if (f.listType === 'map') {
        assert.ok(f.listMapKeys?.length, `${where} names its map keys`);
        const item = itemRef(f);
        assert.ok(item, `${where} is a list of objects`);
        for (const k of f.listMapKeys!) assert.ok(def(item!).fields[k], `${where}: key ${k} is a field of ${item}`);
      }
      if (f.patchMergeKey) {
        assert.match(f.patchStrategy ?? '', /merge/, `${where} merges by key`);
        const item = itemRef(f);
        assert.ok(item && def(item).fields[f.patchMergeKey], `${where}: merge key ${f.patchMergeKey} is a field of its items`);
        // upstream pairs some merge keys with an atomic list (PodStatus.hostIPs), so only list maps are checked
        if (f.listType === 'map') assert.ok(f.listMapKeys?.includes(f.patchMergeKey), `${where}: merge key is among the list-map keys`);
      }
      if (f.listType) assert.ok(typeof f.type === 'object' && 'array' in f.type, `${where}: list type only on lists`);
      if (f.enum) assert.equal(f.type, 'string', `${where}: enum only on strings`);
    }
  }
});

test('containers, init containers and ephemeral containers merge by name', () => {
  const spec = `${CORE}.PodSpec`;
  for (const fname of ['containers', 'initContainers', 'ephemeralContainers']) {
    const f = fieldOf(spec, fname);
    assert.equal(f.patchStrategy, 'merge');
    assert.equal(f.patchMergeKey, 'name');
    assert.equal(f.listType, 'map');
    assert.deepEqual(f.listMapKeys, ['name']);
  }
  assert.deepEqual(fieldOf(spec, 'containers').type, { array: { ref: `${CORE}.Container` } });
  assert.equal(fieldOf(spec, 'containers').required, true);
  assert.equal(fieldOf(spec, 'containers').proto, 2);
  assert.equal(fieldOf(`${CORE}.Container`, 'name').required, true);
});

test('pod volumes merge by name and retain keys, so switching the source replaces it', () => {
  const f = fieldOf(`${CORE}.PodSpec`, 'volumes');
  assert.equal(f.patchStrategy, 'merge,retainKeys');
  assert.equal(f.patchMergeKey, 'name');
  assert.equal(f.proto, 1);
});

test('container ports merge by containerPort and are keyed by port and protocol', () => {
  const f = fieldOf(`${CORE}.Container`, 'ports');
  assert.equal(f.patchStrategy, 'merge');
  assert.equal(f.patchMergeKey, 'containerPort');
  assert.deepEqual(f.listMapKeys, ['containerPort', 'protocol']);
  assert.equal(f.proto, 6);
  assert.deepEqual(fieldOf(`${CORE}.ContainerPort`, 'protocol').enum, ['SCTP', 'TCP', 'UDP']);
  assert.deepEqual(fieldOf(`${CORE}.ContainerPort`, 'protocol').default, 'TCP');
});

test('env, volume mounts and service ports have their upstream merge keys', () => {
  assert.equal(fieldOf(`${CORE}.Container`, 'env').patchMergeKey, 'name');
  assert.equal(fieldOf(`${CORE}.Container`, 'env').proto, 7);
  assert.equal(fieldOf(`${CORE}.Container`, 'volumeMounts').patchMergeKey, 'mountPath');
  assert.equal(fieldOf(`${CORE}.Container`, 'volumeDevices').patchMergeKey, 'devicePath');
  const ports = fieldOf(`${CORE}.ServiceSpec`, 'ports');
  assert.equal(ports.patchMergeKey, 'port');
  assert.deepEqual(ports.listMapKeys, ['port', 'protocol']);
  assert.equal(fieldOf(`${META}.ObjectMeta`, 'ownerReferences').patchMergeKey, 'uid');
  assert.equal(fieldOf(`${CORE}.PodStatus`, 'conditions').patchMergeKey, 'type');
  assert.equal(fieldOf(`${CORE}.NodeStatus`, 'addresses').patchMergeKey, 'type');
  assert.equal(fieldOf(`${CORE}.PodStatus`, 'podIPs').patchMergeKey, 'ip');
});

test('the protobuf layout of a ConfigMap matches what kubectl 1.33 sends', () => {
  // kubectl create configmap foo --from-literal=a=b sends raw {1:{1:"foo"},2:{1:"a",2:"b"}}
  assert.equal(fieldOf(`${CORE}.ConfigMap`, 'metadata').proto, 1);
  assert.equal(fieldOf(`${META}.ObjectMeta`, 'name').proto, 1);
  const data = fieldOf(`${CORE}.ConfigMap`, 'data');
  assert.equal(data.proto, 2);
  assert.deepEqual(data.type, { map: 'string' });
  assert.equal(fieldOf(`${CORE}.ConfigMap`, 'binaryData').proto, 3);
  assert.deepEqual(fieldOf(`${CORE}.ConfigMap`, 'binaryData').type, { map: 'bytes' });
  assert.equal(fieldOf(`${CORE}.ConfigMap`, 'immutable').proto, 4);
});

test('secret data is a map of bytes and stringData a map of strings', () => {
  assert.deepEqual(fieldOf(`${CORE}.Secret`, 'data').type, { map: 'bytes' });
  assert.equal(fieldOf(`${CORE}.Secret`, 'data').proto, 2);
  assert.deepEqual(fieldOf(`${CORE}.Secret`, 'stringData').type, { map: 'string' });
  assert.equal(fieldOf(`${CORE}.Secret`, 'stringData').proto, 4);
  assert.equal(fieldOf(`${CORE}.Secret`, 'type').proto, 3);
});

test('namespace, service and deployment-related fields sent as protobuf by kubectl have upstream numbers', () => {
  assert.equal(fieldOf(`${CORE}.Namespace`, 'spec').proto, 2);
  assert.equal(fieldOf(`${CORE}.NamespaceSpec`, 'finalizers').proto, 1);
  assert.equal(fieldOf(`${CORE}.Service`, 'spec').proto, 2);
  assert.equal(fieldOf(`${CORE}.ServiceSpec`, 'type').proto, 4);
  assert.equal(fieldOf(`${CORE}.ServiceSpec`, 'selector').proto, 2);
  assert.equal(fieldOf(`${CORE}.ServicePort`, 'targetPort').proto, 4);
  assert.equal(fieldOf(`${CORE}.ServicePort`, 'targetPort').type, 'int-or-string');
  assert.equal(fieldOf(`${CORE}.PodTemplateSpec`, 'spec').proto, 2);
  assert.equal(fieldOf(`${CORE}.Container`, 'image').proto, 2);
  assert.equal(fieldOf(`${CORE}.Container`, 'resources').proto, 8);
  assert.equal(fieldOf(`${META}.ObjectMeta`, 'labels').proto, 11);
  assert.equal(fieldOf(`${META}.ObjectMeta`, 'creationTimestamp').type, 'date-time');
  assert.equal(fieldOf(`${META}.LabelSelector`, 'matchLabels').proto, 1);
});

test('scalar wire types follow the model: quantities, times, bytes, free-form fields', () => {
  assert.deepEqual(fieldOf(`${CORE}.ResourceRequirements`, 'limits').type, { map: 'quantity' });
  assert.deepEqual(fieldOf(`${CORE}.NodeStatus`, 'capacity').type, { map: 'quantity' });
  assert.equal(fieldOf(`${CORE}.EmptyDirVolumeSource`, 'sizeLimit').type, 'quantity');
  assert.equal(fieldOf(`${CORE}.Event`, 'eventTime').type, 'micro-time');
  assert.equal(fieldOf(`${CORE}.HTTPGetAction`, 'port').type, 'int-or-string');
  assert.equal(fieldOf(`${META}.ManagedFieldsEntry`, 'fieldsV1').type, 'any');
  assert.equal(fieldOf(`${META}.WatchEvent`, 'object').type, 'any');
  assert.equal(fieldOf(`${CORE}.PodSecurityContext`, 'runAsUser').type, 'int64');
});

test('embedded structs flatten in JSON but keep their own protobuf message', () => {
  const volume = def(`${CORE}.Volume`);
  assert.equal(volume.fields.name.proto, 1);
  assert.ok(volume.fields.configMap && volume.fields.configMap.proto === undefined);
  assert.equal(fieldOf(`${CORE}.VolumeSource`, 'configMap').proto, 19);
  assert.deepEqual(coreV1ProtoEmbeds[`${CORE}.Volume`], [{ proto: 2, type: `${CORE}.VolumeSource` }]);
  assert.deepEqual(coreV1ProtoEmbeds[`${CORE}.Probe`], [{ proto: 1, type: `${CORE}.ProbeHandler` }]);
  assert.equal(fieldOf(`${CORE}.Probe`, 'initialDelaySeconds').proto, 2);
  // the selector's name sits in a nested LocalObjectReference message
  assert.deepEqual(coreV1ProtoEmbeds[`${CORE}.SecretKeySelector`], [{ proto: 1, type: `${CORE}.LocalObjectReference` }]);
  assert.equal(fieldOf(`${CORE}.SecretKeySelector`, 'key').proto, 2);
  assert.equal(fieldOf(`${CORE}.EphemeralContainer`, 'targetContainerName').proto, 2);
  assert.equal(fieldOf(`${CORE}.EphemeralContainer`, 'name').required, true);
});

test('atomic structs and maps are marked as upstream declares them', () => {
  assert.equal(def(`${CORE}.ObjectReference`).structType, 'atomic');
  assert.equal(def(`${CORE}.LocalObjectReference`).structType, 'atomic');
  assert.equal(def(`${CORE}.NodeSelector`).structType, 'atomic');
  assert.equal(def(`${META}.OwnerReference`).structType, 'atomic');
  assert.equal(fieldOf(`${CORE}.PodSpec`, 'nodeSelector').mapType, 'atomic');
  assert.equal(fieldOf(`${CORE}.ServiceSpec`, 'selector').mapType, 'atomic');
  assert.equal(fieldOf(`${CORE}.PersistentVolumeSpec`, 'claimRef').mapType, 'granular');
});

test('required fields follow upstream optionality', () => {
  assert.equal(fieldOf(`${META}.OwnerReference`, 'uid').required, true);
  assert.equal(fieldOf(`${META}.ObjectMeta`, 'name').required, undefined);
  assert.equal(fieldOf(`${CORE}.Event`, 'involvedObject').required, true);
  assert.equal(fieldOf(`${CORE}.Event`, 'metadata').required, true);
  assert.equal(fieldOf(`${CORE}.EnvVar`, 'name').required, true);
  assert.equal(fieldOf(`${CORE}.ContainerPort`, 'containerPort').required, true);
  assert.equal(fieldOf(`${CORE}.ServicePort`, 'port').required, true);
  assert.equal(fieldOf(`${META}.Condition`, 'lastTransitionTime').required, true);
});

test('enumerations list upstream values', () => {
  assert.deepEqual(fieldOf(`${CORE}.PodSpec`, 'restartPolicy').enum, ['Always', 'Never', 'OnFailure']);
  assert.deepEqual(fieldOf(`${CORE}.ServiceSpec`, 'type').enum, ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']);
  assert.deepEqual(fieldOf(`${CORE}.Container`, 'imagePullPolicy').enum, ['Always', 'IfNotPresent', 'Never']);
  assert.deepEqual(fieldOf(`${CORE}.PodStatus`, 'phase').enum, ['Failed', 'Pending', 'Running', 'Succeeded', 'Unknown']);
});
