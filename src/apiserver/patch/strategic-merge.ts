// Strategic merge patch (application/strategic-merge-patch+json) applied on the server, with
// the semantics of apimachinery's strategicpatch for typed objects: lists whose field has
// patch strategy "merge" are merged by their merge key (scalars: union), directives
// ($patch, $retainKeys, $setElementOrder/<list>, $deleteFromPrimitiveList/<list>) steer it,
// null deletes a key, and everything without a strategy is replaced. Unknown fields merge
// as free-form JSON. Errors carry upstream's messages and codes (see errors.ts).
import { badRequest, internal, unprocessable } from './errors.ts';
import { goTypeName, goValue } from './go-format.ts';
import { describeJsonSyntaxError, parseJsonBody } from './json-body.ts';
import { childOf, itemsOf, nodeName, type FieldMeta, type SchemaNode } from './schema.ts';

type JsonMap = Record<string, unknown>;

export const DIRECTIVE_MARKER = '$patch';
export const RETAIN_KEYS_DIRECTIVE = '$retainKeys';
export const DELETE_FROM_PRIMITIVE_LIST_PREFIX = '$deleteFromPrimitiveList';
export const SET_ELEMENT_ORDER_PREFIX = '$setElementOrder';

// The sentinel errors of apimachinery's mergepatch package and the codes the apiserver gives them.
export const smpErrors = {
  badJSONDoc: () => badRequest('invalid JSON document'),
  noListOfLists: () => unprocessable('lists of lists are not supported'),
  badPatchFormatForPrimitiveList: () => badRequest('invalid patch format of primitive list'),
  badPatchFormatForRetainKeys: () => badRequest('invalid patch format of retainKeys'),
  badPatchFormatForSetElementOrderList: () => badRequest('invalid patch format of setElementOrder list'),
  patchContentNotMatchRetainKeys: () => unprocessable("patch content doesn't match retainKeys list"),
  unsupportedStrategicMergePatchFormat: () => badRequest('strategic merge patch format is not supported'),
  noMergeKey: (m: JsonMap, key: string) => internal(`map: ${goValue(m)} does not contain declared merge key: ${key}`),
  badArgType: (expected: 'map' | 'slice', actual: unknown) =>
    internal(`expected a ${expected === 'map' ? 'map[string]interface {}' : '[]interface {}'}, but received a ${goTypeName(actual)}`),
  badPatchType: (t: unknown, m: JsonMap) => internal(`unknown patch type: ${goValue(t)} in map: ${goValue(m)}`),
};

const isMap = (v: unknown): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Decodes a strategic merge patch body into a map (400 on bad JSON or a non-object body). */
export function parseStrategicMergePatch(body: string | Uint8Array): JsonMap {
  let parsed: unknown;
  try {
    parsed = parseJsonBody(body);
  } catch (e) {
    throw badRequest(describeJsonSyntaxError(body, e));
  }
  if (parsed === null) return {};
  if (!isMap(parsed)) {
    const kind = Array.isArray(parsed) ? 'array' : typeof parsed;
    throw badRequest(`json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`);
  }
  return parsed;
}

/**
 * Applies a strategic merge patch to an object of a typed kind. `schema` is the kind's root
 * node (typeDefSchema). Neither input is modified. Throws PatchError.
 */
export function applyStrategicMergePatch<T extends object>(original: T, patch: string | Uint8Array | JsonMap, schema: SchemaNode): T {
  const patchMap = isMap(patch) ? structuredClone(patch) : parseStrategicMergePatch(patch);
  const originalMap = structuredClone(original) as JsonMap;
  return mergeMap(originalMap, patchMap, schema) as T;
}

function mergeMap(original: JsonMap | null, patch: JsonMap, schema: SchemaNode): JsonMap {
  if (Object.hasOwn(patch, DIRECTIVE_MARKER)) return handleDirectiveInMergeMap(patch[DIRECTIVE_MARKER], patch);
  const orig: JsonMap = original ?? {};
  applyRetainKeysDirective(orig, patch);
  mergePatchIntoOriginal(orig, patch, schema);

  for (const key of Object.keys(patch)) {
    if (!Object.hasOwn(patch, key)) continue;
    const patchV = patch[key];
    let k = key;
    let isDeleteList = false;
    if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX)) {
      k = extractKey(key, DELETE_FROM_PRIMITIVE_LIST_PREFIX);
      isDeleteList = true;
    }
    if (patchV === null) {
      delete orig[k];
      continue;
    }
    if (!Object.hasOwn(orig, k) || goKind(orig[k]) !== goKind(patchV)) {
      if (!isDeleteList) {
        discardNullValuesFromPatch(patchV);
        const [v, keep] = removeDirectives(patchV);
        if (keep) orig[k] = v;
        else delete orig[k];
      }
      continue;
    }
    const origV = orig[k];
    if (isMap(origV)) {
      const { node, meta } = childOf(schema, k);
      const [, strategy] = extractRetainKeysPatchStrategy(meta);
      orig[k] = strategy !== 'replace' ? mergeMap(origV, patchV as JsonMap, node) : patchV;
    } else if (Array.isArray(origV)) {
      const { node, meta } = childOf(schema, k);
      const [, strategy] = extractRetainKeysPatchStrategy(meta);
      orig[k] = mergeSliceHandler(origV, patchV as unknown[], itemsOf(node), strategy, meta.patchMergeKey ?? '', isDeleteList);
    } else {
      const [v, keep] = removeDirectives(patchV);
      if (keep) orig[k] = v;
      else delete orig[k];
    }
  }
  return orig;
}

function handleDirectiveInMergeMap(directive: unknown, patch: JsonMap): JsonMap {
  if (directive === 'replace') {
    delete patch[DIRECTIVE_MARKER];
    // The typed decode upstream drops leftover directive keys; do the same here.
    for (const k of Object.keys(patch)) if (isDirectiveKey(k)) delete patch[k];
    return patch;
  }
  if (directive === 'delete') return {};
  throw smpErrors.badPatchType(directive, patch);
}

const isDirectiveKey = (k: string) =>
  k === RETAIN_KEYS_DIRECTIVE || k.startsWith(`${SET_ELEMENT_ORDER_PREFIX}/`) || k.startsWith(`${DELETE_FROM_PRIMITIVE_LIST_PREFIX}/`);

// The distinction Go's reflect.TypeOf draws between decoded JSON values.
function goKind(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (Array.isArray(v)) return 'slice';
  return typeof v === 'object' ? 'map' : typeof v;
}

function extractKey(s: string, prefix: string): string {
  const slash = s.indexOf('/');
  if (slash < 0 || s.slice(0, slash) !== prefix) {
    if (prefix === DELETE_FROM_PRIMITIVE_LIST_PREFIX) throw smpErrors.badPatchFormatForPrimitiveList();
    throw smpErrors.badPatchFormatForSetElementOrderList();
  }
  return s.slice(slash + 1);
}

/** [hasRetainKeys, the other strategy] from a field's patch strategies. */
function extractRetainKeysPatchStrategy(meta: FieldMeta): [boolean, string] {
  const s = meta.patchStrategies;
  if (s.length === 0) return [false, ''];
  if (s.length === 1) return s[0] === 'retainKeys' ? [true, ''] : [false, s[0]!];
  if (s.length === 2) {
    if (s[0] === 'retainKeys') return [true, s[1]!];
    if (s[1] === 'retainKeys') return [true, s[0]!];
  }
  throw internal(`unexpected patch strategy: [${s.join(' ')}]`);
}

function applyRetainKeysDirective(original: JsonMap, patch: JsonMap): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS_DIRECTIVE)) return;
  const retain = patch[RETAIN_KEYS_DIRECTIVE];
  delete patch[RETAIN_KEYS_DIRECTIVE];
  if (!Array.isArray(retain)) throw smpErrors.badPatchFormatForRetainKeys();
  const keep = new Set(retain);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX) || k.startsWith(SET_ELEMENT_ORDER_PREFIX)) continue;
    if (!keep.has(k)) throw smpErrors.badPatchFormatForRetainKeys();
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

// $setElementOrder/<list>: merge that list now and order it by the directive, then the
// patch, then the live order.
function mergePatchIntoOriginal(original: JsonMap, patch: JsonMap, schema: SchemaNode): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER_PREFIX) || !Object.hasOwn(patch, key)) continue;
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) throw smpErrors.badArgType('slice', order);
    const originalKey = extractKey(key, SET_ELEMENT_ORDER_PREFIX);
    const foundOriginal = Object.hasOwn(original, originalKey);
    const foundPatch = Object.hasOwn(patch, originalKey);
    let originalList: unknown[] = [];
    let patchList: unknown[] = [];
    if (foundOriginal) {
      const v = original[originalKey];
      if (!Array.isArray(v)) throw smpErrors.badArgType('slice', v);
      originalList = v;
    }
    if (foundPatch) {
      const v = patch[originalKey];
      if (!Array.isArray(v)) throw smpErrors.badArgType('slice', v);
      patchList = v;
    }
    const { node, meta } = childOf(schema, originalKey);
    const [, strategy] = extractRetainKeysPatchStrategy(meta);
    const mergeKey = meta.patchMergeKey ?? '';
    validatePatchWithSetOrderList(patchList, order, mergeKey);

    let merged: unknown[];
    if (foundOriginal && !foundPatch) merged = originalList;
    else if (!foundOriginal && foundPatch) merged = removeDirectives(patchList)[0] as unknown[];
    else if (foundOriginal && foundPatch) merged = mergeSliceHandler(originalList, patchList, itemsOf(node), strategy, mergeKey, false);
    else continue;

    const [patchItems, serverOnly] = mergeKey === '' ? partitionPrimitives(merged, order) : partitionMaps(merged, order, mergeKey);
    const kind = sliceElementKind(originalList, patchList);
    original[originalKey] = normalizeElementOrder(patchItems, serverOnly, order, originalList, mergeKey, kind);
    delete patch[originalKey];
  }
}

function validatePatchWithSetOrderList(patchList: unknown[], setOrderList: unknown[], mergeKey: string): void {
  if (setOrderList.length === 0 || patchList.length === 0) return;
  const nonDelete = mergeKey !== '' ? extractToDeleteItems(patchList)[0] : patchList;
  let p = 0;
  let s = 0;
  while (p < nonDelete.length && s < setOrderList.length) {
    if (isMap(nonDelete[p]) && Object.hasOwn(nonDelete[p] as JsonMap, DIRECTIVE_MARKER)) {
      p++;
      continue;
    }
    if (mergeKeyValueEqual(nonDelete[p], setOrderList[s], mergeKey)) p++;
    s++;
  }
  if (p < nonDelete.length && s >= setOrderList.length) {
    throw internal(`The order in patch list:\n${goValue(patchList)}\n doesn't match ${SET_ELEMENT_ORDER_PREFIX} list:\n${goValue(setOrderList)}\n`);
  }
}

function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (mergeKey === '') return left === right;
  if (!isMap(left)) throw smpErrors.badArgType('map', left);
  if (!isMap(right)) throw smpErrors.badArgType('map', right);
  if (!Object.hasOwn(left, mergeKey)) throw smpErrors.noMergeKey(left, mergeKey);
  if (!Object.hasOwn(right, mergeKey)) throw smpErrors.noMergeKey(right, mergeKey);
  return left[mergeKey] === right[mergeKey];
}

function mergeSliceHandler(original: unknown[], patch: unknown[], items: SchemaNode, strategy: string, mergeKey: string, isDeleteList: boolean): unknown[] {
  if (strategy === 'merge' || isDeleteList) return mergeSlice(original, patch, items, mergeKey, isDeleteList);
  return patch;
}

function mergeSlice(original: unknown[], patch: unknown[], items: SchemaNode, mergeKey: string, isDeleteList: boolean): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = sliceElementKind(original, patch);
  let merged: unknown[];
  let orig = original;
  let pat = patch;
  if (kind !== 'map') {
    if (isDeleteList) return deleteFromSlice(original, patch);
    merged = deduplicateScalars([...original, ...patch]);
  } else {
    if (mergeKey === '') throw internal(`cannot merge lists without merge key for ${nodeName(items)}`);
    [orig, pat] = mergeSliceWithSpecialElements(original, patch, mergeKey);
    // Appends land in the live list's freed slots (see mergeSliceWithSpecialElements); after a
    // $patch: replace there is nothing left to append.
    merged = mergeSliceWithoutSpecialElements(orig.slice(), pat, mergeKey, items, original);
  }
  const [patchItems, serverOnly] = mergeKey === '' ? partitionPrimitives(merged, pat) : partitionMaps(merged, pat, mergeKey);
  return normalizeElementOrder(patchItems, serverOnly, pat, orig, mergeKey, kind);
}

/** The common kind of the elements of the slices; errors like upstream on mixed kinds and nested lists. */
function sliceElementKind(...slices: unknown[][]): string {
  let prev: string | undefined;
  for (const s of slices) {
    for (const v of s) {
      const k = goKind(v);
      if (prev === undefined) {
        prev = k;
        if (k === 'slice') throw smpErrors.noListOfLists();
      } else if (prev !== k) {
        throw internal(`list element types are not identical: ${goValue(slices)}`);
      }
    }
  }
  if (prev === undefined) throw internal('no elements in any of the given slices');
  return prev;
}

// Works on `original` in place the way Go's slice operations do on a shared backing array:
// deletions shift later items left and appends fill the freed slots. The caller's view of
// the live list (used for ordering under $setElementOrder) sees those writes, as upstream's
// does, which decides where server-only items land.
function mergeSliceWithSpecialElements(original: unknown[], patch: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const withoutSpecial: unknown[] = [];
  let replace = false;
  let cur = original.slice();
  for (const v of patch) {
    const m = v as JsonMap;
    if (!Object.hasOwn(m, DIRECTIVE_MARKER)) {
      withoutSpecial.push(v);
      continue;
    }
    const directive = m[DIRECTIVE_MARKER];
    if (directive === 'delete') {
      if (!Object.hasOwn(m, mergeKey)) throw smpErrors.noMergeKey(m, mergeKey);
      for (let i = findByKey(cur, mergeKey, m[mergeKey]); i >= 0; i = findByKey(cur, mergeKey, m[mergeKey])) {
        cur.splice(i, 1);
        for (let t = i; t < cur.length; t++) original[t] = cur[t];
      }
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw internal('merging lists cannot yet be specified in the patch');
    } else {
      throw smpErrors.badPatchType(directive, m);
    }
  }
  if (replace) return [withoutSpecial, []];
  return [cur, withoutSpecial];
}

function mergeSliceWithoutSpecialElements(original: unknown[], patch: unknown[], mergeKey: string, items: SchemaNode, backing: unknown[]): unknown[] {
  const out = original;
  for (const v of patch) {
    const m = v as JsonMap;
    if (!Object.hasOwn(m, mergeKey)) throw smpErrors.noMergeKey(m, mergeKey);
    const i = findByKey(out, mergeKey, m[mergeKey]);
    if (i >= 0) {
      out[i] = mergeMap(out[i] as JsonMap, m, items);
    } else {
      out.push(v);
      if (out.length <= backing.length) backing[out.length - 1] = v;
    }
  }
  return out;
}

function findByKey(list: unknown[], key: string, value: unknown): number {
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (!isMap(item)) throw internal(`value for key ${i} is not a map`);
    if (Object.hasOwn(item, key) && item[key] === value) return i;
  }
  return -1;
}

function deleteFromSlice(current: unknown[], toDelete: unknown[]): unknown[] {
  const drop = new Set(toDelete);
  return current.filter((v) => !drop.has(v));
}

function deduplicateScalars(s: unknown[]): unknown[] {
  // Upstream's in-place dedupe moves the last element into each duplicate's slot; the order
  // is normalised afterwards, so only the set of values matters here.
  const seen = new Set<unknown>();
  return s.filter((v) => (seen.has(v) ? false : (seen.add(v), true)));
}

function partitionPrimitives(list: unknown[], by: unknown[]): [unknown[], unknown[]] {
  const inPatch = new Set(by);
  return [list.filter((v) => inPatch.has(v)), list.filter((v) => !inPatch.has(v))];
}

function partitionMaps(list: unknown[], by: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const patchItems: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of list) {
    if (!isMap(v)) throw smpErrors.badArgType('map', v);
    if (!Object.hasOwn(v, mergeKey)) throw smpErrors.noMergeKey(v, mergeKey);
    if (findByKey(by, mergeKey, v[mergeKey]) >= 0) patchItems.push(v);
    else serverOnly.push(v);
  }
  return [patchItems, serverOnly];
}

function extractToDeleteItems(l: unknown[]): [unknown[], unknown[]] {
  const keep: unknown[] = [];
  const del: unknown[] = [];
  for (const v of l) {
    if (!isMap(v)) throw smpErrors.badArgType('map', v);
    if (v[DIRECTIVE_MARKER] === 'delete') del.push(v);
    else keep.push(v);
  }
  return [keep, del];
}

function indexIn(list: unknown[], item: unknown, mergeKey: string, kind: string): number {
  const val = (x: unknown) => (kind === 'map' ? (isMap(x) ? x[mergeKey] : undefined) : x);
  const want = val(item);
  return list.findIndex((x) => val(x) === want);
}

function normalizeSliceOrder(toSort: unknown[], order: unknown[], mergeKey: string, kind: string): unknown[] {
  let sorted = toSort;
  let toDelete: unknown[] = [];
  if (kind === 'map') {
    for (const list of [toSort, order]) {
      for (const item of list) {
        if (!isMap(item)) throw smpErrors.badArgType('map', item);
        if (!Object.hasOwn(item, mergeKey)) throw smpErrors.noMergeKey(item, mergeKey);
      }
    }
    [sorted, toDelete] = extractToDeleteItems(toSort);
  }
  const keyed = sorted.map((v, i) => ({ v, i, at: indexIn(order, v, mergeKey, kind) }));
  keyed.sort((a, b) => (a.at >= 0 && b.at >= 0 ? a.at - b.at : 0) || a.i - b.i);
  return [...keyed.map((x) => x.v), ...toDelete];
}

// Interleaves the server-only items into the patch items, keeping each list's own order and
// using the live order to place server-only items where both are known.
function normalizeElementOrder(patch: unknown[], serverOnly: unknown[], patchOrder: unknown[], serverOrder: unknown[], mergeKey: string, kind: string): unknown[] {
  const left = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  const right = normalizeSliceOrder(patch, patchOrder, mergeKey, kind);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey, kind);
      const ri = indexIn(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

function discardNullValuesFromPatch(v: unknown): void {
  if (Array.isArray(v)) {
    for (const x of v) discardNullValuesFromPatch(x);
  } else if (isMap(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (x === null) delete v[k];
      else discardNullValuesFromPatch(x);
    }
  }
}

/** Strips directive-bearing maps (and list items) from a value; [value, keep]. */
function removeDirectives(v: unknown): [unknown, boolean] {
  if (isMap(v)) {
    if (Object.hasOwn(v, DIRECTIVE_MARKER)) return [null, false];
    for (const k of Object.keys(v)) {
      const [x, keep] = removeDirectives(v[k]);
      if (keep) v[k] = x;
      else delete v[k];
    }
    return [v, true];
  }
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const x of v) {
      const [y, keep] = removeDirectives(x);
      if (keep) out.push(y);
    }
    return [out, true];
  }
  return [v, true];
}
