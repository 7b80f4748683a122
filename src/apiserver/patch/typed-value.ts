// The schema-aware walks server-side apply is built from, after structured-merge-diff:
// the field set a value sets, merging an applied configuration into a live object,
// comparing two objects into added/modified/removed paths, and removing owned items.
// Lists are atomic or associative (a set of scalars, or a map keyed by some item fields);
// maps and structs are granular unless atomic. Free-form values are deduced: maps are
// granular, lists atomic.
import { isDeepStrictEqual } from 'node:util';
import { FieldSet, keyElement, pathString, type FieldPath, type PathElement } from './field-path.ts';
import { childOf, UNTYPED, type ListNode, type SchemaNode } from './schema.ts';

type JsonMap = Record<string, unknown>;
const isMap = (v: unknown): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);

/** How a value is walked under a schema node. */
type Shape =
  | { kind: 'leaf' }
  | { kind: 'map'; node: SchemaNode } // granular struct or map: children by key
  | { kind: 'list'; node: ListNode }; // associative list: children by item element

function shapeOf(node: SchemaNode, value: unknown): Shape {
  switch (node.kind) {
    case 'scalar':
      return { kind: 'leaf' };
    case 'untyped':
      return isMap(value) ? { kind: 'map', node } : { kind: 'leaf' };
    case 'struct':
    case 'map':
      if (node.atomic || Array.isArray(value) || (value !== null && value !== undefined && typeof value !== 'object')) return { kind: 'leaf' };
      return { kind: 'map', node };
    case 'list':
      if (node.listType === 'atomic' || (value !== null && value !== undefined && !Array.isArray(value))) return { kind: 'leaf' };
      return { kind: 'list', node };
  }
}

const isEmptyish = (v: unknown) => v === null || v === undefined || (Array.isArray(v) && v.length === 0) || (isMap(v) && Object.keys(v).length === 0);

/** An error in an applied configuration, worded like structured-merge-diff's validation errors. */
export class ValueError extends Error {
  readonly errors: string[];
  constructor(errors: string[]) {
    super(errors.length === 1 ? errors[0] : ['errors:', ...errors.map((e) => `  ${e}`)].join('\n'));
    this.errors = errors;
  }
}

/** The path element of a list item: its key fields for a list map, the value itself for a set. */
export function itemElement(list: ListNode, item: unknown): PathElement {
  if (list.keys.length === 0) {
    if (isMap(item) || Array.isArray(item)) throw new Error('only scalar values may be set items');
    return { value: item };
  }
  if (!isMap(item)) throw new Error('associative list with keys may only have map elements');
  const fields: JsonMap = {};
  const items = list.items();
  for (const k of list.keys) {
    if (Object.hasOwn(item, k) && item[k] !== null) {
      fields[k] = item[k];
      continue;
    }
    const dflt = items.kind === 'struct' ? items.field(k)?.meta.default : undefined;
    if (dflt === undefined) throw new Error(`associative list with keys has an element that omits key field ${JSON.stringify(k)} (and doesn't have default value)`);
    fields[k] = dflt;
  }
  return keyElement(fields);
}

/**
 * Checks an applied configuration: no undeclared fields in typed structs, list-map items
 * with their keys, no duplicate items. Throws ValueError listing every problem.
 */
export function validateApplied(value: unknown, node: SchemaNode): void {
  const errors: string[] = [];
  const walk = (v: unknown, n: SchemaNode, path: FieldPath) => {
    const shape = shapeOf(n, v);
    if (shape.kind === 'map' && isMap(v)) {
      for (const [k, x] of Object.entries(v)) {
        const c = childOf(shape.node, k);
        if (shape.node.kind === 'struct' && !c.declared && !shape.node.unknownFields) {
          errors.push(`${pathString([...path, { field: k }])}: field not declared in schema`);
          continue;
        }
        walk(x, c.node, [...path, { field: k }]);
      }
    } else if (shape.kind === 'list' && Array.isArray(v)) {
      const seen = new Set<string>();
      v.forEach((item, i) => {
        let pe: PathElement;
        try {
          pe = itemElement(shape.node, item);
        } catch (e) {
          errors.push(`${pathString(path)}: element ${i}: ${(e as Error).message}`);
          return;
        }
        const id = pathString([pe]);
        if (seen.has(id)) errors.push(`${pathString(path)}: duplicate entries for key ${id}`);
        seen.add(id);
        walk(item, shape.node.items(), [...path, pe]);
      });
    }
  };
  walk(value, node, []);
  if (errors.length > 0) throw new ValueError(errors);
}

// Items of a list keyed by element; items whose element cannot be computed are skipped
// (live objects are trusted), duplicates keep all their values.
function indexItems(list: ListNode, items: unknown[]): { pes: PathElement[]; byId: Map<string, unknown[]> } {
  const pes: PathElement[] = [];
  const byId = new Map<string, unknown[]>();
  for (const item of items) {
    let pe: PathElement;
    try {
      pe = itemElement(list, item);
    } catch {
      continue;
    }
    const id = pathString([pe]);
    const seen = byId.get(id);
    if (seen) seen.push(item);
    else {
      byId.set(id, [item]);
      pes.push(pe);
    }
  }
  return { pes, byId };
}
const idOf = (pe: PathElement) => pathString([pe]);

/** The set of paths a value sets: leaves, list items, map entries, empty or null values. */
export function toFieldSet(value: unknown, node: SchemaNode): FieldSet {
  const set = new FieldSet();
  const walk = (v: unknown, n: SchemaNode, path: FieldPath) => {
    const shape = shapeOf(n, v);
    if (shape.kind === 'leaf') {
      set.insert(path);
    } else if (shape.kind === 'list') {
      if (!Array.isArray(v)) return;
      const { pes, byId } = indexItems(shape.node, v);
      for (const pe of pes) {
        const items = byId.get(idOf(pe))!;
        if (items.length === 1) walk(items[0], shape.node.items(), [...path, pe]);
        set.insert([...path, pe]);
      }
    } else if (isMap(v)) {
      for (const [k, x] of Object.entries(v)) {
        const c = childOf(shape.node, k);
        const childPath = [...path, { field: k }];
        walk(x, c.node, childPath);
        if (x === null || (isMap(x) && Object.keys(x).length === 0) || !c.declared) set.insert(childPath);
      }
    }
  };
  walk(value, node, []);
  return set;
}

/** Adds each declared struct field that has owned children as a member itself. */
export function ensureNamedFieldsAreMembers(set: FieldSet, node: SchemaNode): FieldSet {
  const out = new FieldSet();
  for (const [k, pe] of set.members) out.members.set(k, pe);
  for (const [k, c] of set.children) {
    let childNode: SchemaNode = UNTYPED;
    if ('field' in c.pe && (node.kind === 'struct' || node.kind === 'map' || node.kind === 'untyped')) {
      const info = childOf(node, c.pe.field);
      childNode = info.node;
      if (node.kind === 'struct' && info.declared) out.members.set(k, c.pe);
    } else if ('key' in c.pe && node.kind === 'list') {
      childNode = node.items();
    }
    out.children.set(k, { pe: c.pe, set: ensureNamedFieldsAreMembers(c.set, childNode) });
  }
  return out;
}

/** Merges an applied configuration (rhs) into a live value (lhs); undefined means absent. */
export function mergeValues(lhs: unknown, rhs: unknown, node: SchemaNode): unknown {
  if (rhs === undefined) return lhs;
  if (lhs === undefined) return rhs;
  const ls = shapeOf(node, lhs);
  const rs = shapeOf(node, rhs);
  if (ls.kind !== rs.kind || rs.kind === 'leaf') return rhs;
  if (rs.kind === 'list') {
    const l = Array.isArray(lhs) ? lhs : [];
    const r = Array.isArray(rhs) ? rhs : [];
    if (l.length === 0 && r.length === 0) return rhs;
    const out = mergeListItems(rs.node, l, r);
    return out.length > 0 ? out : rhs;
  }
  const l = isMap(lhs) ? lhs : {};
  const r = isMap(rhs) ? rhs : {};
  if (Object.keys(l).length === 0 && Object.keys(r).length === 0) return rhs;
  const out: JsonMap = {};
  for (const k of new Set([...Object.keys(l), ...Object.keys(r)])) {
    const v = mergeValues(Object.hasOwn(l, k) ? l[k] : undefined, Object.hasOwn(r, k) ? r[k] : undefined, childOf(rs.node, k).node);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

// The order of a merged associative list: the applied items keep their relative order,
// live-only items stay where they were relative to the items both sides share.
function mergeListItems(list: ListNode, lhs: unknown[], rhs: unknown[]): unknown[] {
  const r = indexItems(list, rhs);
  const l = indexItems(list, lhs);
  // Live items without a computable key are dropped, as upstream cannot index them either.
  const lEntries: { pe: PathElement; item: unknown }[] = [];
  for (const item of lhs) {
    try {
      lEntries.push({ pe: itemElement(list, item), item });
    } catch {
      continue;
    }
  }
  const inL = (pe: PathElement) => l.byId.get(idOf(pe));
  const inR = (pe: PathElement) => r.byId.get(idOf(pe));
  // A duplicated item has no single value to merge (upstream uses null for it).
  const single = (vals: unknown[] | undefined) => (vals === undefined ? undefined : vals.length === 1 ? vals[0] : null);
  const shared = r.pes.filter((pe) => inL(pe));
  let nextShared: PathElement | undefined = shared.shift();
  const mergedR = new Set<string>();
  const out: unknown[] = [];
  const mergeItem = (lChild: unknown, rChild: unknown) => {
    const v = mergeValues(lChild, rChild, list.items());
    if (v !== undefined) out.push(v);
  };
  let li = 0;
  let ri = 0;
  while (li < lEntries.length || ri < r.pes.length) {
    if (li < lEntries.length && ri < r.pes.length) {
      const pe = lEntries[li]!.pe;
      if (idOf(pe) === idOf(r.pes[ri]!)) {
        mergedR.add(idOf(pe));
        mergeItem(single(inL(pe)), single(inR(pe)));
        li++;
        ri++;
        nextShared = shared.shift();
        continue;
      }
      // A live item the applied list also has, but later: skip it here, merge it there.
      if (inR(pe) && nextShared && idOf(nextShared) !== idOf(pe)) {
        li++;
        continue;
      }
    }
    if (li < lEntries.length) {
      const { pe, item } = lEntries[li]!;
      if (!inR(pe)) {
        mergeItem(item, undefined);
        li++;
        continue;
      } else if (mergedR.has(idOf(pe))) {
        li++;
      }
    }
    if (ri < r.pes.length) {
      const pe = r.pes[ri]!;
      mergedR.add(idOf(pe));
      mergeItem(single(inL(pe)), single(inR(pe)));
      ri++;
      if (nextShared && idOf(nextShared) === idOf(pe)) nextShared = shared.shift();
    }
  }
  return out;
}

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/**
 * The paths added, modified and removed from lhs to rhs. A map or list item that appears or
 * disappears whole is recorded itself as well as its leaves, except struct fields, whose
 * presence carries no meaning of its own.
 */
export function compareValues(lhs: unknown, rhs: unknown, node: SchemaNode): Comparison {
  const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  walkCompare(lhs, rhs, node, [], c, false);
  return c;
}

function walkCompare(lhs: unknown, rhs: unknown, node: SchemaNode, path: FieldPath, c: Comparison, isStructField: boolean): void {
  const shape = lhs === undefined ? shapeOf(node, rhs) : rhs === undefined ? shapeOf(node, lhs) : shapesAgree(node, lhs, rhs);
  if (shape.kind === 'leaf' || bothEmpty(shape, lhs, rhs)) {
    if (lhs === undefined) c.added.insert(path);
    else if (rhs === undefined) c.removed.insert(path);
    else if (!isDeepStrictEqual(lhs, rhs)) c.modified.insert(path);
    return;
  }
  if (shape.kind === 'list') {
    const l = indexItems(shape.node, Array.isArray(lhs) ? lhs : []);
    const r = indexItems(shape.node, Array.isArray(rhs) ? rhs : []);
    const all = [...l.pes, ...r.pes.filter((pe) => !l.byId.has(idOf(pe)))];
    for (const pe of all) {
      const lv = l.byId.get(idOf(pe)) ?? [];
      const rv = r.byId.get(idOf(pe)) ?? [];
      const itemPath = [...path, pe];
      if (lv.length <= 1 && rv.length <= 1) walkCompare(lv[0], rv[0], shape.node.items(), itemPath, c, false);
      else if (lv.length >= 2 && rv.length >= 2) {
        if (!isDeepStrictEqual(lv, rv)) c.modified.insert(itemPath);
      } else if (lv.length >= 2) {
        if (rv.length) walkCompare(undefined, rv[0], shape.node.items(), itemPath, c, false);
        c.removed.insert(itemPath);
      } else {
        if (lv.length) walkCompare(lv[0], undefined, shape.node.items(), itemPath, c, false);
        c.added.insert(itemPath);
      }
    }
  } else {
    const l = isMap(lhs) ? lhs : {};
    const r = isMap(rhs) ? rhs : {};
    for (const k of new Set([...Object.keys(l), ...Object.keys(r)])) {
      const info = childOf(shape.node, k);
      walkCompare(Object.hasOwn(l, k) ? l[k] : undefined, Object.hasOwn(r, k) ? r[k] : undefined, info.node, [...path, { field: k }], c, info.declared && info.node.kind === 'struct');
    }
  }
  if (path.length === 0) return;
  if (lhs === undefined && !isStructField) c.added.insert(path);
  else if (rhs === undefined) c.removed.insert(path);
}

function shapesAgree(node: SchemaNode, lhs: unknown, rhs: unknown): Shape {
  const a = shapeOf(node, lhs);
  const b = shapeOf(node, rhs);
  return a.kind === b.kind ? b : { kind: 'leaf' };
}

function bothEmpty(shape: Shape, lhs: unknown, rhs: unknown): boolean {
  return shape.kind !== 'leaf' && isEmptyish(lhs) && isEmptyish(rhs);
}

/** The value without the paths in `toRemove`; maps and lists emptied by it become null. */
export function removeItems(value: unknown, node: SchemaNode, toRemove: FieldSet): unknown {
  const shape = shapeOf(node, value);
  if (shape.kind === 'leaf' || isEmptyish(value)) return value;
  if (shape.kind === 'list') {
    if (!Array.isArray(value)) return value;
    const out: unknown[] = [];
    for (const item of value) {
      let pe: PathElement;
      try {
        pe = itemElement(shape.node, item);
      } catch {
        out.push(item);
        continue;
      }
      if (toRemove.has([pe])) continue;
      const sub = toRemove.withPrefix(pe);
      out.push(sub.isEmpty() ? item : removeItems(item, shape.node.items(), sub));
    }
    return out.length > 0 ? out : null;
  }
  if (!isMap(value)) return value;
  const out: JsonMap = {};
  for (const [k, v] of Object.entries(value)) {
    const pe = { field: k };
    if (toRemove.has([pe])) continue;
    const sub = toRemove.withPrefix(pe);
    out[k] = sub.isEmpty() ? v : removeItems(v, childOf(shape.node, k).node, sub);
  }
  return Object.keys(out).length > 0 ? out : null;
}

/** Drops null values from maps, recursively (what decoding into typed objects does to them). */
export function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (isMap(value)) {
    const out: JsonMap = {};
    for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = dropNulls(v);
    return out;
  }
  return value;
}
