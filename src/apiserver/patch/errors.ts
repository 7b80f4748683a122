// Patch failures as StatusErrors with upstream's codes and wording, so the API layer only
// sends them. Which failure is which code follows the apiserver's patch handler:
// undecodable patch → 400, a JSON patch that cannot be applied → 422 with a generic message,
// strategic-merge format errors → 400 or 422, anything else → 500 with the raw message.
import { StatusError } from '../../api/status.ts';

/** A StatusError that also keeps the underlying reason upstream drops from the reply (for logs and tests). */
export class PatchError extends StatusError {
  readonly detail: string;
  constructor(code: number, reason: string, message: string, detail: string, details?: StatusError['status']['details']) {
    super(code, reason, message, details);
    this.name = 'PatchError';
    this.detail = detail;
  }
}

export const isPatchError = (e: unknown): e is PatchError => e instanceof PatchError;

/** 400 BadRequest carrying the message as is. */
export function badRequest(message: string): PatchError {
  return new PatchError(400, 'BadRequest', message, message);
}

/** 422 as upstream's NewGenericServerResponse builds it: the real cause is not in the reply. */
export function unprocessable(detail: string): PatchError {
  return new PatchError(422, 'Invalid', 'the server rejected our request due to an error in our request', detail, {});
}

/** A plain Go error surfacing from the handler: 500 with no reason and the error text as message. */
export function internal(message: string): PatchError {
  return new PatchError(500, '', message, message);
}

/** 413 for JSON patches with too many operations. */
export function tooManyOperations(max: number, got: number): PatchError {
  const message = `The allowed maximum operations in a JSON patch is ${max}, got ${got}`;
  return new PatchError(413, 'RequestEntityTooLarge', message, message);
}
