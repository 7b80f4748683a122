// JSON merge patch (RFC 7386, application/merge-patch+json) as the Go json-patch library
// applies it for the apiserver: null deletes a key, objects merge recursively, everything
// else (arrays included) replaces; nulls inside newly added objects are dropped.
import { badRequest } from './errors.ts';
import { parseJsonBody } from './json-body.ts';

type JsonObject = Record<string, unknown>;

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses a merge patch body: anything but a JSON object is upstream's 400 "Invalid JSON Patch". */
export function parseMergePatch(body: string | Uint8Array): JsonObject {
  let parsed: unknown;
  try {
    parsed = parseJsonBody(body);
  } catch {
    throw badRequest('Invalid JSON Patch');
  }
  if (!isObject(parsed)) throw badRequest('Invalid JSON Patch');
  return parsed;
}

/** Applies a merge patch body to an object; the input is not modified. */
export function applyMergePatch<T extends object>(original: T, body: string | Uint8Array | JsonObject): T {
  const patch = isObject(body) ? structuredClone(body) : parseMergePatch(body);
  const doc = structuredClone(original) as JsonObject;
  mergeObjects(doc, patch);
  return doc as T;
}

function mergeObjects(doc: JsonObject, patch: JsonObject): void {
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) {
      delete doc[k];
      continue;
    }
    const cur = doc[k];
    if (cur === undefined || cur === null) {
      doc[k] = pruneNulls(v);
    } else if (!isObject(cur)) {
      doc[k] = pruneNulls(v);
    } else if (!isObject(v)) {
      doc[k] = v;
    } else {
      mergeObjects(cur, v);
    }
  }
}

// Drops null members of objects, also inside arrays (null array elements stay).
function pruneNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => (x === null ? x : pruneNulls(x)));
  if (isObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (x === null) delete v[k];
      else pruneNulls(x);
    }
  }
  return v;
}
