// Pulls one image from its registry into a scratch directory: the manifest (through a
// manifest list / OCI index, picking the platform), the config and the layers, each checked
// against its digest. The store then ingests the result like an imported archive.
import { join } from 'node:path';
import { writeFile, readFile } from 'node:fs/promises';
import type { PullOptions } from './types.ts';
import { normalizeReference, DEFAULT_DOMAIN } from './reference.ts';
import { hexOf, sha256Of, compressionOf, diffIDOf } from './digest.ts';
import { RegistryClient, isInsecureRegistry, DEFAULT_INSECURE_REGISTRIES } from './registry-client.ts';
import { INDEX_TYPES, MANIFEST_TYPES, OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST_LIST, DOCKER_MANIFEST, isLayerType, pickPlatform, type Index, type Manifest, type ImageConfigFile } from './media-types.ts';
import { ImagePullError } from './errors.ts';
import type { ArchiveImage, ArchiveLayer } from './archive-reader.ts';

const ACCEPT = [OCI_INDEX, DOCKER_MANIFEST_LIST, OCI_MANIFEST, DOCKER_MANIFEST].join(', ');
const REGISTRY_OF_DOCKER_IO = 'registry-1.docker.io';

/**
 * Downloads ref into dir. `have(digest)` returns the path of a blob the store already holds,
 * which is then not downloaded again.
 */
export async function pullImage(ref: string, dir: string, have: (digest: string) => Promise<string | undefined>, options: PullOptions = {}): Promise<ArchiveImage> {
  const r = normalizeReference(ref);
  const platform = options.platform ?? { os: 'linux', architecture: 'amd64' };
  const host = r.domain === DEFAULT_DOMAIN ? REGISTRY_OF_DOCKER_IO : r.domain;
  const client = new RegistryClient({
    host, repository: r.path, insecure: isInsecureRegistry(r.domain, options.insecureRegistries ?? DEFAULT_INSECURE_REGISTRIES),
    username: options.username, password: options.password, signal: options.signal,
  });
  const fail = (step: string, e: unknown): never => {
    const status = e instanceof ImagePullError ? e.status : undefined;
    throw new ImagePullError(`failed to pull image "${r.string}": ${step}${(e as Error).message}`, status);
  };

  const fetchManifest = async (reference: string) => {
    try {
      const { bytes, headers } = await client.fetchBytes(`manifests/${reference}`, { Accept: ACCEPT });
      return { bytes, mediaType: String(headers['content-type'] ?? '').split(';')[0]!.trim() };
    } catch (e) {
      if (e instanceof ImagePullError && e.status === 404) return fail(`manifest for ${r.string} not found: `, e);
      return fail('', e);
    }
  };

  const topRef = r.digest ?? r.tag!;
  const top = await fetchManifest(topRef);
  const topDigest = sha256Of(top.bytes);
  if (r.digest && topDigest !== r.digest) fail('', new Error(`manifest ${r.digest}: content has digest ${topDigest}`));
  let parsed = parseJSON(top.bytes) as Manifest & Index;
  let mediaType = top.mediaType || parsed.mediaType || '';
  let manifestBytes = top.bytes;
  let manifestDigest = topDigest;
  if (INDEX_TYPES.includes(mediaType) || (!mediaType && Array.isArray(parsed.manifests))) {
    const picked = pickPlatform(parsed, platform);
    if (!picked) fail('', new Error(`no matching manifest for ${platform.os}/${platform.architecture} in the manifest list entries`));
    const m = await fetchManifest(picked!.digest);
    manifestDigest = sha256Of(m.bytes);
    if (manifestDigest !== picked!.digest) fail('', new Error(`manifest ${picked!.digest}: content has digest ${manifestDigest}`));
    manifestBytes = m.bytes;
    parsed = parseJSON(m.bytes) as Manifest & Index;
    mediaType = m.mediaType || parsed.mediaType || picked!.mediaType;
  }
  if (!MANIFEST_TYPES.includes(mediaType) && !(parsed.config && parsed.layers)) {
    fail('', new Error(`unsupported manifest media type ${JSON.stringify(mediaType)}`));
  }
  const manifestFile = join(dir, `manifest-${hexOf(manifestDigest)}`);
  await writeFile(manifestFile, manifestBytes);

  const blob = async (digest: string): Promise<{ file: string; size: number }> => {
    const existing = await have(digest);
    if (existing) return { file: existing, size: -1 };
    const file = join(dir, hexOf(digest));
    try {
      return { file, size: await client.downloadBlob(digest, file) };
    } catch (e) {
      return fail(`blob ${digest}: `, e);
    }
  };

  const config = await blob(parsed.config.digest);
  const configBytes = await readFile(config.file);
  if (sha256Of(configBytes) !== parsed.config.digest) fail('', new Error(`config ${parsed.config.digest}: content does not match its digest`));
  const configFile = parseJSON(configBytes) as ImageConfigFile;
  const diffIDs = configFile.rootfs?.diff_ids ?? [];
  if (diffIDs.length !== parsed.layers.length) fail('', new Error(`the image config lists ${diffIDs.length} layers but the manifest ${parsed.layers.length}`));
  const layers: ArchiveLayer[] = [];
  for (const [i, l] of parsed.layers.entries()) {
    if (!isLayerType(l.mediaType)) fail('', new Error(`unsupported layer media type ${l.mediaType}`));
    const { file } = await blob(l.digest);
    const compression = await compressionOf(file);
    const diffID = compression === 'none' ? l.digest : await diffIDOf(file, compression);
    if (diffID !== diffIDs[i]) fail('', new Error(`layer ${l.digest} has diffID ${diffID} but the config says ${diffIDs[i]}`));
    layers.push({ file, digest: l.digest, diffID, mediaType: l.mediaType, size: l.size });
  }
  return {
    names: r.tag ? [`${r.name}:${r.tag}`] : [],
    manifest: { file: manifestFile, digest: manifestDigest, mediaType },
    repoDigest: topDigest,
    digestRepos: [r.name],
    config: { file: config.file, digest: parsed.config.digest, size: configBytes.length, parsed: configFile },
    layers,
  };
}

function parseJSON(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ImagePullError('the registry returned a manifest that is not JSON');
  }
}
