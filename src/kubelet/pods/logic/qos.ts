// A pod's QoS class (upstream's ComputePodQOS): BestEffort when no container (init containers
// included) asks for cpu or memory; Guaranteed when every container limits both and the summed
// requests equal the summed limits; Burstable otherwise.
import type { KubeObject, QOSClass } from './types.ts';
import { Quantity } from '../../../api/quantity/index.ts';

const QOS_RESOURCES = ['cpu', 'memory'];

export function computePodQOS(pod: KubeObject): QOSClass {
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  const add = (into: Map<string, Quantity>, name: string, q: Quantity) => into.set(name, into.get(name)?.add(q) ?? q);
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    for (const [name, raw] of Object.entries(c?.resources?.requests ?? {})) {
      const q = Quantity.fromJSON(raw);
      if (QOS_RESOURCES.includes(name) && q.sign() > 0) add(requests, name, q);
    }
    const limited = new Set<string>();
    for (const [name, raw] of Object.entries(c?.resources?.limits ?? {})) {
      const q = Quantity.fromJSON(raw);
      if (QOS_RESOURCES.includes(name) && q.sign() > 0) { limited.add(name); add(limits, name, q); }
    }
    if (!QOS_RESOURCES.every((r) => limited.has(r))) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      const lim = limits.get(name);
      if (!lim || lim.cmp(req) !== 0) { guaranteed = false; break; }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

/** The class recorded in the pod's status, else computed (upstream's GetPodQOS). */
export function podQOS(pod: KubeObject): QOSClass {
  return (pod.status?.qosClass as QOSClass | undefined) || computePodQOS(pod);
}
