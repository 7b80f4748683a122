// What the Job controller reads off its pods: active, ready, terminating, when they finished,
// and which active pods to remove first.
import type { KubeObject } from '../../client/api-client.ts';

export const TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';

const phaseOf = (p: KubeObject): string | undefined => p.status?.phase;
const isTerminal = (p: KubeObject) => phaseOf(p) === 'Succeeded' || phaseOf(p) === 'Failed';

export const isActive = (p: KubeObject): boolean => !isTerminal(p) && !p.metadata?.deletionTimestamp;
export const isTerminating = (p: KubeObject): boolean => !isTerminal(p) && !!p.metadata?.deletionTimestamp;
export const hasTrackingFinalizer = (p: KubeObject): boolean => (p.metadata?.finalizers ?? []).includes(TRACKING_FINALIZER);

export function isReady(p: KubeObject): boolean {
  return (p.status?.conditions ?? []).some((c: KubeObject) => c.type === 'Ready' && c.status === 'True');
}

/**
 * Upstream's finish time: the last container's finishedAt when all finished, else when Ready
 * turned False, else the deletion time less its grace period, else the creation time.
 */
export function finishedTime(p: KubeObject): number {
  const statuses: KubeObject[] = p.status?.containerStatuses ?? [];
  let latest: number | undefined;
  let allFinished = statuses.length > 0;
  for (const cs of statuses) {
    const at = cs.state?.terminated?.finishedAt;
    if (!at) { allFinished = false; break; }
    const t = Date.parse(at);
    if (latest === undefined || t > latest) latest = t;
  }
  if (allFinished && latest !== undefined) return latest;
  const ready = (p.status?.conditions ?? []).find((c: KubeObject) => c.type === 'Ready');
  if (ready?.status === 'False' && ready.lastTransitionTime) return Date.parse(ready.lastTransitionTime);
  if (p.metadata?.deletionTimestamp) return Date.parse(p.metadata.deletionTimestamp) - (p.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
  return Date.parse(p.metadata?.creationTimestamp ?? '') || 0;
}

/** Sum of container restarts of pods still Pending or Running (restartPolicy OnFailure). */
export function restartsOfRunningPods(pods: readonly KubeObject[]): number {
  let n = 0;
  for (const p of pods) {
    if (phaseOf(p) !== 'Running' && phaseOf(p) !== 'Pending') continue;
    for (const cs of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) n += cs.restartCount ?? 0;
  }
  return n;
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
const restarts = (p: KubeObject) => (p.status?.containerStatuses ?? []).reduce((n: number, c: KubeObject) => Math.max(n, c.restartCount ?? 0), 0);
const readySince = (p: KubeObject) => {
  const c = (p.status?.conditions ?? []).find((x: KubeObject) => x.type === 'Ready');
  return c?.lastTransitionTime ? Date.parse(c.lastTransitionTime) : 0;
};

/**
 * Deletion preference (upstream's ActivePods order): unscheduled before scheduled, pending
 * before running, not ready before ready, recently ready before long ready, more restarts
 * first, newer before older.
 */
export function compareForRemoval(a: KubeObject, b: KubeObject): number {
  const sa = a.spec?.nodeName ? 1 : 0;
  const sb = b.spec?.nodeName ? 1 : 0;
  if (sa !== sb) return sa - sb;
  const pa = PHASE_RANK[phaseOf(a) ?? 'Pending'] ?? 0;
  const pb = PHASE_RANK[phaseOf(b) ?? 'Pending'] ?? 0;
  if (pa !== pb) return pa - pb;
  const ra = isReady(a) ? 1 : 0;
  const rb = isReady(b) ? 1 : 0;
  if (ra !== rb) return ra - rb;
  if (ra && rb && readySince(a) !== readySince(b)) return readySince(b) - readySince(a);
  if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
  return Date.parse(b.metadata?.creationTimestamp ?? '') - Date.parse(a.metadata?.creationTimestamp ?? '');
}
