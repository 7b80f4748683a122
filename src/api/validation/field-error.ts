// The field error model of the API: one error per bad field, rendered and aggregated exactly as
// upstream does, and turned into Status causes for 422 Invalid responses.
import type { FieldPath } from './field-path.ts';
import { goQuote, goSyntax } from './go-format.ts';

/** The reason names as they appear in Status causes. */
export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

export interface FieldError {
  type: FieldErrorType;
  /** The field path string, e.g. `spec.containers[0].name`. */
  field: string;
  badValue: unknown;
  detail: string;
}

/** Marks a bad value that is left out of the message (upstream's omitValue). */
export const OMIT_VALUE: unique symbol = Symbol('omit value');

/** The words each error type is written with. */
export const FIELD_ERROR_TYPE_TEXT: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

type PathLike = FieldPath | string;
const str = (p: PathLike) => String(p);

export const fieldErrors = {
  required: (path: PathLike, detail = ''): FieldError => ({ type: 'FieldValueRequired', field: str(path), badValue: '', detail }),
  invalid: (path: PathLike, value: unknown, detail: string): FieldError => ({ type: 'FieldValueInvalid', field: str(path), badValue: value, detail }),
  typeInvalid: (path: PathLike, value: unknown, detail: string): FieldError => ({ type: 'FieldValueTypeInvalid', field: str(path), badValue: value, detail }),
  notFound: (path: PathLike, value: unknown): FieldError => ({ type: 'FieldValueNotFound', field: str(path), badValue: value, detail: '' }),
  duplicate: (path: PathLike, value: unknown): FieldError => ({ type: 'FieldValueDuplicate', field: str(path), badValue: value, detail: '' }),
  forbidden: (path: PathLike, detail: string): FieldError => ({ type: 'FieldValueForbidden', field: str(path), badValue: '', detail }),
  notSupported: (path: PathLike, value: unknown, validValues: readonly string[]): FieldError => ({
    type: 'FieldValueNotSupported',
    field: str(path),
    badValue: value,
    detail: validValues.length > 0 ? 'supported values: ' + validValues.map((v) => goQuote(v)).join(', ') : '',
  }),
  /** maxLength < 0 means the limit is not stated. */
  tooLong: (path: PathLike, maxLength: number): FieldError => ({
    type: 'FieldValueTooLong',
    field: str(path),
    badValue: '<value omitted>',
    detail: maxLength >= 0 ? `may not be more than ${maxLength} bytes` : 'value is too long',
  }),
  tooMany: (path: PathLike, actual: number, max: number): FieldError => ({
    type: 'FieldValueTooMany',
    field: str(path),
    badValue: actual >= 0 ? actual : OMIT_VALUE,
    detail: max >= 0 ? `must have at most ${max} items` : 'has too many items',
  }),
  internal: (path: PathLike, message: string): FieldError => ({ type: 'InternalError', field: str(path), badValue: null, detail: message }),
};

/** The message without the field path, as put in a Status cause. */
export function errorBody(e: FieldError): string {
  let s: string;
  const text = FIELD_ERROR_TYPE_TEXT[e.type];
  if (e.type === 'FieldValueRequired' || e.type === 'FieldValueForbidden' || e.type === 'FieldValueTooLong' || e.type === 'InternalError' || e.badValue === OMIT_VALUE) {
    s = text;
  } else {
    s = `${text}: ${goSyntax(e.badValue)}`;
  }
  if (e.detail.length > 0) s += `: ${e.detail}`;
  return s;
}

/** `field: body`, as upstream's Error() renders one field error. */
export function renderFieldError(e: FieldError): string {
  return `${e.field}: ${errorBody(e)}`;
}

/** Upstream's aggregate rendering: one message alone, several deduplicated in brackets. */
export function aggregateMessages(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  if (unique.length === 1) return unique[0]!;
  return `[${unique.join(', ')}]`;
}

/** The rendered aggregate of field errors (empty string for none). */
export function aggregateFieldErrors(errs: readonly FieldError[]): string {
  return errs.length === 0 ? '' : aggregateMessages(errs.map(renderFieldError));
}

/** The message of a 422 Invalid: `ConfigMap "x" is invalid: …`; group-qualified kinds read `Deployment.apps "x"`. */
export function invalidMessage(group: string, kind: string, name: string, errs: readonly FieldError[]): string {
  const qualified = group ? `${kind}.${group}` : kind;
  return errs.length === 0 ? `${qualified} ${goQuote(name)} is invalid` : `${qualified} ${goQuote(name)} is invalid: ${aggregateFieldErrors(errs)}`;
}

/** Status causes for a 422 Invalid (every error, not deduplicated, like upstream). */
export function toCauses(errs: readonly FieldError[]): { reason: string; message: string; field: string }[] {
  return errs.map((e) => ({ reason: e.type, message: errorBody(e), field: e.field }));
}
