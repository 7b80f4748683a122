// API errors are one StatusError carrying a Kubernetes Status; helpers build the upstream
// reasons and messages, and predicates read them back.
import type { FieldCause } from './registry/resource.ts';
import { invalidMessage, toCauses, type FieldError } from './validation/field-error.ts';

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: FieldCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

export class StatusError extends Error {
  readonly status: Status;
  constructor(code: number, reason: string, message: string, details?: StatusDetails) {
    super(message);
    this.name = 'StatusError';
    this.status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
    if (details) this.status.details = details;
  }
  get code(): number { return this.status.code; }
  get reason(): string { return this.status.reason; }
}

/** Group-qualified resource as upstream prints it: "pods", "deployments.apps". */
export function qualifiedResource(group: string, plural: string): string {
  return group ? `${plural}.${group}` : plural;
}

function details(group: string, plural: string, name?: string): StatusDetails {
  const d: StatusDetails = {};
  if (name !== undefined) d.name = name;
  if (group) d.group = group;
  d.kind = plural;
  return d;
}

export const errors = {
  notFound: (group: string, plural: string, name: string) =>
    new StatusError(404, 'NotFound', `${qualifiedResource(group, plural)} "${name}" not found`, details(group, plural, name)),
  alreadyExists: (group: string, plural: string, name: string) =>
    new StatusError(409, 'AlreadyExists', `${qualifiedResource(group, plural)} "${name}" already exists`, details(group, plural, name)),
  conflict: (group: string, plural: string, name: string, why: string) =>
    new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(group, plural)} "${name}": ${why}`, details(group, plural, name)),
  modified: (group: string, plural: string, name: string) =>
    errors.conflict(group, plural, name, 'the object has been modified; please apply your changes to the latest version and try again'),
  /** 422 Invalid from field errors, worded as upstream (`ConfigMap "x" is invalid: …`). */
  invalid: (group: string, kind: string, name: string, errs: readonly FieldError[]) => {
    const d: StatusDetails = name ? { name, kind, causes: toCauses(errs) } : { kind, causes: toCauses(errs) };
    if (group) d.group = group;
    return new StatusError(422, 'Invalid', invalidMessage(group, kind, name, errs), d);
  },
  badRequest: (message: string) => new StatusError(400, 'BadRequest', message),
  unauthorized: () => new StatusError(401, 'Unauthorized', 'Unauthorized'),
  forbidden: (group: string, plural: string, name: string, why: string) =>
    new StatusError(403, 'Forbidden', `${qualifiedResource(group, plural)} "${name}" is forbidden: ${why}`, details(group, plural, name)),
  methodNotSupported: (group: string, plural: string, verb: string) =>
    new StatusError(405, 'MethodNotAllowed', `${verb} is not supported on resources of kind "${qualifiedResource(group, plural)}"`, details(group, plural)),
  notAcceptable: (message: string) => new StatusError(406, 'NotAcceptable', message),
  gone: (message: string) => new StatusError(410, 'Expired', message),
  tooLarge: (limit: number) => new StatusError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`),
  unsupportedMediaType: (_contentType: string, accepted: string[]) =>
    new StatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`),
  internal: (message: string) => new StatusError(500, 'InternalError', `Internal error occurred: ${message}`),
  timeout: (message: string) => new StatusError(504, 'Timeout', message),
  serviceUnavailable: (message: string) => new StatusError(503, 'ServiceUnavailable', message),
  pathNotFound: () => new StatusError(404, 'NotFound', 'the server could not find the requested resource', {}),
  /** What upstream's router answers for a verb a resource does not serve. */
  methodNotAllowed: () => new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {}),
};

export const isStatusError = (e: unknown): e is StatusError => e instanceof StatusError;
export const isNotFound = (e: unknown) => isStatusError(e) && e.code === 404;
export const isAlreadyExists = (e: unknown) => isStatusError(e) && e.reason === 'AlreadyExists';
export const isConflict = (e: unknown) => isStatusError(e) && e.code === 409;
export const isInvalid = (e: unknown) => isStatusError(e) && e.code === 422;
export const isGone = (e: unknown) => isStatusError(e) && e.code === 410;
