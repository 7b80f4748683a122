// The subsets of a Service's Endpoints: one address per selected pod (ready or not ready) per
// resolved port, repacked into the canonical layout where pods offering the same ports share
// a subset (upstream's RepackSubsets), and capped at MAX_CAPACITY addresses.
import type { KubeObject } from '../../client/api-client.ts';
import {
  findPort, isIPv6, isPodReady, podIPs, shouldPodBeInEndpoints, shouldSetHostname,
} from '../service-endpoints/index.ts';

export const MAX_CAPACITY = 1000;

export interface EndpointAddress { ip: string; hostname?: string; nodeName?: string; targetRef?: KubeObject }
export interface EndpointPort { name?: string; port: number; protocol: string; appProtocol?: string }
export interface EndpointSubset { addresses?: EndpointAddress[]; notReadyAddresses?: EndpointAddress[]; ports?: EndpointPort[] }

/** The IP of the pod in the Service's (first) family. */
function addressFor(svc: KubeObject, pod: KubeObject): EndpointAddress | undefined {
  const ips = podIPs(pod);
  let v6: boolean;
  if (svc.spec?.ipFamilies?.length) v6 = svc.spec.ipFamilies[0] === 'IPv6';
  else if (svc.spec?.clusterIP && svc.spec.clusterIP !== 'None') v6 = isIPv6(svc.spec.clusterIP);
  else v6 = isIPv6(ips[0] ?? '');
  const ip = ips.find((x) => isIPv6(x) === v6);
  if (!ip) return undefined;
  const addr: EndpointAddress = { ip };
  if (shouldSetHostname(pod, svc)) addr.hostname = pod.spec.hostname;
  if (typeof pod.spec?.nodeName === 'string') addr.nodeName = pod.spec.nodeName;
  addr.targetRef = { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid };
  return addr;
}

function endpointPort(sp: KubeObject, port: number): EndpointPort {
  const p: EndpointPort = sp.name ? { name: sp.name, port, protocol: sp.protocol ?? 'TCP' } : { port, protocol: sp.protocol ?? 'TCP' };
  if (sp.appProtocol) p.appProtocol = sp.appProtocol;
  return p;
}

/** The desired subsets for a Service from the pods its selector picks. */
export function desiredSubsets(svc: KubeObject, pods: KubeObject[]): EndpointSubset[] {
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  const expanded: EndpointSubset[] = [];
  const ports: KubeObject[] = svc.spec?.ports ?? [];
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, publishNotReady)) continue;
    const addr = addressFor(svc, pod);
    if (!addr) continue;
    const ready = publishNotReady || isPodReady(pod);
    const put = (p: EndpointPort[]) => expanded.push(ready ? { addresses: [addr], ports: p } : { notReadyAddresses: [addr], ports: p });
    if (ports.length === 0) {
      // A headless Service may have no ports: its endpoints are bare addresses.
      if (svc.spec?.clusterIP === 'None') put([]);
      continue;
    }
    for (const sp of ports) {
      const n = findPort(pod, sp);
      if (n !== undefined) put([endpointPort(sp, n)]);
    }
  }
  return repackSubsets(expanded);
}

const addressKey = (a: EndpointAddress) => `${a.ip}|${a.targetRef?.uid ?? ''}`;
const compareAddresses = (a: EndpointAddress, b: EndpointAddress) =>
  a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : (a.targetRef?.uid ?? '') < (b.targetRef?.uid ?? '') ? -1 : (a.targetRef?.uid ?? '') > (b.targetRef?.uid ?? '') ? 1 : 0;
const portKey = (p: EndpointPort) => `${p.name ?? ''}|${p.port}|${p.protocol}|${p.appProtocol ?? ''}`;
const NO_PORT = '\u0000none';

/**
 * Expands subsets to (port → addresses with readiness), then groups ports that share the same
 * address set. An address not ready for any port is not ready. Output order is deterministic.
 */
export function repackSubsets(subsets: EndpointSubset[]): EndpointSubset[] {
  const addresses = new Map<string, EndpointAddress>();
  const byPort = new Map<string, { port: EndpointPort | undefined; ready: Map<string, boolean> }>();
  const note = (port: EndpointPort | undefined, addr: EndpointAddress, ready: boolean) => {
    const ak = addressKey(addr);
    if (!addresses.has(ak)) addresses.set(ak, addr);
    const pk = port ? portKey(port) : NO_PORT;
    let entry = byPort.get(pk);
    if (!entry) byPort.set(pk, (entry = { port, ready: new Map() }));
    const was = entry.ready.get(ak);
    if (was === undefined || was) entry.ready.set(ak, ready);
  };
  for (const s of subsets) {
    const ports = s.ports?.length ? s.ports : [undefined];
    for (const port of ports) {
      for (const a of s.addresses ?? []) note(port, a, true);
      for (const a of s.notReadyAddresses ?? []) note(port, a, false);
    }
  }
  const groups = new Map<string, { ready: Map<string, boolean>; ports: EndpointPort[] }>();
  for (const { port, ready } of byPort.values()) {
    const key = [...ready].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([k, r]) => `${k}=${r}`).join(',');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ready, ports: [] }));
    if (port) g.ports.push(port);
  }
  const out: EndpointSubset[] = [];
  for (const g of groups.values()) {
    const ready: EndpointAddress[] = [];
    const notReady: EndpointAddress[] = [];
    for (const [k, r] of g.ready) (r ? ready : notReady).push(addresses.get(k)!);
    const s: EndpointSubset = {};
    if (ready.length) s.addresses = ready.sort(compareAddresses);
    if (notReady.length) s.notReadyAddresses = notReady.sort(compareAddresses);
    if (g.ports.length) s.ports = g.ports.sort((a, b) => (portKey(a) < portKey(b) ? -1 : portKey(a) > portKey(b) ? 1 : 0));
    out.push(s);
  }
  const subsetKey = (s: EndpointSubset) => `${(s.ports ?? []).map(portKey).join(',')}#${(s.addresses ?? s.notReadyAddresses ?? [])[0]?.ip ?? ''}`;
  return out.sort((a, b) => (subsetKey(a) < subsetKey(b) ? -1 : subsetKey(a) > subsetKey(b) ? 1 : 0));
}

/**
 * Caps the addresses at MAX_CAPACITY, ready ones first, spread over subsets in proportion to
 * their size. Returns whether anything was cut.
 */
export function truncateSubsets(subsets: EndpointSubset[]): boolean {
  let totalReady = 0;
  let totalNotReady = 0;
  for (const s of subsets) { totalReady += s.addresses?.length ?? 0; totalNotReady += s.notReadyAddresses?.length ?? 0; }
  if (totalReady + totalNotReady <= MAX_CAPACITY) return false;
  const truncateReady = totalReady > MAX_CAPACITY;
  const max = truncateReady ? MAX_CAPACITY : MAX_CAPACITY - totalReady;
  const numTotal = truncateReady ? totalReady : totalNotReady;
  let canBeAdded = max;
  for (const s of subsets) {
    const inSubset = truncateReady ? s.addresses?.length ?? 0 : s.notReadyAddresses?.length ?? 0;
    const toBeAdded = Math.min(Math.ceil((inSubset / numTotal) * max), canBeAdded);
    if (truncateReady) {
      s.addresses = (s.addresses ?? []).slice(0, toBeAdded);
      delete s.notReadyAddresses;
      canBeAdded -= s.addresses.length;
    } else {
      s.notReadyAddresses = (s.notReadyAddresses ?? []).slice(0, toBeAdded);
      canBeAdded -= s.notReadyAddresses.length;
    }
  }
  return true;
}

/** Subsets as compared: pod resourceVersions ignored, empty lists dropped, keys in a fixed order. */
export function canonicalSubsets(subsets: KubeObject[] | undefined): string {
  const addr = (a: KubeObject) => ({
    ip: a.ip, hostname: a.hostname || undefined, nodeName: a.nodeName ?? undefined,
    targetRef: a.targetRef ? { kind: a.targetRef.kind, namespace: a.targetRef.namespace, name: a.targetRef.name, uid: a.targetRef.uid } : undefined,
  });
  const port = (p: KubeObject) => ({ name: p.name || undefined, port: p.port, protocol: p.protocol, appProtocol: p.appProtocol || undefined });
  return JSON.stringify((subsets ?? []).map((s) => ({
    addresses: (s.addresses ?? []).map(addr),
    notReadyAddresses: (s.notReadyAddresses ?? []).map(addr),
    ports: (s.ports ?? []).map(port),
  })));
}
