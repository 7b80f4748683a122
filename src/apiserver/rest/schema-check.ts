// Decodes a JSON object against the built-in schema the way Go's decoder treats it: fields
// the type does not have are reported (fieldValidation decides what happens to them) and
// dropped, nulls vanish, and a value of the wrong JSON type fails with the Go decoder's words.
import type { TypeDefs, TypeRef } from '../../api/schema/model.ts';

export interface SchemaCheckResult {
  /** Paths of unknown fields, e.g. "spec.foo" (upstream's strict-decoding wording). */
  unknown: string[];
  /** The first type error, in Go's words, if any. */
  typeError?: string;
}

const GO_SCALAR: Record<string, string> = {
  string: 'string', boolean: 'bool', int32: 'int32', int64: 'int64', number: 'float64', bytes: '[]uint8',
};

function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

function goType(t: TypeRef): string {
  if (typeof t === 'string') return GO_SCALAR[t] ?? (t === 'quantity' ? 'resource.Quantity' : t === 'int-or-string' ? 'intstr.IntOrString' : t === 'any' ? 'interface {}' : 'string');
  if ('ref' in t) { const parts = t.ref.split('.'); return `${parts[parts.length - 2]}.${parts[parts.length - 1]}`; }
  if ('array' in t) return `[]${goType(t.array)}`;
  return `map[string]${goType(t.map)}`;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Walks obj as an instance of typeName, pruning unknown fields and nulls in place.
 * `root` is the Go struct name used in type errors, e.g. "Deployment".
 */
export function checkAgainstSchema(obj: Record<string, unknown>, defs: TypeDefs, typeName: string): SchemaCheckResult {
  const result: SchemaCheckResult = { unknown: [] };
  walkStruct(obj, typeName, '', defs, result);
  return result;
}

function walkStruct(obj: Record<string, unknown>, typeName: string, path: string, defs: TypeDefs, result: SchemaCheckResult): void {
  const def = defs[typeName];
  if (!def) return;
  const structName = typeName.split('.').pop()!;
  for (const key of Object.keys(obj)) {
    const value = obj[key];
    const field = def.fields[key];
    const fieldPath = path ? `${path}.${key}` : key;
    if (!field) {
      result.unknown.push(fieldPath);
      delete obj[key];
      continue;
    }
    if (value === null) { delete obj[key]; continue; }
    const err = walkValue(value, field.type, fieldPath, defs, result, (v) => { obj[key] = v; });
    if (err && !result.typeError) result.typeError = `json: cannot unmarshal ${jsonType(value)} into Go struct field ${structName}.${fieldPath} of type ${goType(err)}`;
  }
}

/** Returns the expected type when value does not fit it. */
function walkValue(value: unknown, t: TypeRef, path: string, defs: TypeDefs, result: SchemaCheckResult, replace: (v: unknown) => void): TypeRef | undefined {
  if (typeof t === 'string') {
    switch (t) {
      case 'any': return undefined;
      case 'string': case 'date-time': case 'micro-time': case 'duration':
        return typeof value === 'string' ? undefined : t;
      case 'bytes':
        if (typeof value !== 'string') return t;
        if (!BASE64.test(value.replace(/\s/g, ''))) {
          if (!result.typeError) result.typeError = `illegal base64 data at input byte ${firstBadBase64(value)}`;
        }
        return undefined;
      case 'boolean': return typeof value === 'boolean' ? undefined : t;
      case 'int32': case 'int64':
        return typeof value === 'number' && Number.isInteger(value) ? undefined : t;
      case 'number': return typeof value === 'number' ? undefined : t;
      case 'quantity':
        if (typeof value === 'number') { replace(String(value)); return undefined; }
        return typeof value === 'string' ? undefined : t;
      case 'int-or-string':
        return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value)) ? undefined : t;
    }
    return undefined;
  }
  if ('ref' in t) {
    const def = defs[t.ref];
    if (!def) return undefined;
    if (typeof value !== 'object' || Array.isArray(value) || value === null) return t;
    walkStruct(value as Record<string, unknown>, t.ref, path, defs, result);
    return undefined;
  }
  if ('array' in t) {
    if (!Array.isArray(value)) return t;
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (item === null) continue;
      const err = walkValue(item, t.array, `${path}[${i}]`, defs, result, (v) => { value[i] = v; });
      if (err) return err;
    }
    return undefined;
  }
  if (typeof value !== 'object' || Array.isArray(value) || value === null) return t;
  const map = value as Record<string, unknown>;
  for (const k of Object.keys(map)) {
    if (map[k] === null) continue;
    const err = walkValue(map[k], t.map, `${path}.${k}`, defs, result, (v) => { map[k] = v; });
    if (err) return err;
  }
  return undefined;
}

function firstBadBase64(s: string): number {
  for (let i = 0; i < s.length; i++) if (!/[A-Za-z0-9+/=]/.test(s[i])) return i;
  return s.length;
}
