// Per-type lookups of protobuf field numbers, built once per TypeDefs object.
import type { Field, TypeDef, TypeDefs } from '../../api/schema/model.ts';

export interface ProtoField {
  name: string;
  field: Field;
  number: number;
}

export interface ProtoType {
  byNumber: Map<number, ProtoField>;
  /** Fields that have a protobuf number, in ascending number order (the order gogo writes them). */
  ordered: ProtoField[];
}

/**
 * A Go struct embedded inline (`json:",inline"`): flat in JSON, but one nested message under
 * its own field number in protobuf. Keyed by the outer type's name.
 */
export interface EmbeddedMessage {
  proto: number;
  /** Definition name of the embedded type. */
  type: string;
}
export type EmbeddedMessages = Readonly<Record<string, readonly EmbeddedMessage[]>>;

const cache = new WeakMap<TypeDefs, Map<string, ProtoType>>();

function index(def: TypeDef): ProtoType {
  const ordered: ProtoField[] = [];
  for (const [name, field] of Object.entries(def.fields)) {
    if (field.proto !== undefined) ordered.push({ name, field, number: field.proto });
  }
  ordered.sort((a, b) => a.number - b.number);
  return { byNumber: new Map(ordered.map((f) => [f.number, f])), ordered };
}

/** The protobuf layout of a type, or undefined when the type is not defined. */
export function protoType(defs: TypeDefs, typeName: string): ProtoType | undefined {
  let perDefs = cache.get(defs);
  if (!perDefs) {
    perDefs = new Map();
    cache.set(defs, perDefs);
  }
  let t = perDefs.get(typeName);
  if (!t) {
    const def = defs[typeName];
    if (!def) return undefined;
    t = index(def);
    perDefs.set(typeName, t);
  }
  return t;
}
