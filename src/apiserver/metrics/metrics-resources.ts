// The metrics.k8s.io/v1beta1 resources as discovery shows them (as metrics-server serves them):
// nodes (NodeMetrics) and pods (PodMetrics), get and list only.
import type { ResourceDescription } from '../../api/registry/resource.ts';

export const METRICS_GROUP = 'metrics.k8s.io';
export const METRICS_VERSION = 'v1beta1';
export const METRICS_OWNER = 'metrics-api';

const usageSchema = { type: 'object', additionalProperties: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] } };

function describe(kind: string, plural: string, scope: 'Cluster' | 'Namespaced', body: Record<string, unknown>): ResourceDescription {
  return {
    group: METRICS_GROUP, version: METRICS_VERSION, kind, listKind: `${kind}List`, plural, singular: '', scope,
    verbs: ['get', 'list'], printerColumns: [],
    openAPISchema: { type: 'object', properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, timestamp: { type: 'string', format: 'date-time' }, window: { type: 'string' }, ...body } },
  };
}

export const metricsResources: ResourceDescription[] = [
  describe('NodeMetrics', 'nodes', 'Cluster', { usage: usageSchema }),
  describe('PodMetrics', 'pods', 'Namespaced', { containers: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, usage: usageSchema } } } }),
];
