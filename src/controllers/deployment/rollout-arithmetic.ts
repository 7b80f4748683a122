// The numbers of a rollout (upstream's deployment util): maxSurge/maxUnavailable resolved against
// the desired replicas (surge percentages round up, unavailable ones down, and never both zero),
// how far the new ReplicaSet may grow, and proportional shares when a deployment is resized
// mid-rollout.
import type { KubeObject } from '../../client/api-client.ts';

export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';

export type IntOrPercent = number | string | undefined | null;

/** Upstream's intstr.GetScaledValueFromIntOrPercent. */
export function scaledValue(v: IntOrPercent, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  const m = /^(-?\d+)%$/.exec(v);
  if (!m) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  const scaled = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/** [surge, unavailable] for `desired` replicas; when both resolve to 0, unavailable becomes 1. */
export function resolveFenceposts(maxSurge: IntOrPercent, maxUnavailable: IntOrPercent, desired: number): [number, number] {
  const surge = scaledValue(maxSurge ?? 0, desired, true);
  let unavailable = scaledValue(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return [surge, unavailable];
}

export const replicasOf = (o: KubeObject | undefined): number => o?.spec?.replicas ?? 0;
export const isRollingUpdate = (d: KubeObject): boolean => d.spec?.strategy?.type === 'RollingUpdate';

export function maxSurge(d: KubeObject): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec.strategy.rollingUpdate ?? {};
  return resolveFenceposts(ru.maxSurge, ru.maxUnavailable, replicasOf(d))[0];
}

export function maxUnavailable(d: KubeObject): number {
  const desired = replicasOf(d);
  if (!isRollingUpdate(d) || desired === 0) return 0;
  const ru = d.spec.strategy.rollingUpdate ?? {};
  return Math.min(desired, resolveFenceposts(ru.maxSurge, ru.maxUnavailable, desired)[1]);
}

/** Spec replicas over a set of ReplicaSets (missing ones count 0). */
export const specReplicas = (rss: (KubeObject | undefined)[]): number => rss.reduce((n, rs) => n + replicasOf(rs), 0);
export const statusCount = (rss: (KubeObject | undefined)[], field: 'replicas' | 'readyReplicas' | 'availableReplicas'): number =>
  rss.reduce((n, rs) => n + (rs?.status?.[field] ?? 0), 0);

/** How many replicas the new ReplicaSet should have now (upstream's NewRSNewReplicas). */
export function newReplicaSetReplicas(d: KubeObject, allRSs: KubeObject[], newRS: KubeObject): number {
  const desired = replicasOf(d);
  if (d.spec?.strategy?.type === 'Recreate') return desired;
  if (!isRollingUpdate(d)) throw new Error(`deployment type ${d.spec?.strategy?.type} isn't supported`);
  const surge = scaledValue(d.spec.strategy.rollingUpdate?.maxSurge, desired, true);
  const current = specReplicas(allRSs);
  const maxTotal = desired + surge;
  if (current >= maxTotal) return replicasOf(newRS);
  const scaleUp = Math.min(maxTotal - current, desired - replicasOf(newRS));
  return replicasOf(newRS) + scaleUp;
}

function intAnnotation(rs: KubeObject, key: string): number | undefined {
  const v = rs.metadata?.annotations?.[key];
  if (v === undefined || !/^-?\d+$/.test(v)) return undefined;
  return Number(v);
}

/** The new RS has all the deployment's replicas, all available (upstream's IsSaturated). */
export function isSaturated(d: KubeObject, rs: KubeObject | undefined): boolean {
  if (!rs) return false;
  const desired = intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
  if (desired === undefined) return false;
  const want = replicasOf(d);
  return replicasOf(rs) === want && desired === want && (rs.status?.availableReplicas ?? 0) === want;
}

/** Go's math.Round: half away from zero. */
const roundHalfAway = (x: number): number => Math.sign(x) * Math.round(Math.abs(x));

/** The share of `toAdd` replicas this RS takes when the deployment is resized mid-rollout. */
export function replicaSetProportion(rs: KubeObject, d: KubeObject, toAdd: number, added: number): number {
  if (replicasOf(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

function replicaSetFraction(rs: KubeObject, d: KubeObject): number {
  if (replicasOf(d) === 0) return -replicasOf(rs);
  const maxNow = replicasOf(d) + maxSurge(d);
  let maxBefore = intAnnotation(rs, MAX_REPLICAS_ANNOTATION) ?? 0;
  if (maxBefore === 0) {
    // No annotation (edited by hand): fall back to the deployment's current size.
    maxBefore = d.status?.replicas ?? 0;
    if (maxBefore === 0) return 0;
  }
  return roundHalfAway((replicasOf(rs) * maxNow) / maxBefore) - replicasOf(rs);
}
