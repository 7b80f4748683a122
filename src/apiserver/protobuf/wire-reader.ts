// A protobuf wire-format reader over one message's bytes. Varints are read as BigInt when
// they do not fit 32 bits, so 64-bit values (and negative int32s, which travel as 10-byte
// varints) survive; callers turn them into Numbers when that is exact.
import { WIRE_FIXED32, WIRE_FIXED64, WIRE_LENGTH_DELIMITED, WIRE_VARINT } from './wire-writer.ts';

const utf8 = new TextDecoder('utf-8', { fatal: false });

export class ProtoDecodeError extends Error {}

export interface Tag {
  field: number;
  wireType: number;
}

export class ProtoReader {
  readonly bytes: Uint8Array;
  pos: number;
  readonly end: number;

  constructor(bytes: Uint8Array, start = 0, end = bytes.length) {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
  }

  eof(): boolean {
    return this.pos >= this.end;
  }

  /** An unsigned varint as BigInt (up to 64 bits). */
  varintBig(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtoDecodeError('unexpected end of varint');
      const b = this.bytes[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return BigInt.asUintN(64, result);
      shift += 7n;
    }
    throw new ProtoDecodeError('varint longer than 10 bytes');
  }

  /** An unsigned varint as a Number; fast for values below 2^28, exact below 2^53. */
  varint(): number {
    let result = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (this.pos >= this.end) throw new ProtoDecodeError('unexpected end of varint');
      const b = this.bytes[this.pos++]!;
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result >>> 0;
    }
    // Longer: re-read the whole varint (4 bytes consumed so far) with BigInt.
    this.pos -= 4;
    return Number(this.varintBig());
  }

  /** A signed 64-bit varint: a Number when exact, else a BigInt. */
  int64(): number | bigint {
    const v = BigInt.asIntN(64, this.varintBig());
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }

  /** A signed 32-bit varint (negative values are sign-extended to 10 bytes on the wire). */
  int32(): number {
    return Number(BigInt.asIntN(32, this.varintBig()));
  }

  bool(): boolean {
    return this.varintBig() !== 0n;
  }

  double(): number {
    if (this.pos + 8 > this.end) throw new ProtoDecodeError('unexpected end of fixed64');
    const v = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.pos, 8).getFloat64(0, true);
    this.pos += 8;
    return v;
  }

  /** A length-delimited field's bytes (a view, not a copy). */
  bytesView(): Uint8Array {
    const length = this.varint();
    if (this.pos + length > this.end) throw new ProtoDecodeError('length-delimited field runs past the end of the message');
    const view = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return view;
  }

  string(): string {
    return utf8.decode(this.bytesView());
  }

  tag(): Tag {
    const key = this.varint();
    const field = Math.floor(key / 8);
    if (field === 0) throw new ProtoDecodeError('invalid field number 0');
    return { field, wireType: key & 7 };
  }

  skip(wireType: number): void {
    switch (wireType) {
      case WIRE_VARINT:
        this.varintBig();
        return;
      case WIRE_FIXED64:
        this.pos += 8;
        break;
      case WIRE_LENGTH_DELIMITED:
        this.bytesView();
        return;
      case WIRE_FIXED32:
        this.pos += 4;
        break;
      default:
        throw new ProtoDecodeError(`unsupported wire type ${wireType}`);
    }
    if (this.pos > this.end) throw new ProtoDecodeError('unexpected end of message');
  }
}
