// Zone health for rate-limited taint-based eviction (upstream nodelifecycle handleDisruption):
// a zone where many nodes fail at once is more likely cut off than broken, so evictions there
// slow down or stop, and when every zone has failed nothing is evicted at all.
import type { KubeObject } from '../../client/api-client.ts';
import { readyStatus } from './taints.ts';

export type ZoneState = 'Normal' | 'PartialDisruption' | 'FullDisruption';

export interface ZoneSettings {
  /** Nodes tainted per second in a healthy zone (upstream --node-eviction-rate 0.1). */
  evictionQps: number;
  /** Nodes tainted per second in a partly disrupted large zone (--secondary-node-eviction-rate 0.01). */
  secondaryEvictionQps: number;
  /** Zones with at most this many nodes stop evicting when partly disrupted (--large-cluster-size-threshold 50). */
  largeClusterThreshold: number;
  /** Share of not-Ready nodes (more than two) that makes a zone partly disrupted (--unhealthy-zone-threshold 0.55). */
  unhealthyZoneThreshold: number;
}

/** Upstream's zone key: region and zone labels joined. */
export function zoneOf(node: KubeObject): string {
  const l = node.metadata?.labels ?? {};
  const region = l['topology.kubernetes.io/region'] ?? l['failure-domain.beta.kubernetes.io/region'] ?? '';
  const zone = l['topology.kubernetes.io/zone'] ?? l['failure-domain.beta.kubernetes.io/zone'] ?? '';
  return region || zone ? `${region}:\x00:${zone}` : '';
}

export function zoneState(nodes: KubeObject[], s: ZoneSettings): ZoneState {
  let ready = 0, notReady = 0;
  for (const n of nodes) (readyStatus(n) === 'True' ? ready++ : notReady++);
  if (ready === 0 && notReady > 0) return 'FullDisruption';
  if (notReady > 2 && notReady / (ready + notReady) >= s.unhealthyZoneThreshold) return 'PartialDisruption';
  return 'Normal';
}

/** How many nodes per second may be tainted NoExecute in a zone of `size` nodes in `state`. */
export function zoneEvictionQps(state: ZoneState, size: number, s: ZoneSettings): number {
  if (state === 'PartialDisruption') return size > s.largeClusterThreshold ? s.secondaryEvictionQps : 0;
  return s.evictionQps;
}

/** Nodes excluded from disruption checks by label, as upstream. */
export const excludedFromDisruption = (node: KubeObject) => 'node.kubernetes.io/exclude-disruption' in (node.metadata?.labels ?? {});

export interface ClusterHealth {
  zones: Map<string, { state: ZoneState; size: number }>;
  /** Every zone is fully disrupted: the control plane is more likely cut off than every node down. */
  allDisrupted: boolean;
}

export function clusterHealth(nodes: KubeObject[], s: ZoneSettings): ClusterHealth {
  const byZone = new Map<string, KubeObject[]>();
  for (const n of nodes) {
    if (excludedFromDisruption(n)) continue;
    const z = zoneOf(n);
    if (!byZone.has(z)) byZone.set(z, []);
    byZone.get(z)!.push(n);
  }
  const zones = new Map<string, { state: ZoneState; size: number }>();
  for (const [z, list] of byZone) zones.set(z, { state: zoneState(list, s), size: list.length });
  const allDisrupted = zones.size > 0 && [...zones.values()].every((z) => z.state === 'FullDisruption');
  return { zones, allDisrupted };
}
