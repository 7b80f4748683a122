// Validates a custom resource against its version's OpenAPI v3 schema, producing the field
// errors upstream's schema validator (kube-openapi validate, converted by apiextensions) gives:
// `spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"`.
import { fieldErrors, type FieldError } from '../../api/validation/field-error.ts';
import { NIL_PATH } from '../../api/validation/field-path.ts';
import { isObject, type JSONSchemaProps } from './json-schema.ts';
import { formatValid } from './formats.ts';

const IN = 'body';

/** The schema type of a JSON value as Go's decoder sees it (integral numbers are integers). */
function jsonTypeOf(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

function typesOf(s: JSONSchemaProps): string[] {
  if (s['x-kubernetes-int-or-string']) return ['integer', 'string'];
  return s.type ? [s.type] : [];
}

/** Go's %v of a float64 (shortest form; exponent below 1e-4 and from 1e21). */
export function goFloat(n: number): string {
  if (n === 0) return '0';
  const abs = Math.abs(n);
  if (abs < 1e-4 || abs >= 1e21) {
    const [mant, exp] = n.toExponential().split('e');
    const e = Number(exp);
    return `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  return String(n);
}

const errPath = (path: string) => (path === '' || path === '.' ? NIL_PATH : path.replace(/^\./, ''));

/** A kube-openapi error with a value and a message (FieldValueInvalid after conversion). */
const invalid = (path: string, value: unknown, message: string) => fieldErrors.invalid(errPath(path), value ?? '', message);
const typeInvalid = (path: string, typeName: string, actual: string) =>
  fieldErrors.typeInvalid(errPath(path), actual, `${path} in ${IN} must be of type ${typeName}: ${JSON.stringify(actual)}`);

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((x, i) => jsonEqual(x, (b as unknown[])[i]));
  const ka = Object.keys(a as object), kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => jsonEqual((a as any)[k], (b as any)[k]));
}

/** Validates value (at `path`, '' for the root) against schema; errors in upstream's order. */
export function validateValue(value: unknown, schema: JSONSchemaProps | undefined, path = ''): FieldError[] {
  if (!schema) return [];
  const errs: FieldError[] = [];
  const types = typesOf(schema);
  if (value === null || value === undefined) {
    if (types.length && !schema.nullable) errs.push(typeInvalid(path, types.join(','), 'null'));
    if (schema.enum?.length && !schema.enum.some((e) => e === null)) {
      errs.push(fieldErrors.notSupported(errPath(path), null, enumWords(schema.enum)));
    }
    return errs;
  }
  const actual = jsonTypeOf(value);
  if (types.length && !(types.includes(actual) || (actual === 'integer' && types.includes('number')))) {
    errs.push(typeInvalid(path, types.join(','), actual));
  }
  errs.push(...validateCombinators(value, schema, path));
  if (typeof value === 'string') {
    errs.push(...validateString(value, schema, path));
    if (schema.format && formatValid(schema.format, value) === false) errs.push(typeInvalidFormat(path, schema.format, value));
  }
  if (typeof value === 'number') errs.push(...validateNumber(value, schema, path));
  if (Array.isArray(value)) errs.push(...validateArray(value, schema, path));
  if (schema.enum?.length && !schema.enum.some((e) => jsonEqual(e, value))) {
    errs.push(fieldErrors.notSupported(errPath(path), value, enumWords(schema.enum)));
  }
  if (isObject(value)) errs.push(...validateObject(value, schema, path));
  return errs;
}

function enumWords(values: unknown[]): string[] {
  return values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
}

function typeInvalidFormat(path: string, format: string, value: string): FieldError {
  return fieldErrors.typeInvalid(errPath(path), value, `${path} in ${IN} must be of type ${format}: ${JSON.stringify(value)}`);
}

function validateString(v: string, s: JSONSchemaProps, path: string): FieldError[] {
  const runes = [...v].length;
  if (s.maxLength !== undefined && runes > s.maxLength) return [fieldErrors.tooLong(errPath(path), s.maxLength)];
  if (s.minLength !== undefined && runes < s.minLength) return [invalid(path, v, `${path} in ${IN} should be at least ${s.minLength} chars long`)];
  if (s.pattern !== undefined) {
    let re: RegExp | undefined;
    try { re = new RegExp(s.pattern, 'u'); } catch {
      try { re = new RegExp(s.pattern); } catch { re = undefined; }
    }
    if (!re) return [invalid(path, v, `${path} in ${IN} should match '${s.pattern}, but pattern is invalid'`)];
    if (!re.test(v)) return [invalid(path, v, `${path} in ${IN} should match '${s.pattern}'`)];
  }
  return [];
}

function validateNumber(v: number, s: JSONSchemaProps, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (s.multipleOf !== undefined && s.multipleOf !== 0) {
    const q = v / s.multipleOf;
    if (!Number.isInteger(Number(q.toFixed(9)))) errs.push(invalid(path, v, `${path} in ${IN} should be a multiple of ${goFloat(s.multipleOf)}`));
  }
  if (s.minimum !== undefined) {
    const bad = s.exclusiveMinimum ? v <= s.minimum : v < s.minimum;
    if (bad) errs.push(invalid(path, v, `${path} in ${IN} should be greater than ${s.exclusiveMinimum ? '' : 'or equal to '}${goFloat(s.minimum)}`));
  }
  if (s.maximum !== undefined) {
    const bad = s.exclusiveMaximum ? v >= s.maximum : v > s.maximum;
    if (bad) errs.push(invalid(path, v, `${path} in ${IN} should be less than ${s.exclusiveMaximum ? '' : 'or equal to '}${goFloat(s.maximum)}`));
  }
  return errs;
}

function validateArray(v: unknown[], s: JSONSchemaProps, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (s.items) v.forEach((item, i) => errs.push(...validateValue(item, s.items, `${path}[${i}]`)));
  if (s.minItems !== undefined && v.length < s.minItems) errs.push(invalid(path, v.length, `${path} in ${IN} should have at least ${s.minItems} items`));
  if (s.maxItems !== undefined && v.length > s.maxItems) errs.push(fieldErrors.tooMany(errPath(path), v.length, s.maxItems));
  if (s.uniqueItems && v.some((x, i) => v.slice(0, i).some((y) => jsonEqual(x, y)))) {
    errs.push(invalid(path, '', `${path} in ${IN} shouldn't contain duplicates`));
  }
  // x-kubernetes-list-type set/map: duplicates are rejected as upstream's listtype validation does.
  const listType = s['x-kubernetes-list-type'];
  if (listType === 'set') {
    v.forEach((x, i) => { if (v.slice(0, i).some((y) => jsonEqual(x, y))) errs.push(fieldErrors.duplicate(`${errPath(path)}[${i}]`, x)); });
  } else if (listType === 'map') {
    const keys = s['x-kubernetes-list-map-keys'] ?? [];
    const seen: Record<string, unknown>[] = [];
    v.forEach((x, i) => {
      if (!isObject(x)) return;
      const k: Record<string, unknown> = {};
      for (const key of keys) k[key] = x[key] ?? s.items?.properties?.[key]?.default;
      if (seen.some((o) => jsonEqual(o, k))) errs.push(fieldErrors.duplicate(`${errPath(path)}[${i}]`, keys.length === 1 ? k[keys[0]!] : k));
      seen.push(k);
    });
  }
  return errs;
}

function validateObject(v: Record<string, unknown>, s: JSONSchemaProps, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const n = Object.keys(v).length;
  if (s.minProperties !== undefined && n < s.minProperties) errs.push(invalid(path, n, `${path} in ${IN} should have at least ${s.minProperties} properties`));
  if (s.maxProperties !== undefined && n > s.maxProperties) errs.push(fieldErrors.tooMany(errPath(path), n, s.maxProperties));
  const props = s.properties ?? {};
  const additional = s.additionalProperties;
  if (additional === false) {
    for (const k of Object.keys(v)) if (!(k in props)) errs.push(invalid(path, k, `${path}.${k} in ${IN} is a forbidden property`));
  } else if (additional && typeof additional === 'object') {
    for (const [k, x] of Object.entries(v)) if (!(k in props)) errs.push(...validateValue(x, additional, `${path}.${k}`));
  }
  for (const [k, p] of Object.entries(props)) {
    if (Object.hasOwn(v, k)) errs.push(...validateValue(v[k], p, path ? `${path}.${k}` : k));
  }
  for (const k of s.required ?? []) {
    if (!Object.hasOwn(v, k)) errs.push(fieldErrors.required(errPath(`${path}.${k}`), ''));
  }
  return errs;
}

/** allOf / anyOf / oneOf / not, worded as kube-openapi's composite errors (reported at no path). */
function validateCombinators(value: unknown, s: JSONSchemaProps, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const at = (msg: string) => fieldErrors.invalid(NIL_PATH, '', msg);
  if (s.anyOf?.length) {
    const results = s.anyOf.map((sub) => validateValue(value, sub, path));
    if (!results.some((r) => r.length === 0)) {
      errs.push(at(`${JSON.stringify(path)} must validate at least one schema (anyOf)`));
      errs.push(...results.reduce((best, r) => (r.length < best.length ? r : best)));
    }
  }
  if (s.oneOf?.length) {
    const results = s.oneOf.map((sub) => validateValue(value, sub, path));
    const ok = results.filter((r) => r.length === 0).length;
    if (ok !== 1) {
      errs.push(at(`${JSON.stringify(path)} must validate one and only one schema (oneOf). ${ok === 0 ? 'Found none valid' : `Found ${ok} valid alternatives`}`));
      if (ok === 0) errs.push(...results.reduce((best, r) => (r.length < best.length ? r : best)));
    }
  }
  if (s.allOf?.length) {
    const failed = s.allOf.map((sub) => validateValue(value, sub, path)).filter((r) => r.length);
    if (failed.length) {
      errs.push(at(`${JSON.stringify(path)} must validate all the schemas (allOf)`));
      for (const r of failed) errs.push(...r);
    }
  }
  if (s.not && validateValue(value, s.not, path).length === 0) errs.push(at(`${JSON.stringify(path)} must not validate the schema (not)`));
  return errs;
}
