// The taints the node lifecycle controller owns and the toleration rules of taint-based
// eviction, as pure functions (upstream nodelifecycle and tainteviction).
import type { KubeObject } from '../../client/api-client.ts';

export const NOT_READY = 'node.kubernetes.io/not-ready';
export const UNREACHABLE = 'node.kubernetes.io/unreachable';
export const UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

/** Node condition → which of its statuses gives which NoSchedule taint. */
const CONDITION_TAINTS: Record<string, Record<string, string>> = {
  Ready: { False: NOT_READY, Unknown: UNREACHABLE },
  MemoryPressure: { True: 'node.kubernetes.io/memory-pressure' },
  DiskPressure: { True: 'node.kubernetes.io/disk-pressure' },
  NetworkUnavailable: { True: 'node.kubernetes.io/network-unavailable' },
  PIDPressure: { True: 'node.kubernetes.io/pid-pressure' },
};
const CONDITION_TAINT_KEYS = new Set(Object.values(CONDITION_TAINTS).flatMap((m) => Object.values(m)));

export interface Taint { key: string; value?: string; effect: string; timeAdded?: string }

export const readyStatus = (node: KubeObject): 'True' | 'False' | 'Unknown' | undefined =>
  (node.status?.conditions ?? []).find((c: KubeObject) => c.type === 'Ready')?.status;

/** The NoSchedule taints a node's conditions and spec.unschedulable call for. */
export function noScheduleTaints(node: KubeObject): Taint[] {
  const out: Taint[] = [];
  for (const c of node.status?.conditions ?? []) {
    const key = CONDITION_TAINTS[c.type]?.[c.status];
    if (key) out.push({ key, effect: 'NoSchedule' });
  }
  if (node.spec?.unschedulable) out.push({ key: UNSCHEDULABLE, effect: 'NoSchedule' });
  return out;
}

/** The NoExecute taint the Ready condition calls for: not-ready when False, unreachable when Unknown. */
export function noExecuteTaintKey(node: KubeObject): string | undefined {
  const s = readyStatus(node);
  return s === 'False' ? NOT_READY : s === 'Unknown' ? UNREACHABLE : undefined;
}

const managedNoSchedule = (t: Taint) => t.effect === 'NoSchedule' && (t.key === UNSCHEDULABLE || CONDITION_TAINT_KEYS.has(t.key));
const managedNoExecute = (t: Taint) => t.effect === 'NoExecute' && (t.key === NOT_READY || t.key === UNREACHABLE);

/**
 * The node's taints with the managed ones replaced: `noSchedule` exactly, and the NoExecute
 * not-ready/unreachable taint set to `noExecute` (kept with its timeAdded when unchanged).
 */
export function withManagedTaints(current: Taint[], noSchedule: Taint[], noExecute: string | undefined, now: Date): Taint[] {
  const out = current.filter((t) => !managedNoSchedule(t) && !managedNoExecute(t));
  for (const t of noSchedule) out.push(current.find((c) => c.key === t.key && c.effect === t.effect) ?? t);
  if (noExecute) {
    const had = current.find((c) => c.key === noExecute && c.effect === 'NoExecute');
    out.push(had ?? { key: noExecute, effect: 'NoExecute', timeAdded: now.toISOString().replace(/\.\d+Z$/, 'Z') });
  }
  return out;
}

export const sameTaints = (a: Taint[], b: Taint[]) =>
  a.length === b.length && a.every((t) => b.some((u) => u.key === t.key && u.effect === t.effect && (u.value ?? '') === (t.value ?? '')));

/** Whether a toleration tolerates a taint (upstream Toleration.ToleratesTaint). */
export function tolerates(tol: KubeObject, taint: Taint): boolean {
  if (tol.effect && tol.effect !== taint.effect) return false;
  if (tol.key && tol.key !== taint.key) return false;
  if (tol.operator === 'Exists') return true;
  if (!tol.key && tol.operator !== 'Exists') return false;
  return (tol.value ?? '') === (taint.value ?? '');
}

/**
 * How long a pod may stay on a node with these NoExecute taints: 0 to evict now (a taint it
 * does not tolerate, or tolerationSeconds ≤ 0), the least tolerationSeconds of the tolerations
 * used, or Infinity when they tolerate forever.
 */
export function tolerationSeconds(pod: KubeObject, noExecute: Taint[]): number {
  const tolerations: KubeObject[] = pod.spec?.tolerations ?? [];
  let min = Infinity;
  for (const taint of noExecute) {
    const used = tolerations.find((t) => tolerates(t, taint));
    if (!used) return 0;
    if (typeof used.tolerationSeconds === 'number') min = Math.min(min, Math.max(0, used.tolerationSeconds));
  }
  return min;
}
