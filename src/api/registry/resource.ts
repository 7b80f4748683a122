// The declarative description of one API resource. The generic REST handlers, discovery,
// OpenAPI, Table output and patching are all driven by these; adding a resource is adding one.
import type { GroupVersionKind } from '../schema/model.ts';
import type { FieldError } from '../validation/field-error.ts';

export type Scope = 'Namespaced' | 'Cluster';
export type Verb = 'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch';
export const ALL_VERBS: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** A Kubernetes object as JSON. */
export type KubeObject = Record<string, any>;

export interface PrinterColumn {
  name: string;
  /** OpenAPI type of the cell: string, integer, number, boolean, date. */
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: string;
  description: string;
  /** 0: always shown; >0: only with -o wide. */
  priority: number;
  /** The cell; `now` lets ages and durations be computed. */
  cell(obj: KubeObject, now: Date): string | number | boolean | null;
}

export interface ScaleSubresource {
  specReplicasPath: string; // e.g. '.spec.replicas'
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

export interface Subresources {
  /** `/status`: writes change only status; main-resource writes ignore status. */
  status?: boolean;
  /** `/scale` served as autoscaling/v1 Scale. */
  scale?: ScaleSubresource;
  /** Other subresources served by special handlers (e.g. pods: binding, eviction, log, exec). */
  others?: OtherSubresource[];
}

export interface OtherSubresource {
  name: string;
  kind: GroupVersionKind;
  verbs: Verb[];
  /**
   * A subresource that writes part of the object (pods/ephemeralcontainers): an update or patch
   * through it takes these dotted paths from the input and keeps the rest as stored; validate gets
   * the subresource's name.
   */
  replaces?: string[];
}

export interface FieldCause {
  /** Upstream cause type: FieldValueRequired, FieldValueInvalid, FieldValueNotSupported, FieldValueDuplicate, FieldValueForbidden, FieldValueTooLong, FieldValueTypeInvalid. */
  reason: string;
  message: string;
  field: string;
}

export interface ResourceDescription {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  scope: Scope;
  shortNames?: string[];
  categories?: string[];
  verbs: Verb[];
  /** Schema type name in the TypeDefs (e.g. io.k8s.api.core.v1.Pod); absent for custom resources. */
  schema?: string;
  subresources?: Subresources;
  /** Table columns after NAME (NAME is implicit); AGE is usually last. */
  printerColumns: PrinterColumn[];
  /** Fields usable in fieldSelector besides metadata.name and metadata.namespace. */
  selectableFields?: Record<string, (obj: KubeObject) => string | undefined>;
  /** Spec changes bump metadata.generation (objects with a spec and a status). */
  generation?: boolean;
  /** Fill defaults in place (after decoding, before validation). */
  defaults?(obj: KubeObject): void;
  /** Validate the whole object (old is set on update); metadata is validated generically. */
  validate?(obj: KubeObject, old?: KubeObject, subresource?: string): FieldError[];
  /** How names are checked: DNS-1123 subdomain (default), DNS-1123 label, or path segment only. */
  nameValidation?: 'subdomain' | 'label' | 'path-segment';
  /** Top-level fields that hold the resource's status (default ['status'] when subresources.status). */
  statusFields?: string[];
  /** Adjust a new object before defaulting (upstream's PrepareForCreate), e.g. its initial status. */
  prepareForCreate?(obj: KubeObject): void;
  /** Adjust an updated object (main resource) before defaulting, knowing the old one. */
  prepareForUpdate?(obj: KubeObject, old: KubeObject): void;
  /** Keep the status a create supplies (nodes report theirs on registration). */
  keepStatusOnCreate?: boolean;
  /** A CustomResourceDefinition's name when this resource is a custom resource. */
  crd?: string;
  /**
   * Objects of this resource are stored as another resource's (events.k8s.io Events are core
   * Events; autoscaling/v1 HPAs are autoscaling/v2 ones), converted on the way in and out.
   * Converters return new objects and keep metadata (resourceVersion included).
   */
  storedAs?: { group: string; plural: string; toStored(obj: KubeObject): KubeObject; fromStored(obj: KubeObject): KubeObject };
  /** Custom resources: the version's OpenAPI v3 schema (JSONSchemaProps) of the whole object. */
  openAPISchema?: Record<string, any>;
  /**
   * Custom resources: prune unknown fields in place (unless the schema preserves them) and report
   * them, plus the first type error, as the built-in schema check does for built-in kinds.
   */
  checkFields?(obj: KubeObject): { unknown: string[]; typeError?: string };
}
