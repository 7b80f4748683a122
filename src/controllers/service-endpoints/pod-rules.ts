// Which pods a Service's endpoints include and how a pod becomes an endpoint: the rules the
// Endpoints and EndpointSlice controllers share (upstream's k8s.io/endpointslice/util).
import type { KubeObject } from '../../client/api-client.ts';

export const isPodReady = (pod: KubeObject): boolean =>
  (pod.status?.conditions ?? []).some((c: KubeObject) => c.type === 'Ready' && c.status === 'True');

const isPodTerminal = (pod: KubeObject): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

/** The pod's IPs in order (status.podIPs, or the single podIP of an older writer). */
export function podIPs(pod: KubeObject): string[] {
  const list = (pod.status?.podIPs ?? []).map((p: KubeObject) => p.ip).filter((ip: unknown): ip is string => typeof ip === 'string' && ip !== '');
  if (list.length) return list;
  return pod.status?.podIP ? [pod.status.podIP] : [];
}

/**
 * A pod belongs in a Service's endpoints when it has an IP and is not finished; one being
 * deleted only when `includeTerminating`.
 */
export function shouldPodBeInEndpoints(pod: KubeObject, includeTerminating: boolean): boolean {
  if (isPodTerminal(pod)) return false;
  if (podIPs(pod).length === 0) return false;
  if (!includeTerminating && pod.metadata?.deletionTimestamp) return false;
  return true;
}

/** A pod's hostname is published when it names this Service as its subdomain. */
export const shouldSetHostname = (pod: KubeObject, svc: KubeObject): boolean =>
  !!pod.spec?.hostname && pod.spec?.subdomain === svc.metadata.name && pod.metadata.namespace === svc.metadata.namespace;

/** A Service with a ClusterIP (not headless). */
export const isServiceIPSet = (svc: KubeObject): boolean => !!svc.spec?.clusterIP && svc.spec.clusterIP !== 'None';

/** The selector a Service picks pods with, or undefined when it picks none (no selector: endpoints are managed by hand). */
export function serviceSelector(svc: KubeObject): Record<string, string> | undefined {
  const sel = svc.spec?.selector;
  if (!sel || typeof sel !== 'object' || Object.keys(sel).length === 0) return undefined;
  return sel;
}

export function selectorMatches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  for (const [k, v] of Object.entries(selector)) if (labels?.[k] !== v) return false;
  return true;
}

/**
 * The container port a service port targets on this pod: a number as is, a name looked up in
 * the pod's containers (and restartable init containers) with the same protocol.
 */
export function findPort(pod: KubeObject, svcPort: KubeObject): number | undefined {
  const target = svcPort.targetPort ?? svcPort.port;
  if (typeof target === 'number') return target;
  if (typeof target === 'string' && /^\d+$/.test(target)) return Number(target);
  const protocol = svcPort.protocol ?? 'TCP';
  const search = (containers: KubeObject[] | undefined) => {
    for (const c of containers ?? []) for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort as number;
    return undefined;
  };
  return search(pod.spec?.containers) ?? search((pod.spec?.initContainers ?? []).filter((c: KubeObject) => c.restartPolicy === 'Always'));
}

export function isIPv6(ip: string): boolean { return ip.includes(':'); }

const sameMap = (a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean => {
  const ka = Object.keys(a ?? {});
  return ka.length === Object.keys(b ?? {}).length && ka.every((k) => a![k] === b?.[k]);
};

/**
 * Whether a pod update can change endpoints (`podChanged`: deletion, readiness, IPs) and
 * which Services it matches (`labelsChanged`: labels, hostname or subdomain).
 */
export function podEndpointsChanged(oldPod: KubeObject, newPod: KubeObject): { podChanged: boolean; labelsChanged: boolean } {
  const labelsChanged = !sameMap(oldPod.metadata?.labels, newPod.metadata?.labels)
    || oldPod.spec?.hostname !== newPod.spec?.hostname || oldPod.spec?.subdomain !== newPod.spec?.subdomain;
  const podChanged = (oldPod.metadata?.deletionTimestamp ?? null) !== (newPod.metadata?.deletionTimestamp ?? null)
    || isPodReady(oldPod) !== isPodReady(newPod)
    || podIPs(oldPod).join(',') !== podIPs(newPod).join(',')
    // An assigned IP or a new phase (finished pods leave) also matter here; upstream sees them through IPs and readiness.
    || oldPod.status?.phase !== newPod.status?.phase
    || oldPod.spec?.nodeName !== newPod.spec?.nodeName;
  return { podChanged, labelsChanged };
}

/** RFC 3339 with the fraction only when there is one, as Go's RFC3339Nano prints. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z').replace(/(\.\d*?)0+Z$/, '$1Z');
}
