// The set of named schemas the OpenAPI documents publish: the model's TypeDefs, the named
// scalars upstream publishes as string definitions, and stand-ins for types the documents
// need but the model lacks (custom resources without a schema, list types, Patch, ...).
// Renders each as a JSON Schema for either Swagger 2.0 or OpenAPI 3.0.
import { objectHeader, field, arrayOf, listType, type Field, type TypeDef, type TypeDefs, type TypeRef } from '../../api/schema/model.ts';
import type { ResourceDescription } from '../../api/registry/resource.ts';
import {
  DELETE_OPTIONS,
  INT_OR_STRING,
  MICRO_TIME,
  PATCH,
  QUANTITY,
  STATUS,
  TIME,
  WATCH_EVENT,
  resourceListTypeName,
  resourceTypeName,
} from './type-names.ts';

export type JsonSchema = Record<string, unknown>;

export type SchemaDialect = 'v2' | 'v3';

/** Named scalars: their type name and the string schema upstream publishes for them. */
const NAMED_SCALARS: Partial<Record<string, { name: string; schema: JsonSchema }>> = {
  quantity: {
    name: QUANTITY,
    schema: {
      type: 'string',
      description: 'A fixed-point number with an optional SI or binary suffix, such as "100m", "1.5", "2Gi" or "1e3".',
    },
  },
  'int-or-string': {
    name: INT_OR_STRING,
    schema: { type: 'string', format: 'int-or-string', description: 'Either an integer or a string; in JSON, a number or a string.' },
  },
  'date-time': {
    name: TIME,
    schema: { type: 'string', format: 'date-time', description: 'A point in time, serialized as an RFC 3339 string with second precision.' },
  },
  'micro-time': {
    name: MICRO_TIME,
    schema: { type: 'string', format: 'date-time', description: 'A point in time, serialized as an RFC 3339 string with microsecond precision.' },
  },
};
const NAMED_SCALAR_SCHEMAS = new Map(Object.values(NAMED_SCALARS).map((s) => [s!.name, s!.schema]));

const apiVersionField: Field = { type: 'string', description: 'The versioned schema of this representation of an object.' };
const kindField: Field = { type: 'string', description: 'The REST resource this object represents, in CamelCase.' };

/** Types the operations refer to; used only when the model does not define them. */
function standIns(): TypeDefs {
  return {
    [PATCH]: { description: 'The body of a PATCH request; its shape depends on the patch content type.', fields: {} },
    [WATCH_EVENT]: {
      description: 'One event in a watch stream.',
      fields: {
        type: { type: 'string', required: true, description: 'ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.' },
        object: { type: 'any', required: true, description: 'The object the event is about, or a Status for ERROR events.' },
      },
    },
    [STATUS]: {
      description: 'The outcome of an operation that does not return an object.',
      gvk: [{ group: '', version: 'v1', kind: 'Status' }],
      fields: {
        apiVersion: apiVersionField,
        kind: kindField,
        status: { type: 'string', description: 'Success or Failure.' },
        message: { type: 'string', description: 'A human-readable description of the outcome.' },
        reason: { type: 'string', description: 'A machine-readable reason for a failure.' },
        details: { type: 'any', description: 'Extra data about the reason.' },
        code: { type: 'int32', description: 'The HTTP status code.' },
      },
    },
    [DELETE_OPTIONS]: {
      description: 'Options for a delete request.',
      fields: {
        apiVersion: apiVersionField,
        kind: kindField,
        gracePeriodSeconds: { type: 'int64', description: 'Seconds to wait before deleting.' },
        propagationPolicy: { type: 'string', description: 'Orphan, Background or Foreground.' },
        dryRun: { type: arrayOf('string'), description: 'When present, changes are not persisted.' },
      },
    },
  };
}

/** A custom resource without a schema: its header, with spec and status left open. */
function customStandIn(r: ResourceDescription): TypeDef {
  return {
    description: `${r.kind} is a custom resource of ${r.group}/${r.version}.`,
    gvk: [{ group: r.group, version: r.version, kind: r.kind }],
    fields: {
      ...objectHeader(),
      spec: field('any', 2, 'The desired state, defined by the resource\'s author.'),
      status: field('any', 3, 'The observed state, defined by the resource\'s author.'),
    },
  };
}

export class SchemaCatalog {
  readonly defs: TypeDefs;

  constructor(defs: TypeDefs, resources: ResourceDescription[]) {
    const extra: TypeDefs = {};
    for (const [name, def] of Object.entries(standIns())) if (!defs[name]) extra[name] = def;
    for (const r of resources) {
      const item = resourceTypeName(r);
      if (!defs[item] && !extra[item]) extra[item] = customStandIn(r);
      const list = resourceListTypeName(r);
      if (!defs[list] && !extra[list]) {
        extra[list] = listType(item, { group: r.group, version: r.version, kind: r.listKind }, `A list of ${r.kind} objects.`);
      }
    }
    this.defs = { ...extra, ...defs };
  }

  /** Whether a named schema exists (a type or a named scalar). */
  has(name: string): boolean {
    return this.defs[name] !== undefined || NAMED_SCALAR_SCHEMAS.has(name);
  }

  /** Every name the catalog can render, sorted. */
  names(): string[] {
    const all = new Set([...Object.keys(this.defs), ...NAMED_SCALAR_SCHEMAS.keys()]);
    return [...all].sort();
  }

  /** The named schemas `roots` reach through references, sorted, including the roots. */
  reachable(roots: Iterable<string>): string[] {
    const seen = new Set<string>();
    const stack = [...roots];
    while (stack.length) {
      const name = stack.pop()!;
      if (seen.has(name) || !this.has(name)) continue;
      seen.add(name);
      const def = this.defs[name];
      if (!def || NAMED_SCALAR_SCHEMAS.has(name)) continue;
      for (const f of Object.values(def.fields)) collectRefs(f.type, stack);
    }
    return [...seen].sort();
  }

  /** The JSON schema of a named type. */
  render(name: string, dialect: SchemaDialect): JsonSchema {
    const scalar = NAMED_SCALAR_SCHEMAS.get(name);
    if (scalar) {
      const description = this.defs[name]?.description;
      return description ? { ...scalar, description } : { ...scalar };
    }
    const def = this.defs[name];
    if (!def) throw new Error(`no schema named ${name}`);
    return this.renderType(def, dialect);
  }

  private renderType(def: TypeDef, dialect: SchemaDialect): JsonSchema {
    const out: JsonSchema = { description: def.description, type: 'object' };
    const entries = Object.entries(def.fields);
    if (entries.length) {
      const properties: Record<string, JsonSchema> = {};
      for (const [name, f] of entries) properties[name] = this.renderField(f, dialect);
      out.properties = properties;
      const required = entries.filter(([, f]) => f.required).map(([name]) => name);
      if (required.length) out.required = required;
    }
    if (def.gvk?.length) out['x-kubernetes-group-version-kind'] = def.gvk.map((g) => ({ group: g.group, kind: g.kind, version: g.version }));
    if (def.structType === 'atomic') out['x-kubernetes-map-type'] = 'atomic';
    return out;
  }

  private renderField(f: Field, dialect: SchemaDialect): JsonSchema {
    const base = this.renderRef(f.type, dialect);
    let out: JsonSchema;
    if (typeof base.$ref === 'string') {
      // Swagger 2.0 readers accept a description beside $ref; OpenAPI 3.0 ignores siblings of $ref,
      // so there the reference is wrapped in allOf as upstream does.
      out = dialect === 'v2' ? { $ref: base.$ref } : { allOf: [{ $ref: base.$ref }] };
    } else {
      out = base;
    }
    if (f.description) out.description = f.description;
    if (f.enum?.length) out.enum = [...f.enum];
    if (f.default !== undefined) out.default = f.default;
    if (f.listType) out['x-kubernetes-list-type'] = f.listType;
    if (f.listMapKeys?.length) out['x-kubernetes-list-map-keys'] = [...f.listMapKeys];
    if (f.mapType) out['x-kubernetes-map-type'] = f.mapType;
    if (f.patchMergeKey) out['x-kubernetes-patch-merge-key'] = f.patchMergeKey;
    if (f.patchStrategy) out['x-kubernetes-patch-strategy'] = f.patchStrategy;
    return out;
  }

  /** The schema of a type reference: a $ref for named types, inline for the rest. */
  renderRef(t: TypeRef, dialect: SchemaDialect): JsonSchema {
    const prefix = dialect === 'v2' ? '#/definitions/' : '#/components/schemas/';
    if (typeof t === 'string') {
      const named = NAMED_SCALARS[t];
      if (named) return { $ref: prefix + named.name };
      switch (t) {
        case 'string':
          return { type: 'string' };
        case 'boolean':
          return { type: 'boolean' };
        case 'int32':
          return { type: 'integer', format: 'int32' };
        case 'int64':
          return { type: 'integer', format: 'int64' };
        case 'number':
          return { type: 'number', format: 'double' };
        case 'bytes':
          return { type: 'string', format: 'byte' };
        case 'duration':
          return { type: 'string' };
        default:
          // Free-form JSON: no type, so Swagger readers treat it as arbitrary.
          return { 'x-kubernetes-preserve-unknown-fields': true };
      }
    }
    if ('ref' in t) {
      if (this.has(t.ref)) return { $ref: prefix + t.ref };
      return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    }
    if ('array' in t) return { type: 'array', items: this.renderRef(t.array, dialect) };
    return { type: 'object', additionalProperties: this.renderRef(t.map, dialect) };
  }
}

function collectRefs(t: TypeRef, into: string[]): void {
  if (typeof t === 'string') {
    const named = NAMED_SCALARS[t];
    if (named) into.push(named.name);
    return;
  }
  if ('ref' in t) into.push(t.ref);
  else if ('array' in t) collectRefs(t.array, into);
  else collectRefs(t.map, into);
}
