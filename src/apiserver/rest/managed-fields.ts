// Managed fields on every write (create, update, patch), and the schema view they need.
import type { KubeObject, ResourceDescription } from '../../api/registry/resource.ts';
import type { ApiContext } from './context.ts';
import { typeDefSchema, UNTYPED, type SchemaNode } from '../patch/schema.ts';
import { crdSchema } from '../patch/crd-schema.ts';
import { updateManagedFields } from '../patch/field-manager.ts';
import type { FieldPath } from '../patch/field-path.ts';
import { statusFieldsOf } from './resource-store.ts';

const cache = new WeakMap<ResourceDescription, SchemaNode>();

export function schemaFor(ctx: ApiContext, desc: ResourceDescription): SchemaNode {
  let s = cache.get(desc);
  if (!s) {
    s = desc.schema && ctx.defs[desc.schema] ? typeDefSchema(ctx.defs, desc.schema)
      : desc.openAPISchema ? crdSchema(desc.openAPISchema as any, ctx.defs) : UNTYPED;
    cache.set(desc, s);
  }
  return s;
}

/**
 * Fields a write at this endpoint resets, so nobody owns them there: status on the main
 * resource, the spec on /status (upstream's reset fields).
 */
export function ignoredFields(desc: ResourceDescription, subresource?: string): FieldPath[] {
  const status = statusFieldsOf(desc);
  if (!status.length) return [];
  if (subresource === 'status') return [[{ field: 'spec' }]];
  return status.map((f) => [{ field: f }]);
}

/** Returns obj with metadata.managedFields updated for a non-apply write by manager. */
export function trackUpdate(ctx: ApiContext, desc: ResourceDescription, old: KubeObject | undefined, obj: KubeObject, manager: string, subresource?: string): KubeObject {
  return updateManagedFields({
    old, new: obj, manager, schema: schemaFor(ctx, desc),
    apiVersion: desc.group ? `${desc.group}/${desc.version}` : desc.version, now: ctx.now(), subresource,
    ignoredFields: ignoredFields(desc, subresource),
  });
}
