// What the network policy enforcer of one node must program, computed from NetworkPolicies,
// Pods and Namespaces alone (no OS calls). A pod of this node that some policy selects for a
// direction is isolated in it: its traffic that way is dropped unless a rule of one of those
// policies allows it (upstream's union semantics). Rules match new connections; replies and
// established flows pass. The table has one chain per policy and direction, one per isolated
// pod (jumping to its policies' chains, then dropping) and a named set per rule holding the IPs
// of the pods its selectors pick, so a label change moves elements, not rules.
import { labelSelectorFromObject } from '../api/selectors/label-selector-object.ts';
import type { LabelSelector } from '../api/selectors/label-selector.ts';
import { emptyTableState, type NamedSet, type TableState } from '../nftables/index.ts';

type Obj = Record<string, any>;

export const POLICY_MAPS = { ingress: 'ingress-pods', egress: 'egress-pods' } as const;

/** A pod that has an address of its own (not in the host's network), as policies see it. */
export interface PolicyPod {
  namespace: string;
  name: string;
  ip: string;
  labels: Record<string, string>;
  nodeName: string;
  /** Named container ports: name → protocol → port. */
  namedPorts: Map<string, Map<string, number>>;
}

type Direction = 'ingress' | 'egress';

interface Peer { podSelector?: Obj | null; namespaceSelector?: Obj | null; ipBlock?: { cidr: string; except?: string[] | null } | null }
interface PolicyPort { protocol?: string; port?: number | string; endPort?: number }
interface PolicyRule { peers?: Peer[] | null; ports?: PolicyPort[] | null }

/** The fixed part of the table: the two dispatch maps and the hooks consulting them. */
export function policyBaseTable(table: string): string {
  return [
    `table ip ${table} {`,
    `  map ${POLICY_MAPS.egress} {`, `    type ipv4_addr : verdict`, `  }`,
    `  map ${POLICY_MAPS.ingress} {`, `    type ipv4_addr : verdict`, `  }`,
    // Egress of the sending pod first, then ingress of the receiving one; an accept ends only its own hook chain.
    `  chain egress-hook {`, `    type filter hook forward priority 0 ;`,
    `    ct state established,related accept`, `    ip saddr vmap @${POLICY_MAPS.egress}`, `  }`,
    `  chain ingress-hook {`, `    type filter hook forward priority 1 ;`,
    `    ct state established,related accept`, `    ip daddr vmap @${POLICY_MAPS.ingress}`, `  }`,
    `}`,
  ].join('\n');
}

export const emptyPolicyState = (): TableState => emptyTableState(Object.values(POLICY_MAPS));

const TERMINAL = new Set(['Succeeded', 'Failed']);
const ipv4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** The pods policies can select or name as peers: with an IPv4 address, not host-network, not finished. */
export function policyPods(pods: Obj[]): PolicyPod[] {
  const out: PolicyPod[] = [];
  for (const p of pods) {
    if (p.spec?.hostNetwork || TERMINAL.has(p.status?.phase)) continue;
    const ips: string[] = (p.status?.podIPs ?? []).map((x: Obj) => x.ip).concat(p.status?.podIP ?? []);
    const ip = ips.find((x) => ipv4.test(x));
    if (!ip) continue;
    const namedPorts = new Map<string, Map<string, number>>();
    // Sidecars (init containers that keep running) serve ports too.
    const containers = [...(p.spec?.containers ?? []), ...(p.spec?.initContainers ?? []).filter((c: Obj) => c.restartPolicy === 'Always')];
    for (const c of containers) {
      for (const cp of c.ports ?? []) {
        if (!cp.name) continue;
        const byProto = namedPorts.get(cp.name) ?? new Map<string, number>();
        byProto.set((cp.protocol ?? 'TCP').toLowerCase(), cp.containerPort);
        namedPorts.set(cp.name, byProto);
      }
    }
    out.push({ namespace: p.metadata.namespace, name: p.metadata.name, ip, labels: p.metadata.labels ?? {}, nodeName: p.spec?.nodeName ?? '', namedPorts });
  }
  // A stable order, so equal inputs give equal rules (and an address two pods claim goes to one).
  return out.sort((a, b) => (a.namespace + '/' + a.name < b.namespace + '/' + b.name ? -1 : 1));
}

/** Upstream's default: Ingress always, Egress when egress rules exist (the API server also defaults it). */
function policyTypes(spec: Obj): Direction[] {
  const types: string[] = Array.isArray(spec.policyTypes) && spec.policyTypes.length
    ? spec.policyTypes : Array.isArray(spec.egress) && spec.egress.length ? ['Ingress', 'Egress'] : ['Ingress'];
  return types.map((t) => t.toLowerCase()).filter((t): t is Direction => t === 'ingress' || t === 'egress');
}

const selector = (obj: Obj | null | undefined): LabelSelector | undefined => {
  try { return labelSelectorFromObject(obj); } catch { return undefined; }
};

export interface PolicyInputs {
  nodeName: string;
  policies: Obj[];
  pods: PolicyPod[];
  /** Namespace name → labels. */
  namespaces: Map<string, Record<string, string>>;
}

/** The desired table for this node. */
export function desiredPolicyState(inputs: PolicyInputs): TableState {
  const out = emptyPolicyState();
  const local = inputs.pods.filter((p) => p.nodeName === inputs.nodeName);
  /** Isolated local pod → the policy chains it must pass, per direction. */
  const isolated: Record<Direction, Map<PolicyPod, string[]>> = { ingress: new Map(), egress: new Map() };
  const policies = [...inputs.policies].sort((a, b) => (key(a) < key(b) ? -1 : 1));
  for (const policy of policies) {
    const ns: string = policy.metadata.namespace;
    const podSelector = selector(policy.spec?.podSelector ?? {});
    if (!podSelector) continue;
    const selected = local.filter((p) => p.namespace === ns && podSelector.matches(p.labels));
    if (!selected.length) continue;
    for (const dir of policyTypes(policy.spec ?? {})) {
      const chain = `${dir === 'ingress' ? 'in' : 'out'}-${key(policy)}`;
      const rules = (dir === 'ingress'
        ? (policy.spec.ingress ?? []).map((r: Obj) => ({ peers: r.from, ports: r.ports }))
        : (policy.spec.egress ?? []).map((r: Obj) => ({ peers: r.to, ports: r.ports }))) as PolicyRule[];
      out.chains.set(chain, rules.flatMap((r, i) => ruleLines(r, dir, `${chain}-${i}`, ns, selected, inputs, out.sets)));
      for (const p of selected) {
        const list = isolated[dir].get(p);
        if (list) list.push(chain); else isolated[dir].set(p, [chain]);
      }
    }
  }
  for (const dir of ['ingress', 'egress'] as const) {
    const map = out.maps.get(POLICY_MAPS[dir])!;
    for (const [pod, chains] of isolated[dir]) {
      if (map.has(pod.ip)) continue;
      const chain = `pod-${dir === 'ingress' ? 'in' : 'out'}-${pod.namespace}/${pod.name}`;
      // A pod reaching itself through a service is never blocked (as Cilium's service loopback).
      const self = `ip ${dir === 'ingress' ? 'saddr' : 'daddr'} ${pod.ip} accept`;
      out.chains.set(chain, [self, ...chains.map((c) => `jump ${c}`), 'drop']);
      map.set(pod.ip, `goto ${chain}`);
    }
  }
  return out;
}

const key = (o: Obj) => `${o.metadata.namespace}/${o.metadata.name}`;

/** The accept rules for one policy rule: every peer match with every port match. */
function ruleLines(rule: PolicyRule, dir: Direction, setName: string, ns: string, selected: PolicyPod[], inputs: PolicyInputs, sets: Map<string, NamedSet>): string[] {
  const peerAddr = dir === 'ingress' ? 'saddr' : 'daddr';
  const peerMatches: string[] = [];
  const peerPodList: PolicyPod[] = [];
  /** Pods an egress rule can reach (all, unless only selectors name its peers). */
  let peerDestinations = inputs.pods;
  if (!rule.peers?.length) peerMatches.push('');
  else {
    const ips = new Set<string>();
    let selects = false;
    let blocks = false;
    for (const peer of rule.peers) {
      if (peer.ipBlock) {
        blocks = true;
        const except = peer.ipBlock.except ?? [];
        peerMatches.push(`ip ${peerAddr} ${peer.ipBlock.cidr}${except.length ? ` ip ${peerAddr} != { ${except.join(' , ')} }` : ''}`);
        continue;
      }
      selects = true;
      for (const p of peerPods(peer, ns, inputs)) { ips.add(p.ip); peerPodList.push(p); }
    }
    if (!blocks) peerDestinations = peerPodList;
    if (selects) {
      sets.set(setName, { declaration: 'type ipv4_addr ;', elements: ips });
      peerMatches.push(`ip ${peerAddr} @${setName}`);
    }
  }
  // Named ports mean the destination's port of that name: the selected pods' for ingress, the peers' for egress.
  const destinations = dir === 'ingress' ? selected : peerDestinations;
  const portMatches: string[] = [];
  if (!rule.ports?.length) portMatches.push('');
  else {
    for (const p of rule.ports) {
      const proto = (p.protocol ?? 'TCP').toLowerCase();
      if (p.port === undefined || p.port === null) portMatches.push(`meta l4proto ${proto}`);
      else if (typeof p.port === 'number') portMatches.push(`meta l4proto ${proto} th dport ${p.port}${p.endPort ? `-${p.endPort}` : ''}`);
      else {
        const pairs = destinations.flatMap((d) => {
          const port = d.namedPorts.get(p.port as string)?.get(proto);
          return port === undefined ? [] : [`${d.ip} . ${port}`];
        });
        // No destination has the name: this port allows nothing.
        if (pairs.length) portMatches.push(`meta l4proto ${proto} ip daddr . th dport { ${pairs.join(' , ')} }`);
      }
    }
  }
  return peerMatches.flatMap((peer) => portMatches.map((port) => [peer, port, 'accept'].filter(Boolean).join(' ')));
}

/** The pods a selector peer picks: podSelector within the policy's namespace, or within the namespaces namespaceSelector picks. */
function peerPods(peer: Peer, ns: string, inputs: PolicyInputs): PolicyPod[] {
  const pods = selector(peer.podSelector ?? {});
  if (!pods) return [];
  if (peer.namespaceSelector === undefined || peer.namespaceSelector === null) {
    return inputs.pods.filter((p) => p.namespace === ns && pods.matches(p.labels));
  }
  const namespaces = selector(peer.namespaceSelector);
  if (!namespaces) return [];
  return inputs.pods.filter((p) => namespaces.matches(inputs.namespaces.get(p.namespace) ?? {}) && pods.matches(p.labels));
}
