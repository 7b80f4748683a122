// System-owned metadata: uid, timestamps, generation, resourceVersion handling.
import { randomUUID, randomBytes } from 'node:crypto';
import type { KubeObject } from '../../api/registry/resource.ts';

/** RFC 3339 with seconds precision, as metav1.Time serializes. */
export function timestamp(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function newUid(): string { return randomUUID(); }

const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';
/** Upstream's generateName suffix: 5 characters from a consonant-and-digit alphabet. */
export function nameSuffix(): string {
  const bytes = randomBytes(5);
  let s = '';
  for (const b of bytes) s += ALPHANUMS[b % ALPHANUMS.length];
  return s;
}

/** Whether anything but metadata and status changed: a spec change bumps generation. */
export function specChanged(obj: KubeObject, old: KubeObject, statusFields: string[]): boolean {
  const skip = (k: string) => k === 'metadata' || k === 'apiVersion' || k === 'kind' || statusFields.includes(k);
  for (const k of Object.keys(obj)) if (!skip(k) && !deepEqual(obj[k], old[k])) return true;
  for (const k of Object.keys(old)) if (!skip(k) && !(k in obj) && old[k] !== undefined) return true;
  return false;
}

/**
 * Equality of JSON values (key order and keys holding undefined do not count), stopping at the
 * first difference: it runs on every update, twice, with whole objects.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let keys = 0;
  for (const k in x) {
    if (x[k] === undefined) continue;
    keys++;
    if (!deepEqual(x[k], y[k])) return false;
  }
  for (const k in y) if (y[k] !== undefined) keys--;
  return keys === 0;
}

export function clone<T>(v: T): T {
  return v === undefined ? v : JSON.parse(JSON.stringify(v));
}
