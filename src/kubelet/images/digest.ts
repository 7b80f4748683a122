// sha256 digests of files and of layers' uncompressed content (diffIDs), streamed.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip, createZstdDecompress } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import type { Transform } from 'node:stream';

export const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;

export function hexOf(digest: string): string {
  if (!SHA256_DIGEST.test(digest)) throw new Error(`unsupported digest ${JSON.stringify(digest)}`);
  return digest.slice(7);
}

export function sha256Of(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** Chain IDs as the OCI image spec defines them: ChainID(L0)=DiffID(L0), ChainID(Ln)=sha256(ChainID(Ln-1) + " " + DiffID(Ln)). */
export function chainIDs(diffIDs: string[]): string[] {
  const out: string[] = [];
  for (const d of diffIDs) out.push(out.length === 0 ? d : sha256Of(`${out.at(-1)} ${d}`));
  return out;
}

export type Compression = 'gzip' | 'zstd' | 'none';

/** The compression of a layer file, from its magic bytes. */
export async function compressionOf(path: string): Promise<Compression> {
  const fh = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(4), 0, 4, 0);
    if (bytesRead >= 2 && buffer[0] === 0x1f && buffer[1] === 0x8b) return 'gzip';
    if (bytesRead === 4 && buffer.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
    return 'none';
  } finally {
    await fh.close();
  }
}

async function hashStream(path: string, transform?: Transform): Promise<string> {
  const hash = createHash('sha256');
  const sink = async (source: AsyncIterable<Buffer>) => { for await (const chunk of source) hash.update(chunk); };
  if (transform) await pipeline(createReadStream(path), transform, sink);
  else await pipeline(createReadStream(path), sink);
  return `sha256:${hash.digest('hex')}`;
}

export function sha256File(path: string): Promise<string> {
  return hashStream(path);
}

/** The digest of the layer's uncompressed tar: its diffID. */
export async function diffIDOf(path: string, compression: Compression): Promise<string> {
  if (compression === 'gzip') return hashStream(path, createGunzip());
  if (compression === 'zstd') return hashStream(path, createZstdDecompress());
  return hashStream(path);
}
