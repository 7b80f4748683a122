// The nftables rules for a set of service ports, as data (chains, map elements, affinity sets)
// and as the text of one `nft -f` transaction: the whole table on the first sync, afterwards
// only the chains and elements that changed (kube-proxy's nftables mode, pkg/proxy/nftables).
import type { Endpoint, ServicePort } from '../service-ports.ts';

/** Packets carrying this mark bit are masqueraded on the way out. */
export const MASQUERADE_MARK = '0x00004000';

export interface Ruleset {
  /** Per service and endpoint chains: name → rules. */
  chains: Map<string, string[]>;
  /** Verdict map name → element key → verdict. */
  maps: Map<string, Map<string, string>>;
  /** Session affinity sets: name → timeout in seconds. */
  affinitySets: Map<string, number>;
}

export const MAPS = {
  serviceIPs: { name: 'service-ips', type: 'ipv4_addr . inet_proto . inet_service : verdict' },
  nodePorts: { name: 'service-nodeports', type: 'inet_proto . inet_service : verdict' },
  noEndpointIPs: { name: 'no-endpoint-services', type: 'ipv4_addr . inet_proto . inet_service : verdict' },
  noEndpointNodePorts: { name: 'no-endpoint-nodeports', type: 'inet_proto . inet_service : verdict' },
} as const;

const svcChain = (p: ServicePort) => `svc-${p.id}`;
const extChain = (p: ServicePort) => `ext-${p.id}`;
const sepChain = (p: ServicePort, e: Endpoint) => `sep-${p.id}__${e.ip}/${e.port}`;
const affinitySet = (p: ServicePort, e: Endpoint) => `affinity-${p.id}__${e.ip}/${e.port}`;

/** The fixed part of the table: hooks, the masquerade chains and the empty maps. */
export function baseTable(table: string, clusterCIDR: string): string {
  const maps = Object.values(MAPS).flatMap((m) => [`  map ${m.name} {`, `    type ${m.type}`, `  }`]);
  return [
    `table ip ${table} {`,
    ...maps,
    `  chain reject-chain {`, `    reject`, `  }`,
    // New connections to a service port without endpoints are refused at once instead of hanging.
    `  chain endpoints-check {`,
    `    ip daddr . meta l4proto . th dport vmap @${MAPS.noEndpointIPs.name}`,
    `    fib daddr type local meta l4proto . th dport vmap @${MAPS.noEndpointNodePorts.name}`,
    `  }`,
    `  chain filter-input {`, `    type filter hook input priority -10 ;`, `    ct state new jump endpoints-check`, `  }`,
    `  chain filter-forward {`, `    type filter hook forward priority -10 ;`, `    ct state new jump endpoints-check`, `  }`,
    `  chain filter-output {`, `    type filter hook output priority -10 ;`, `    ct state new jump endpoints-check`, `  }`,
    `  chain services {`,
    `    ip daddr . meta l4proto . th dport vmap @${MAPS.serviceIPs.name}`,
    `    fib daddr type local meta l4proto . th dport vmap @${MAPS.nodePorts.name}`,
    `  }`,
    `  chain nat-prerouting {`, `    type nat hook prerouting priority dstnat ;`, `    jump services`, `  }`,
    `  chain nat-output {`, `    type nat hook output priority -100 ;`, `    jump services`, `  }`,
    `  chain mark-for-masquerade {`, `    meta mark set meta mark | ${MASQUERADE_MARK}`, `  }`,
    `  chain nat-postrouting {`,
    `    type nat hook postrouting priority srcnat ;`,
    `    meta mark & ${MASQUERADE_MARK} == 0 return`,
    `    meta mark set meta mark ^ ${MASQUERADE_MARK}`,
    `    masquerade fully-random`,
    `  }`,
    `  # pod range ${clusterCIDR}`,
    `}`,
  ].join('\n');
}

/** Rules that pick one endpoint at random (or the client's previous one, with affinity). */
function balance(p: ServicePort, eps: Endpoint[]): string[] {
  const rules: string[] = [];
  if (p.affinitySeconds !== undefined) for (const e of eps) rules.push(`ip saddr @${affinitySet(p, e)} goto ${sepChain(p, e)}`);
  if (eps.length === 1) rules.push(`goto ${sepChain(p, eps[0])}`);
  else rules.push(`numgen random mod ${eps.length} vmap { ${eps.map((e, i) => `${i} : goto ${sepChain(p, e)}`).join(' , ')} }`);
  return rules;
}

/**
 * The ruleset for the ports. `fragments` remembers each port's part by object identity, so a
 * sync after one change computes only the changed ports' part (and unchanged chains keep their
 * rule arrays, which the diff then skips by identity).
 */
export function desiredRuleset(ports: ServicePort[], clusterCIDR: string, fragments?: WeakMap<ServicePort, Ruleset>): Ruleset {
  const out = emptyRuleset();
  for (const p of ports) {
    let f = fragments?.get(p);
    if (!f) { f = portRuleset(p, clusterCIDR); fragments?.set(p, f); }
    for (const [k, v] of f.chains) out.chains.set(k, v);
    for (const [m, elements] of f.maps) { const into = out.maps.get(m)!; for (const [k, v] of elements) into.set(k, v); }
    for (const [k, v] of f.affinitySets) out.affinitySets.set(k, v);
  }
  return out;
}

function portRuleset(p: ServicePort, clusterCIDR: string): Ruleset {
  const { chains, maps, affinitySets } = emptyRuleset();
  const put = (map: string, key: string, verdict: string) => maps.get(map)!.set(key, verdict);
  {
    const endpoints = new Map<string, Endpoint>();
    for (const e of [...p.clusterEndpoints, ...p.externalEndpoints]) endpoints.set(sepChain(p, e), e);
    for (const [name, e] of endpoints) {
      const rules = [`ip saddr ${e.ip} jump mark-for-masquerade`];
      if (p.affinitySeconds !== undefined) {
        affinitySets.set(affinitySet(p, e), p.affinitySeconds);
        rules.push(`update @${affinitySet(p, e)} { ip saddr }`);
      }
      rules.push(`meta l4proto ${p.protocol} dnat to ${e.ip}:${e.port}`);
      chains.set(name, rules);
    }
    const key = `${p.protocol} . ${p.port}`;
    if (p.clusterEndpoints.length) {
      // Traffic from outside the pod range (the host itself) is masqueraded so replies come back through us.
      chains.set(svcChain(p), [`ip saddr != ${clusterCIDR} jump mark-for-masquerade`, ...balance(p, p.clusterEndpoints)]);
      put(MAPS.serviceIPs.name, `${p.clusterIP} . ${key}`, `goto ${svcChain(p)}`);
    } else {
      put(MAPS.noEndpointIPs.name, `${p.clusterIP} . ${key}`, 'goto reject-chain');
    }
    const external = p.nodePort !== undefined || p.externalIPs.length > 0;
    if (!external) return { chains, maps, affinitySets };
    // externalTrafficPolicy Local drops (rather than refuses) when this node has no endpoint, as upstream.
    const noExternal = p.externalLocal ? 'drop' : 'goto reject-chain';
    if (p.externalEndpoints.length) {
      const rules = p.externalLocal
        ? [
          // The node's own connections may go anywhere; others keep their source address.
          ...(p.clusterEndpoints.length ? ['fib saddr type local jump mark-for-masquerade', `fib saddr type local goto ${svcChain(p)}`] : []),
          ...balance(p, p.externalEndpoints),
        ]
        : ['jump mark-for-masquerade', `goto ${svcChain(p)}`];
      chains.set(extChain(p), rules);
      for (const ip of p.externalIPs) put(MAPS.serviceIPs.name, `${ip} . ${key}`, `goto ${extChain(p)}`);
      if (p.nodePort !== undefined) put(MAPS.nodePorts.name, `${p.protocol} . ${p.nodePort}`, `goto ${extChain(p)}`);
    } else {
      for (const ip of p.externalIPs) put(MAPS.noEndpointIPs.name, `${ip} . ${key}`, noExternal);
      if (p.nodePort !== undefined) put(MAPS.noEndpointNodePorts.name, `${p.protocol} . ${p.nodePort}`, noExternal);
    }
  }
  return { chains, maps, affinitySets };
}

export const emptyRuleset = (): Ruleset => ({ chains: new Map(), maps: new Map(Object.values(MAPS).map((m) => [m.name, new Map()])), affinitySets: new Map() });

/**
 * The transaction that turns `prev` into `next` in table `table`. Order matters inside one
 * transaction: new chains and sets first, then chain contents, then map elements, and only
 * then the chains and sets nothing refers to any more.
 */
export function diffScript(table: string, prev: Ruleset, next: Ruleset): string {
  const lines: string[] = [];
  const t = `ip ${table}`;
  for (const [name, timeout] of next.affinitySets) {
    if (!prev.affinitySets.has(name)) lines.push(`add set ${t} ${name} { type ipv4_addr ; flags dynamic,timeout ; timeout ${timeout}s ; }`);
  }
  for (const name of next.chains.keys()) if (!prev.chains.has(name)) lines.push(`add chain ${t} ${name}`);
  for (const [name, rules] of next.chains) {
    const old = prev.chains.get(name);
    if (old && sameRules(old, rules)) continue;
    if (old) lines.push(`flush chain ${t} ${name}`);
    for (const r of rules) lines.push(`add rule ${t} ${name} ${r}`);
  }
  for (const [map, elements] of next.maps) {
    const before = prev.maps.get(map) ?? new Map<string, string>();
    if (before === elements) continue;
    const gone = [...before.keys()].filter((k) => elements.get(k) !== before.get(k));
    if (gone.length) lines.push(`delete element ${t} ${map} { ${gone.join(' , ')} }`);
    const added = [...elements].filter(([k, v]) => before.get(k) !== v);
    if (added.length) lines.push(`add element ${t} ${map} { ${added.map(([k, v]) => `${k} : ${v}`).join(' , ')} }`);
  }
  // Chains referring to a chain about to go were rewritten above, or go too: flush all first.
  const goneChains = [...prev.chains.keys()].filter((n) => !next.chains.has(n));
  for (const name of goneChains) lines.push(`flush chain ${t} ${name}`);
  for (const name of goneChains) lines.push(`delete chain ${t} ${name}`);
  for (const name of prev.affinitySets.keys()) if (!next.affinitySets.has(name)) lines.push(`delete set ${t} ${name}`);
  return lines.length ? `${lines.join('\n')}\n` : '';
}

function sameRules(a: string[], b: string[]): boolean {
  return a === b || a.length === b.length && a.every((r, i) => r === b[i]);
}
