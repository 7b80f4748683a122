// Two-way strategic merge patch creation (what kubectl computes client-side from the
// last-applied and new configuration): the patch that turns `original` into `modified`
// under the schema's strategies, with $setElementOrder, $deleteFromPrimitiveList,
// $retainKeys and `$patch: delete` list items as apimachinery's strategicpatch emits them.
import { isDeepStrictEqual } from 'node:util';
import { internal } from './errors.ts';
import { goValue } from './go-format.ts';
import { DELETE_FROM_PRIMITIVE_LIST_PREFIX, DIRECTIVE_MARKER, RETAIN_KEYS_DIRECTIVE, SET_ELEMENT_ORDER_PREFIX, smpErrors } from './strategic-merge.ts';
import { childOf, itemsOf, type SchemaNode } from './schema.ts';

type JsonMap = Record<string, unknown>;
const isMap = (v: unknown): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);
const kindOf = (v: unknown) => (v === null || v === undefined ? 'nil' : Array.isArray(v) ? 'slice' : typeof v === 'object' ? 'map' : typeof v);

/** The strategic merge patch from `original` to `modified` (neither is modified). Throws PatchError. */
export function createTwoWayMergePatch(original: object, modified: object, schema: SchemaNode): JsonMap {
  return diffMaps(structuredClone(original) as JsonMap, structuredClone(modified) as JsonMap, schema, false);
}

function diffMaps(original: JsonMap, modified: JsonMap, schema: SchemaNode, buildRetainKeys: boolean): JsonMap {
  const patch: JsonMap = {};
  const retainKeys: string[] = [];
  for (const [key, modifiedValue] of Object.entries(modified)) {
    if (buildRetainKeys && modifiedValue !== null) retainKeys.push(key);
    if (!Object.hasOwn(original, key)) {
      patch[key] = modifiedValue;
      continue;
    }
    const originalValue = original[key];
    if (key === DIRECTIVE_MARKER) {
      if (typeof originalValue !== 'string' || typeof modifiedValue !== 'string') throw internal(`invalid value for special key: ${DIRECTIVE_MARKER}`);
      if (originalValue !== modifiedValue) patch[key] = modifiedValue;
      continue;
    }
    if (kindOf(originalValue) !== kindOf(modifiedValue)) {
      patch[key] = modifiedValue;
      continue;
    }
    if (isMap(originalValue)) {
      const { node, meta } = childOf(schema, key);
      const [retain, strategy] = retainKeysAndStrategy(meta.patchStrategies);
      if (strategy === 'replace') {
        patch[key] = modifiedValue;
      } else {
        const sub = diffMaps(originalValue, modifiedValue as JsonMap, node, retain);
        if (Object.keys(sub).length > 0) patch[key] = sub;
      }
    } else if (Array.isArray(originalValue)) {
      const { node, meta } = childOf(schema, key);
      const [retain, strategy] = retainKeysAndStrategy(meta.patchStrategies);
      if (strategy === 'merge') {
        const [add, del, order] = diffLists(originalValue, modifiedValue as unknown[], itemsOf(node), meta.patchMergeKey ?? '', retain);
        if (add.length > 0) patch[key] = add;
        if (del.length > 0) patch[`${DELETE_FROM_PRIMITIVE_LIST_PREFIX}/${key}`] = del;
        if (order.length > 0) patch[`${SET_ELEMENT_ORDER_PREFIX}/${key}`] = order;
      } else if (!isDeepStrictEqual(originalValue, modifiedValue)) {
        patch[key] = modifiedValue;
      }
    } else if (!isDeepStrictEqual(originalValue, modifiedValue)) {
      patch[key] = modifiedValue;
    }
  }
  for (const key of Object.keys(original)) if (!Object.hasOwn(modified, key)) patch[key] = null;
  const hasAdditionalNewField = Object.entries(original).some(([k, v]) => v !== null && !Object.hasOwn(modified, k));
  if (retainKeys.length > 0 && (Object.keys(patch).length > 0 || hasAdditionalNewField)) patch[RETAIN_KEYS_DIRECTIVE] = sortScalars(retainKeys);
  return patch;
}

function retainKeysAndStrategy(s: string[]): [boolean, string] {
  if (s.length === 0) return [false, ''];
  if (s.length === 1) return s[0] === 'retainKeys' ? [true, ''] : [false, s[0]!];
  if (s.length === 2 && s[0] === 'retainKeys') return [true, s[1]!];
  if (s.length === 2 && s[1] === 'retainKeys') return [true, s[0]!];
  throw internal(`unexpected patch strategy: [${s.join(' ')}]`);
}

/** [patch list, primitive deletion list, $setElementOrder list]. */
function diffLists(original: unknown[], modified: unknown[], items: SchemaNode, mergeKey: string, buildRetainKeys: boolean): [unknown[], unknown[], unknown[]] {
  if (original.length === 0) return [modified.length === 0 ? [] : modified, [], []];
  const kind = elementKind(original, modified);
  if (kind === 'slice') throw smpErrors.noListOfLists();
  if (kind === 'map') {
    const [changed, deletions] = diffListsOfMaps(original, modified, items, mergeKey, buildRetainKeys);
    const patchList = [...orderBy(changed, modified, mergeKey), ...deletions];
    const orderSame = original.length === modified.length && modified.every((m, i) => mergeKeyOf(original[i], mergeKey) === mergeKeyOf(m, mergeKey));
    const order = patchList.length > 0 || !orderSame ? modified.map((m) => ({ [mergeKey]: (m as JsonMap)[mergeKey] })) : [];
    return [patchList, [], order];
  }
  // Upstream sorts the original in place while diffing, so the order check sees it sorted.
  const sortedOriginal = sortScalars(original);
  const [add, del] = diffListsOfScalars(sortedOriginal, sortScalars(modified));
  const order = del.length > 0 || !isDeepStrictEqual(sortedOriginal, modified) ? modified : [];
  return [orderBy(add, modified, ''), del, order];
}

function mergeKeyOf(v: unknown, mergeKey: string): unknown {
  if (!isMap(v)) throw smpErrors.badArgType('map', v);
  if (!Object.hasOwn(v, mergeKey)) throw smpErrors.noMergeKey(v, mergeKey);
  return v[mergeKey];
}

function elementKind(...lists: unknown[][]): string {
  let kind: string | undefined;
  for (const l of lists) {
    for (const v of l) {
      const k = kindOf(v);
      if (kind === undefined) kind = k;
      else if (kind !== k) throw internal(`list element types are not identical: ${goValue(lists)}`);
    }
  }
  return kind ?? 'nil';
}

const sortKey = (v: unknown) => goValue(v);
function sortScalars(l: unknown[]): unknown[] {
  return [...l].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
}

function diffListsOfScalars(original: unknown[], modified: unknown[]): [unknown[], unknown[]] {
  const add: unknown[] = [];
  const del: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < original.length || j < modified.length) {
    const o = i < original.length ? sortKey(original[i]) : undefined;
    const m = j < modified.length ? sortKey(modified[j]) : undefined;
    if (o !== undefined && m !== undefined && o === m) {
      i++;
      j++;
    } else if (o === undefined || (m !== undefined && o > m)) {
      add.push(modified[j++]);
    } else {
      del.push(original[i++]);
    }
  }
  return [add, [...new Set(del)]];
}

function diffListsOfMaps(original: unknown[], modified: unknown[], items: SchemaNode, mergeKey: string, buildRetainKeys: boolean): [unknown[], unknown[]] {
  const byKey = (l: unknown[]) => [...l].sort((a, b) => {
    const x = sortKey(mergeKeyOf(a, mergeKey));
    const y = sortKey(mergeKeyOf(b, mergeKey));
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const o = byKey(original);
  const m = byKey(modified);
  const patch: unknown[] = [];
  const deletions: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < o.length || j < m.length) {
    const ok = i < o.length ? sortKey(mergeKeyOf(o[i], mergeKey)) : undefined;
    const mk = j < m.length ? sortKey(mergeKeyOf(m[j], mergeKey)) : undefined;
    if (ok !== undefined && mk !== undefined && ok === mk) {
      const sub = diffMaps(o[i] as JsonMap, m[j] as JsonMap, items, buildRetainKeys);
      if (Object.keys(sub).length > 0) {
        sub[mergeKey] = (m[j] as JsonMap)[mergeKey];
        patch.push(sub);
      }
      i++;
      j++;
    } else if (ok === undefined || (mk !== undefined && ok > mk)) {
      patch.push(m[j++]);
    } else {
      deletions.push({ [mergeKey]: (o[i] as JsonMap)[mergeKey], [DIRECTIVE_MARKER]: 'delete' });
      i++;
    }
  }
  return [patch, deletions];
}

// Orders items as they appear in `order` (by merge key for maps); unknown items keep their place at the end.
function orderBy(list: unknown[], order: unknown[], mergeKey: string): unknown[] {
  const val = (x: unknown) => (mergeKey ? (x as JsonMap)[mergeKey] : x);
  const at = (x: unknown) => order.findIndex((y) => val(y) === val(x));
  return list.map((v, i) => ({ v, i, a: at(v) })).sort((x, y) => (x.a >= 0 && y.a >= 0 ? x.a - y.a : 0) || x.i - y.i).map((x) => x.v);
}
