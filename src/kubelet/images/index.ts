// The node's image store: references, archive import, registry pull, layer unpacking and
// overlay root filesystems for containers.
export { ImageStore } from './image-store.ts';
export { normalizeReference, familiarName, DEFAULT_DOMAIN } from './reference.ts';
export { DEFAULT_INSECURE_REGISTRIES, isInsecureRegistry } from './registry-client.ts';
export { InvalidReferenceError, ImageArchiveError, ImageNotFoundError, AmbiguousImageError, ImageInUseError, ImagePullError } from './errors.ts';
export type { ImageReference, ImageConfig, ImageRecord, RemoveResult, PullOptions } from './types.ts';
