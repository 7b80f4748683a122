// The schema model of built-in API types: one description per type that drives OpenAPI
// (v2 and v3, so `kubectl explain`), strategic merge patch (patch strategies and merge keys),
// server-side apply (list types), unknown-field detection (fieldValidation) and protobuf
// decoding (field numbers). Type names are the upstream OpenAPI definition names.

/** Scalars, named for their wire meaning. */
export type Scalar =
  | 'string'
  | 'boolean'
  | 'int32'
  | 'int64'
  | 'number' // float64
  | 'bytes' // []byte: base64 in JSON, bytes in protobuf
  | 'quantity' // resource.Quantity: "100m", "1Gi"; protobuf message {1: string}
  | 'int-or-string' // intstr.IntOrString; protobuf message {1: type, 2: intVal, 3: strVal}
  | 'date-time' // metav1.Time: RFC 3339 seconds; protobuf message {1: seconds, 2: nanos}
  | 'micro-time' // metav1.MicroTime: RFC 3339 with microseconds; protobuf as date-time
  | 'duration' // metav1.Duration: "1m30s"; protobuf message {1: duration int64 nanoseconds}
  | 'any'; // free-form JSON (runtime.RawExtension, JSON): protobuf message {1: raw bytes}

export type TypeRef = Scalar | { ref: string } | { array: TypeRef } | { map: TypeRef };

export interface Field {
  type: TypeRef;
  /** protobuf field number in k8s.io/api generated.proto. */
  proto?: number;
  description?: string;
  required?: boolean;
  /** x-kubernetes-patch-strategy: 'merge', 'retainKeys', 'merge,retainKeys', 'replace'. */
  patchStrategy?: string;
  /** x-kubernetes-patch-merge-key */
  patchMergeKey?: string;
  /** x-kubernetes-list-type */
  listType?: 'atomic' | 'set' | 'map';
  /** x-kubernetes-list-map-keys */
  listMapKeys?: string[];
  /** x-kubernetes-map-type */
  mapType?: 'atomic' | 'granular';
  enum?: string[];
  default?: unknown;
}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface TypeDef {
  description: string;
  fields: Record<string, Field>;
  /** Top-level kinds carry their group/version/kind (x-kubernetes-group-version-kind). */
  gvk?: GroupVersionKind[];
  /** x-kubernetes-map-type / structType 'atomic' for types replaced whole by apply. */
  structType?: 'atomic' | 'granular';
  /** A union of members where exactly one is set (documentation only). */
  unions?: string[][];
}

/** Type definitions keyed by upstream definition name, e.g. 'io.k8s.api.core.v1.Pod'. */
export type TypeDefs = Record<string, TypeDef>;

// Compact constructors so definition files read like tables.

export interface FieldExtras extends Omit<Field, 'type' | 'proto' | 'description'> {}

/** A field: type, protobuf number, description, extras. */
export function field(type: TypeRef, proto: number, description: string, extras: FieldExtras = {}): Field {
  return { type, proto, description, ...extras };
}
export const ref = (name: string): TypeRef => ({ ref: name });
export const arrayOf = (item: TypeRef): TypeRef => ({ array: item });
export const mapOf = (value: TypeRef): TypeRef => ({ map: value });

/** A list merged by key under strategic merge patch and apply, as upstream declares it. */
export function mergeList(item: TypeRef, proto: number, description: string, mergeKey: string, extras: FieldExtras = {}): Field {
  return { type: arrayOf(item), proto, description, patchStrategy: 'merge', patchMergeKey: mergeKey, listType: 'map', listMapKeys: [mergeKey], ...extras };
}

export const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
/** The standard apiVersion/kind/metadata trio of a top-level object (proto 1 = metadata). */
export function objectHeader(): Record<string, Field> {
  return {
    apiVersion: { type: 'string', description: 'APIVersion defines the versioned schema of this representation of an object.' },
    kind: { type: 'string', description: 'Kind is a string value representing the REST resource this object represents.' },
    metadata: field(ref(`${META}.ObjectMeta`), 1, "Standard object's metadata."),
  };
}
/** The apiVersion/kind/metadata/items quartet of a list (proto 1 = metadata, 2 = items). */
export function listType(itemType: string, gvk: GroupVersionKind, description: string): TypeDef {
  return {
    description,
    gvk: [gvk],
    fields: {
      apiVersion: { type: 'string', description: 'APIVersion defines the versioned schema of this representation of an object.' },
      kind: { type: 'string', description: 'Kind is a string value representing the REST resource this object represents.' },
      metadata: field(ref(`${META}.ListMeta`), 1, "Standard list metadata."),
      items: field(arrayOf(ref(itemType)), 2, `List of ${gvk.kind.replace(/List$/, '')} objects.`, { required: true }),
    },
  };
}
