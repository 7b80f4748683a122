// What a replica controller reads from a pod's status: whether it still counts (active), whether
// it is Ready, and whether it has been Ready for minReadySeconds (available), as upstream's podutil.
import type { KubeObject } from '../../client/api-client.ts';

/** Not finished and not being deleted. */
export function isPodActive(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata?.deletionTimestamp;
}

function readyCondition(pod: KubeObject): KubeObject | undefined {
  return (pod.status?.conditions ?? []).find((c: KubeObject) => c.type === 'Ready');
}

export function isPodReady(pod: KubeObject): boolean {
  return readyCondition(pod)?.status === 'True';
}

/** Epoch ms of a timestamp; 0 for absent or unparsable (Go's zero time). */
export function timeMs(stamp: unknown): number {
  if (typeof stamp !== 'string' || !stamp) return 0;
  const ms = Date.parse(stamp);
  return Number.isNaN(ms) ? 0 : ms;
}

/** When the pod became Ready (ms), or 0 when it is not Ready or the time is unknown. */
export function podReadySinceMs(pod: KubeObject): number {
  const c = readyCondition(pod);
  return c?.status === 'True' ? timeMs(c.lastTransitionTime) : 0;
}

/** Ready, and Ready for longer than minReadySeconds. */
export function isPodAvailable(pod: KubeObject, minReadySeconds: number, nowMs: number): boolean {
  if (!isPodReady(pod)) return false;
  if (!minReadySeconds) return true;
  const since = podReadySinceMs(pod);
  return since !== 0 && since + minReadySeconds * 1000 < nowMs;
}

/** How long until a Ready pod turns available; undefined when it never will by waiting. */
export function msUntilAvailable(pod: KubeObject, minReadySeconds: number, nowMs: number): number | undefined {
  if (!minReadySeconds || !isPodReady(pod) || isPodAvailable(pod, minReadySeconds, nowMs)) return undefined;
  const since = podReadySinceMs(pod);
  if (!since) return undefined;
  return Math.max(0, since + minReadySeconds * 1000 - nowMs);
}
