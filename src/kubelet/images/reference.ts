// Image references normalized as docker does (distribution/reference's grammar and its
// docker.io defaults): `web:v1` is `docker.io/library/web:v1`, a bare name gets `:latest`.
import type { ImageReference } from './types.ts';

export const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const OFFICIAL_REPO_PREFIX = 'library/';
const NAME_TOTAL_LENGTH_MAX = 255;

// The grammar of distribution/reference, written out once.
const ALNUM = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const DOMAIN_NAME_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN_NAME = `${DOMAIN_NAME_COMPONENT}(?:\\.${DOMAIN_NAME_COMPONENT})*`;
const IPV6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const DOMAIN = `(?:${DOMAIN_NAME}|${IPV6})(?::[0-9]+)?`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const REFERENCE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const ANCHORED_IDENTIFIER = /^[a-f0-9]{64}$/;

/** A reference that is not valid; the message is docker's. */
export class InvalidReferenceError extends Error {
  override name = 'InvalidReferenceError';
}

function splitDockerDomain(name: string): [domain: string, remainder: string] {
  const i = name.indexOf('/');
  let domain: string;
  let remainder: string;
  const first = i < 0 ? '' : name.slice(0, i);
  if (i < 0 || (!/[.:]/.test(first) && first !== 'localhost' && first.toLowerCase() === first)) {
    domain = DEFAULT_DOMAIN;
    remainder = name;
  } else {
    domain = first;
    remainder = name.slice(i + 1);
  }
  if (domain === LEGACY_DEFAULT_DOMAIN) domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !remainder.includes('/')) remainder = OFFICIAL_REPO_PREFIX + remainder;
  return [domain, remainder];
}

function validateDigest(digest: string): void {
  const [algorithm, hex] = digest.split(':') as [string, string];
  if (algorithm === 'sha256') {
    if (hex.length !== 64) throw new InvalidReferenceError('invalid checksum digest length');
    if (!/^[a-f0-9]{64}$/.test(hex)) throw new InvalidReferenceError('invalid checksum digest format');
  } else if (algorithm === 'sha384' || algorithm === 'sha512') {
    if (hex.length !== (algorithm === 'sha384' ? 96 : 128)) throw new InvalidReferenceError('invalid checksum digest length');
  } else {
    throw new InvalidReferenceError('unsupported digest algorithm');
  }
}

/**
 * Parses and completes a reference the way `docker pull` does: the docker.io domain and the
 * library/ prefix where left implicit, and tag `latest` when neither tag nor digest is given.
 */
export function normalizeReference(ref: string): ImageReference {
  if (ANCHORED_IDENTIFIER.test(ref)) {
    throw new InvalidReferenceError(`invalid repository name (${ref}), cannot specify 64-byte hexadecimal strings`);
  }
  const [domain, remainder] = splitDockerDomain(ref);
  const tagSep = remainder.search(/[:@]/);
  const remote = tagSep < 0 ? remainder : remainder.slice(0, tagSep);
  if (remote.toLowerCase() !== remote) {
    throw new InvalidReferenceError(`invalid reference format: repository name (${remote}) must be lowercase`);
  }
  const full = `${domain}/${remainder}`;
  const m = REFERENCE.exec(full);
  if (!m) {
    if (ref === '') throw new InvalidReferenceError('invalid reference format: repository name must have at least one component');
    throw new InvalidReferenceError('invalid reference format');
  }
  const name = m[1]!;
  if (name.length > NAME_TOTAL_LENGTH_MAX) {
    throw new InvalidReferenceError(`repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`);
  }
  const digest = m[3];
  if (digest) validateDigest(digest);
  const tag = m[2] ?? (digest ? undefined : 'latest');
  const path = name.slice(domain.length + 1);
  let string = name;
  if (tag) string += `:${tag}`;
  if (digest) string += `@${digest}`;
  return { name, domain, path, tag, digest, string };
}

/** The short form docker shows: `web:v1` for `docker.io/library/web:v1`. */
export function familiarName(name: string): string {
  if (name.startsWith(`${DEFAULT_DOMAIN}/${OFFICIAL_REPO_PREFIX}`)) return name.slice(DEFAULT_DOMAIN.length + 1 + OFFICIAL_REPO_PREFIX.length);
  if (name.startsWith(`${DEFAULT_DOMAIN}/`)) return name.slice(DEFAULT_DOMAIN.length + 1);
  return name;
}
