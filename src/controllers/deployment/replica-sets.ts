// What a Deployment knows about its ReplicaSets: which one runs the current template, their
// revisions and orderings, and the annotations it keeps on them (upstream's deployment util).
import type { KubeObject } from '../../client/api-client.ts';
import { equalIgnoreHash } from './pod-template-hash.ts';
import { DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION } from './rollout-arithmetic.ts';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
const DEPRECATED_ROLLBACK_TO = 'deprecated.deployment.rollback.to';
/** Upstream caps revision-history at this many characters. */
export const MAX_REVISION_HISTORY_CHARS = 2000;

/** Deployment annotations never copied onto its ReplicaSets. */
const NOT_COPIED = new Set([LAST_APPLIED_ANNOTATION, REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION, DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, DEPRECATED_ROLLBACK_TO]);

/** The RS's revision; 0 when absent, undefined when unparsable (such RSes are skipped). */
export function revisionOf(rs: KubeObject): number | undefined {
  const v = rs.metadata?.annotations?.[REVISION_ANNOTATION];
  if (v === undefined) return 0;
  return /^-?\d+$/.test(v) ? Number(v) : undefined;
}

export function maxRevision(rss: KubeObject[]): number {
  let max = 0;
  for (const rs of rss) { const v = revisionOf(rs); if (v !== undefined && v > max) max = v; }
  return max;
}

const created = (o: KubeObject): string => o.metadata?.creationTimestamp ?? '';

/** Oldest first; ties by name (upstream's ReplicaSetsByCreationTimestamp). */
export function byCreation(a: KubeObject, b: KubeObject): number {
  if (created(a) !== created(b)) return created(a) < created(b) ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

/** Lowest revision first, then oldest (upstream's ReplicaSetsByRevision). */
export function byRevision(a: KubeObject, b: KubeObject): number {
  const ra = revisionOf(a) ?? 0;
  const rb = revisionOf(b) ?? 0;
  return ra === rb ? byCreation(a, b) : ra - rb;
}

/** Largest first; ties: newer first when scaling up, older first when scaling down. */
export const bySizeNewer = (a: KubeObject, b: KubeObject): number => (b.spec.replicas ?? 0) - (a.spec.replicas ?? 0) || byCreation(b, a);
export const bySizeOlder = (a: KubeObject, b: KubeObject): number => (b.spec.replicas ?? 0) - (a.spec.replicas ?? 0) || byCreation(a, b);

export const isActive = (rs: KubeObject | undefined): rs is KubeObject => !!rs && (rs.spec?.replicas ?? 0) > 0;

/** The oldest RS whose template is the deployment's (ignoring the hash label). */
export function findNewReplicaSet(d: KubeObject, rss: KubeObject[]): KubeObject | undefined {
  return [...rss].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/** Every RS but the new one. */
export function findOldReplicaSets(d: KubeObject, rss: KubeObject[]): KubeObject[] {
  const newRS = findNewReplicaSet(d, rss);
  return rss.filter((rs) => rs.metadata.uid !== newRS?.metadata.uid);
}

/** With a single active RS (or none), the one that should carry all replicas (upstream's FindActiveOrLatest). */
export function activeOrLatest(newRS: KubeObject | undefined, oldRSs: KubeObject[]): KubeObject | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => byCreation(b, a));
  const active = [...newestFirst, newRS].filter(isActive);
  if (active.length === 0) return newRS ?? newestFirst[0];
  return active.length === 1 ? active[0] : undefined;
}

export function replicasAnnotationsNeedUpdate(rs: KubeObject, desired: number, max: number): boolean {
  const a = rs.metadata?.annotations ?? {};
  return a[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || a[MAX_REPLICAS_ANNOTATION] !== String(max);
}

/** Sets desired/max replicas on a (copied) RS; true when something changed. */
export function setReplicasAnnotations(rs: KubeObject, desired: number, max: number): boolean {
  const changed = replicasAnnotationsNeedUpdate(rs, desired, max);
  rs.metadata.annotations = { ...(rs.metadata.annotations ?? {}), [DESIRED_REPLICAS_ANNOTATION]: String(desired), [MAX_REPLICAS_ANNOTATION]: String(max) };
  return changed;
}

/**
 * Brings the new RS's annotations up to date on a copy (upstream's SetNewReplicaSetAnnotations):
 * the deployment's own annotations, the revision (raised to newRevision, remembering the
 * revisions it served before in revision-history), and for a new RS the replica annotations.
 */
export function setNewReplicaSetAnnotations(d: KubeObject, rs: KubeObject, newRevision: number, exists: boolean, desired: number, max: number): boolean {
  const a: Record<string, string> = (rs.metadata.annotations = { ...(rs.metadata.annotations ?? {}) });
  let changed = false;
  for (const [k, v] of Object.entries<string>(d.metadata?.annotations ?? {})) {
    if (NOT_COPIED.has(k) || a[k] === v) continue;
    a[k] = v;
    changed = true;
  }
  const had = a[REVISION_ANNOTATION];
  let oldRevision = 0;
  if (had !== undefined && had !== '') {
    if (!/^-?\d+$/.test(had)) return false;
    oldRevision = Number(had);
  }
  if (oldRevision < newRevision) {
    a[REVISION_ANNOTATION] = String(newRevision);
    changed = true;
    if (had !== undefined) {
      const history = a[REVISION_HISTORY_ANNOTATION] ?? '';
      if (history === '') a[REVISION_HISTORY_ANNOTATION] = had;
      else {
        const parts = history.split(',');
        let total = history.length + had.length + 1;
        let start = 0;
        while (total > MAX_REVISION_HISTORY_CHARS && start < parts.length) total -= parts[start++]!.length + 1;
        if (total <= MAX_REVISION_HISTORY_CHARS) a[REVISION_HISTORY_ANNOTATION] = [...parts.slice(start), had].join(',');
      }
    }
  }
  if (!exists && setReplicasAnnotations(rs, desired, max)) changed = true;
  return changed;
}
