// Pod states as the StatefulSet controller reads them (upstream stateful_set_utils.go and
// podutil.IsPodAvailable).
import type { KubeObject } from '../../client/api-client.ts';

/** A pod the API server holds (placeholders for missing ordinals have no uid). */
export const isCreated = (pod: KubeObject): boolean => !!pod.metadata?.uid && !!pod.status?.phase;
export const isPending = (pod: KubeObject): boolean => pod.status?.phase === 'Pending';
export const isFailed = (pod: KubeObject): boolean => pod.status?.phase === 'Failed';
export const isSucceeded = (pod: KubeObject): boolean => pod.status?.phase === 'Succeeded';
export const isTerminating = (pod: KubeObject): boolean => !!pod.metadata?.deletionTimestamp;

function readyCondition(pod: KubeObject): KubeObject | undefined {
  return (pod.status?.conditions ?? []).find((c: KubeObject) => c.type === 'Ready');
}

export const isPodReady = (pod: KubeObject): boolean => readyCondition(pod)?.status === 'True';

/** Ready for at least minReadySeconds. */
export function isPodAvailable(pod: KubeObject, minReadySeconds: number, now = Date.now()): boolean {
  const ready = readyCondition(pod);
  if (ready?.status !== 'True') return false;
  if (!minReadySeconds) return true;
  const since = Date.parse(ready.lastTransitionTime ?? '');
  return Number.isFinite(since) && since + minReadySeconds * 1000 <= now;
}

export const isRunningAndReady = (pod: KubeObject): boolean => pod.status?.phase === 'Running' && isPodReady(pod);

export const isRunningAndAvailable = (pod: KubeObject, minReadySeconds: number): boolean =>
  pod.status?.phase === 'Running' && isPodAvailable(pod, minReadySeconds);

export const isHealthy = (pod: KubeObject): boolean => isRunningAndReady(pod) && !isTerminating(pod);

/** Not available, or on its way out. */
export const isUnavailable = (pod: KubeObject, minReadySeconds: number): boolean =>
  !isPodAvailable(pod, minReadySeconds) || isTerminating(pod);
