// Decodes Kubernetes protobuf bodies into the JSON form of the object, driven by the schema
// model's protobuf field numbers (k8s.io/api generated.proto numbering).
import type { Field, TypeDefs, TypeRef } from '../../api/schema/model.ts';
import { unwrapKubernetesEnvelope } from './envelope.ts';
import { protoType, type EmbeddedMessages } from './field-index.ts';
import { formatGoDuration } from './go-duration.ts';
import { isPointerField } from './pointer-fields.ts';
import { ProtoDecodeError, ProtoReader } from './wire-reader.ts';
import { WIRE_FIXED32, WIRE_FIXED64, WIRE_LENGTH_DELIMITED, WIRE_VARINT } from './wire-writer.ts';

export interface DecodeOptions {
  /**
   * Whether a zero scalar ('' / 0 / false) in this field was set on purpose. The wire carries
   * every non-pointer scalar even when zero, so zeros are dropped (as JSON omitempty would)
   * except in Go pointer fields. Defaults to the upstream pointer-field table.
   */
  keepsZero?: (typeName: string, fieldName: string) => boolean;
  /** Inline-embedded structs per outer type (e.g. Volume embeds VolumeSource under field 2). */
  embeds?: EmbeddedMessages;
}

interface Context {
  defs: TypeDefs;
  keepsZero: (typeName: string, fieldName: string) => boolean;
  embeds: EmbeddedMessages;
}

/**
 * Decodes an application/vnd.kubernetes.protobuf body into the object's JSON form, with
 * apiVersion and kind taken from the envelope. `typeNameFor` maps the envelope's
 * apiVersion/kind to a type name in `defs`.
 */
export function decodeKubernetesProtobuf(
  body: Uint8Array,
  defs: TypeDefs,
  typeNameFor: (apiVersion: string, kind: string) => string | undefined,
  options: DecodeOptions = {},
): Record<string, unknown> {
  const envelope = unwrapKubernetesEnvelope(body);
  if (envelope.contentEncoding !== '') throw new ProtoDecodeError(`unsupported content encoding "${envelope.contentEncoding}"`);
  const version = envelope.apiVersion.includes('/') ? envelope.apiVersion.slice(envelope.apiVersion.indexOf('/') + 1) : envelope.apiVersion;
  const typeName = typeNameFor(envelope.apiVersion, envelope.kind);
  if (!typeName || !defs[typeName]) throw new ProtoDecodeError(`no kind "${envelope.kind}" is registered for version "${envelope.apiVersion || version}"`);
  const object = decodeKubernetesMessage(envelope.raw, defs, typeName, options);
  return { apiVersion: envelope.apiVersion, kind: envelope.kind, ...object };
}

/** Decodes one message of type `typeName` (no envelope) into JSON form. */
export function decodeKubernetesMessage(bytes: Uint8Array, defs: TypeDefs, typeName: string, options: DecodeOptions = {}): Record<string, unknown> {
  const ctx: Context = { defs, keepsZero: options.keepsZero ?? isPointerField, embeds: options.embeds ?? {} };
  return decodeMessage(new ProtoReader(bytes), typeName, ctx);
}

function decodeMessage(r: ProtoReader, typeName: string, ctx: Context): Record<string, unknown> {
  const layout = protoType(ctx.defs, typeName);
  const out: Record<string, unknown> = {};
  while (!r.eof()) {
    const { field: number, wireType } = r.tag();
    const f = layout?.byNumber.get(number);
    if (!f) {
      const embed = wireType === WIRE_LENGTH_DELIMITED ? ctx.embeds[typeName]?.find((e) => e.proto === number) : undefined;
      if (embed) Object.assign(out, decodeMessage(new ProtoReader(r.bytesView()), embed.type, ctx));
      else r.skip(wireType);
      continue;
    }
    decodeField(r, wireType, typeName, f.name, f.field, out, ctx);
  }
  return out;
}

function decodeField(r: ProtoReader, wireType: number, typeName: string, name: string, field: Field, out: Record<string, unknown>, ctx: Context): void {
  const type = field.type;
  if (typeof type === 'object' && 'array' in type) {
    const list = (out[name] as unknown[] | undefined) ?? [];
    out[name] = list;
    readRepeated(r, wireType, type.array, list, ctx);
    return;
  }
  if (typeof type === 'object' && 'map' in type) {
    expectWire(wireType, WIRE_LENGTH_DELIMITED, name);
    const map = (out[name] as Record<string, unknown> | undefined) ?? {};
    out[name] = map;
    readMapEntry(r.bytesView(), type.map, map, ctx);
    return;
  }
  const value = readValue(r, wireType, type, ctx);
  if (value === undefined || (isZero(value, type) && !ctx.keepsZero(typeName, name))) delete out[name];
  else out[name] = value;
}

/** The zero value of a scalar, which a non-pointer field carries when it was never set. */
function isZero(value: unknown, type: TypeRef): boolean {
  switch (type) {
    case 'string':
    case 'bytes':
    case 'quantity':
      return value === '';
    case 'boolean':
      return value === false;
    case 'int32':
    case 'int64':
    case 'number':
      return value === 0;
    case 'int-or-string':
      return value === 0 || value === '';
    case 'duration':
      return value === '0s';
    default:
      return false;
  }
}

const PACKABLE = new Set<TypeRef>(['boolean', 'int32', 'int64', 'number']);

/** One occurrence of a repeated field; packed scalars may carry several values. */
function readRepeated(r: ProtoReader, wireType: number, item: TypeRef, list: unknown[], ctx: Context): void {
  if (typeof item === 'string' && PACKABLE.has(item) && wireType === WIRE_LENGTH_DELIMITED) {
    const packed = r.bytesView();
    const p = new ProtoReader(packed);
    const elementWire = item === 'number' ? WIRE_FIXED64 : WIRE_VARINT;
    while (!p.eof()) list.push(readValue(p, elementWire, item, ctx));
    return;
  }
  list.push(readNestedItem(r, wireType, item, ctx) ?? null);
}

/** An array item or map value; nested arrays and maps travel inside a wrapper message {1: ...}. */
function readNestedItem(r: ProtoReader, wireType: number, type: TypeRef, ctx: Context): unknown {
  if (typeof type === 'object' && ('array' in type || 'map' in type)) {
    const wrapper = new ProtoReader(r.bytesView());
    const holder: Record<string, unknown> = {};
    const field: Field = { type, proto: 1 };
    while (!wrapper.eof()) {
      const t = wrapper.tag();
      if (t.field === 1) decodeField(wrapper, t.wireType, '', 'value', field, holder, ctx);
      else wrapper.skip(t.wireType);
    }
    return holder.value ?? ('array' in type ? [] : {});
  }
  return readValue(r, wireType, type, ctx);
}

function readMapEntry(entry: Uint8Array, valueType: TypeRef, map: Record<string, unknown>, ctx: Context): void {
  const r = new ProtoReader(entry);
  let key = '';
  let value: unknown;
  while (!r.eof()) {
    const { field, wireType } = r.tag();
    if (field === 1 && wireType === WIRE_LENGTH_DELIMITED) key = r.string();
    else if (field === 2) value = readNestedItem(r, wireType, valueType, ctx);
    else r.skip(wireType);
  }
  map[key] = value ?? zeroOf(valueType, ctx);
}

/** A map entry without a value field holds the value type's zero. */
function zeroOf(type: TypeRef, ctx: Context): unknown {
  switch (type) {
    case 'string':
    case 'bytes':
    case 'quantity':
      return '';
    case 'boolean':
      return false;
    case 'int32':
    case 'int64':
    case 'number':
    case 'int-or-string':
      return 0;
    case 'duration':
      return '0s';
    case 'date-time':
    case 'micro-time':
    case 'any':
      return null;
  }
  if ('ref' in type) return decodeMessage(new ProtoReader(new Uint8Array(0)), type.ref, ctx);
  return 'array' in type ? [] : {};
}

function expectWire(actual: number, expected: number, what: string): void {
  if (actual !== expected) throw new ProtoDecodeError(`unexpected wire type ${actual} for ${what}`);
}

function readValue(r: ProtoReader, wireType: number, type: TypeRef, ctx: Context): unknown {
  if (typeof type === 'object') {
    if ('ref' in type) {
      expectWire(wireType, WIRE_LENGTH_DELIMITED, type.ref);
      return decodeMessage(new ProtoReader(r.bytesView()), type.ref, ctx);
    }
    // Arrays and maps directly inside arrays/maps are handled by readNestedItem.
    throw new ProtoDecodeError('nested collection outside a wrapper message');
  }
  switch (type) {
    case 'string':
      expectWire(wireType, WIRE_LENGTH_DELIMITED, type);
      return r.string();
    case 'bytes':
      expectWire(wireType, WIRE_LENGTH_DELIMITED, type);
      return Buffer.from(r.bytesView()).toString('base64');
    case 'boolean':
      expectWire(wireType, WIRE_VARINT, type);
      return r.bool();
    case 'int32':
      expectWire(wireType, WIRE_VARINT, type);
      return r.int32();
    case 'int64':
      expectWire(wireType, WIRE_VARINT, type);
      return r.int64();
    case 'number':
      if (wireType === WIRE_FIXED32) {
        const v = new DataView(r.bytes.buffer, r.bytes.byteOffset + r.pos, 4).getFloat32(0, true);
        r.pos += 4;
        return v;
      }
      expectWire(wireType, WIRE_FIXED64, type);
      return r.double();
  }
  expectWire(wireType, WIRE_LENGTH_DELIMITED, type);
  const m = new ProtoReader(r.bytesView());
  switch (type) {
    case 'quantity':
      return readQuantity(m);
    case 'int-or-string':
      return readIntOrString(m);
    case 'date-time':
      return readTime(m, false);
    case 'micro-time':
      return readTime(m, true);
    case 'duration':
      return readDuration(m);
    case 'any':
      return readRawJson(m);
  }
}

/** resource.Quantity {1: string}. */
function readQuantity(m: ProtoReader): string {
  let value = '';
  while (!m.eof()) {
    const t = m.tag();
    if (t.field === 1 && t.wireType === WIRE_LENGTH_DELIMITED) value = m.string();
    else m.skip(t.wireType);
  }
  return value;
}

/** intstr.IntOrString {1: type (0 int, 1 string), 2: intVal, 3: strVal}. */
function readIntOrString(m: ProtoReader): number | string {
  let kind = 0;
  let intVal = 0;
  let strVal = '';
  while (!m.eof()) {
    const t = m.tag();
    if (t.field === 1 && t.wireType === WIRE_VARINT) kind = Number(m.int64());
    else if (t.field === 2 && t.wireType === WIRE_VARINT) intVal = m.int32();
    else if (t.field === 3 && t.wireType === WIRE_LENGTH_DELIMITED) strVal = m.string();
    else m.skip(t.wireType);
  }
  return kind === 1 ? strVal : intVal;
}

/** metav1.Time / MicroTime {1: seconds, 2: nanos}; an empty message is the zero time (null in JSON). */
function readTime(m: ProtoReader, micro: boolean): string | undefined {
  if (m.eof()) return undefined;
  let seconds = 0n;
  let nanos = 0;
  while (!m.eof()) {
    const t = m.tag();
    if (t.field === 1 && t.wireType === WIRE_VARINT) seconds = BigInt.asIntN(64, m.varintBig());
    else if (t.field === 2 && t.wireType === WIRE_VARINT) nanos = m.int32();
    else m.skip(t.wireType);
  }
  return formatRfc3339(seconds, micro ? Math.floor(nanos / 1000) : undefined);
}

function formatRfc3339(seconds: bigint, micros?: number): string {
  const date = new Date(Number(seconds) * 1000);
  const base = date.toISOString().slice(0, 19);
  return micros === undefined ? `${base}Z` : `${base}.${String(micros).padStart(6, '0')}Z`;
}

/** metav1.Duration {1: nanoseconds}. */
function readDuration(m: ProtoReader): string {
  let ns = 0n;
  while (!m.eof()) {
    const t = m.tag();
    if (t.field === 1 && t.wireType === WIRE_VARINT) ns = BigInt.asIntN(64, m.varintBig());
    else m.skip(t.wireType);
  }
  return formatGoDuration(ns);
}

const utf8 = new TextDecoder();

/** runtime.RawExtension / JSON / FieldsV1 {1: raw bytes} holding JSON. */
function readRawJson(m: ProtoReader): unknown {
  let raw: Uint8Array | undefined;
  while (!m.eof()) {
    const t = m.tag();
    if (t.field === 1 && t.wireType === WIRE_LENGTH_DELIMITED) raw = m.bytesView();
    else m.skip(t.wireType);
  }
  if (!raw || raw.length === 0) return undefined;
  const text = utf8.decode(raw);
  try {
    return JSON.parse(text);
  } catch {
    throw new ProtoDecodeError('embedded raw object is not JSON');
  }
}
