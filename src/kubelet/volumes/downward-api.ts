// Values of the downward API as the kubelet renders them: pod fields (fieldRef) and container
// resources (resourceFieldRef), in upstream's text formats. Pure functions.
import { Quantity } from '../../api/quantity/index.ts';
import type { KubeObject } from '../../client/api-client.ts';

/** Node allocatable, the stand-in for limits a container does not set. */
export interface NodeAllocatable {
  cpu?: string;
  memory?: string;
  'ephemeral-storage'?: string;
  [resource: string]: string | undefined;
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const SHORT_ESCAPES: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\' };

/** A string quoted as Go's %q (strconv.Quote) does it. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const short = SHORT_ESCAPES[ch];
    if (short) { out += short; continue; }
    if (PRINTABLE.test(ch)) { out += ch; continue; }
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) out += `\\x${hex(cp, 2)}`;
    else if (cp < 0x10000) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return `${out}"`;
}

/** Labels and annotations as files: `key="value"` lines sorted by key, no trailing newline. */
export function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {}).sort().map((k) => `${k}=${goQuote(m![k])}`).join('\n');
}

/** `metadata.labels['app']` → ['metadata.labels', 'app']; anything else → [path]. */
function splitSubscript(path: string): [string, string | undefined] {
  const m = /^(.*)\['(.*)'\]$/.exec(path);
  return m ? [m[1], m[2]] : [path, undefined];
}

/**
 * A pod field as text. Volumes may only use metadata fields; `env` also allows the spec and
 * status ones (used here to expand subPathExpr).
 */
export function podFieldValue(pod: KubeObject, fieldPath: string, forEnv = false): string {
  const [path, key] = splitSubscript(fieldPath);
  const meta = pod.metadata ?? {};
  if (key !== undefined) {
    if (path === 'metadata.labels') return meta.labels?.[key] ?? '';
    if (path === 'metadata.annotations') return meta.annotations?.[key] ?? '';
    throw new Error(`unsupported fieldPath: ${fieldPath}`);
  }
  switch (path) {
    case 'metadata.name': return meta.name ?? '';
    case 'metadata.namespace': return meta.namespace ?? '';
    case 'metadata.uid': return meta.uid ?? '';
    case 'metadata.labels': return formatMap(meta.labels);
    case 'metadata.annotations': return formatMap(meta.annotations);
  }
  if (forEnv) {
    switch (path) {
      case 'spec.nodeName': return pod.spec?.nodeName ?? '';
      case 'spec.serviceAccountName': return pod.spec?.serviceAccountName ?? '';
      case 'status.hostIP': return pod.status?.hostIP ?? '';
      case 'status.hostIPs': return (pod.status?.hostIPs ?? []).map((i: KubeObject) => i.ip).join(',');
      case 'status.podIP': return pod.status?.podIP ?? '';
      case 'status.podIPs': return (pod.status?.podIPs ?? []).map((i: KubeObject) => i.ip).join(',');
    }
  }
  throw new Error(`unsupported fieldPath: ${fieldPath}`);
}

const quantity = (v: unknown): Quantity => (v === undefined || v === null ? Quantity.fromInt(0) : Quantity.fromJSON(v));

function divide(amount: Quantity, divisor: Quantity, milli: boolean): string {
  const a = milli ? amount.milliValue() : amount.value();
  const d = milli ? divisor.milliValue() : divisor.value();
  return String(Math.ceil(a / d));
}

/**
 * A container resource as text: ceil(amount / divisor) (cpu in millis), limits falling back to
 * the node's allocatable when the container sets none.
 */
export function containerResourceValue(pod: KubeObject, containerName: string, resource: string, divisorText: unknown, allocatable: NodeAllocatable): string {
  const all = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  const container = all.find((c: KubeObject) => c.name === containerName);
  if (!container) throw new Error(`container ${containerName} not found`);
  let divisor = quantity(divisorText);
  if (divisor.isZero()) divisor = Quantity.fromInt(1);
  const dot = resource.indexOf('.');
  const kind = resource.slice(0, dot);
  const name = resource.slice(dot + 1);
  if (dot < 0 || (kind !== 'limits' && kind !== 'requests')) throw new Error(`unsupported container resource : ${resource}`);
  if (name !== 'cpu' && name !== 'memory' && name !== 'ephemeral-storage' && !name.startsWith('hugepages-')) {
    throw new Error(`unsupported container resource : ${resource}`);
  }
  let amount = container.resources?.[kind]?.[name];
  if (kind === 'limits' && (amount === undefined || quantity(amount).isZero()) && !name.startsWith('hugepages-')) amount = allocatable[name];
  return divide(quantity(amount), divisor, name === 'cpu');
}
