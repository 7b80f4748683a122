// The contract by which node agents report resource usage (see docs/decisions/0004-metrics.md):
// each node keeps its latest sample as one annotation on its own Lease in kube-node-lease, the
// object its heartbeat already renews. The API server's metrics.k8s.io API is read from there.

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
export const NODE_USAGE_ANNOTATION = 'metrics.navarch.io/usage';

/** Quantities as the API writes them: cpu in cores ("250m", "1", "12345n"), memory in bytes ("64Mi"). */
export interface Usage { cpu: string; memory: string }

export interface ContainerUsage extends Usage { name: string }

export interface PodUsage { namespace: string; name: string; containers: ContainerUsage[] }

export interface NodeUsageReport {
  /** When the sample was taken (RFC 3339). */
  timestamp: string;
  /** Over how long the cpu rate was measured, as a Go duration ("10s", "15.5s"). */
  window: string;
  /** The whole node. */
  node: Usage;
  /** Every running pod on the node. */
  pods: PodUsage[];
}

export function encodeNodeUsage(report: NodeUsageReport): string {
  return JSON.stringify(report);
}

/** The report in an annotation value, or undefined when it is missing or malformed. */
export function decodeNodeUsage(value: string | undefined): NodeUsageReport | undefined {
  if (!value) return undefined;
  try {
    const r = JSON.parse(value);
    if (typeof r?.timestamp !== 'string' || typeof r.window !== 'string' || typeof r.node?.cpu !== 'string' || typeof r.node?.memory !== 'string' || !Array.isArray(r.pods)) return undefined;
    return r as NodeUsageReport;
  } catch {
    return undefined;
  }
}

/** The merge patch that puts a report on a node's Lease (to fold into a heartbeat's own write). */
export function nodeUsagePatch(report: NodeUsageReport): { metadata: { annotations: Record<string, string> } } {
  return { metadata: { annotations: { [NODE_USAGE_ANNOTATION]: encodeNodeUsage(report) } } };
}

/** Enough of an API client to write a Lease (src/client's ApiClient fits). */
export interface LeaseWriter {
  patch(r: { group: string; version: string; plural: string; namespaced: boolean }, namespace: string, name: string, patch: unknown, type: 'merge'): Promise<unknown>;
  create(r: { group: string; version: string; plural: string; namespaced: boolean }, namespace: string, obj: Record<string, unknown>): Promise<unknown>;
}

const LEASES = { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', namespaced: true };

const statusCode = (e: unknown) => (e as { status?: { code?: number } })?.status?.code;

/**
 * Publishes a node's usage: a merge patch of its Lease's annotation (other Lease fields and the
 * heartbeat are untouched). A node without a Lease yet gets one holding only the report.
 */
export async function reportNodeUsage(client: LeaseWriter, nodeName: string, report: NodeUsageReport): Promise<void> {
  const patch = nodeUsagePatch(report);
  try {
    await client.patch(LEASES, NODE_LEASE_NAMESPACE, nodeName, patch, 'merge');
  } catch (e) {
    if (statusCode(e) !== 404) throw e;
    try {
      await client.create(LEASES, NODE_LEASE_NAMESPACE, {
        apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
        metadata: { name: nodeName, namespace: NODE_LEASE_NAMESPACE, annotations: patch.metadata.annotations },
        spec: { holderIdentity: nodeName, leaseDurationSeconds: 40 },
      });
    } catch (e2) {
      if (statusCode(e2) !== 409) throw e2;
      await client.patch(LEASES, NODE_LEASE_NAMESPACE, nodeName, patch, 'merge');
    }
  }
}
