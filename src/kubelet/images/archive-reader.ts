// Reads an unpacked image archive: `docker save`/`podman save` (manifest.json, legacy or the
// OCI-style layout of docker 25+) or an OCI image layout (index.json, blobs/). Every blob is
// checked against its digest and every layer against the config's diffIDs.
import { readFile, realpath, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { sha256File, sha256Of, compressionOf, diffIDOf, SHA256_DIGEST } from './digest.ts';
import { INDEX_TYPES, MANIFEST_TYPES, isLayerType, pickPlatform, type Descriptor, type Index, type Manifest, type ImageConfigFile } from './media-types.ts';
import { normalizeReference } from './reference.ts';

export interface ArchiveLayer {
  file: string;
  /** Digest of the file as stored (compressed or not). */
  digest: string;
  diffID: string;
  mediaType: string;
  size: number;
}

export interface ArchiveImage {
  /** Normalized name:tag references the archive gives the image. */
  names: string[];
  manifest?: { file: string; digest: string; mediaType: string };
  /** The digest `name@digest` references use (a manifest list's own when pulled through one); default the manifest's. */
  repoDigest?: string;
  /** Repositories to record `name@digest` for besides those of `names`. */
  digestRepos?: string[];
  config: { file: string; digest: string; size: number; parsed: ImageConfigFile };
  layers: ArchiveLayer[];
}

export class ImageArchiveError extends Error {
  override name = 'ImageArchiveError';
}

async function exists(p: string): Promise<boolean> {
  try { await stat(p); return true; } catch { return false; }
}

/** A path named by the archive, refused when it leaves the archive's directory (also via symlinks). */
async function inside(root: string, rel: unknown): Promise<string> {
  if (typeof rel !== 'string' || rel === '') throw new ImageArchiveError(`invalid path ${JSON.stringify(rel)} in the archive`);
  const p = resolve(root, rel);
  if (!p.startsWith(root + sep)) throw new ImageArchiveError(`path ${rel} points outside the archive`);
  let real: string;
  try {
    real = await realpath(p);
  } catch {
    throw new ImageArchiveError(`the archive lacks ${rel}`);
  }
  if (!real.startsWith(root + sep)) throw new ImageArchiveError(`path ${rel} points outside the archive`);
  return real;
}

async function readJSON<T>(file: string, what: string): Promise<T> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (e) {
    throw new ImageArchiveError(`${what} is not valid JSON: ${(e as Error).message}`);
  }
}

function mediaTypeOf(compression: string): string {
  return `application/vnd.oci.image.layer.v1.tar${compression === 'gzip' ? '+gzip' : compression === 'zstd' ? '+zstd' : ''}`;
}

async function checkLayers(files: { file: string; digest?: string; mediaType?: string }[], config: ImageConfigFile): Promise<ArchiveLayer[]> {
  const diffIDs = config.rootfs?.diff_ids ?? [];
  if (diffIDs.length !== files.length) {
    throw new ImageArchiveError(`the image config lists ${diffIDs.length} layers but the manifest ${files.length}`);
  }
  const out: ArchiveLayer[] = [];
  for (const [i, l] of files.entries()) {
    const digest = await sha256File(l.file);
    if (l.digest && digest !== l.digest) throw new ImageArchiveError(`layer ${l.digest}: content has digest ${digest}`);
    const compression = await compressionOf(l.file);
    const diffID = compression === 'none' ? digest : await diffIDOf(l.file, compression);
    if (diffID !== diffIDs[i]) throw new ImageArchiveError(`layer ${i} has diffID ${diffID} but the config says ${diffIDs[i]}`);
    out.push({ file: l.file, digest, diffID, mediaType: l.mediaType ?? mediaTypeOf(compression), size: (await stat(l.file)).size });
  }
  return out;
}

async function readConfig(file: string, expected?: string): Promise<ArchiveImage['config']> {
  const bytes = await readFile(file);
  const digest = sha256Of(bytes);
  if (expected && digest !== expected) throw new ImageArchiveError(`config ${expected}: content has digest ${digest}`);
  let parsed: ImageConfigFile;
  try { parsed = JSON.parse(bytes.toString('utf8')); } catch { throw new ImageArchiveError(`config ${digest} is not valid JSON`); }
  return { file, digest, size: bytes.length, parsed };
}

/** docker save's manifest.json: [{Config, RepoTags, Layers}]. */
async function readDockerArchive(root: string): Promise<ArchiveImage[]> {
  const entries = await readJSON<{ Config?: unknown; RepoTags?: unknown; Layers?: unknown }[]>(join(root, 'manifest.json'), 'manifest.json');
  if (!Array.isArray(entries)) throw new ImageArchiveError('manifest.json is not a list of images');
  const images: ArchiveImage[] = [];
  for (const e of entries) {
    // Names like <hex>.json and blobs/sha256/<hex> carry the digest the content must have.
    const hexName = (p: unknown) => { const m = typeof p === 'string' ? /(?:^|\/)(?:sha256\/)?([a-f0-9]{64})(?:\.json)?$/.exec(p) : null; return m ? `sha256:${m[1]}` : undefined; };
    const config = await readConfig(await inside(root, e.Config), hexName(e.Config));
    if (!Array.isArray(e.Layers)) throw new ImageArchiveError('manifest.json: an image has no Layers list');
    const layerFiles = [];
    for (const l of e.Layers) layerFiles.push({ file: await inside(root, l), digest: typeof l === 'string' && l.startsWith('blobs/') ? hexName(l) : undefined });
    const layers = await checkLayers(layerFiles, config.parsed);
    const names = (Array.isArray(e.RepoTags) ? e.RepoTags : []).map((t) => normalizeTag(String(t)));
    images.push({ names, config, layers });
  }
  return images;
}

function normalizeTag(t: string): string {
  const r = normalizeReference(t);
  if (!r.tag || r.digest) throw new ImageArchiveError(`the archive names the image ${t}, which is not name:tag`);
  return `${r.name}:${r.tag}`;
}

/** A name for an OCI layout entry: containerd's/docker's full-name annotation, or a full reference in ref.name. */
function nameOf(d: Descriptor): string | undefined {
  const full = d.annotations?.['io.containerd.image.name'];
  if (full) return normalizeTag(full);
  const ref = d.annotations?.['org.opencontainers.image.ref.name'];
  if (ref && /[:/]/.test(ref)) {
    try { return normalizeTag(ref); } catch { return undefined; }
  }
  return undefined;
}

/** An OCI image layout: index.json → (index →) manifest → config, layers. */
async function readOCILayout(root: string, platform: { os: string; architecture: string }): Promise<ArchiveImage[]> {
  const blob = async (d: Descriptor): Promise<string> => {
    if (!d || typeof d.digest !== 'string' || !SHA256_DIGEST.test(d.digest)) throw new ImageArchiveError(`unsupported digest ${JSON.stringify(d?.digest)}`);
    const file = await inside(root, `blobs/sha256/${d.digest.slice(7)}`);
    if (typeof d.size === 'number' && (await stat(file)).size !== d.size) throw new ImageArchiveError(`blob ${d.digest} has the wrong size`);
    return file;
  };
  const verified = async (d: Descriptor): Promise<{ file: string; bytes: Buffer }> => {
    const file = await blob(d);
    const bytes = await readFile(file);
    if (sha256Of(bytes) !== d.digest) throw new ImageArchiveError(`blob ${d.digest}: content has digest ${sha256Of(bytes)}`);
    return { file, bytes };
  };
  const index = await readJSON<Index>(join(root, 'index.json'), 'index.json');
  if (!Array.isArray(index.manifests)) throw new ImageArchiveError('index.json has no manifests');
  const byConfig = new Map<string, ArchiveImage>();
  for (const top of index.manifests) {
    let desc = top;
    if (INDEX_TYPES.includes(desc.mediaType)) {
      const nested = JSON.parse((await verified(desc)).bytes.toString('utf8')) as Index;
      const picked = pickPlatform(nested, platform);
      if (!picked) throw new ImageArchiveError(`no ${platform.os}/${platform.architecture} image in index ${desc.digest}`);
      desc = picked;
    }
    if (!MANIFEST_TYPES.includes(desc.mediaType)) throw new ImageArchiveError(`unsupported manifest media type ${desc.mediaType}`);
    const m = await verified(desc);
    const manifest = JSON.parse(m.bytes.toString('utf8')) as Manifest;
    const config = await readConfig(await blob(manifest.config), manifest.config.digest);
    const files = [];
    for (const l of manifest.layers ?? []) {
      if (!isLayerType(l.mediaType)) throw new ImageArchiveError(`unsupported layer media type ${l.mediaType}`);
      files.push({ file: await blob(l), digest: l.digest, mediaType: l.mediaType });
    }
    const name = nameOf(top);
    const seen = byConfig.get(config.digest);
    if (seen) { if (name && !seen.names.includes(name)) seen.names.push(name); continue; }
    const layers = await checkLayers(files, config.parsed);
    byConfig.set(config.digest, { names: name ? [name] : [], manifest: { file: m.file, digest: desc.digest, mediaType: desc.mediaType }, config, layers });
  }
  return [...byConfig.values()];
}

/** The images of an archive unpacked at root (an absolute, real path). */
export async function readImageArchive(root: string, platform = { os: 'linux', architecture: 'amd64' }): Promise<ArchiveImage[]> {
  if (await exists(join(root, 'manifest.json'))) return readDockerArchive(root);
  if (await exists(join(root, 'index.json'))) return readOCILayout(root, platform);
  throw new ImageArchiveError('not an image archive (no manifest.json or index.json)');
}

