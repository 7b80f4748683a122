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

/** Everything but metadata and status, to detect spec changes that bump generation. */
export function specOf(obj: KubeObject, statusFields: string[]): string {
  const copy: KubeObject = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'metadata' || k === 'apiVersion' || k === 'kind' || statusFields.includes(k)) continue;
    copy[k] = v;
  }
  return stableStringify(copy);
}

export function stableStringify(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  const keys = Object.keys(v as object).filter((k) => (v as any)[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify((v as any)[k])}`).join(',')}}`;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  return stableStringify(a) === stableStringify(b);
}

export function clone<T>(v: T): T {
  return v === undefined ? v : JSON.parse(JSON.stringify(v));
}
