// Structural pruning and defaulting of custom resources, as upstream's apiextensions
// schema/pruning and schema/defaulting: fields the schema does not know are dropped (and
// reported for fieldValidation), non-nullable nulls without a default vanish, and schema
// defaults fill what is missing.
import { fieldSchema, isObject, type JSONSchemaProps } from './json-schema.ts';

const META_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

/**
 * Removes unknown fields in place and returns their paths, sorted ("spec.foo",
 * "spec.items[0].bar"). The root is an embedded resource: apiVersion, kind and metadata stay.
 */
export function prune(obj: Record<string, unknown>, schema: JSONSchemaProps | undefined): string[] {
  const unknown: string[] = [];
  const root: JSONSchemaProps = { ...(schema ?? {}), 'x-kubernetes-embedded-resource': true };
  walk(obj, root, '', unknown);
  return unknown.sort();
}

const join = (parent: string, key: string) => (parent ? `${parent}.${key}` : key);

function walk(x: unknown, s: JSONSchemaProps | undefined, path: string, unknown: string[]): void {
  if (s?.['x-kubernetes-preserve-unknown-fields']) { skip(x, s, path, unknown); return; }
  if (Array.isArray(x)) {
    x.forEach((item, i) => walk(item, s?.items, `${path}[${i}]`, unknown));
    return;
  }
  if (!isObject(x)) return;
  if (!s) {
    for (const k of Object.keys(x)) { unknown.push(join(path, k)); delete x[k]; }
    return;
  }
  const embedded = !!s['x-kubernetes-embedded-resource'];
  for (const k of Object.keys(x)) {
    if (embedded && META_FIELDS.has(k)) continue;
    const sub = fieldSchema(s, k);
    if (sub) walk(x[k], sub, join(path, k), unknown);
    else {
      // At the root, apiVersion/kind/metadata are never reported (they are handled separately).
      if (!META_FIELDS.has(k) || path !== '') unknown.push(join(path, k));
      delete x[k];
    }
  }
}

/** Under x-kubernetes-preserve-unknown-fields: unknown fields stay, known ones are still pruned inside. */
function skip(x: unknown, s: JSONSchemaProps, path: string, unknown: string[]): void {
  if (Array.isArray(x)) {
    x.forEach((item, i) => { if (s.items) skip(item, s.items, `${path}[${i}]`, unknown); });
    return;
  }
  if (!isObject(x)) return;
  const embedded = !!s['x-kubernetes-embedded-resource'];
  for (const k of Object.keys(x)) {
    if (embedded && META_FIELDS.has(k)) continue;
    const sub = fieldSchema(s, k);
    if (sub) walk(x[k], sub, join(path, k), unknown);
  }
}

const nonNullable = (v: unknown, s: JSONSchemaProps | undefined) => v === null && !!s && !s.nullable;

/** Drops nulls where the schema neither allows null nor has a default (upstream's PruneNonNullableNullsWithoutDefaults). */
export function pruneNulls(x: unknown, s: JSONSchemaProps | undefined): void {
  if (Array.isArray(x)) { for (const item of x) pruneNulls(item, s?.items); return; }
  if (!isObject(x)) return;
  for (const k of Object.keys(x)) {
    const sub = fieldSchema(s, k);
    if (nonNullable(x[k], sub) && sub!.default === undefined) delete x[k];
    else pruneNulls(x[k], sub);
  }
}

const copy = <T>(v: T): T => (v === undefined ? v : structuredClone(v));

/** Fills schema defaults in place, top-down (upstream's structural Default). */
export function applyDefaults(x: unknown, s: JSONSchemaProps | undefined): void {
  if (!s) return;
  if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) {
      if (nonNullable(x[i], s.items) && s.items!.default !== undefined) x[i] = copy(s.items!.default);
      applyDefaults(x[i], s.items);
    }
    return;
  }
  if (!isObject(x)) return;
  for (const [k, p] of Object.entries(s.properties ?? {})) {
    if (p.default === undefined) continue;
    if (!Object.hasOwn(x, k) || nonNullable(x[k], p)) x[k] = copy(p.default);
  }
  for (const k of Object.keys(x)) {
    const p = s.properties?.[k];
    if (p) { applyDefaults(x[k], p); continue; }
    const a = s.additionalProperties;
    if (a && typeof a === 'object') {
      if (nonNullable(x[k], a) && a.default !== undefined) x[k] = copy(a.default);
      applyDefaults(x[k], a);
    }
  }
}
