// Reads pod addresses out of a CNI result (spec 0.3.x/0.4.0 and 1.0.0 share the shape we need).
import type { CniResult } from './cni-invoker.ts';

export interface PodAddresses {
  ips: string[];
  gateway: string | undefined;
}

interface ResultInterface { name?: unknown; sandbox?: unknown }
interface ResultIP { address?: unknown; gateway?: unknown; interface?: unknown }

/**
 * The addresses on the sandbox's interface ifName. An IP names its interface by index into "interfaces";
 * IPs without an index are taken as the sandbox's (the spec allows a result without interfaces).
 */
export function podAddresses(result: CniResult, ifName: string): PodAddresses {
  const interfaces = Array.isArray(result.interfaces) ? (result.interfaces as ResultInterface[]) : [];
  const entries = Array.isArray(result.ips) ? (result.ips as ResultIP[]) : [];
  const ips: string[] = [];
  let gateway: string | undefined;
  for (const entry of entries) {
    if (typeof entry.address !== 'string') continue;
    if (typeof entry.interface === 'number') {
      const iface = interfaces[entry.interface];
      if (!iface || iface.name !== ifName || typeof iface.sandbox !== 'string' || iface.sandbox === '') continue;
    }
    ips.push(entry.address.split('/')[0]!);
    if (gateway === undefined && typeof entry.gateway === 'string' && entry.gateway !== '') gateway = entry.gateway;
  }
  return { ips, gateway };
}
