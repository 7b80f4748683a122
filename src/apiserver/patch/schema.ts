// One view of a type's shape for both strategic merge patch and server-side apply, built
// from the schema model of built-in types (TypeDefs) or from a CRD's structural schema.
// Nodes resolve lazily because types are recursive (JSONSchemaProps contains itself).
import type { Field, Scalar, TypeDefs, TypeRef } from '../../api/schema/model.ts';

/** What a field contributes to strategic merge patch and apply, besides its type. */
export interface FieldMeta {
  /** x-kubernetes-patch-strategy split on ',': e.g. ['merge', 'retainKeys']. */
  patchStrategies: string[];
  patchMergeKey?: string;
  default?: unknown;
}

export type SchemaNode = ScalarNode | UntypedNode | StructNode | MapNode | ListNode;

export interface ScalarNode { kind: 'scalar'; scalar: Scalar }
/** Free-form JSON: maps are granular, lists atomic, as upstream's deduced type. */
export interface UntypedNode { kind: 'untyped' }
export interface StructNode {
  kind: 'struct';
  name: string;
  atomic: boolean;
  /** Declared field, or undefined. */
  field(name: string): { node: SchemaNode; meta: FieldMeta } | undefined;
  /** Type of undeclared fields: undefined means they are not allowed (typed kinds). */
  unknownFields?: SchemaNode;
}
export interface MapNode { kind: 'map'; atomic: boolean; values(): SchemaNode }
export interface ListNode {
  kind: 'list';
  listType: 'atomic' | 'set' | 'map';
  keys: string[];
  items(): SchemaNode;
}

export const UNTYPED: UntypedNode = { kind: 'untyped' };
const NO_META: FieldMeta = { patchStrategies: [] };

/** Schema view of a built-in type by its definition name, e.g. 'io.k8s.api.apps.v1.Deployment'. */
export function typeDefSchema(defs: TypeDefs, typeName: string): SchemaNode {
  const cache = new Map<string, StructNode>();
  const structNode = (name: string): SchemaNode => {
    const hit = cache.get(name);
    if (hit) return hit;
    const def = defs[name];
    if (!def) return UNTYPED; // a definition not written yet: treat as free-form rather than fail
    const fieldCache = new Map<string, { node: SchemaNode; meta: FieldMeta }>();
    const node: StructNode = {
      kind: 'struct',
      name,
      atomic: def.structType === 'atomic',
      field(fieldName) {
        if (!Object.hasOwn(def.fields, fieldName)) return undefined;
        let f = fieldCache.get(fieldName);
        if (!f) {
          const field = def.fields[fieldName]!;
          f = { node: fieldNode(field, field.type), meta: fieldMeta(field) };
          fieldCache.set(fieldName, f);
        }
        return f;
      },
    };
    cache.set(name, node);
    return node;
  };
  const refNode = (t: TypeRef, field?: Field): SchemaNode => {
    if (typeof t === 'string') return t === 'any' ? UNTYPED : { kind: 'scalar', scalar: t };
    if ('ref' in t) {
      const target = structNode(t.ref);
      if (field?.mapType === 'atomic' && target.kind === 'struct' && !target.atomic) return { ...target, atomic: true };
      return target;
    }
    if ('map' in t) {
      const values = t.map;
      return { kind: 'map', atomic: field?.mapType === 'atomic', values: () => refNode(values) };
    }
    const items = t.array;
    const keys = field?.listMapKeys ?? (field?.patchMergeKey ? [field.patchMergeKey] : []);
    return { kind: 'list', listType: listTypeOf(field, items), keys, items: () => refNode(items) };
  };
  const fieldNode = (field: Field, t: TypeRef) => refNode(t, field);
  return refNode({ ref: typeName });
}

// Upstream's rule when converting OpenAPI to apply schemas: an explicit list type wins; a
// merge patch strategy makes the list associative (keyed by its merge key, or a set of
// scalars); anything else is atomic.
function listTypeOf(field: Field | undefined, items: TypeRef): 'atomic' | 'set' | 'map' {
  if (field?.listType) return field.listType;
  const strategies = field?.patchStrategy?.split(',') ?? [];
  if (strategies.includes('merge')) return field?.patchMergeKey ? 'map' : typeof items === 'string' ? 'set' : 'atomic';
  return 'atomic';
}

function fieldMeta(field: Field): FieldMeta {
  const meta: FieldMeta = { patchStrategies: field.patchStrategy ? field.patchStrategy.split(',').map((s) => s.trim()) : [] };
  if (field.patchMergeKey) meta.patchMergeKey = field.patchMergeKey;
  if (field.default !== undefined) meta.default = field.default;
  return meta;
}

/** The node and patch metadata of a key inside a map-shaped node (struct field or map value). */
export function childOf(node: SchemaNode, key: string): { node: SchemaNode; meta: FieldMeta; declared: boolean } {
  if (node.kind === 'struct') {
    const f = node.field(key);
    if (f) return { ...f, declared: true };
    return { node: node.unknownFields ?? UNTYPED, meta: NO_META, declared: false };
  }
  if (node.kind === 'map') return { node: node.values(), meta: NO_META, declared: false };
  return { node: UNTYPED, meta: NO_META, declared: false };
}

/**
 * The item node of a list-shaped node. A struct stands for its own items, as upstream's
 * lookup does for a pointer-to-struct field that holds a list.
 */
export function itemsOf(node: SchemaNode): SchemaNode {
  if (node.kind === 'list') return node.items();
  return node.kind === 'struct' ? node : UNTYPED;
}

/** A readable type name for error messages. */
export function nodeName(node: SchemaNode): string {
  return node.kind === 'struct' ? 'struct' : node.kind === 'list' ? 'slice' : node.kind === 'map' ? 'map' : 'interface';
}
