// Decodes a JSON object against the built-in schema the way Go's decoder treats it: fields
// the type does not have are reported (fieldValidation decides what happens to them) and
// dropped, nulls vanish, and a value of the wrong JSON type fails with the Go decoder's words.
import type { TypeDefs, TypeRef } from '../../api/schema/model.ts';
import { goJsonType as jsonType } from '../http/body.ts';

export interface SchemaCheckResult {
  /** Paths of unknown fields, e.g. "spec.foo" (upstream's strict-decoding wording). */
  unknown: string[];
  /** The first type error, in Go's words, if any. */
  typeError?: string;
}

const GO_SCALAR: Record<string, string> = {
  string: 'string', boolean: 'bool', int32: 'int32', int64: 'int64', number: 'float64', bytes: '[]uint8',
};

function goType(t: TypeRef): string {
  if (typeof t === 'string') return GO_SCALAR[t] ?? (t === 'quantity' ? 'resource.Quantity' : t === 'int-or-string' ? 'intstr.IntOrString' : t === 'any' ? 'interface {}' : 'string');
  if ('ref' in t) { const parts = t.ref.split('.'); return `${parts[parts.length - 2]}.${parts[parts.length - 1]}`; }
  if ('array' in t) return `[]${goType(t.array)}`;
  return `map[string]${goType(t.map)}`;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Where a type error is reported: the innermost struct and the path of struct fields to it, as Go's decoder names them. */
interface TypeContext {
  struct: string;
  /** Struct field names joined by dots, without array indices or map keys. */
  field: string;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * Walks obj as an instance of typeName, pruning unknown fields and nulls in place.
 * Unknown fields are reported with their full path (indices and map keys included), type errors
 * the way Go's decoder words them.
 */
export function checkAgainstSchema(obj: Record<string, unknown>, defs: TypeDefs, typeName: string): SchemaCheckResult {
  const result: SchemaCheckResult = { unknown: [] };
  walkStruct(obj, typeName, '', '', defs, result);
  return result;
}

function walkStruct(obj: Record<string, unknown>, typeName: string, path: string, fieldStack: string, defs: TypeDefs, result: SchemaCheckResult): void {
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
    const ctx = { struct: structName, field: fieldStack ? `${fieldStack}.${key}` : key };
    walkValue(value, field.type, fieldPath, ctx, defs, result, (v) => { obj[key] = v; });
  }
}

/** Records the first type error: `json: cannot unmarshal <JSON type> into Go struct field <Struct>.<path> of type <Go type>`. */
function typeError(result: SchemaCheckResult, what: string, ctx: TypeContext, t: TypeRef): void {
  if (!result.typeError) result.typeError = `json: cannot unmarshal ${what} into Go struct field ${ctx.struct}.${ctx.field} of type ${goType(t)}`;
}

function walkValue(value: unknown, t: TypeRef, path: string, ctx: TypeContext, defs: TypeDefs, result: SchemaCheckResult, replace: (v: unknown) => void): void {
  const mismatch = () => typeError(result, jsonType(value), ctx, t);
  if (typeof t === 'string') {
    switch (t) {
      case 'any': return;
      case 'string': case 'date-time': case 'micro-time': case 'duration':
        if (typeof value !== 'string') mismatch();
        return;
      case 'bytes':
        if (typeof value !== 'string') { mismatch(); return; }
        if (!BASE64.test(value.replace(/\s/g, '')) && !result.typeError) result.typeError = `illegal base64 data at input byte ${firstBadBase64(value)}`;
        return;
      case 'boolean':
        if (typeof value !== 'boolean') mismatch();
        return;
      case 'int32': case 'int64':
        if (typeof value !== 'number') { mismatch(); return; }
        // Go names the number itself when it is not an integer of the field's size.
        if (!Number.isInteger(value) || (t === 'int32' && (value < INT32_MIN || value > INT32_MAX))) typeError(result, `number ${value}`, ctx, t);
        return;
      case 'number':
        if (typeof value !== 'number') mismatch();
        return;
      case 'quantity':
        if (typeof value === 'number') { replace(String(value)); return; }
        if (typeof value !== 'string') mismatch();
        return;
      case 'int-or-string':
        if (!(typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value)))) mismatch();
        return;
    }
    return;
  }
  if ('ref' in t) {
    if (!defs[t.ref]) return;
    if (typeof value !== 'object' || Array.isArray(value) || value === null) { mismatch(); return; }
    walkStruct(value as Record<string, unknown>, t.ref, path, ctx.field, defs, result);
    return;
  }
  if ('array' in t) {
    if (!Array.isArray(value)) { mismatch(); return; }
    for (let i = 0; i < value.length; i++) {
      if (value[i] === null) continue;
      walkValue(value[i], t.array, `${path}[${i}]`, ctx, defs, result, (v) => { value[i] = v; });
    }
    return;
  }
  if (typeof value !== 'object' || Array.isArray(value) || value === null) { mismatch(); return; }
  const map = value as Record<string, unknown>;
  for (const k of Object.keys(map)) {
    if (map[k] === null) continue;
    walkValue(map[k], t.map, `${path}.${k}`, ctx, defs, result, (v) => { map[k] = v; });
  }
}

function firstBadBase64(s: string): number {
  for (let i = 0; i < s.length; i++) if (!/[A-Za-z0-9+/=]/.test(s[i])) return i;
  return s.length;
}
