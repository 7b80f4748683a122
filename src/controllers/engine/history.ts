// ControllerRevision history shared by the StatefulSet and DaemonSet controllers (upstream's
// pkg/controller/history): a revision is a snapshot of the owner's pod template stored as a
// strategic merge patch, named `<owner>-<hash>`, numbered by `revision`. `kubectl rollout
// history/undo` read and re-apply these snapshots.
import type { ApiClient, KubeObject, ResourceRef } from '../../client/api-client.ts';
import { isAlreadyExists } from '../../api/status.ts';
import { ownerRefFor } from './controller-ref.ts';

export const CONTROLLER_REVISIONS: ResourceRef = { group: 'apps', version: 'v1', plural: 'controllerrevisions', namespaced: true };

/** The label carrying a revision's hash on the revision itself. */
export const REVISION_HASH_LABEL = 'controller.kubernetes.io/hash';

/** JSON with object keys sorted, so equal data always serializes (and hashes) the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value).sort().filter((k) => (value as KubeObject)[k] !== undefined);
    return `{${entries.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as KubeObject)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** 32-bit FNV-1 (upstream's fnv.New32, used for revision hashes). */
export function fnv1(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (const b of bytes) { h = Math.imul(h, 0x01000193) >>> 0; h = (h ^ b) >>> 0; }
  return h;
}

/** 32-bit FNV-1a (upstream's fnv.New32a, used for pod template hashes). */
export function fnv1a(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (const b of bytes) { h = (h ^ b) >>> 0; h = Math.imul(h, 0x01000193) >>> 0; }
  return h;
}

const SAFE_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** Maps each character to one that cannot form words or be confused (upstream's rand.SafeEncodeString). */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHANUMS[s.charCodeAt(i) % SAFE_ALPHANUMS.length];
  return out;
}

const utf8 = (s: string) => new TextEncoder().encode(s);

/** Hash of a revision's data, probed with the collision count (upstream's HashControllerRevision). */
export function hashRevisionData(data: unknown, collisionCount = 0): string {
  const h = fnv1(utf8(String(collisionCount)), fnv1(utf8(canonicalJson(data))));
  return safeEncodeString(String(h));
}

/** `<prefix>-<hash>`, the prefix cut so the name stays a valid object name. */
export function revisionName(prefix: string, hash: string): string {
  return `${prefix.slice(0, 223)}-${hash}`;
}

/** The data a revision stores: the owner's pod template, replacing whatever template it is applied to. */
export function templatePatch(owner: KubeObject): KubeObject {
  return { spec: { template: { ...structuredClone(owner.spec?.template ?? {}), $patch: 'replace' } } };
}

/** The pod template a revision restores. */
export function templateOfRevision(revision: KubeObject): KubeObject {
  const { $patch: _ignored, ...template } = revision.data?.spec?.template ?? {};
  return structuredClone(template);
}

/** Ascending by revision number, then creation time, then name (upstream's SortControllerRevisions). */
export function sortRevisions(revisions: KubeObject[]): KubeObject[] {
  return [...revisions].sort((a, b) =>
    (a.revision ?? 0) - (b.revision ?? 0) ||
    String(a.metadata?.creationTimestamp ?? '').localeCompare(String(b.metadata?.creationTimestamp ?? '')) ||
    String(a.metadata?.name).localeCompare(String(b.metadata?.name)));
}

/** Whether two revisions hold the same data (their hashes, when both carry one, must agree too). */
export function equalRevision(a: KubeObject | undefined, b: KubeObject | undefined): boolean {
  if (!a || !b) return a === b;
  return canonicalJson(a.data ?? null) === canonicalJson(b.data ?? null);
}

export function findEqualRevisions(revisions: KubeObject[], target: KubeObject): KubeObject[] {
  return revisions.filter((r) => equalRevision(r, target));
}

/** One more than the highest revision number (1 for none); expects sorted input. */
export function nextRevisionNumber(sorted: KubeObject[]): number {
  return sorted.length ? (sorted[sorted.length - 1]!.revision ?? 0) + 1 : 1;
}

/** A new, unsaved revision of owner holding data (upstream's NewControllerRevision). */
export function newControllerRevision(owner: KubeObject, templateLabels: Record<string, string> | undefined, data: KubeObject, revision: number, collisionCount: number): KubeObject {
  const hash = hashRevisionData(data, collisionCount);
  return {
    apiVersion: 'apps/v1', kind: 'ControllerRevision',
    metadata: {
      name: revisionName(owner.metadata.name, hash),
      namespace: owner.metadata.namespace,
      labels: { ...(templateLabels ?? {}), [REVISION_HASH_LABEL]: hash },
      ownerReferences: [ownerRefFor(owner)],
    },
    data, revision,
  };
}

/**
 * Saves revision, re-hashing with a higher collision count while its name is taken by different
 * data (upstream's CreateControllerRevision). Returns the saved revision and the final count.
 */
export async function createControllerRevision(client: ApiClient, owner: KubeObject, revision: KubeObject, collisionCount: number): Promise<{ revision: KubeObject; collisionCount: number }> {
  let count = collisionCount;
  for (;;) {
    const hash = hashRevisionData(revision.data, count);
    const candidate = structuredClone(revision);
    candidate.metadata.name = revisionName(owner.metadata.name, hash);
    candidate.metadata.labels = { ...(candidate.metadata.labels ?? {}), [REVISION_HASH_LABEL]: hash };
    try {
      return { revision: await client.create(CONTROLLER_REVISIONS, owner.metadata.namespace, candidate), collisionCount: count };
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      const existing = await client.get(CONTROLLER_REVISIONS, owner.metadata.namespace, candidate.metadata.name);
      if (equalRevision(existing, candidate)) return { revision: existing, collisionCount: count };
      count++;
    }
  }
}

/** Gives an existing revision a new number (a rollback to an earlier template). */
export function updateRevisionNumber(client: ApiClient, revision: KubeObject, n: number): Promise<KubeObject> {
  return client.patch(CONTROLLER_REVISIONS, revision.metadata.namespace, revision.metadata.name, { revision: n, metadata: { resourceVersion: revision.metadata.resourceVersion } }, 'merge');
}
