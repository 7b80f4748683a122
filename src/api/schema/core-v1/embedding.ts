// Go structs embedded inline: upstream types such as Volume embed VolumeSource with `json:",inline"`, so in JSON
// (and so in OpenAPI, patches and field validation) the embedded fields sit flat beside the outer ones, while in
// protobuf the embedded struct stays one nested message under its own field number. The flat fields therefore
// carry no proto number of their own; ProtoEmbed says under which number, and as which type, to find them.
import type { Field, TypeDef } from '../model.ts';

export interface ProtoEmbed {
  /** Field number of the embedded message inside the outer one. */
  proto: number;
  /** Definition name of the embedded type; its fields carry the numbers inside that message. */
  type: string;
}

/** The fields of an embedded type as they appear flat in the outer type: same JSON shape, no proto numbers. */
export function inlined(embedded: TypeDef): Record<string, Field> {
  const out: Record<string, Field> = {};
  for (const [name, f] of Object.entries(embedded.fields)) {
    const { proto: _proto, ...flat } = f;
    out[name] = flat;
  }
  return out;
}
