// Errors of the image store, typed by meaning; messages follow docker's wording.
export { InvalidReferenceError } from './reference.ts';
export { ImageArchiveError } from './archive-reader.ts';

export class ImageNotFoundError extends Error {
  override name = 'ImageNotFoundError';
  readonly reference: string;
  constructor(reference: string) {
    super(`No such image: ${reference}`);
    this.reference = reference;
  }
}

export class AmbiguousImageError extends Error {
  override name = 'AmbiguousImageError';
  constructor(prefix: string) {
    super(`multiple IDs found with provided prefix: ${prefix}`);
  }
}

/** The image's layers back a mounted container root filesystem. */
export class ImageInUseError extends Error {
  override name = 'ImageInUseError';
  constructor(reference: string, id: string) {
    super(`conflict: unable to remove repository reference "${reference}" (must force) - image ${id.slice(7, 19)} is in use by a mounted container root filesystem`);
  }
}

/** A pull that failed; the message carries the registry's own. Shown as ErrImagePull. */
export class ImagePullError extends Error {
  override name = 'ImagePullError';
  /** HTTP status of the failing request, when there was one. */
  readonly status?: number;
  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}
