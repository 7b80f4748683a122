import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeOpenApiV2Protobuf } from './gnostic-v2.ts';
import { buildOpenApiV2 } from './openapi-v2.ts';
import { ProtoReader, WIRE_LENGTH_DELIMITED } from '../protobuf/index.ts';
import { sampleDefs, sampleResources } from './testdata/sample-api.ts';

/** A message as field number → values (bytes for length-delimited, bigint otherwise). */
type Fields = Map<number, (Uint8Array | bigint)[]>;

function fields(bytes: Uint8Array): Fields {
  const out: Fields = new Map();
  const r = new ProtoReader(bytes);
  while (!r.eof()) {
    const { field, wireType } = r.tag();
    const value = wireType === WIRE_LENGTH_DELIMITED ? r.bytesView() : r.varintBig();
    out.set(field, [...(out.get(field) ?? []), value]);
  }
  return out;
}
const text = (b: Uint8Array | bigint | undefined) => Buffer.from(b as Uint8Array).toString();
const message = (m: Fields, n: number) => fields(m.get(n)![0] as Uint8Array);
const messages = (m: Fields, n: number) => (m.get(n) ?? []).map((b) => fields(b as Uint8Array));
/** Entries of a repeated Named* field: name (1) → value message (2). */
const named = (m: Fields, n: number) => new Map(messages(m, n).map((e) => [text(e.get(1)![0]), fields(e.get(2)![0] as Uint8Array)]));
/** Vendor extensions (NamedAny) as name → parsed value of Any.yaml (2). */
const extensions = (m: Fields, n: number) => new Map([...named(m, n)].map(([k, any]) => [k, JSON.parse(text(any.get(2)![0]))]));

test('encodes the smallest document as the five bytes kubectl accepts', () => {
  assert.equal(Buffer.from(encodeOpenApiV2Protobuf({ swagger: '2.0' })).toString('hex'), '0a03322e30');
});

const doc = buildOpenApiV2(sampleDefs, sampleResources, { title: 'Kubernetes', version: 'v1.33.1' });
const root = fields(encodeOpenApiV2Protobuf(doc));

test('encodes the document header and info', () => {
  assert.equal(text(root.get(1)![0]), '2.0');
  const info = message(root, 2);
  assert.equal(text(info.get(1)![0]), 'Kubernetes');
  assert.equal(text(info.get(2)![0]), 'v1.33.1');
});

test('encodes definitions as named schemas with types, properties, refs and extensions', () => {
  const definitions = named(message(root, 9), 1);
  assert.equal(definitions.size, Object.keys((doc as any).definitions).length);
  const pod = definitions.get('io.k8s.api.core.v1.Pod')!;
  assert.equal(text(pod.get(4)![0]), 'A group of containers scheduled together on one node.');
  assert.deepEqual(fields(pod.get(22)![0] as Uint8Array).get(1)!.map(text), ['object']);
  assert.deepEqual(extensions(pod, 31).get('x-kubernetes-group-version-kind'), [{ group: '', kind: 'Pod', version: 'v1' }]);
  const props = named(message(pod, 25), 1);
  assert.deepEqual([...props.keys()], ['apiVersion', 'kind', 'metadata', 'spec', 'status']);
  assert.equal(text(props.get('spec')!.get(1)![0]), '#/definitions/io.k8s.api.core.v1.PodSpec');

  const containers = named(message(definitions.get('io.k8s.api.core.v1.PodSpec')!, 25), 1).get('containers')!;
  const items = messages(message(containers, 23), 1);
  assert.equal(text(items[0]!.get(1)![0]), '#/definitions/io.k8s.api.core.v1.Container');
  const ext = extensions(containers, 31);
  assert.equal(ext.get('x-kubernetes-patch-merge-key'), 'name');
  assert.deepEqual(ext.get('x-kubernetes-list-map-keys'), ['name']);
  assert.deepEqual(definitions.get('io.k8s.api.core.v1.ContainerPort')!.get(19)!.map(text), ['containerPort']);

  const data = named(message(definitions.get('io.k8s.api.core.v1.ConfigMap')!, 25), 1).get('data')!;
  const additional = message(message(data, 21), 1); // AdditionalPropertiesItem.schema
  assert.deepEqual(fields(additional.get(22)![0] as Uint8Array).get(1)!.map(text), ['string']);
});

test('encodes PATCH operations with fieldValidation as a query parameter and the kind they act on', () => {
  const paths = named(message(root, 8), 2);
  const item = paths.get('/api/v1/namespaces/{namespace}/configmaps/{name}')!;
  const patch = message(item, 8);
  assert.equal(text(patch.get(5)![0]), 'patchCoreV1NamespacedConfigMap');
  assert.deepEqual(patch.get(7)!.map(text), ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml']);
  const params = messages(patch, 8).map((p) => message(p, 1)); // ParametersItem.parameter
  const body = message(params[0]!, 1); // Parameter.body_parameter
  assert.equal(text(body.get(2)![0]), 'body');
  assert.equal(body.get(4)![0], 1n);
  assert.equal(text(fields(body.get(5)![0] as Uint8Array).get(1)![0]), '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch');
  const queryNames = params.slice(1).map((p) => text(message(message(p, 2), 3).get(4)![0])); // NonBodyParameter.query.name
  assert.deepEqual(queryNames, ['dryRun', 'fieldManager', 'fieldValidation', 'force']);
  const ext = extensions(patch, 13);
  assert.deepEqual(ext.get('x-kubernetes-group-version-kind'), { group: '', kind: 'ConfigMap', version: 'v1' });
  assert.equal(ext.get('x-kubernetes-action'), 'patch');
  const responses = named(message(patch, 9), 1);
  assert.deepEqual([...responses.keys()], ['200', '201', '401']);
  const ok = message(responses.get('200')!, 1);
  assert.equal(text(ok.get(1)![0]), 'OK');
  // Path-level parameters: namespace and name are path parameters (NonBodyParameter field 4).
  const pathParams = messages(item, 9).map((p) => message(message(p, 1), 2));
  assert.equal(text(message(pathParams[0]!, 4).get(4)![0]), 'namespace');
  assert.equal(message(pathParams[0]!, 4).get(1)![0], 1n);
});
