// A protobuf wire-format writer: varints, fixed 64-bit doubles and length-delimited fields.
// Nested messages are built in their own writer and appended by reference, so a deep
// document is copied once, in finish(), rather than once per nesting level.

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH_DELIMITED = 2;
export const WIRE_FIXED32 = 5;

const BLOCK_SIZE = 4096;
const utf8 = new TextEncoder();

export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private block = new Uint8Array(BLOCK_SIZE);
  private blockStart = 0;
  private pos = 0;
  private flushedLength = 0;

  /** Bytes written so far. */
  get length(): number {
    return this.flushedLength + this.pos - this.blockStart;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.block.length) return;
    this.flushBlock();
    this.block = new Uint8Array(Math.max(BLOCK_SIZE, n));
    this.blockStart = 0;
    this.pos = 0;
  }

  private flushBlock(): void {
    if (this.pos > this.blockStart) {
      this.chunks.push(this.block.subarray(this.blockStart, this.pos));
      this.flushedLength += this.pos - this.blockStart;
      this.blockStart = this.pos;
    }
  }

  /** An unsigned varint; negative numbers are written as 64-bit two's complement (10 bytes). */
  varint(value: number | bigint): this {
    if (typeof value === 'number' && value >= 0 && value <= 0xffffffff && Number.isInteger(value)) {
      this.ensure(5);
      let v = value;
      while (v > 0x7f) {
        this.block[this.pos++] = (v & 0x7f) | 0x80;
        v = v >>> 7;
      }
      this.block[this.pos++] = v;
      return this;
    }
    let v = BigInt.asUintN(64, typeof value === 'bigint' ? value : BigInt(Math.trunc(value)));
    this.ensure(10);
    while (v > 0x7fn) {
      this.block[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.block[this.pos++] = Number(v);
    return this;
  }

  tag(field: number, wireType: number): this {
    return this.varint(field * 8 + wireType);
  }

  raw(bytes: Uint8Array): this {
    if (bytes.length <= 256) {
      this.ensure(bytes.length);
      this.block.set(bytes, this.pos);
      this.pos += bytes.length;
    } else {
      this.flushBlock();
      this.chunks.push(bytes);
      this.flushedLength += bytes.length;
    }
    return this;
  }

  varintField(field: number, value: number | bigint): this {
    return this.tag(field, WIRE_VARINT).varint(value);
  }

  boolField(field: number, value: boolean): this {
    return this.tag(field, WIRE_VARINT).varint(value ? 1 : 0);
  }

  doubleField(field: number, value: number): this {
    this.tag(field, WIRE_FIXED64);
    this.ensure(8);
    new DataView(this.block.buffer, this.block.byteOffset + this.pos, 8).setFloat64(0, value, true);
    this.pos += 8;
    return this;
  }

  bytesField(field: number, bytes: Uint8Array): this {
    return this.tag(field, WIRE_LENGTH_DELIMITED).varint(bytes.length).raw(bytes);
  }

  stringField(field: number, value: string): this {
    return this.bytesField(field, utf8.encode(value));
  }

  /** A nested message written by `child`; its chunks are appended without copying. */
  messageField(field: number, child: ProtoWriter): this {
    this.tag(field, WIRE_LENGTH_DELIMITED).varint(child.length);
    child.flushBlock();
    this.flushBlock();
    for (const chunk of child.chunks) this.chunks.push(chunk);
    this.flushedLength += child.flushedLength;
    return this;
  }

  finish(): Uint8Array {
    this.flushBlock();
    if (this.chunks.length === 1) return this.chunks[0]!;
    const out = new Uint8Array(this.flushedLength);
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }
}
