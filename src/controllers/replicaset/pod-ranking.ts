// Which pods a replica controller deletes first when it has too many: the least valuable, in
// upstream's order (ActivePodsWithRanks with pod-deletion-cost and logarithmic scale-down, both
// on by default in 1.33): unassigned before assigned; Pending before Unknown before Running; not
// Ready before Ready; lower controller.kubernetes.io/pod-deletion-cost first; pods sharing a node
// with more related pods first; Ready for less time first; more container restarts first; newer
// before older. Times compare on a log2 scale of their age, ties broken by uid.
import type { KubeObject } from '../../client/api-client.ts';
import { isPodActive, isPodReady, podReadySinceMs, timeMs } from './pod-state.ts';

export const POD_DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

const PHASE_ORDER: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
const MIN_INT32 = -(2 ** 31);
const MAX_INT32 = 2 ** 31 - 1;

/** The pod's deletion cost; absent or malformed values count as 0, as upstream. */
export function podDeletionCost(pod: KubeObject): number {
  const v = pod.metadata?.annotations?.[POD_DELETION_COST];
  if (typeof v !== 'string') return 0;
  // No "+10" and no leading zeros ("008"), then a base-10 int32.
  const firstOk = v[0] === '-' || v === '0' || (v[0]! >= '1' && v[0]! <= '9');
  if (!firstOk || !/^-?\d+$/.test(v)) return 0;
  const n = Number(v);
  return n < MIN_INT32 || n > MAX_INT32 ? 0 : n;
}

/** Highest restart count of regular containers, then of sidecars (restartable init containers). */
function maxRestarts(pod: KubeObject): [number, number] {
  let regular = 0;
  for (const c of pod.status?.containerStatuses ?? []) regular = Math.max(regular, c.restartCount ?? 0);
  const sidecars = new Set((pod.spec?.initContainers ?? []).filter((c: KubeObject) => c.restartPolicy === 'Always').map((c: KubeObject) => c.name));
  let sidecar = 0;
  for (const c of pod.status?.initContainerStatuses ?? []) if (sidecars.has(c.name)) sidecar = Math.max(sidecar, c.restartCount ?? 0);
  return [regular, sidecar];
}

/** t1 after t2, a missing time counting as after any real one. */
function afterOrZero(t1: number, t2: number): boolean {
  if (!t1 || !t2) return !t1;
  return t1 > t2;
}

/** floor(log2(age in ns)) of t1 minus that of t2; -1 for an age that is not positive. */
function logarithmicRankDiff(t1: number, t2: number, nowMs: number): number {
  const rank = (t: number) => {
    const ns = (nowMs - t) * 1e6;
    return ns > 0 ? Math.trunc(Math.log2(ns)) : -1;
  };
  return rank(t1) - rank(t2);
}

/** More recent first, on the log scale; equal log ranks fall back to uid order. */
function newerFirst(a: KubeObject, b: KubeObject, ta: number, tb: number, nowMs: number): boolean {
  if (!nowMs || !ta || !tb) return afterOrZero(ta, tb);
  const diff = logarithmicRankDiff(ta, tb, nowMs);
  if (diff === 0) return (a.metadata?.uid ?? '') < (b.metadata?.uid ?? '');
  return diff < 0;
}

interface Ranked { pod: KubeObject; rank: number }

/** Whether a should be deleted before b. */
function deleteBefore(x: Ranked, y: Ranked, nowMs: number): boolean {
  const a = x.pod;
  const b = y.pod;
  const na = a.spec?.nodeName ?? '';
  const nb = b.spec?.nodeName ?? '';
  if (na !== nb && (!na || !nb)) return !na;
  const pa = PHASE_ORDER[a.status?.phase] ?? 0;
  const pb = PHASE_ORDER[b.status?.phase] ?? 0;
  if (pa !== pb) return pa < pb;
  const ra = isPodReady(a);
  const rb = isPodReady(b);
  if (ra !== rb) return !ra;
  const ca = podDeletionCost(a);
  const cb = podDeletionCost(b);
  if (ca !== cb) return ca < cb;
  if (x.rank !== y.rank) return x.rank > y.rank;
  if (ra && rb) {
    const ta = podReadySinceMs(a);
    const tb = podReadySinceMs(b);
    if (ta !== tb) return newerFirst(a, b, ta, tb, nowMs);
  }
  const [ga, sa] = maxRestarts(a);
  const [gb, sb] = maxRestarts(b);
  if (ga !== gb) return ga > gb;
  if (sa !== sb) return sa > sb;
  const ta = timeMs(a.metadata?.creationTimestamp);
  const tb = timeMs(b.metadata?.creationTimestamp);
  if (ta !== tb) return newerFirst(a, b, ta, tb, nowMs);
  return false;
}

/**
 * The pods in deletion order. A pod's rank is how many active related pods (those of every
 * replica set under the same owner) run on its node, so doubled-up nodes shed pods first.
 */
export function rankPodsForDeletion(pods: readonly KubeObject[], related: readonly KubeObject[], nowMs: number): KubeObject[] {
  const onNode = new Map<string, number>();
  for (const p of related) if (isPodActive(p)) onNode.set(p.spec?.nodeName ?? '', (onNode.get(p.spec?.nodeName ?? '') ?? 0) + 1);
  const ranked: Ranked[] = pods.map((pod) => ({ pod, rank: onNode.get(pod.spec?.nodeName ?? '') ?? 0 }));
  ranked.sort((x, y) => (deleteBefore(x, y, nowMs) ? -1 : deleteBefore(y, x, nowMs) ? 1 : 0));
  return ranked.map((r) => r.pod);
}

/** The count pods to delete; no ranking needed when all of them go. */
export function podsToDelete(pods: readonly KubeObject[], related: readonly KubeObject[], count: number, nowMs: number): KubeObject[] {
  if (count >= pods.length) return [...pods];
  return rankPodsForDeletion(pods, related, nowMs).slice(0, count);
}
