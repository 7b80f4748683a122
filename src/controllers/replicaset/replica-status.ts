// The status a replica controller writes (upstream's calculateStatus): counts of the pods it owns,
// and the ReplicaFailure condition while creating or deleting pods fails.
import type { KubeObject } from '../../client/api-client.ts';
import { isPodAvailable, isPodReady } from './pod-state.ts';
import { desiredReplicas, minReadySeconds } from './replica-kind.ts';

export const REPLICA_FAILURE = 'ReplicaFailure';

const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

function hasAllLabels(pod: KubeObject, wanted: Record<string, string>): boolean {
  const labels = pod.metadata?.labels ?? {};
  return Object.entries(wanted).every(([k, v]) => labels[k] === v);
}

/**
 * The new status from the owner's active pods and the error (if any) of this round's creates or
 * deletes. Zero counts and empty conditions are left out, as the API serializes them.
 */
export function calculateStatus(owner: KubeObject, pods: readonly KubeObject[], manageError: Error | undefined, nowMs: number): KubeObject {
  const templateLabels: Record<string, string> = owner.spec?.template?.metadata?.labels ?? {};
  const minReady = minReadySeconds(owner);
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of pods) {
    if (hasAllLabels(pod, templateLabels)) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReady, nowMs)) available++;
    }
  }
  const status: KubeObject = structuredClone(owner.status ?? {});
  let conditions: KubeObject[] = status.conditions ?? [];
  const failure = conditions.find((c) => c.type === REPLICA_FAILURE);
  if (manageError && !failure) {
    const diff = pods.length - desiredReplicas(owner);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    conditions = [...conditions, { type: REPLICA_FAILURE, status: 'True', lastTransitionTime: stamp(nowMs), reason, message: manageError.message }];
  } else if (!manageError && failure) {
    conditions = conditions.filter((c) => c.type !== REPLICA_FAILURE);
  }
  status.replicas = pods.length;
  setOrOmit(status, 'fullyLabeledReplicas', fullyLabeled);
  setOrOmit(status, 'readyReplicas', ready);
  setOrOmit(status, 'availableReplicas', available);
  if (conditions.length) status.conditions = conditions;
  else delete status.conditions;
  return status;
}

function setOrOmit(status: KubeObject, field: string, n: number): void {
  if (n) status[field] = n;
  else delete status[field];
}

/** Nothing to write: same counts, same conditions, and this generation already observed. */
export function statusUpToDate(owner: KubeObject, next: KubeObject): boolean {
  const cur = owner.status ?? {};
  const n = (v: unknown) => (typeof v === 'number' ? v : 0);
  return n(cur.replicas) === n(next.replicas)
    && n(cur.fullyLabeledReplicas) === n(next.fullyLabeledReplicas)
    && n(cur.readyReplicas) === n(next.readyReplicas)
    && n(cur.availableReplicas) === n(next.availableReplicas)
    && n(owner.metadata?.generation) === n(cur.observedGeneration)
    && JSON.stringify(cur.conditions ?? []) === JSON.stringify(next.conditions ?? []);
}
