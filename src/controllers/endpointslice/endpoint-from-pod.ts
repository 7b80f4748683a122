// How one pod appears in a Service's EndpointSlices: its addresses of one family, conditions
// (ready / serving / terminating), node, zone, hostname and target, under the ports it resolves.
import type { KubeObject } from '../../client/api-client.ts';
import { findPort, isIPv6, isPodReady, podIPs, shouldSetHostname } from '../service-endpoints/index.ts';

export type AddressType = 'IPv4' | 'IPv6';
export const ZONE_LABEL = 'topology.kubernetes.io/zone';

export interface SlicePort { name: string; port: number; protocol: string; appProtocol?: string }

export function podToEndpoint(pod: KubeObject, node: KubeObject | undefined, svc: KubeObject, addressType: AddressType): KubeObject {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata.deletionTimestamp;
  // A terminating pod is never "ready", unless the Service publishes unready addresses.
  const ready = svc.spec?.publishNotReadyAddresses === true || (serving && !terminating);
  const ep: KubeObject = {
    addresses: podIPs(pod).filter((ip) => isIPv6(ip) === (addressType === 'IPv6')),
    conditions: { ready, serving, terminating },
  };
  if (shouldSetHostname(pod, svc)) ep.hostname = pod.spec.hostname;
  ep.targetRef = { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid };
  if (pod.spec?.nodeName) ep.nodeName = pod.spec.nodeName;
  const zone = node?.metadata?.labels?.[ZONE_LABEL];
  if (zone) ep.zone = zone;
  return ep;
}

/** The ports this pod serves for the Service (a headless Service may have none). */
export function endpointPorts(svc: KubeObject, pod: KubeObject): SlicePort[] {
  const out: SlicePort[] = [];
  for (const sp of svc.spec?.ports ?? []) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    const p: SlicePort = { name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP' };
    if (sp.appProtocol) p.appProtocol = sp.appProtocol;
    out.push(p);
  }
  return out;
}

/** Identity of a set of ports, order-free: slices are grouped by it. */
export function portMapKey(ports: KubeObject[] | undefined | null): string {
  return (ports ?? []).map((p) => `${p.name ?? ''}|${p.port ?? ''}|${p.protocol ?? ''}|${p.appProtocol ?? ''}`).sort().join(',');
}

/** Identity of an endpoint across syncs: its addresses, hostname and target pod. */
export function endpointKey(ep: KubeObject): string {
  return `${[...(ep.addresses ?? [])].sort().join(',')}|${ep.hostname ?? ''}|${ep.targetRef?.namespace ?? ''}/${ep.targetRef?.name ?? ''}`;
}

/** Whether two endpoints with the same key differ in anything written (pod resourceVersion aside). */
export function endpointChanged(a: KubeObject, b: KubeObject): boolean {
  const ref = (r: KubeObject | undefined) => (r ? `${r.kind}|${r.namespace}|${r.name}|${r.uid}` : '');
  const c = (e: KubeObject, k: string) => e.conditions?.[k] ?? null;
  return (a.nodeName ?? null) !== (b.nodeName ?? null) || (a.zone ?? null) !== (b.zone ?? null)
    || c(a, 'ready') !== c(b, 'ready') || c(a, 'serving') !== c(b, 'serving') || c(a, 'terminating') !== c(b, 'terminating')
    || ref(a.targetRef) !== ref(b.targetRef);
}

/** The address types a Service's slices carry, from its IP families (or its ClusterIP). */
export function addressTypesFor(svc: KubeObject): AddressType[] {
  const families: string[] = svc.spec?.ipFamilies ?? [];
  const out = new Set<AddressType>();
  for (const f of families) if (f === 'IPv4' || f === 'IPv6') out.add(f);
  if (out.size) return [...out];
  const ip = svc.spec?.clusterIP;
  if (ip && ip !== 'None') return [isIPv6(ip) ? 'IPv6' : 'IPv4'];
  // Headless without families: an API server that allocates none is single-stack IPv4, where
  // upstream's server would have set ipFamilies to [IPv4].
  return ['IPv4'];
}
