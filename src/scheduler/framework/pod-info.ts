// A pod with what the scheduler derives from it once: requests, affinity terms with parsed
// selectors, host ports. Informer objects are immutable, so the derivation is memoized per object.
import { labelSelectorFromObject, type LabelSelector, type Labels } from '../../api/selectors/index.ts';
import { isCachedObject, type KubeObject } from '../../client/index.ts';
import { podRequests, type PodRequests } from './resources.ts';

export interface AffinityTerm {
  selector: LabelSelector;
  /** Explicit namespaces; with no selector either, the pod's own namespace. */
  namespaces: Set<string>;
  /** Null when the term names no namespace selector. */
  namespaceSelector: LabelSelector | null;
  topologyKey: string;
}

export interface WeightedAffinityTerm extends AffinityTerm { weight: number }

export interface HostPort { hostIP: string; protocol: string; port: number }

export interface PodInfo {
  pod: KubeObject;
  key: string;
  namespace: string;
  labels: Labels;
  priority: number;
  requests: PodRequests;
  requiredAffinity: AffinityTerm[];
  requiredAntiAffinity: AffinityTerm[];
  preferredAffinity: WeightedAffinityTerm[];
  preferredAntiAffinity: WeightedAffinityTerm[];
  hostPorts: HostPort[];
}

function term(pod: KubeObject, t: KubeObject): AffinityTerm {
  const nsList: string[] = t.namespaces ?? [];
  const namespaces = new Set(nsList.length === 0 && !t.namespaceSelector ? [pod.metadata.namespace] : nsList);
  return {
    selector: labelSelectorFromObject(t.labelSelector),
    namespaces,
    namespaceSelector: t.namespaceSelector ? labelSelectorFromObject(t.namespaceSelector) : null,
    topologyKey: t.topologyKey ?? '',
  };
}

/** Whether a term selects the pod; nsLabels gives a namespace's labels for namespace selectors. */
export function termMatches(t: AffinityTerm, pod: KubeObject, nsLabels: (ns: string) => Labels | undefined): boolean {
  const ns = pod.metadata?.namespace;
  if (!t.namespaces.has(ns)) {
    if (!t.namespaceSelector || !t.namespaceSelector.matches(nsLabels(ns) ?? {})) return false;
  }
  return t.selector.matches(pod.metadata?.labels ?? {});
}

const memo = new WeakMap<object, PodInfo>();

export function podInfoOf(pod: KubeObject): PodInfo {
  let pi = memo.get(pod);
  if (pi) return pi;
  const aff = pod.spec?.affinity ?? {};
  const hostPorts: HostPort[] = [];
  const portContainers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []).filter((c: KubeObject) => c.restartPolicy === 'Always')];
  for (const c of portContainers) {
    for (const p of c.ports ?? []) {
      if (p.hostPort > 0) hostPorts.push({ hostIP: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort });
    }
  }
  pi = {
    pod,
    key: `${pod.metadata.namespace}/${pod.metadata.name}`,
    namespace: pod.metadata.namespace,
    labels: pod.metadata.labels ?? {},
    priority: pod.spec?.priority ?? 0,
    requests: podRequests(pod),
    requiredAffinity: (aff.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t: KubeObject) => term(pod, t)),
    requiredAntiAffinity: (aff.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t: KubeObject) => term(pod, t)),
    preferredAffinity: (aff.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w: KubeObject) => ({ ...term(pod, w.podAffinityTerm ?? {}), weight: w.weight ?? 0 })),
    preferredAntiAffinity: (aff.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w: KubeObject) => ({ ...term(pod, w.podAffinityTerm ?? {}), weight: w.weight ?? 0 })),
    hostPorts,
  };
  if (Object.isFrozen(pod) || isCachedObject(pod)) memo.set(pod, pi);
  return pi;
}

export const podKey = (pod: KubeObject): string => `${pod.metadata.namespace}/${pod.metadata.name}`;
