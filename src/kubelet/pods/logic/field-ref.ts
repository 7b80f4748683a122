// The downward API in environment variables: pod fields (fieldRef) and container resources
// (resourceFieldRef, rounded up in the divisor's unit; a missing limit reads as the node's
// allocatable amount, as upstream defaults it).
import type { KubeObject } from './types.ts';
import { Quantity } from '../../../api/quantity/index.ts';

export interface PodAddresses {
  podIPs: string[];
  hostIPs: string[];
}

/** `metadata.labels['k']` → ['metadata.labels', 'k']. */
function splitSubscript(path: string): [string, string] | undefined {
  if (!path.endsWith("']")) return undefined;
  const at = path.indexOf("['");
  if (at <= 0) return undefined;
  return [path.slice(0, at), path.slice(at + 2, -2)];
}

/** key="value" lines in key order, as upstream formats whole label and annotation maps. */
function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {}).sort().map((k) => `${k}=${JSON.stringify(m![k])}`).join('\n');
}

export function podFieldValue(pod: KubeObject, fieldRef: KubeObject, addrs: PodAddresses): string {
  const apiVersion = fieldRef.apiVersion ?? 'v1';
  const path: string = fieldRef.fieldPath ?? '';
  if (apiVersion !== 'v1') throw new Error(`unsupported pod version: ${apiVersion}`);
  const meta = pod.metadata ?? {};
  const sub = splitSubscript(path);
  if (sub) {
    const [base, key] = sub;
    if (base === 'metadata.labels') return meta.labels?.[key] ?? '';
    if (base === 'metadata.annotations') return meta.annotations?.[key] ?? '';
    throw new Error(`field label not supported: ${path}`);
  }
  switch (path) {
    case 'metadata.name': return meta.name ?? '';
    case 'metadata.namespace': return meta.namespace ?? '';
    case 'metadata.uid': return meta.uid ?? '';
    case 'metadata.labels': return formatMap(meta.labels);
    case 'metadata.annotations': return formatMap(meta.annotations);
    case 'spec.nodeName': return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName': return pod.spec?.serviceAccountName ?? '';
    case 'spec.restartPolicy': return pod.spec?.restartPolicy ?? '';
    case 'spec.schedulerName': return pod.spec?.schedulerName ?? '';
    case 'status.phase': return pod.status?.phase ?? '';
    case 'status.hostIP': return addrs.hostIPs[0] ?? '';
    case 'status.hostIPs': return addrs.hostIPs.join(',');
    case 'status.podIP': return addrs.podIPs[0] ?? '';
    case 'status.podIPs': return addrs.podIPs.join(',');
  }
  throw new Error(`field label not supported: ${path}`);
}

const DEFAULTED_LIMITS = ['cpu', 'memory', 'ephemeral-storage'];

/** The container's limits with cpu, memory and ephemeral-storage filled in from allocatable. */
export function limitsWithAllocatable(container: KubeObject, allocatable: Record<string, string>): Record<string, string> {
  const limits: Record<string, string> = { ...(container.resources?.limits ?? {}) };
  for (const r of DEFAULTED_LIMITS) {
    const cur = limits[r];
    if ((cur === undefined || Quantity.parse(String(cur)).isZero()) && allocatable[r] !== undefined) limits[r] = allocatable[r];
  }
  return limits;
}

const quantity = (list: Record<string, unknown> | undefined, name: string) =>
  list?.[name] !== undefined ? Quantity.fromJSON(list[name]) : Quantity.fromInt(0);

/** ceil(amount / divisor), cpu in thousandths so that `1m` divisors work. */
function divideUp(amount: Quantity, divisor: Quantity, milli: boolean): string {
  const a = milli ? amount.scaledValue(-3) : amount.scaledValue(0);
  const d = milli ? divisor.scaledValue(-3) : divisor.scaledValue(0);
  if (d === 0n) throw new Error('divisor must be positive');
  const q = a / d + (a % d !== 0n && a > 0n ? 1n : 0n);
  return String(q);
}

export function resourceFieldValue(pod: KubeObject, container: KubeObject, ref: KubeObject, allocatable: Record<string, string>): string {
  let target = container;
  if (ref.containerName) {
    target = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c: KubeObject) => c.name === ref.containerName);
    if (!target) throw new Error(`container ${ref.containerName} not found`);
  }
  const divisorRaw = ref.divisor;
  let divisor = divisorRaw === undefined ? Quantity.fromInt(0) : Quantity.fromJSON(divisorRaw);
  if (divisor.isZero()) divisor = Quantity.fromInt(1);
  const limits = limitsWithAllocatable(target, allocatable);
  const requests = target.resources?.requests ?? {};
  const resource: string = ref.resource ?? '';
  const [kind, name] = [resource.slice(0, resource.indexOf('.')), resource.slice(resource.indexOf('.') + 1)];
  const list = kind === 'limits' ? limits : kind === 'requests' ? requests : undefined;
  if (list && (name === 'cpu')) return divideUp(quantity(list, name), divisor, true);
  if (list && (name === 'memory' || name === 'ephemeral-storage' || name.startsWith('hugepages-'))) return divideUp(quantity(list, name), divisor, false);
  throw new Error(`unsupported container resource : ${resource}`);
}
