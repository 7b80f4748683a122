// Schema view of a custom resource from its CRD's structural schema (OpenAPI v3
// JSONSchemaProps), so server-side apply knows list and map types there too:
// x-kubernetes-list-type / -list-map-keys, x-kubernetes-map-type, preserve-unknown-fields,
// embedded resources and int-or-string. Strategic merge patch does not apply to custom
// resources (see patch-types.ts).
import type { TypeDefs } from '../../api/schema/model.ts';
import { typeDefSchema, UNTYPED, type FieldMeta, type SchemaNode, type StructNode } from './schema.ts';

/** The subset of JSONSchemaProps that shapes apply. */
export interface JSONSchemaProps {
  type?: string;
  properties?: Record<string, JSONSchemaProps>;
  additionalProperties?: JSONSchemaProps | boolean;
  items?: JSONSchemaProps;
  default?: unknown;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  [other: string]: unknown;
}

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/**
 * Root schema node of a custom resource. `defs` supplies ObjectMeta for metadata (the CRD
 * schema never describes it); without it metadata is treated as free-form.
 */
export function crdSchema(openAPIV3Schema: JSONSchemaProps, defs?: TypeDefs): SchemaNode {
  const metadata = defs?.[OBJECT_META] ? typeDefSchema(defs, OBJECT_META) : UNTYPED;
  return propsNode(openAPIV3Schema, metadata, true);
}

function propsNode(p: JSONSchemaProps, metadata: SchemaNode, isResource: boolean): SchemaNode {
  if (p['x-kubernetes-int-or-string']) return { kind: 'scalar', scalar: 'int-or-string' };
  const type = p.type ?? (p.properties ? 'object' : p.items ? 'array' : undefined);
  if (type === 'array') {
    const items = p.items ?? {};
    const listType = p['x-kubernetes-list-type'] ?? 'atomic';
    return { kind: 'list', listType, keys: listType === 'map' ? (p['x-kubernetes-list-map-keys'] ?? []) : [], items: () => propsNode(items, metadata, !!items['x-kubernetes-embedded-resource']) };
  }
  if (type === 'object' || isResource) {
    const atomic = p['x-kubernetes-map-type'] === 'atomic';
    const additional = p.additionalProperties;
    if (!p.properties && additional && typeof additional === 'object') {
      return { kind: 'map', atomic, values: () => propsNode(additional, metadata, !!additional['x-kubernetes-embedded-resource']) };
    }
    const props = p.properties ?? {};
    const implicit: Record<string, SchemaNode> = isResource || p['x-kubernetes-embedded-resource']
      ? { apiVersion: { kind: 'scalar', scalar: 'string' }, kind: { kind: 'scalar', scalar: 'string' }, metadata }
      : {};
    const preserve = p['x-kubernetes-preserve-unknown-fields'] === true;
    const node: StructNode = {
      kind: 'struct',
      name: 'object',
      atomic,
      field(name) {
        if (Object.hasOwn(implicit, name)) return { node: implicit[name]!, meta: { patchStrategies: [] } };
        const prop = props[name];
        if (!prop) return undefined;
        const meta: FieldMeta = { patchStrategies: [] };
        if (prop.default !== undefined) meta.default = prop.default;
        return { node: propsNode(prop, metadata, !!prop['x-kubernetes-embedded-resource']), meta };
      },
    };
    if (preserve) node.unknownFields = UNTYPED;
    return node;
  }
  if (type === undefined && p['x-kubernetes-preserve-unknown-fields']) return UNTYPED;
  return { kind: 'scalar', scalar: type === 'integer' ? 'int64' : type === 'number' ? 'number' : type === 'boolean' ? 'boolean' : 'string' };
}
