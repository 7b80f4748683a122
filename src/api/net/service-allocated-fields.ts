// Which server-allocated values a Service needs (cluster IPs, node ports, the health check node
// port) and how an update carries or drops them, as upstream's service REST storage does
// (patchAllocatedValues, dropTypeDependentFields): `kubectl replace` of a manifest without a
// clusterIP keeps the allocated one, and turning a service into ExternalName drops its IPs.
type Obj = Record<string, any>;

export const needsClusterIP = (svc: Obj): boolean => svc.spec?.type !== 'ExternalName';

export const needsNodePorts = (svc: Obj): boolean =>
  svc.spec?.type === 'NodePort' || (svc.spec?.type === 'LoadBalancer' && svc.spec?.allocateLoadBalancerNodePorts !== false);

export const needsHealthCheckNodePort = (svc: Obj): boolean =>
  svc.spec?.type === 'LoadBalancer' && svc.spec?.externalTrafficPolicy === 'Local';

const ports = (svc: Obj): Obj[] => (Array.isArray(svc.spec?.ports) ? svc.spec.ports.filter((p: unknown) => typeof p === 'object' && p !== null) : []);

/** The node ports a service holds (each port number once). */
export function nodePortsOf(svc: Obj): number[] {
  const out = new Set<number>();
  for (const p of ports(svc)) if (Number.isInteger(p.nodePort) && p.nodePort > 0) out.add(p.nodePort);
  if (Number.isInteger(svc.spec?.healthCheckNodePort) && svc.spec.healthCheckNodePort > 0) out.add(svc.spec.healthCheckNodePort);
  return [...out];
}

/** The cluster IPs a service holds ('None' is no IP). */
export function clusterIPsOf(svc: Obj): string[] {
  const ips: unknown[] = Array.isArray(svc.spec?.clusterIPs) && svc.spec.clusterIPs.length ? svc.spec.clusterIPs : [svc.spec?.clusterIP];
  return ips.filter((ip): ip is string => typeof ip === 'string' && ip !== '' && ip !== 'None');
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** An update that leaves an allocated value out keeps the old one. */
export function keepAllocatedValues(svc: Obj, old: Obj): void {
  const spec = (svc.spec ??= {});
  const oldSpec = old.spec ?? {};
  if (needsClusterIP(old) && needsClusterIP(svc)) {
    if (!spec.clusterIP && oldSpec.clusterIP) spec.clusterIP = oldSpec.clusterIP;
    if (!(Array.isArray(spec.clusterIPs) && spec.clusterIPs.length) && Array.isArray(oldSpec.clusterIPs) && oldSpec.clusterIPs.length) spec.clusterIPs = [...oldSpec.clusterIPs];
  }
  if (needsNodePorts(old) && needsNodePorts(svc)) {
    const stillUsed = new Set(ports(svc).map((p) => p.nodePort).filter((n) => n));
    const byName = new Map<string, number>(ports(old).map((p) => [p.name ?? '', p.nodePort]));
    for (const p of ports(svc)) {
      if (p.nodePort) continue;
      const prev = byName.get(p.name ?? '');
      if (prev && !stillUsed.has(prev)) p.nodePort = prev;
    }
  }
  if (needsHealthCheckNodePort(old) && needsHealthCheckNodePort(svc) && !spec.healthCheckNodePort && oldSpec.healthCheckNodePort) {
    spec.healthCheckNodePort = oldSpec.healthCheckNodePort;
  }
}

/** A type change drops the values only the old type needed, when the user left them as they were. */
export function dropTypeDependentFields(svc: Obj, old: Obj): void {
  const spec = (svc.spec ??= {});
  const oldSpec = old.spec ?? {};
  if (needsClusterIP(old) && !needsClusterIP(svc)) {
    if (same(spec.clusterIP, oldSpec.clusterIP) && same(spec.clusterIPs, oldSpec.clusterIPs)) { delete spec.clusterIP; delete spec.clusterIPs; }
    if (same(spec.ipFamilies, oldSpec.ipFamilies)) delete spec.ipFamilies;
    if (same(spec.ipFamilyPolicy, oldSpec.ipFamilyPolicy)) delete spec.ipFamilyPolicy;
  }
  if (needsNodePorts(old) && !needsNodePorts(svc) && same(ports(svc).map((p) => p.nodePort), ports(old).map((p) => p.nodePort))) {
    for (const p of ports(svc)) delete p.nodePort;
  }
  if (needsHealthCheckNodePort(old) && !needsHealthCheckNodePort(svc) && same(spec.healthCheckNodePort, oldSpec.healthCheckNodePort)) delete spec.healthCheckNodePort;
  if (oldSpec.type === 'LoadBalancer' && spec.type !== 'LoadBalancer' && same(spec.allocateLoadBalancerNodePorts, oldSpec.allocateLoadBalancerNodePorts)) delete spec.allocateLoadBalancerNodePorts;
  const external = (s: Obj) => s.type === 'NodePort' || s.type === 'LoadBalancer';
  if (external(oldSpec) && !external(spec) && same(spec.externalTrafficPolicy, oldSpec.externalTrafficPolicy)) delete spec.externalTrafficPolicy;
}
