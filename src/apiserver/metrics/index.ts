// The metrics.k8s.io API served by the API server from node-reported usage.
export { MetricsApi, type MetricsApiOptions } from './metrics-api.ts';
export { metricsResources, METRICS_GROUP, METRICS_VERSION } from './metrics-resources.ts';
