// status.loadBalancer of our Ingresses: the addresses the controller listens on (the node's),
// so `kubectl get ingress` shows an ADDRESS, as ingress-nginx and Traefik publish theirs. An
// address is an `ip` when it parses as one, else a `hostname`. Pure.
import { isIP } from 'node:net';
import type { KubeObject } from '../client/api-client.ts';

export interface LoadBalancerIngress { ip?: string; hostname?: string }

/** The status.loadBalancer.ingress list for these addresses: deduplicated, IPs first, sorted. */
export function loadBalancerIngress(addresses: readonly string[]): LoadBalancerIngress[] {
  const uniq = [...new Set(addresses.map((a) => a.trim()).filter(Boolean))];
  const ips = uniq.filter((a) => isIP(a) !== 0).sort();
  const names = uniq.filter((a) => isIP(a) === 0).sort();
  return [...ips.map((ip) => ({ ip })), ...names.map((hostname) => ({ hostname }))];
}

const sameList = (a: readonly LoadBalancerIngress[], b: readonly LoadBalancerIngress[]) =>
  a.length === b.length && a.every((x, i) => (x.ip ?? '') === (b[i]?.ip ?? '') && (x.hostname ?? '') === (b[i]?.hostname ?? ''));

/** The Ingress with its status.loadBalancer set to `wanted`, or undefined when it already is. */
export function withLoadBalancerStatus(ing: KubeObject, wanted: readonly LoadBalancerIngress[]): KubeObject | undefined {
  const current: LoadBalancerIngress[] = ing.status?.loadBalancer?.ingress ?? [];
  if (sameList(current, wanted)) return undefined;
  return { ...ing, status: { ...(ing.status ?? {}), loadBalancer: wanted.length ? { ingress: wanted.map((w) => ({ ...w })) } : {} } };
}

/** True when the Ingress shows exactly these addresses (ours to clear when it stops being ours). */
export function showsAddresses(ing: KubeObject, addresses: readonly LoadBalancerIngress[]): boolean {
  const current: LoadBalancerIngress[] = ing.status?.loadBalancer?.ingress ?? [];
  return current.length > 0 && sameList(current, addresses);
}
