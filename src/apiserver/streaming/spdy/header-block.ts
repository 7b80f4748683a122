// SPDY/3 header blocks: name/value pairs (32-bit counts and lengths, names lower-case, several
// values of one name joined by NUL), compressed with zlib primed by the SPDY/3 dictionary.
// Each direction of a connection keeps ONE deflate (or inflate) context for its whole life and
// sync-flushes after every block, so blocks must be compressed and decompressed in frame order.
import { createDeflate, createInflate, constants, type Deflate, type Inflate } from 'node:zlib';
import { SPDY3_HEADER_DICTIONARY } from './dictionary.ts';
import { SpdyProtocolError } from './frames.ts';

/** Header names are lower-case; several values of one name are joined with '\0'. */
export type SpdyHeaders = Record<string, string>;

export function encodeHeaderBlock(headers: SpdyHeaders): Buffer {
  const entries = Object.entries(headers);
  const parts: Buffer[] = [];
  const count = Buffer.alloc(4);
  count.writeUInt32BE(entries.length);
  parts.push(count);
  for (const [name, value] of entries) {
    for (const s of [name.toLowerCase(), value]) {
      const bytes = Buffer.from(s, 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32BE(bytes.length);
      parts.push(len, bytes);
    }
  }
  return Buffer.concat(parts);
}

export function decodeHeaderBlock(block: Buffer): SpdyHeaders {
  const headers: SpdyHeaders = {};
  let at = 0;
  const read = (): string => {
    if (at + 4 > block.length) throw new SpdyProtocolError('truncated header block');
    const len = block.readUInt32BE(at);
    at += 4;
    if (at + len > block.length) throw new SpdyProtocolError('truncated header block');
    const s = block.toString('utf8', at, at + len);
    at += len;
    return s;
  };
  if (block.length < 4) throw new SpdyProtocolError('truncated header block');
  const n = block.readUInt32BE(0);
  at = 4;
  for (let i = 0; i < n; i++) {
    const name = read().toLowerCase();
    const value = read();
    headers[name] = name in headers ? `${headers[name]}\0${value}` : value;
  }
  return headers;
}

/** Runs one zlib stream as a sequence of sync-flushed blocks, strictly in call order. */
class ZlibBlocks {
  readonly #z: Deflate | Inflate;
  #chunks: Buffer[] = [];
  #queue: Promise<unknown> = Promise.resolve();
  #failed: Error | undefined;

  constructor(z: Deflate | Inflate) {
    this.#z = z;
    z.on('data', (c: Buffer) => this.#chunks.push(c));
    z.on('error', (e: Error) => { this.#failed = e; });
  }

  run(input: Buffer): Promise<Buffer> {
    const next = this.#queue.then(() => new Promise<Buffer>((resolve, reject) => {
      if (this.#failed) { reject(this.#failed); return; }
      this.#chunks = [];
      this.#z.write(input);
      this.#z.flush(constants.Z_SYNC_FLUSH, () => {
        if (this.#failed) reject(new SpdyProtocolError(`header block: ${this.#failed.message}`));
        else resolve(Buffer.concat(this.#chunks));
      });
    }));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  close(): void { this.#z.close(); }
}

/** Compresses the header blocks one side sends. */
export class HeaderCompressor {
  readonly #blocks = new ZlibBlocks(createDeflate({ dictionary: SPDY3_HEADER_DICTIONARY }));
  compress(headers: SpdyHeaders): Promise<Buffer> { return this.#blocks.run(encodeHeaderBlock(headers)); }
  close(): void { this.#blocks.close(); }
}

/** Decompresses the header blocks one side receives. */
export class HeaderDecompressor {
  readonly #blocks = new ZlibBlocks(createInflate({ dictionary: SPDY3_HEADER_DICTIONARY }));
  async decompress(block: Buffer): Promise<SpdyHeaders> { return decodeHeaderBlock(await this.#blocks.run(block)); }
  close(): void { this.#blocks.close(); }
}
