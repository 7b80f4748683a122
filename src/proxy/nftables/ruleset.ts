// The nftables rules for a set of service ports, as data (chains, map elements, affinity sets)
// that src/nftables turns into transactions: the whole table on the first sync, afterwards only
// the chains and elements that changed (kube-proxy's nftables mode, pkg/proxy/nftables).
import type { Endpoint, ServicePort } from '../service-ports.ts';
import { emptyTableState, type TableState } from '../../nftables/index.ts';

/** Packets carrying this mark bit are masqueraded on the way out. */
export const MASQUERADE_MARK = '0x00004000';

/** Per service and endpoint chains, the verdict maps' elements and the session affinity sets. */
export type Ruleset = TableState;

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

/**
 * Rules that DNAT to one endpoint picked at random, in one rule: no chain per endpoint, so a
 * table of 1,000 services holds about 1,000 chains, and nft's cache (read on every transaction)
 * stays small. A pod reaching its own service may land on itself: traffic from any of the
 * endpoints is masqueraded so replies come back through us (hairpin). With ClientIP affinity
 * the pick goes through a chain per endpoint that remembers the client.
 */
function balance(p: ServicePort, eps: Endpoint[]): string[] {
  const ips = [...new Set(eps.map((e) => e.ip))];
  const rules = [ips.length === 1 ? `ip saddr ${ips[0]} jump mark-for-masquerade` : `ip saddr { ${ips.join(' , ')} } jump mark-for-masquerade`];
  if (p.affinitySeconds !== undefined) {
    for (const e of eps) rules.push(`ip saddr @${affinitySet(p, e)} goto ${sepChain(p, e)}`);
    if (eps.length === 1) rules.push(`goto ${sepChain(p, eps[0])}`);
    else rules.push(`numgen random mod ${eps.length} vmap { ${eps.map((e, i) => `${i} : goto ${sepChain(p, e)}`).join(' , ')} }`);
  } else if (eps.length === 1) {
    rules.push(`meta l4proto ${p.protocol} dnat to ${eps[0].ip}:${eps[0].port}`);
  } else {
    rules.push(`meta l4proto ${p.protocol} dnat ip to numgen random mod ${eps.length} map { ${eps.map((e, i) => `${i} : ${e.ip} . ${e.port}`).join(' , ')} }`);
  }
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
    for (const [k, v] of f.sets) out.sets.set(k, v);
  }
  return out;
}

function portRuleset(p: ServicePort, clusterCIDR: string): Ruleset {
  const { chains, maps, sets } = emptyRuleset();
  const put = (map: string, key: string, verdict: string) => maps.get(map)!.set(key, verdict);
  if (p.affinitySeconds !== undefined) {
    for (const e of [...p.clusterEndpoints, ...p.externalEndpoints]) {
      sets.set(affinitySet(p, e), { declaration: `type ipv4_addr ; flags dynamic,timeout ; timeout ${p.affinitySeconds}s ;` });
      chains.set(sepChain(p, e), [`update @${affinitySet(p, e)} { ip saddr }`, `meta l4proto ${p.protocol} dnat to ${e.ip}:${e.port}`]);
    }
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
  if (!external) return { chains, maps, sets };
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
  return { chains, maps, sets };
}

export const emptyRuleset = (): Ruleset => emptyTableState(Object.values(MAPS).map((m) => m.name));
