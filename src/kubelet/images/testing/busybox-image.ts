// Builds real image archives for tests across the project: one layer with the host's static
// busybox (/bin/busybox from Debian busybox-static) and a symlink per applet, /etc/passwd and
// /etc/group (root, nobody), /tmp. The bytes depend only on the options (and the busybox
// binary), so the same options always give the same image id.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { writeTar, type TarEntry } from './tar-writer.ts';
import { normalizeReference, familiarName } from '../reference.ts';

export const BUSYBOX_PATH = '/bin/busybox';
const DEFAULT_PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface BusyboxImageOptions {
  /** The image's reference, e.g. `web:v1`. */
  name: string;
  cmd?: string[];
  entrypoint?: string[];
  /** Default: the usual PATH only. */
  env?: string[];
  workingDir?: string;
  user?: string;
  labels?: Record<string, string>;
  /** `8080/tcp`… */
  exposedPorts?: string[];
  /** Extra files of the busybox layer: path → content. Content starting with `#!` is made executable. */
  extraFiles?: Record<string, string>;
  /** More layers on top of the busybox layer (whiteouts `.wh.name` and `.wh..wh..opq` allowed). */
  extraLayers?: TarEntry[][];
  /**
   * `docker-archive`: what `docker save` writes (manifest.json, `<id>/layer.tar`, repositories);
   * `docker-archive-v25`: the OCI-style layout of docker 25+ (index.json, blobs/, plus manifest.json);
   * `oci-archive`: an OCI image layout in a tar, made with `skopeo copy`.
   */
  format?: 'docker-archive' | 'docker-archive-v25' | 'oci-archive';
  /** For oci-archive: how skopeo stores the layers; default gzip. */
  layerCompression?: 'gzip' | 'zstd' | 'none';
}

export interface BuiltImage {
  /** `sha256:<config digest>`: the id the store will give the image. */
  id: string;
  /** Normalized name:tag. */
  reference: string;
  diffIDs: string[];
  file: string;
}

const LAYER_COMPRESSION_FLAGS = { gzip: [], zstd: ['--dest-compress-format', 'zstd'], none: ['--dest-oci-accept-uncompressed-layers'] };

let applets: string[] | undefined;
function busyboxApplets(): string[] {
  applets ??= execFileSync(BUSYBOX_PATH, ['--list']).toString().split('\n').filter((a) => a && a !== 'busybox').sort();
  return applets;
}

const sha256 = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const hexOf = (digest: string) => digest.slice('sha256:'.length);

function busyboxLayer(extraFiles: Record<string, string>): Buffer {
  const entries = new Map<string, TarEntry>();
  const dir = (path: string, mode = 0o755) => { if (!entries.has(path)) entries.set(path, { path, type: 'dir', mode }); };
  dir('bin');
  entries.set('bin/busybox', { path: 'bin/busybox', type: 'file', mode: 0o755, content: readFileSync(BUSYBOX_PATH) });
  for (const a of busyboxApplets()) entries.set(`bin/${a}`, { path: `bin/${a}`, type: 'symlink', linkname: 'busybox' });
  dir('etc');
  entries.set('etc/passwd', { path: 'etc/passwd', type: 'file', content: 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' });
  entries.set('etc/group', { path: 'etc/group', type: 'file', content: 'root:x:0:\nnobody:x:65534:\n' });
  dir('root', 0o700);
  dir('tmp', 0o1777);
  for (const [raw, content] of Object.entries(extraFiles)) {
    const path = posix.normalize(raw).replace(/^\/+/, '');
    if (!path || path.startsWith('..')) throw new Error(`extraFiles: bad path ${raw}`);
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) dir(parts.slice(0, i).join('/'));
    entries.set(path, { path, type: 'file', mode: content.startsWith('#!') ? 0o755 : 0o644, content });
  }
  return writeTar([...entries.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)));
}

function sortedObject<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
}

// Keys in the order Go's OCI image structs marshal them (maps sorted), so converting tools
// such as skopeo re-serialize the config to the same bytes and the image keeps its id.
function imageConfig(o: BusyboxImageOptions, diffIDs: string[]): Buffer {
  const config: Record<string, unknown> = {};
  if (o.user) config.User = o.user;
  if (o.exposedPorts) config.ExposedPorts = sortedObject(Object.fromEntries(o.exposedPorts.map((p) => [p, {}])));
  config.Env = o.env ?? [DEFAULT_PATH_ENV];
  if (o.entrypoint) config.Entrypoint = o.entrypoint;
  const cmd = o.cmd ?? (o.entrypoint ? undefined : ['sh']);
  if (cmd) config.Cmd = cmd;
  if (o.workingDir) config.WorkingDir = o.workingDir;
  if (o.labels) config.Labels = sortedObject(o.labels);
  return Buffer.from(JSON.stringify({
    created: '1970-01-01T00:00:00Z',
    architecture: 'amd64',
    os: 'linux',
    config,
    rootfs: { type: 'layers', diff_ids: diffIDs },
    history: diffIDs.map((_, i) => ({ created: '1970-01-01T00:00:00Z', created_by: `navarch test image layer ${i}` })),
  }));
}

/** Writes the image archive to outFile and returns what the store should make of it. */
export function buildBusyboxImage(outFile: string, options: BusyboxImageOptions): BuiltImage {
  const ref = normalizeReference(options.name);
  if (!ref.tag || ref.digest) throw new Error(`buildBusyboxImage: name must be name[:tag], got ${options.name}`);
  const layers = [busyboxLayer(options.extraFiles ?? {}), ...(options.extraLayers ?? []).map((l) => writeTar(l))];
  const diffIDs = layers.map((l) => sha256(l));
  const config = imageConfig(options, diffIDs);
  const configDigest = sha256(config);
  const repoTag = `${familiarName(ref.name)}:${ref.tag}`;
  const format = options.format ?? 'docker-archive';
  const built = { id: configDigest, reference: `${ref.name}:${ref.tag}`, diffIDs, file: outFile };
  const entries: TarEntry[] = [];
  if (format === 'docker-archive-v25') {
    const manifest = Buffer.from(JSON.stringify({
      schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
      layers: layers.map((l, i) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: diffIDs[i], size: l.length })),
    }));
    const manifestDigest = sha256(manifest);
    const blobs = new Map<string, Buffer>([[configDigest, config], [manifestDigest, manifest]]);
    layers.forEach((l, i) => blobs.set(diffIDs[i]!, l));
    entries.push({ path: 'blobs', type: 'dir' }, { path: 'blobs/sha256', type: 'dir' });
    for (const [d, b] of [...blobs].sort(([a], [b]) => (a < b ? -1 : 1))) entries.push({ path: `blobs/sha256/${hexOf(d)}`, type: 'file', content: b });
    entries.push({ path: 'index.json', type: 'file', content: JSON.stringify({
      schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: manifestDigest, size: manifest.length,
        annotations: { 'io.containerd.image.name': built.reference, 'org.opencontainers.image.ref.name': ref.tag } }],
    }) });
    entries.push({ path: 'manifest.json', type: 'file', content: JSON.stringify([{
      Config: `blobs/sha256/${hexOf(configDigest)}`, RepoTags: [repoTag], Layers: diffIDs.map((d) => `blobs/sha256/${hexOf(d)}`),
    }]) });
    entries.push({ path: 'oci-layout', type: 'file', content: '{"imageLayoutVersion":"1.0.0"}' });
    entries.push({ path: 'repositories', type: 'file', content: JSON.stringify({ [familiarName(ref.name)]: { [ref.tag]: hexOf(diffIDs.at(-1)!) } }) });
    writeFileSync(outFile, writeTar(entries));
    return built;
  }
  // The legacy layout docker save wrote before 25: one directory per layer.
  entries.push({ path: `${hexOf(configDigest)}.json`, type: 'file', content: config });
  layers.forEach((l, i) => {
    const id = hexOf(diffIDs[i]!);
    entries.push({ path: id, type: 'dir' }, { path: `${id}/VERSION`, type: 'file', content: '1.0' },
      { path: `${id}/json`, type: 'file', content: JSON.stringify({ id, ...(i ? { parent: hexOf(diffIDs[i - 1]!) } : {}) }) },
      { path: `${id}/layer.tar`, type: 'file', content: l });
  });
  entries.push({ path: 'manifest.json', type: 'file', content: JSON.stringify([{
    Config: `${hexOf(configDigest)}.json`, RepoTags: [repoTag], Layers: diffIDs.map((d) => `${hexOf(d)}/layer.tar`),
  }]) });
  entries.push({ path: 'repositories', type: 'file', content: JSON.stringify({ [familiarName(ref.name)]: { [ref.tag]: hexOf(diffIDs.at(-1)!) } }) });
  const archive = writeTar(entries);
  if (format === 'docker-archive') {
    writeFileSync(outFile, archive);
    return built;
  }
  // oci-archive: let skopeo convert the docker archive, as a user would.
  const tmp = mkdtempSync(join(tmpdir(), 'navarch-busybox-'));
  try {
    const src = join(tmp, 'image.tar');
    writeFileSync(src, archive);
    rmSync(outFile, { force: true });
    execFileSync('skopeo', ['copy', '--quiet', ...LAYER_COMPRESSION_FLAGS[options.layerCompression ?? 'gzip'],
      `docker-archive:${src}`, `oci-archive:${outFile}:${built.reference}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  // The id as skopeo wrote it (it re-serializes the config; the key order above keeps it equal).
  const index = JSON.parse(execFileSync('tar', ['-xOf', outFile, 'index.json']).toString());
  const manifest = JSON.parse(execFileSync('tar', ['-xOf', outFile, `blobs/sha256/${hexOf(index.manifests[0].digest)}`]).toString());
  return { ...built, id: manifest.config.digest };
}
