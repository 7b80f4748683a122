// UDP has no connection to end: conntrack keeps sending a client's datagrams to the endpoint it
// first picked (or nowhere, when the service had none) until the flow times out. After a sync,
// the flows to endpoints that left a UDP service, and those of a UDP service that had no
// endpoint, must be forgotten, as kube-proxy does with conntrack -D.
import type { ServicePort } from './service-ports.ts';

/** Flows to delete: those to `address` (and `port`), optionally only those DNATed to `natTo`. */
export interface StaleFlow { address?: string; port: number; natTo?: string }

const addresses = (p: ServicePort): { address?: string; port: number }[] => [
  ...(p.clusterIP ? [{ address: p.clusterIP, port: p.port }] : []),
  ...p.externalIPs.map((address) => ({ address, port: p.port })),
  ...(p.nodePort !== undefined ? [{ port: p.nodePort }] : []),
];

export function staleUdpFlows(prev: Map<string, ServicePort>, next: ServicePort[]): StaleFlow[] {
  const out: StaleFlow[] = [];
  for (const p of next) {
    if (p.protocol !== 'udp') continue;
    const before = prev.get(p.id);
    const now = new Set([...p.clusterEndpoints, ...p.externalEndpoints].map((e) => e.ip));
    if (before && before.clusterEndpoints.length === 0 && p.clusterEndpoints.length > 0) {
      // Flows opened while nothing answered were never DNATed: forget them all.
      for (const a of addresses(p)) out.push(a);
      continue;
    }
    if (!before) continue;
    const gone = new Set([...before.clusterEndpoints, ...before.externalEndpoints].map((e) => e.ip).filter((ip) => !now.has(ip)));
    for (const ip of gone) for (const a of addresses(before)) out.push({ ...a, natTo: ip });
  }
  // Services removed altogether: their flows to any endpoint go.
  const ids = new Set(next.map((p) => p.id));
  for (const [id, before] of prev) {
    if (before.protocol !== 'udp' || ids.has(id)) continue;
    for (const a of addresses(before)) out.push(a);
  }
  return out;
}

/** The conntrack(8) arguments deleting one stale flow set. */
export function conntrackDeleteArgs(f: StaleFlow): string[] {
  return ['-D', '-p', 'udp', ...(f.address ? ['--orig-dst', f.address] : []), '--orig-port-dst', String(f.port), ...(f.natTo ? ['--dst-nat', f.natTo] : [])];
}
