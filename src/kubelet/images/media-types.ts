// Media types of the docker v2 schema 2 and OCI image formats.
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json';
export const DOCKER_LAYER_GZIP = 'application/vnd.docker.image.rootfs.diff.tar.gzip';
export const DOCKER_FOREIGN_LAYER = 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip';

export const INDEX_TYPES = [OCI_INDEX, DOCKER_MANIFEST_LIST];
export const MANIFEST_TYPES = [OCI_MANIFEST, DOCKER_MANIFEST];

/** A layer media type we can unpack (tar, tar+gzip, tar+zstd, docker's gzip layers, non-distributable variants). */
export function isLayerType(mediaType: string): boolean {
  return mediaType === DOCKER_LAYER_GZIP || mediaType === DOCKER_FOREIGN_LAYER ||
    /^application\/vnd\.oci\.image\.layer(\.nondistributable)?\.v1\.tar(\+gzip|\+zstd)?$/.test(mediaType);
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: { os: string; architecture: string; variant?: string };
}

export interface Manifest {
  schemaVersion: number;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
}

export interface Index {
  schemaVersion: number;
  mediaType?: string;
  manifests: Descriptor[];
}

/** The parts of an image config we read. */
export interface ImageConfigFile {
  architecture?: string;
  os?: string;
  config?: {
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
    Env?: string[] | null;
    WorkingDir?: string;
    User?: string;
    ExposedPorts?: Record<string, unknown> | null;
    Labels?: Record<string, string> | null;
  };
  rootfs?: { type: string; diff_ids: string[] };
}

/** Chooses the platform's manifest from an index/list (variant ignored when not asked for). */
export function pickPlatform(index: Index, platform: { os: string; architecture: string; variant?: string }): Descriptor | undefined {
  const candidates = index.manifests.filter((m) => MANIFEST_TYPES.includes(m.mediaType) || !m.mediaType);
  return candidates.find((m) => m.platform?.os === platform.os && m.platform.architecture === platform.architecture &&
    (!platform.variant || m.platform.variant === platform.variant));
}
