import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyDefaults, prune, pruneNulls } from './pruning.ts';
import type { JSONSchemaProps } from './json-schema.ts';

const schema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        replicas: { type: 'integer', default: 1 },
        image: { type: 'string' },
        note: { type: 'string', nullable: true },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { typed: { type: 'object', properties: { a: { type: 'string' } } } } },
        items: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, weight: { type: 'integer', default: 5 } } } },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        template: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object' } } },
        policy: { type: 'object', default: { mode: 'auto' }, properties: { mode: { type: 'string' }, limit: { type: 'integer', default: 3 } } },
      },
    },
  },
};

test('prunes unknown fields everywhere and reports their sorted paths', () => {
  const obj: any = {
    apiVersion: 'x/v1', kind: 'X', metadata: { name: 'a' }, extra: true,
    spec: { image: 'i', foo: 1, items: [{ name: 'a', bar: 2 }], labels: { k: 'v' }, template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: {}, junk: 1 } },
  };
  assert.deepEqual(prune(obj, schema), ['extra', 'spec.foo', 'spec.items[0].bar', 'spec.template.junk']);
  assert.deepEqual(obj, {
    apiVersion: 'x/v1', kind: 'X', metadata: { name: 'a' },
    spec: { image: 'i', items: [{ name: 'a' }], labels: { k: 'v' }, template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: {} } },
  });
});

test('x-kubernetes-preserve-unknown-fields keeps unknown fields but still prunes its typed children', () => {
  const obj: any = { spec: { free: { anything: [1, { deep: true }], typed: { a: 'x', b: 'gone' } } } };
  assert.deepEqual(prune(obj, schema), ['spec.free.typed.b']);
  assert.deepEqual(obj.spec.free, { anything: [1, { deep: true }], typed: { a: 'x' } });
});

test('without a schema everything but apiVersion, kind and metadata is pruned', () => {
  const obj: any = { apiVersion: 'x/v1', kind: 'X', metadata: {}, spec: { a: 1 } };
  assert.deepEqual(prune(obj, undefined), ['spec']);
  assert.deepEqual(Object.keys(obj), ['apiVersion', 'kind', 'metadata']);
});

test('defaults fill missing fields top-down, including defaults inside defaulted objects and list items', () => {
  const obj: any = { spec: { items: [{ name: 'a' }, { name: 'b', weight: 1 }] } };
  applyDefaults(obj, schema);
  assert.deepEqual(obj.spec, { replicas: 1, policy: { mode: 'auto', limit: 3 }, items: [{ name: 'a', weight: 5 }, { name: 'b', weight: 1 }] });
});

test('a null replaced by the default when not nullable; other non-nullable nulls are dropped', () => {
  const obj: any = { spec: { replicas: null, image: null, note: null } };
  pruneNulls(obj, schema);
  applyDefaults(obj, schema);
  assert.deepEqual(obj.spec, { replicas: 1, note: null, policy: { mode: 'auto', limit: 3 } });
});

test('defaults are copies, not shared between objects', () => {
  const a: any = { spec: {} };
  const b: any = { spec: {} };
  applyDefaults(a, schema);
  applyDefaults(b, schema);
  a.spec.policy.mode = 'changed';
  assert.equal(b.spec.policy.mode, 'auto');
});
