// Encodes an object's JSON form as a Kubernetes protobuf body (the inverse of
// kubernetes-decode.ts). Fields are written in field-number order and map entries in key
// order, as the generated marshallers do; absent and null fields are not written.
import type { TypeDefs, TypeRef } from '../../api/schema/model.ts';
import { wrapKubernetesEnvelope } from './envelope.ts';
import { protoType, type EmbeddedMessages } from './field-index.ts';
import { parseGoDuration } from './go-duration.ts';
import { ProtoWriter } from './wire-writer.ts';

export class ProtoEncodeError extends Error {}

export interface EncodeOptions {
  /** Inline-embedded structs per outer type (e.g. Volume embeds VolumeSource under field 2). */
  embeds?: EmbeddedMessages;
}

interface Context {
  defs: TypeDefs;
  embeds: EmbeddedMessages;
}

/** The full body: magic, envelope with apiVersion/kind from the object, and the object's message. */
export function encodeKubernetesProtobuf(obj: Record<string, unknown>, defs: TypeDefs, typeName: string, options: EncodeOptions = {}): Uint8Array {
  const raw = encodeKubernetesMessage(obj, defs, typeName, options);
  return wrapKubernetesEnvelope(String(obj.apiVersion ?? ''), String(obj.kind ?? ''), raw);
}

/** One message of type `typeName`, without the envelope. */
export function encodeKubernetesMessage(obj: Record<string, unknown>, defs: TypeDefs, typeName: string, options: EncodeOptions = {}): Uint8Array {
  return writeMessage(obj, typeName, { defs, embeds: options.embeds ?? {} }).finish();
}

function writeMessage(obj: Record<string, unknown>, typeName: string, ctx: Context): ProtoWriter {
  const layout = protoType(ctx.defs, typeName);
  if (!layout) throw new ProtoEncodeError(`no protobuf layout for type ${typeName}`);
  const embeds = ctx.embeds[typeName] ?? [];
  const w = new ProtoWriter();
  let next = 0; // embeds are written at their place in field-number order
  const sortedEmbeds = [...embeds].sort((a, b) => a.proto - b.proto);
  const writeEmbedsBelow = (limit: number) => {
    while (next < sortedEmbeds.length && sortedEmbeds[next]!.proto < limit) {
      const e = sortedEmbeds[next++]!;
      w.messageField(e.proto, writeMessage(obj, e.type, ctx));
    }
  };
  for (const { name, field, number } of layout.ordered) {
    writeEmbedsBelow(number);
    const value = obj[name];
    if (value === undefined || value === null) continue;
    writeField(w, number, field.type, value, ctx, name);
  }
  writeEmbedsBelow(Infinity);
  return w;
}

function writeField(w: ProtoWriter, number: number, type: TypeRef, value: unknown, ctx: Context, path: string): void {
  if (typeof type === 'object' && 'array' in type) {
    if (!Array.isArray(value)) throw new ProtoEncodeError(`${path}: expected an array`);
    for (const item of value) writeItem(w, number, type.array, item, ctx, path);
    return;
  }
  if (typeof type === 'object' && 'map' in type) {
    if (typeof value !== 'object' || Array.isArray(value)) throw new ProtoEncodeError(`${path}: expected an object`);
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [key, v] of entries) {
      const entry = new ProtoWriter().stringField(1, key);
      if (v !== undefined && v !== null) writeItem(entry, 2, type.map, v, ctx, `${path}.${key}`);
      w.messageField(number, entry);
    }
    return;
  }
  writeValue(w, number, type, value, ctx, path);
}

/** An array item or map value; nested collections are wrapped in a message {1: ...}. */
function writeItem(w: ProtoWriter, number: number, type: TypeRef, value: unknown, ctx: Context, path: string): void {
  if (typeof type === 'object' && ('array' in type || 'map' in type)) {
    const wrapper = new ProtoWriter();
    if (value !== null && value !== undefined) writeField(wrapper, 1, type, value, ctx, path);
    w.messageField(number, wrapper);
    return;
  }
  if (value === null || value === undefined) {
    if (typeof type === 'object' && 'ref' in type) w.messageField(number, new ProtoWriter());
    return;
  }
  writeValue(w, number, type, value, ctx, path);
}

function toBigInt(value: unknown, path: string): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  throw new ProtoEncodeError(`${path}: expected an integer`);
}

function writeValue(w: ProtoWriter, number: number, type: TypeRef, value: unknown, ctx: Context, path: string): void {
  if (typeof type === 'object') {
    if (!('ref' in type)) throw new ProtoEncodeError(`${path}: nested collection outside a wrapper`);
    if (typeof value !== 'object' || Array.isArray(value)) throw new ProtoEncodeError(`${path}: expected an object`);
    w.messageField(number, writeMessage(value as Record<string, unknown>, type.ref, ctx));
    return;
  }
  switch (type) {
    case 'string':
      w.stringField(number, String(value));
      return;
    case 'bytes':
      w.bytesField(number, Buffer.from(String(value), 'base64'));
      return;
    case 'boolean':
      w.boolField(number, value === true);
      return;
    case 'int32':
      w.varintField(number, BigInt.asIntN(32, toBigInt(value, path)));
      return;
    case 'int64':
      w.varintField(number, toBigInt(value, path));
      return;
    case 'number':
      w.doubleField(number, Number(value));
      return;
    case 'quantity':
      w.messageField(number, new ProtoWriter().stringField(1, String(value)));
      return;
    case 'int-or-string': {
      // Written like intstr's generated marshaller: all three fields, always.
      const m = new ProtoWriter();
      if (typeof value === 'number') m.varintField(1, 0).varintField(2, BigInt.asIntN(32, BigInt(Math.trunc(value)))).stringField(3, '');
      else m.varintField(1, 1).varintField(2, 0).stringField(3, String(value));
      w.messageField(number, m);
      return;
    }
    case 'date-time':
    case 'micro-time': {
      const { seconds, nanos } = parseRfc3339(String(value), path);
      const m = new ProtoWriter().varintField(1, seconds);
      if (type === 'micro-time' && nanos !== 0) m.varintField(2, nanos);
      w.messageField(number, m);
      return;
    }
    case 'duration':
      w.messageField(number, new ProtoWriter().varintField(1, parseGoDuration(String(value))));
      return;
    case 'any':
      w.messageField(number, new ProtoWriter().bytesField(1, Buffer.from(JSON.stringify(value))));
      return;
  }
}

/** RFC 3339 text to Unix seconds and nanoseconds. */
function parseRfc3339(text: string, path: string): { seconds: bigint; nanos: number } {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i.exec(text);
  if (!m) throw new ProtoEncodeError(`${path}: invalid RFC 3339 time "${text}"`);
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) throw new ProtoEncodeError(`${path}: invalid RFC 3339 time "${text}"`);
  const nanos = m[2] ? Number(m[2].padEnd(9, '0')) : 0;
  return { seconds: BigInt(Math.floor(ms / 1000)), nanos };
}
