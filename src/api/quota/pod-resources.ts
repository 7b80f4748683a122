// What a pod asks for in total (upstream's resource helpers PodRequests/PodLimits): containers
// summed, init containers as a running maximum, restartable (sidecar) init containers added
// to both, and the RuntimeClass overhead on top.
import type { ResourceList } from './resource-list.ts';
import { quantityOf } from './resource-list.ts';
import type { Quantity } from '../quantity/index.ts';

type Obj = Record<string, any>;
type Totals = Map<string, Quantity>;

function addInto(t: Totals, list: ResourceList | undefined): void {
  for (const [k, v] of Object.entries(list ?? {})) {
    const cur = t.get(k);
    t.set(k, cur ? cur.add(quantityOf(v)) : quantityOf(v));
  }
}

function maxInto(t: Totals, other: Totals): void {
  for (const [k, v] of other) { const cur = t.get(k); if (!cur || v.cmp(cur) > 0) t.set(k, v); }
}

function toList(t: Totals): ResourceList {
  const out: ResourceList = {};
  for (const [k, v] of t) out[k] = v.canonical();
  return out;
}

function podTotals(pod: Obj, field: 'requests' | 'limits'): Totals {
  const total: Totals = new Map();
  for (const c of pod.spec?.containers ?? []) addInto(total, c?.resources?.[field]);
  const sidecars: Totals = new Map();
  const initMax: Totals = new Map();
  for (const c of pod.spec?.initContainers ?? []) {
    const own = c?.resources?.[field];
    if (c?.restartPolicy === 'Always') {
      addInto(total, own);
      addInto(sidecars, own);
      maxInto(initMax, new Map(sidecars));
    } else {
      const t: Totals = new Map(sidecars);
      addInto(t, own);
      maxInto(initMax, t);
    }
  }
  maxInto(total, initMax);
  return total;
}

export function podRequests(pod: Obj): ResourceList {
  const t = podTotals(pod, 'requests');
  addInto(t, pod.spec?.overhead);
  return toList(t);
}

export function podLimits(pod: Obj): ResourceList {
  const t = podTotals(pod, 'limits');
  // Overhead counts only for resources that have a limit at all.
  for (const [k, v] of Object.entries(pod.spec?.overhead ?? {})) { const cur = t.get(k); if (cur) t.set(k, cur.add(quantityOf(v))); }
  return toList(t);
}

const QOS_RESOURCES = ['cpu', 'memory'];

/** BestEffort: no container requests or limits any cpu or memory (upstream's GetPodQOS). */
export function isBestEffort(pod: Obj): boolean {
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    for (const field of ['requests', 'limits']) {
      for (const [k, v] of Object.entries(c?.resources?.[field] ?? {})) {
        if (QOS_RESOURCES.includes(k) && quantityOf(v).sign() > 0) return false;
      }
    }
  }
  return true;
}
