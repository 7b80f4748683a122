// JSON patch (RFC 6902, application/json-patch+json) with the apiserver's failure codes:
// a body that is not a list of operation objects → 400; an operation that cannot be applied
// → 422 with upstream's generic message (the cause is kept on PatchError.detail, worded as
// the Go json-patch library words it).
import jsonpatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { badRequest, tooManyOperations, unprocessable } from './errors.ts';
import { describeJsonSyntaxError, parseJsonBody } from './json-body.ts';

/** Upstream's cap on operations in one JSON patch. */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/** Parses a JSON patch body, throwing upstream's 400s for bodies that are not a list of objects. */
export function parseJsonPatch(body: string | Uint8Array): Record<string, unknown>[] {
  let parsed: unknown;
  try {
    parsed = parseJsonBody(body);
  } catch (e) {
    throw badRequest(describeJsonSyntaxError(body, e));
  }
  if (!Array.isArray(parsed)) {
    throw badRequest(`json: cannot unmarshal ${jsonKind(parsed)} into Go value of type jsonpatch.Patch`);
  }
  for (const op of parsed) {
    if (op === null) continue; // Go decodes null into an empty operation, which fails on apply
    if (typeof op !== 'object' || Array.isArray(op)) {
      throw badRequest(`json: cannot unmarshal ${jsonKind(op)} into Go value of type jsonpatch.Operation`);
    }
  }
  if (parsed.length > MAX_JSON_PATCH_OPERATIONS) throw tooManyOperations(MAX_JSON_PATCH_OPERATIONS, parsed.length);
  return parsed.map((op) => (op ?? {}) as Record<string, unknown>);
}

/** Applies a JSON patch to a document without touching the input; returns the patched copy. */
export function applyJsonPatch<T>(original: T, body: string | Uint8Array): T {
  const ops = parseJsonPatch(body);
  let doc: unknown = structuredClone(original);
  ops.forEach((raw, index) => {
    const op = normaliseOperation(raw);
    try {
      doc = jsonpatch.applyOperation(doc, op as unknown as Operation, true, true, true, index).newDocument;
    } catch (e) {
      throw unprocessable(describeFailure(raw, e));
    }
  });
  return doc as T;
}

// The Go library adds null when "value" is missing; mirror that instead of rejecting.
function normaliseOperation(raw: Record<string, unknown>): Record<string, unknown> {
  const op = { ...raw };
  if ((op.op === 'add' || op.op === 'replace' || op.op === 'test') && !('value' in op)) op.value = null;
  return op;
}

function describeFailure(raw: Record<string, unknown>, e: unknown): string {
  const kind = typeof raw.op === 'string' && OPS.has(raw.op) ? raw.op : undefined;
  const path = typeof raw.path === 'string' ? raw.path : '';
  const from = typeof raw.from === 'string' ? raw.from : '';
  const name = (e as { name?: string }).name ?? '';
  if (!kind) return `Unexpected kind: ${typeof raw.op === 'string' ? raw.op : 'unknown'}`;
  switch (name) {
    case 'OPERATION_PATH_INVALID':
      return `${kind} operation failed to decode path: missing value`;
    case 'OPERATION_FROM_REQUIRED':
      return `${kind} operation failed to decode from: operation, missing from field: missing value`;
    case 'OPERATION_PATH_UNRESOLVABLE':
    case 'OPERATION_PATH_CANNOT_ADD':
      if (kind === 'replace') return `replace operation does not apply: doc is missing key: ${path}: missing value`;
      if (kind === 'test') return `test operation does not apply: is missing path: ${path}: missing value`;
      if (kind === 'move' || kind === 'copy') return `${kind} operation does not apply: doc is missing destination path: ${path}: missing value`;
      return `${kind} operation does not apply: doc is missing path: "${path}": missing value`;
    case 'OPERATION_FROM_UNRESOLVABLE':
      return `${kind} operation does not apply: doc is missing from path: ${from}: missing value`;
    case 'OPERATION_PATH_ILLEGAL_ARRAY_INDEX':
    case 'OPERATION_VALUE_OUT_OF_BOUNDS': {
      const last = path.split('/').pop() ?? '';
      return `Unable to access invalid index: ${last}: invalid index referenced`;
    }
    case 'TEST_OPERATION_FAILED':
      return `testing value ${path} failed: test failed`;
    default:
      return e instanceof Error ? e.message.split('\n')[0]! : String(e);
  }
}

function jsonKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v; // string, number, boolean
}
