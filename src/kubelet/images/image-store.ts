// The node's image store: content-addressed blobs in an OCI layout (blobs/sha256/<hex>), one
// small refs file naming the images, layers unpacked once per chain ID (layers/<hex>/), and
// overlay mounts of container root filesystems over them.
//
// Concurrency: within one process, refs-file changes and deletions run one at a time, layer
// unpacking one at a time per chain ID, mounts one at a time per container directory; work in
// flight pins its blobs and layers so a concurrent remove leaves them alone. Layers under a
// mounted overlay (any process, from /proc/self/mountinfo) are never deleted.
import { mkdir, mkdtemp, readFile, writeFile, rename, rm, link, copyFile, stat, readdir, realpath } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ImageConfig, ImageRecord, PullOptions, RemoveResult } from './types.ts';
import { normalizeReference } from './reference.ts';
import { chainIDs, hexOf } from './digest.ts';
import { KeyedLock } from './keyed-lock.ts';
import { unpackLayer } from './layer-unpack.ts';
import { mountOverlay, unmountOverlay, readMountInfo, type OverlayPaths } from './rootfs-mount.ts';
import { readImageArchive, ImageArchiveError, type ArchiveImage } from './archive-reader.ts';
import { ImageNotFoundError, AmbiguousImageError, ImageInUseError } from './errors.ts';
import { runCommand } from './host-command.ts';
import { pullImage } from './registry-pull.ts';
import type { ImageConfigFile } from './media-types.ts';

interface StoredLayer { digest: string; mediaType: string; size: number; diffID: string }

interface StoredImage {
  manifest?: { digest: string; mediaType: string };
  configSize: number;
  layers: StoredLayer[];
}

/** refs.json: what names point where, and what each image is made of. */
interface RefsFile {
  /** Normalized name:tag → image id. */
  tags: Record<string, string>;
  /** name@sha256:<manifest> → image id. */
  digests: Record<string, string>;
  images: Record<string, StoredImage>;
}

const REFS_FILE = 'refs.json';
const META = 'meta';

export class ImageStore {
  /** The store's directory, e.g. /var/lib/navarch/images. */
  readonly root: string;
  readonly #meta = new KeyedLock();
  readonly #layerLocks = new KeyedLock();
  readonly #mountLocks = new KeyedLock();
  /** `blob:<hex>` and `chain:<hex>` that work in flight needs (counted). */
  readonly #pins = new Map<string, number>();
  readonly #configs = new Map<string, { config: ImageConfig; diffIDs: string[] }>();

  constructor(root: string) {
    this.root = root;
  }

  #blobPath(digest: string): string { return join(this.root, 'blobs', 'sha256', hexOf(digest)); }
  #layerDir(chainID: string): string { return join(this.root, 'layers', hexOf(chainID)); }

  /** The last refs file read for lookups, by the identity of the file (it is replaced, never edited). */
  #lookupRefs: { file: string; refs: RefsFile } | undefined;

  /**
   * The refs file for lookups only (never to be changed): a pod start resolves its images twice, and
   * one stat costs less than a read and a parse. Another process (`navarch image import`) replaces
   * the file, which gives it a new inode.
   */
  async #refsForLookup(): Promise<RefsFile> {
    const s = await stat(join(this.root, REFS_FILE)).catch(() => undefined);
    const file = s ? `${s.ino}:${s.mtimeMs}:${s.size}` : '';
    if (file && this.#lookupRefs?.file === file) return this.#lookupRefs.refs;
    const refs = await this.#readRefs();
    this.#lookupRefs = file ? { file, refs } : undefined;
    return refs;
  }

  async #readRefs(): Promise<RefsFile> {
    try {
      const refs = JSON.parse(await readFile(join(this.root, REFS_FILE), 'utf8')) as RefsFile;
      return { tags: refs.tags ?? {}, digests: refs.digests ?? {}, images: refs.images ?? {} };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { tags: {}, digests: {}, images: {} };
      throw e;
    }
  }

  async #writeRefs(refs: RefsFile): Promise<void> {
    const file = join(this.root, REFS_FILE);
    const tmp = `${file}.tmp-${randomBytes(6).toString('hex')}`;
    await writeFile(tmp, JSON.stringify(refs, null, 1));
    await rename(tmp, file);
  }

  #pin(blobs: string[], chains: string[]): () => void {
    const keys = [...blobs.map((b) => `blob:${hexOf(b)}`), ...chains.map((c) => `chain:${hexOf(c)}`)];
    for (const k of keys) this.#pins.set(k, (this.#pins.get(k) ?? 0) + 1);
    return () => {
      for (const k of keys) {
        const n = (this.#pins.get(k) ?? 1) - 1;
        if (n <= 0) this.#pins.delete(k); else this.#pins.set(k, n);
      }
    };
  }

  async #configOf(id: string): Promise<{ config: ImageConfig; diffIDs: string[] }> {
    let c = this.#configs.get(id);
    if (!c) {
      const file = JSON.parse(await readFile(this.#blobPath(id), 'utf8')) as ImageConfigFile;
      c = { config: runtimeConfig(file), diffIDs: file.rootfs?.diff_ids ?? [] };
      this.#configs.set(id, c);
    }
    return c;
  }

  async #record(refs: RefsFile, id: string): Promise<ImageRecord> {
    const img = refs.images[id]!;
    const { config, diffIDs } = await this.#configOf(id);
    return {
      id,
      repoTags: Object.keys(refs.tags).filter((t) => refs.tags[t] === id).sort(),
      repoDigests: Object.keys(refs.digests).filter((d) => refs.digests[d] === id).sort(),
      size: img.configSize + img.layers.reduce((n, l) => n + l.size, 0),
      config,
      diffIDs,
      chainIDs: chainIDs(diffIDs),
    };
  }

  /** Every image, sorted by id. */
  async list(): Promise<ImageRecord[]> {
    const refs = await this.#refsForLookup();
    return Promise.all(Object.keys(refs.images).sort().map((id) => this.#record(refs, id)));
  }

  /** The image a reference names: name:tag, name@digest, a full id, or an unambiguous id prefix. */
  async get(ref: string): Promise<ImageRecord | undefined> {
    const refs = await this.#refsForLookup();
    const id = resolveId(refs, ref);
    return id ? this.#record(refs, id) : undefined;
  }

  /** Imports every image of a docker-archive or OCI archive tarball. */
  async importArchive(file: string): Promise<ImageRecord[]> {
    try {
      const s = await stat(file);
      if (!s.isFile()) throw new ImageArchiveError(`${file} is not an image archive (not a file)`);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new ImageArchiveError(`open ${file}: no such file or directory`);
      throw e;
    }
    const scratch = await this.#scratchDir('import');
    try {
      try {
        await runCommand('tar', ['-x', '-f', file, '-C', scratch, '--no-same-owner', '--no-same-permissions']);
      } catch (e) {
        throw new ImageArchiveError(`${file} is not an image archive: ${(e as Error).message.replace(/^tar: /, '')}`);
      }
      let images: ArchiveImage[];
      try {
        images = await readImageArchive(scratch);
      } catch (e) {
        if (e instanceof ImageArchiveError) throw new ImageArchiveError(`${file}: ${e.message}`);
        throw e;
      }
      const out: ImageRecord[] = [];
      for (const img of images) out.push(await this.#ingest(img));
      return out;
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  /** Pulls an image from its registry (v2 API) and returns it. */
  async pull(ref: string, options: PullOptions = {}): Promise<ImageRecord> {
    const scratch = await this.#scratchDir('pull');
    try {
      const have = async (digest: string) => { try { await stat(this.#blobPath(digest)); return this.#blobPath(digest); } catch { return undefined; } };
      const image = await pullImage(ref, scratch, have, options);
      return await this.#ingest(image);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  async #scratchDir(kind: string): Promise<string> {
    await mkdir(join(this.root, 'tmp'), { recursive: true });
    return realpath(await mkdtemp(join(this.root, 'tmp', `${kind}-`)));
  }

  /** Stores the blobs, unpacks the layers, then names the image. */
  async #ingest(img: ArchiveImage): Promise<ImageRecord> {
    const id = img.config.digest;
    const chains = chainIDs(img.layers.map((l) => l.diffID));
    const unpin = this.#pin([id, ...(img.manifest ? [img.manifest.digest] : []), ...img.layers.map((l) => l.digest)], chains);
    try {
      await mkdir(join(this.root, 'blobs', 'sha256'), { recursive: true });
      await mkdir(join(this.root, 'layers'), { recursive: true });
      await this.#storeBlob(img.config.file, id);
      if (img.manifest) await this.#storeBlob(img.manifest.file, img.manifest.digest);
      for (const [i, l] of img.layers.entries()) {
        await this.#storeBlob(l.file, l.digest);
        await this.#layerLocks.run(chains[i]!, () => unpackLayer(this.#blobPath(l.digest), this.#layerDir(chains[i]!)));
      }
      return await this.#meta.run(META, async () => {
        const refs = await this.#readRefs();
        const previous = refs.images[id];
        refs.images[id] = {
          ...(img.manifest ? { manifest: { digest: img.manifest.digest, mediaType: img.manifest.mediaType } } : {}),
          configSize: img.config.size,
          layers: img.layers.map((l) => ({ digest: l.digest, mediaType: l.mediaType, size: l.size, diffID: l.diffID })),
        };
        for (const name of img.names) refs.tags[name] = id;
        const repoDigest = img.repoDigest ?? img.manifest?.digest;
        if (repoDigest) {
          const repos = new Set([...img.names.map((n) => n.slice(0, n.lastIndexOf(':'))), ...(img.digestRepos ?? [])]);
          for (const repo of repos) refs.digests[`${repo}@${repoDigest}`] = id;
        }
        await this.#writeRefs(refs);
        // The same image again with other layer blobs (say gzip instead of plain): the old ones go.
        if (previous && JSON.stringify(previous.layers) !== JSON.stringify(refs.images[id].layers)) await this.#collectGarbage(refs);
        return this.#record(refs, id);
      });
    } finally {
      unpin();
    }
  }

  /** Hard-links (or copies) a verified file into blobs/, atomically. */
  async #storeBlob(file: string, digest: string): Promise<void> {
    const dest = this.#blobPath(digest);
    try { await stat(dest); return; } catch { /* absent: store it */ }
    const tmp = `${dest}.tmp-${randomBytes(6).toString('hex')}`;
    try {
      await link(file, tmp);
    } catch {
      await copyFile(file, tmp);
    }
    await rename(tmp, dest);
  }

  /**
   * Removes a reference as `docker rmi` does: a name:tag or name@digest is untagged, and the
   * image deleted once no reference is left; an id (or prefix) deletes the image and all its
   * references. Blobs and unpacked layers no image uses any more are deleted.
   */
  async remove(ref: string): Promise<RemoveResult> {
    return this.#meta.run(META, async () => {
      const refs = await this.#readRefs();
      const id = resolveId(refs, ref);
      if (!id) throw new ImageNotFoundError(ref);
      const named = namedReference(refs, ref, id);
      const result: RemoveResult = { untagged: [], deleted: [] };
      const remaining = [...Object.keys(refs.tags).filter((t) => refs.tags[t] === id), ...Object.keys(refs.digests).filter((d) => refs.digests[d] === id)];
      const untag = named ? [named] : remaining;
      const deleting = remaining.every((r) => untag.includes(r));
      if (deleting) {
        const mounted = await this.#mountedLayers();
        if (chainIDs((await this.#configOf(id)).diffIDs).some((c) => mounted.has(hexOf(c)))) throw new ImageInUseError(ref, id);
      }
      for (const r of untag) {
        delete refs.tags[r];
        delete refs.digests[r];
        result.untagged.push(r);
      }
      // Digest references go with the image's last tag, as in docker.
      if (deleting) {
        for (const d of Object.keys(refs.digests)) if (refs.digests[d] === id && !result.untagged.includes(d)) { delete refs.digests[d]; result.untagged.push(d); }
        delete refs.images[id];
        result.deleted.push(id);
      }
      await this.#writeRefs(refs);
      if (deleting) await this.#collectGarbage(refs);
      return result;
    });
  }

  /**
   * Hex chain IDs of layer dirs some mounted overlay uses (lowerdir options name them). Only the
   * overlays mounted beside the store (within its parent, the data dir) count: lowerdirs are
   * relative, and another data dir's containers share the same content-addressed layer names.
   */
  async #mountedLayers(): Promise<Set<string>> {
    const out = new Set<string>();
    const scope = `${dirname(resolve(this.root))}/`;
    for (const m of await readMountInfo()) {
      if (m.fsType !== 'overlay' || !m.mountPoint.startsWith(scope)) continue;
      for (const h of m.superOptions.matchAll(/layers\/([a-f0-9]{64})/g)) out.add(h[1]!);
    }
    return out;
  }

  /** Deletes blobs and layer dirs no image references, unless pinned or mounted. Runs under the meta lock. */
  async #collectGarbage(refs: RefsFile): Promise<void> {
    const usedBlobs = new Set<string>();
    const usedChains = new Set<string>();
    for (const [id, img] of Object.entries(refs.images)) {
      usedBlobs.add(hexOf(id));
      if (img.manifest) usedBlobs.add(hexOf(img.manifest.digest));
      for (const l of img.layers) usedBlobs.add(hexOf(l.digest));
      for (const c of chainIDs(img.layers.map((l) => l.diffID))) usedChains.add(hexOf(c));
    }
    const pinned = new Set(this.#pins.keys());
    const mounted = await this.#mountedLayers();
    const listing = async (dir: string) => { try { return await readdir(dir); } catch { return []; } };
    for (const name of await listing(join(this.root, 'blobs', 'sha256'))) {
      if (/^[a-f0-9]{64}$/.test(name) && !usedBlobs.has(name) && !pinned.has(`blob:${name}`)) {
        await rm(join(this.root, 'blobs', 'sha256', name), { force: true });
        this.#configs.delete(`sha256:${name}`);
      }
    }
    for (const name of await listing(join(this.root, 'layers'))) {
      if (/^[a-f0-9]{64}$/.test(name) && !usedChains.has(name) && !pinned.has(`chain:${name}`) && !mounted.has(name)) {
        // Renamed away first so a half-deleted dir never looks like a complete layer.
        const doomed = join(this.root, 'layers', `.rm-${name.slice(0, 12)}-${randomBytes(4).toString('hex')}`);
        await rename(join(this.root, 'layers', name), doomed);
        await rm(doomed, { recursive: true, force: true });
      }
    }
  }

  /**
   * Mounts the image's root filesystem for a container: an overlay at paths.rootfs with the
   * image's layers read-only below and paths.upper (+ work) above. Returns the rootfs path;
   * mounting again returns the existing mount.
   */
  async mountRootfs(imageId: string, paths: OverlayPaths): Promise<string> {
    const { chains, unpin } = await this.#meta.run(META, async () => {
      const refs = await this.#readRefs();
      const id = resolveId(refs, imageId);
      if (!id) throw new ImageNotFoundError(imageId);
      const chains = chainIDs((await this.#configOf(id)).diffIDs);
      return { chains, unpin: this.#pin([], chains) };
    });
    try {
      return await this.#mountLocks.run(paths.rootfs, async () => {
        let lowerDirs = chains.map((c) => `layers/${hexOf(c)}`).reverse();
        if (lowerDirs.length === 0) {
          await mkdir(join(this.root, 'empty'), { recursive: true });
          lowerDirs = ['empty'];
        }
        return mountOverlay({ baseDir: this.root, lowerDirs, ...paths });
      });
    } finally {
      unpin();
    }
  }

  /** Unmounts rootfs; nothing happens when it is not mounted. */
  async unmountRootfs(rootfs: string): Promise<void> {
    await this.#mountLocks.run(rootfs, () => unmountOverlay(rootfs));
  }
}

function runtimeConfig(file: ImageConfigFile): ImageConfig {
  const c = file.config ?? {};
  const out: ImageConfig = {};
  if (c.Entrypoint?.length) out.entrypoint = c.Entrypoint;
  if (c.Cmd?.length) out.cmd = c.Cmd;
  if (c.Env?.length) out.env = c.Env;
  if (c.WorkingDir) out.workingDir = c.WorkingDir;
  if (c.User) out.user = c.User;
  if (c.ExposedPorts && Object.keys(c.ExposedPorts).length) out.exposedPorts = Object.keys(c.ExposedPorts).sort();
  if (c.Labels && Object.keys(c.Labels).length) out.labels = c.Labels;
  return out;
}

const FULL_ID = /^(?:sha256:)?([a-f0-9]{64})$/;
const ID_PREFIX = /^(?:sha256:)?([a-f0-9]+)$/;

/** The id a reference names, or undefined; an ambiguous id prefix throws. */
function resolveId(refs: RefsFile, ref: string): string | undefined {
  const full = FULL_ID.exec(ref);
  if (full) return refs.images[`sha256:${full[1]}`] ? `sha256:${full[1]}` : undefined;
  let byName: string | undefined;
  try {
    const r = normalizeReference(ref);
    byName = r.digest ? refs.digests[`${r.name}@${r.digest}`] : refs.tags[`${r.name}:${r.tag}`];
  } catch (e) {
    if (!ID_PREFIX.test(ref)) throw e;
  }
  if (byName) return byName;
  const prefix = ID_PREFIX.exec(ref);
  if (!prefix) return undefined;
  const matches = Object.keys(refs.images).filter((id) => id.startsWith(`sha256:${prefix[1]}`));
  if (matches.length > 1) throw new AmbiguousImageError(ref);
  return matches[0];
}

/** The stored reference a name:tag or name@digest ref denotes (undefined for ids). */
function namedReference(refs: RefsFile, ref: string, id: string): string | undefined {
  if (FULL_ID.test(ref)) return undefined;
  try {
    const r = normalizeReference(ref);
    const key = r.digest ? `${r.name}@${r.digest}` : `${r.name}:${r.tag}`;
    return (refs.tags[key] ?? refs.digests[key]) === id ? key : undefined;
  } catch {
    return undefined;
  }
}
