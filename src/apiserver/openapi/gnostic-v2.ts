// The Swagger 2.0 document in the protobuf form kubectl asks /openapi/v2 for
// (application/com.github.proto-openapi.spec.v2.v1.0+protobuf), which it unmarshals as
// gnostic's openapi_v2.Document. Field numbers follow gnostic-models openapiv2/OpenAPIv2.proto.
// Vendor extensions, defaults, enums and examples travel as Any{yaml}; JSON text is valid YAML.
import { ProtoWriter } from '../protobuf/index.ts';

export const OPENAPI_V2_PROTOBUF_CONTENT_TYPE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

type Json = Record<string, unknown>;

const cache = new WeakMap<object, Uint8Array>();

/** Encodes a Swagger 2.0 document (as built by buildOpenApiV2) as gnostic protobuf. */
export function encodeOpenApiV2Protobuf(doc: object): Uint8Array {
  let bytes = cache.get(doc);
  if (!bytes) {
    bytes = document(doc as Json).finish();
    cache.set(doc, bytes);
  }
  return bytes;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function str(w: ProtoWriter, field: number, v: unknown): void {
  if (typeof v === 'string' && v !== '') w.stringField(field, v);
}
function strs(w: ProtoWriter, field: number, v: unknown): void {
  if (Array.isArray(v)) for (const s of v) if (typeof s === 'string') w.stringField(field, s);
}
function bool(w: ProtoWriter, field: number, v: unknown): void {
  if (v === true) w.boolField(field, true);
}
function double(w: ProtoWriter, field: number, v: unknown): void {
  if (typeof v === 'number' && v !== 0) w.doubleField(field, v);
}
function int64(w: ProtoWriter, field: number, v: unknown): void {
  if (typeof v === 'number' && Number.isInteger(v) && v !== 0) w.varintField(field, v);
}
function msg(w: ProtoWriter, field: number, child: ProtoWriter | undefined): void {
  if (child) w.messageField(field, child);
}

/** Any {2: yaml}. */
function any(value: unknown): ProtoWriter {
  return new ProtoWriter().stringField(2, JSON.stringify(value));
}

/** NamedAny entries for every x- key of an object. */
function vendorExtensions(w: ProtoWriter, field: number, o: Json): void {
  for (const [k, v] of Object.entries(o)) {
    if (!k.startsWith('x-') || v === undefined) continue;
    w.messageField(field, new ProtoWriter().stringField(1, k).messageField(2, any(v)));
  }
}

function document(d: Json): ProtoWriter {
  const w = new ProtoWriter();
  str(w, 1, d.swagger);
  if (isObject(d.info)) w.messageField(2, info(d.info));
  str(w, 3, d.host);
  str(w, 4, d.basePath);
  strs(w, 5, d.schemes);
  strs(w, 6, d.consumes);
  strs(w, 7, d.produces);
  if (isObject(d.paths)) w.messageField(8, paths(d.paths));
  if (isObject(d.definitions)) {
    const defs = new ProtoWriter();
    for (const [name, s] of Object.entries(d.definitions)) if (isObject(s)) defs.messageField(1, named(name, schema(s)));
    w.messageField(9, defs);
  }
  if (isObject(d.parameters)) {
    const params = new ProtoWriter();
    for (const [name, p] of Object.entries(d.parameters)) if (isObject(p)) params.messageField(1, named(name, parameter(p)));
    w.messageField(10, params);
  }
  if (Array.isArray(d.tags)) for (const t of d.tags) if (isObject(t)) w.messageField(14, tag(t));
  vendorExtensions(w, 16, d);
  return w;
}

function named(name: string, value: ProtoWriter): ProtoWriter {
  return new ProtoWriter().stringField(1, name).messageField(2, value);
}

function info(i: Json): ProtoWriter {
  const w = new ProtoWriter();
  str(w, 1, i.title);
  str(w, 2, i.version);
  str(w, 3, i.description);
  str(w, 4, i.termsOfService);
  vendorExtensions(w, 7, i);
  return w;
}

function tag(t: Json): ProtoWriter {
  const w = new ProtoWriter();
  str(w, 1, t.name);
  str(w, 2, t.description);
  vendorExtensions(w, 4, t);
  return w;
}

function paths(p: Json): ProtoWriter {
  const w = new ProtoWriter();
  vendorExtensions(w, 1, p);
  for (const [path, item] of Object.entries(p)) {
    if (path.startsWith('x-') || !isObject(item)) continue;
    w.messageField(2, named(path, pathItem(item)));
  }
  return w;
}

const METHOD_FIELDS: [string, number][] = [
  ['get', 2],
  ['put', 3],
  ['post', 4],
  ['delete', 5],
  ['options', 6],
  ['head', 7],
  ['patch', 8],
];

function pathItem(item: Json): ProtoWriter {
  const w = new ProtoWriter();
  str(w, 1, item.$ref);
  for (const [method, field] of METHOD_FIELDS) if (isObject(item[method])) w.messageField(field, operation(item[method]));
  if (Array.isArray(item.parameters)) for (const p of item.parameters) if (isObject(p)) w.messageField(9, parametersItem(p));
  vendorExtensions(w, 10, item);
  return w;
}

function operation(op: Json): ProtoWriter {
  const w = new ProtoWriter();
  strs(w, 1, op.tags);
  str(w, 2, op.summary);
  str(w, 3, op.description);
  str(w, 5, op.operationId);
  strs(w, 6, op.produces);
  strs(w, 7, op.consumes);
  if (Array.isArray(op.parameters)) for (const p of op.parameters) if (isObject(p)) w.messageField(8, parametersItem(p));
  if (isObject(op.responses)) w.messageField(9, responses(op.responses));
  strs(w, 10, op.schemes);
  bool(w, 11, op.deprecated);
  vendorExtensions(w, 13, op);
  return w;
}

/** ParametersItem: oneof {1: Parameter, 2: JsonReference}. */
function parametersItem(p: Json): ProtoWriter {
  if (typeof p.$ref === 'string') return new ProtoWriter().messageField(2, jsonReference(p));
  return new ProtoWriter().messageField(1, parameter(p));
}

function jsonReference(p: Json): ProtoWriter {
  const w = new ProtoWriter().stringField(1, p.$ref as string);
  str(w, 2, p.description);
  return w;
}

/** Parameter: oneof {1: BodyParameter, 2: NonBodyParameter {1 header, 2 formData, 3 query, 4 path}}. */
function parameter(p: Json): ProtoWriter {
  if (p.in === 'body') {
    const b = new ProtoWriter();
    str(b, 1, p.description);
    str(b, 2, p.name);
    str(b, 3, p.in);
    bool(b, 4, p.required);
    if (isObject(p.schema)) b.messageField(5, schema(p.schema));
    vendorExtensions(b, 6, p);
    return new ProtoWriter().messageField(1, b);
  }
  const variant = p.in === 'header' ? 1 : p.in === 'formData' ? 2 : p.in === 'path' ? 4 : 3;
  return new ProtoWriter().messageField(2, new ProtoWriter().messageField(variant, nonBodySubSchema(p, variant)));
}

/**
 * Header/path sub-schemas number their fields one lower than query/formData from `type` on,
 * because only the latter have allowEmptyValue (5).
 */
function nonBodySubSchema(p: Json, variant: number): ProtoWriter {
  const hasAllowEmpty = variant === 2 || variant === 3;
  const at = (n: number) => (hasAllowEmpty ? n : n - 1);
  const w = new ProtoWriter();
  bool(w, 1, p.required);
  str(w, 2, p.in);
  str(w, 3, p.description);
  str(w, 4, p.name);
  if (hasAllowEmpty) bool(w, 5, p.allowEmptyValue);
  str(w, at(6), p.type);
  str(w, at(7), p.format);
  if (isObject(p.items)) w.messageField(at(8), primitivesItems(p.items));
  str(w, at(9), p.collectionFormat);
  if (p.default !== undefined) w.messageField(at(10), any(p.default));
  double(w, at(11), p.maximum);
  bool(w, at(12), p.exclusiveMaximum);
  double(w, at(13), p.minimum);
  bool(w, at(14), p.exclusiveMinimum);
  int64(w, at(15), p.maxLength);
  int64(w, at(16), p.minLength);
  str(w, at(17), p.pattern);
  int64(w, at(18), p.maxItems);
  int64(w, at(19), p.minItems);
  bool(w, at(20), p.uniqueItems);
  if (Array.isArray(p.enum)) for (const e of p.enum) w.messageField(at(21), any(e));
  double(w, at(22), p.multipleOf);
  vendorExtensions(w, at(23), p);
  return w;
}

function primitivesItems(p: Json): ProtoWriter {
  const w = new ProtoWriter();
  str(w, 1, p.type);
  str(w, 2, p.format);
  if (isObject(p.items)) w.messageField(3, primitivesItems(p.items));
  str(w, 4, p.collectionFormat);
  if (p.default !== undefined) w.messageField(5, any(p.default));
  if (Array.isArray(p.enum)) for (const e of p.enum) w.messageField(16, any(e));
  vendorExtensions(w, 18, p);
  return w;
}

function responses(r: Json): ProtoWriter {
  const w = new ProtoWriter();
  for (const [code, value] of Object.entries(r)) {
    if (code.startsWith('x-') || !isObject(value)) continue;
    const responseValue =
      typeof value.$ref === 'string' ? new ProtoWriter().messageField(2, jsonReference(value)) : new ProtoWriter().messageField(1, response(value));
    w.messageField(1, named(code, responseValue));
  }
  vendorExtensions(w, 2, r);
  return w;
}

function response(r: Json): ProtoWriter {
  const w = new ProtoWriter();
  str(w, 1, r.description);
  // SchemaItem: oneof {1: Schema, 2: FileSchema}.
  if (isObject(r.schema)) w.messageField(2, new ProtoWriter().messageField(1, schema(r.schema)));
  vendorExtensions(w, 5, r);
  return w;
}

function schema(s: Json): ProtoWriter {
  const w = new ProtoWriter();
  str(w, 1, s.$ref);
  str(w, 2, s.format);
  str(w, 3, s.title);
  str(w, 4, s.description);
  if (s.default !== undefined) w.messageField(5, any(s.default));
  double(w, 6, s.multipleOf);
  double(w, 7, s.maximum);
  bool(w, 8, s.exclusiveMaximum);
  double(w, 9, s.minimum);
  bool(w, 10, s.exclusiveMinimum);
  int64(w, 11, s.maxLength);
  int64(w, 12, s.minLength);
  str(w, 13, s.pattern);
  int64(w, 14, s.maxItems);
  int64(w, 15, s.minItems);
  bool(w, 16, s.uniqueItems);
  int64(w, 17, s.maxProperties);
  int64(w, 18, s.minProperties);
  strs(w, 19, s.required);
  if (Array.isArray(s.enum)) for (const e of s.enum) w.messageField(20, any(e));
  // AdditionalPropertiesItem: oneof {1: Schema, 2: bool}.
  if (isObject(s.additionalProperties)) w.messageField(21, new ProtoWriter().messageField(1, schema(s.additionalProperties)));
  else if (typeof s.additionalProperties === 'boolean') w.messageField(21, new ProtoWriter().boolField(2, s.additionalProperties));
  // TypeItem {1: repeated string}.
  if (typeof s.type === 'string') w.messageField(22, new ProtoWriter().stringField(1, s.type));
  else if (Array.isArray(s.type)) {
    const t = new ProtoWriter();
    strs(t, 1, s.type);
    w.messageField(22, t);
  }
  // ItemsItem {1: repeated Schema}.
  if (isObject(s.items)) w.messageField(23, new ProtoWriter().messageField(1, schema(s.items)));
  else if (Array.isArray(s.items)) {
    const items = new ProtoWriter();
    for (const i of s.items) if (isObject(i)) items.messageField(1, schema(i));
    w.messageField(23, items);
  }
  if (Array.isArray(s.allOf)) for (const a of s.allOf) if (isObject(a)) w.messageField(24, schema(a));
  // Properties {1: repeated NamedSchema}.
  if (isObject(s.properties)) {
    const props = new ProtoWriter();
    for (const [name, p] of Object.entries(s.properties)) if (isObject(p)) props.messageField(1, named(name, schema(p)));
    w.messageField(25, props);
  }
  str(w, 26, s.discriminator);
  bool(w, 27, s.readOnly);
  if (s.example !== undefined) w.messageField(30, any(s.example));
  vendorExtensions(w, 31, s);
  return w;
}
