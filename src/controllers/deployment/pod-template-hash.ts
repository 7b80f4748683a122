// The pod-template-hash that names a Deployment's ReplicaSets (`<deployment>-<hash>`) and labels
// their selector, template and pods. Like upstream's ComputeHash: FNV-1a (32 bit) over the pod
// template, then the collision count as 8 little-endian bytes, the decimal sum rendered in the
// vowel-free alphabet of SafeEncodeString. Upstream hashes Go's debug dump of the struct; we hash
// canonical JSON (sorted keys), so values differ from upstream's but format and determinism hold.
import type { KubeObject } from '../../client/api-client.ts';

export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/** The alphabet of upstream's rand.SafeEncodeString: no vowels, no ambiguous characters. */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHABET[s.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export function fnv32a(bytes: Uint8Array, seed = FNV_OFFSET): number {
  let h = seed;
  for (const b of bytes) h = Math.imul(h ^ b, FNV_PRIME) >>> 0;
  return h >>> 0;
}

/** JSON with object keys sorted, so equal templates hash equally whatever their key order. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const keys = Object.keys(v).filter((k) => (v as KubeObject)[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((v as KubeObject)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

export function computeHash(template: KubeObject, collisionCount?: number | null): string {
  let h = fnv32a(new TextEncoder().encode(canonicalJson(template)));
  if (collisionCount !== undefined && collisionCount !== null) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(bytes, h);
  }
  return safeEncodeString(String(h));
}

/**
 * Semantic equality of two pod templates ignoring the pod-template-hash label (upstream's
 * EqualIgnoreHash): absent, null, empty maps and empty lists are the same thing.
 */
export function equalIgnoreHash(a: KubeObject | undefined, b: KubeObject | undefined): boolean {
  return canonicalJson(normalize(withoutHashLabel(a))) === canonicalJson(normalize(withoutHashLabel(b)));
}

function withoutHashLabel(t: KubeObject | undefined): KubeObject {
  if (!t) return {};
  const labels = { ...(t.metadata?.labels ?? {}) };
  delete labels[POD_TEMPLATE_HASH_LABEL];
  return { ...t, metadata: { ...(t.metadata ?? {}), labels } };
}

function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.length ? v.map(normalize) : undefined;
  if (v && typeof v === 'object') {
    const out: KubeObject = {};
    for (const [k, x] of Object.entries(v)) {
      const n = normalize(x);
      if (n !== undefined) out[k] = n;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v === null ? undefined : v;
}
