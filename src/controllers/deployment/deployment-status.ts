// A Deployment's status as upstream computes it: counts summed over its ReplicaSets, the
// Available condition from the availability floor, and the Progressing condition's life cycle
// (created/found → updated → available, or timed out after progressDeadlineSeconds).
import type { KubeObject } from '../../client/api-client.ts';
import { maxUnavailable, replicasOf, specReplicas, statusCount } from './rollout-arithmetic.ts';

export const REASON = {
  replicaSetUpdated: 'ReplicaSetUpdated',
  failedRSCreate: 'ReplicaSetCreateError',
  newReplicaSetCreated: 'NewReplicaSetCreated',
  foundNewReplicaSet: 'FoundNewReplicaSet',
  newRSAvailable: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
  minimumReplicasAvailable: 'MinimumReplicasAvailable',
  minimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastUpdateTime: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

const MAX_INT32 = 2147483647;
export const stamp = (ms = Date.now()): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

export function newCondition(type: string, status: Condition['status'], reason: string, message: string, now = stamp()): Condition {
  return { type, status, lastUpdateTime: now, lastTransitionTime: now, reason, message };
}

export const getCondition = (status: KubeObject | undefined, type: string): Condition | undefined =>
  (status?.conditions ?? []).find((c: Condition) => c.type === type);

/** Sets a condition unless one of the same status and reason is there; keeps the transition time when status holds. */
export function setCondition(status: KubeObject, c: Condition): void {
  const cur = getCondition(status, c.type);
  if (cur && cur.status === c.status && cur.reason === c.reason) return;
  if (cur && cur.status === c.status) c = { ...c, lastTransitionTime: cur.lastTransitionTime };
  status.conditions = [...(status.conditions ?? []).filter((x: Condition) => x.type !== c.type), c];
}

export function removeCondition(status: KubeObject, type: string): void {
  const left = (status.conditions ?? []).filter((x: Condition) => x.type !== type);
  if (left.length) status.conditions = left; else delete status.conditions;
}

export const hasProgressDeadline = (d: KubeObject): boolean =>
  d.spec?.progressDeadlineSeconds !== undefined && d.spec.progressDeadlineSeconds !== null && d.spec.progressDeadlineSeconds !== MAX_INT32;

/** The status observed from the ReplicaSets, with the Available condition (upstream's calculateStatus). */
export function calculateStatus(allRSs: KubeObject[], newRS: KubeObject | undefined, d: KubeObject): KubeObject {
  const available = statusCount(allRSs, 'availableReplicas');
  const unavailable = Math.max(0, specReplicas(allRSs) - available);
  // Zero counts are omitted, as Go's omitempty does on the wire.
  const status: KubeObject = omitZero({
    observedGeneration: d.metadata.generation,
    replicas: statusCount(allRSs, 'replicas'),
    updatedReplicas: statusCount([newRS], 'replicas'),
    readyReplicas: statusCount(allRSs, 'readyReplicas'),
    availableReplicas: available,
    unavailableReplicas: unavailable,
  });
  if (d.status?.collisionCount !== undefined && d.status?.collisionCount !== null) status.collisionCount = d.status.collisionCount;
  if (d.status?.conditions?.length) status.conditions = d.status.conditions.map((c: Condition) => ({ ...c }));
  if (available >= replicasOf(d) - maxUnavailable(d)) {
    setCondition(status, newCondition('Available', 'True', REASON.minimumReplicasAvailable, 'Deployment has minimum availability.'));
  } else {
    setCondition(status, newCondition('Available', 'False', REASON.minimumReplicasUnavailable, 'Deployment does not have minimum availability.'));
  }
  return status;
}

function omitZero(o: Record<string, number | undefined>): KubeObject {
  const out: KubeObject = {};
  for (const [k, v] of Object.entries(o)) if (v) out[k] = v;
  return out;
}

/** Every replica updated and available, and the latest spec observed. */
export function deploymentComplete(d: KubeObject, s: KubeObject | undefined): boolean {
  const want = replicasOf(d);
  return (s?.updatedReplicas ?? 0) === want && (s?.replicas ?? 0) === want && (s?.availableReplicas ?? 0) === want
    && (s?.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
}

/** Some progress since the last status: more updated, fewer old, more ready or available. */
export function deploymentProgressing(d: KubeObject, s: KubeObject): boolean {
  const old = d.status ?? {};
  const n = (o: KubeObject, k: string): number => o[k] ?? 0;
  return n(s, 'updatedReplicas') > n(old, 'updatedReplicas')
    || n(s, 'replicas') - n(s, 'updatedReplicas') < n(old, 'replicas') - n(old, 'updatedReplicas')
    || n(s, 'readyReplicas') > n(old, 'readyReplicas')
    || n(s, 'availableReplicas') > n(old, 'availableReplicas');
}

/** The Progressing condition has not moved for progressDeadlineSeconds. */
export function deploymentTimedOut(d: KubeObject, s: KubeObject, now = Date.now()): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(s, 'Progressing');
  if (!c || c.reason === REASON.newRSAvailable) return false;
  if (c.reason === REASON.timedOut) return true;
  return Date.parse(c.lastUpdateTime) + d.spec.progressDeadlineSeconds * 1000 < now;
}

/**
 * The rollout status (upstream's syncRolloutStatus minus the write): the observed status with
 * the Progressing condition advanced, and replica failures of the ReplicaSets promoted.
 */
export function rolloutStatus(allRSs: KubeObject[], newRS: KubeObject | undefined, d: KubeObject, now = Date.now()): KubeObject {
  const s = calculateStatus(allRSs, newRS, d);
  if (!hasProgressDeadline(d)) removeCondition(s, 'Progressing');
  const current = getCondition(d.status, 'Progressing');
  const complete = s.replicas === s.updatedReplicas && current?.reason === REASON.newRSAvailable;
  if (hasProgressDeadline(d) && !complete) {
    const subject = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
    if (deploymentComplete(d, s)) {
      setCondition(s, newCondition('Progressing', 'True', REASON.newRSAvailable, `${subject} has successfully progressed.`, stamp(now)));
    } else if (deploymentProgressing(d, s)) {
      // Progress refreshes lastUpdateTime even with the same reason; the transition time stays while True.
      const c = newCondition('Progressing', 'True', REASON.replicaSetUpdated, `${subject} is progressing.`, stamp(now));
      if (current?.status === 'True') c.lastTransitionTime = current.lastTransitionTime;
      removeCondition(s, 'Progressing');
      setCondition(s, c);
    } else if (deploymentTimedOut(d, s, now)) {
      setCondition(s, newCondition('Progressing', 'False', REASON.timedOut, `${subject} has timed out progressing.`, stamp(now)));
    }
  }
  const failure = replicaFailure(allRSs, newRS);
  if (failure) setCondition(s, failure); else removeCondition(s, 'ReplicaFailure');
  return s;
}

function replicaFailure(allRSs: KubeObject[], newRS: KubeObject | undefined): Condition | undefined {
  for (const rs of newRS ? [newRS, ...allRSs] : allRSs) {
    const c = (rs?.status?.conditions ?? []).find((x: KubeObject) => x.type === 'ReplicaFailure');
    if (c) return { type: 'ReplicaFailure', status: c.status, lastUpdateTime: c.lastTransitionTime, lastTransitionTime: c.lastTransitionTime, reason: c.reason, message: c.message };
  }
  return undefined;
}

/**
 * When a rollout with a deadline shows no progress, the time until it should be checked for a
 * timeout (upstream's requeueStuckDeployment); undefined when no check is due.
 */
export function progressCheckAfterMs(d: KubeObject, s: KubeObject, now = Date.now()): number | undefined {
  const c = getCondition(d.status, 'Progressing');
  if (!hasProgressDeadline(d) || !c) return undefined;
  if (deploymentComplete(d, s) || c.reason === REASON.timedOut) return undefined;
  const after = Date.parse(c.lastUpdateTime) + d.spec.progressDeadlineSeconds * 1000 - now;
  // Add a second to cover the seconds-precision of condition times.
  return after < 1000 ? 1000 : after + 1000;
}

/** Status equality ignoring omitted-vs-zero differences. */
export function sameStatus(a: KubeObject | undefined, b: KubeObject | undefined): boolean {
  const norm = (s: KubeObject | undefined) => JSON.stringify(Object.entries(s ?? {}).filter(([, v]) => v !== 0 && v !== undefined && v !== null && !(Array.isArray(v) && !v.length)).sort(([x], [y]) => (x < y ? -1 : 1)).map(([k, v]) => [k, k === 'conditions' ? (v as Condition[]).map(normCond) : v]));
  return norm(a) === norm(b);
}

const normCond = (c: Condition) => [c.type, c.status, c.reason, c.message, c.lastUpdateTime, c.lastTransitionTime];
