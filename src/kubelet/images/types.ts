// The public shapes of the node's image store: what the kubelet codes against.

/** A reference normalized as docker does. */
export interface ImageReference {
  /** Full repository name with domain: `docker.io/library/web`. */
  name: string;
  /** Registry host[:port]: `docker.io`, `localhost:5000`. */
  domain: string;
  /** Repository path within the registry: `library/web`. */
  path: string;
  /** The tag; `latest` when neither tag nor digest was given. */
  tag?: string;
  /** `sha256:<hex>` when pinned by digest. */
  digest?: string;
  /** The normalized reference: `docker.io/library/web:v1`, `name@sha256:…`. */
  string: string;
}

/** The runtime parts of an image's config (OCI image config `config`). */
export interface ImageConfig {
  entrypoint?: string[];
  cmd?: string[];
  env?: string[];
  workingDir?: string;
  user?: string;
  /** `80/tcp`, `53/udp`… */
  exposedPorts?: string[];
  labels?: Record<string, string>;
}

/** An image in the store. */
export interface ImageRecord {
  /** `sha256:<config digest>`. */
  id: string;
  /** Normalized `name:tag` references pointing at this image. */
  repoTags: string[];
  /** `name@sha256:<manifest digest>` references, when the manifest is known. */
  repoDigests: string[];
  /** Bytes of the config and layer blobs as stored (compressed layers count compressed). */
  size: number;
  config: ImageConfig;
  /** Digests of the uncompressed layers, bottom first. */
  diffIDs: string[];
  /** Chain IDs of the layers, bottom first; each names one unpacked layer directory. */
  chainIDs: string[];
}

/** What `remove` did, in docker's terms. */
export interface RemoveResult {
  /** References removed (`Untagged:` lines). */
  untagged: string[];
  /** Image ids deleted (`Deleted:` lines); empty when other references remain. */
  deleted: string[];
}

export interface PullOptions {
  username?: string;
  password?: string;
  /**
   * Registries spoken to over plain HTTP (after trying HTTPS without verification), as
   * `host:port` or `host:*`. Default: `localhost:*` and `127.0.0.1:*`, as docker.
   */
  insecureRegistries?: string[];
  /** Platform to pick from a manifest list/index; default linux/amd64. */
  platform?: { os: string; architecture: string; variant?: string };
  signal?: AbortSignal;
}
