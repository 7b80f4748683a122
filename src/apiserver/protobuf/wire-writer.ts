// A protobuf wire-format writer: varints, fixed 64-bit doubles and length-delimited fields.
// Nested messages are built in their own writer and appended by reference, so a deep
// document is copied once, in finish(), rather than once per nesting level.

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH_DELIMITED = 2;
export const WIRE_FIXED32 = 5;

// Blocks start small (most nested messages are a few bytes) and double up to the maximum.
const FIRST_BLOCK_SIZE = 64;
const MAX_BLOCK_SIZE = 16384;
const EMPTY: Buffer = Buffer.alloc(0);

export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private block: Buffer = EMPTY;
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
    const grown = this.block.length === 0 ? FIRST_BLOCK_SIZE : Math.min(this.block.length * 2, MAX_BLOCK_SIZE);
    this.block = Buffer.allocUnsafe(Math.max(grown, n));
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
    this.pos = this.block.writeDoubleLE(value, this.pos);
    return this;
  }

  bytesField(field: number, bytes: Uint8Array): this {
    return this.tag(field, WIRE_LENGTH_DELIMITED).varint(bytes.length).raw(bytes);
  }

  stringField(field: number, value: string): this {
    const length = Buffer.byteLength(value, 'utf8');
    this.tag(field, WIRE_LENGTH_DELIMITED).varint(length);
    this.ensure(length);
    this.pos += this.block.write(value, this.pos, 'utf8');
    return this;
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
