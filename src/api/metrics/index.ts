// Resource usage reported by nodes and served as metrics.k8s.io.
export * from './node-usage.ts';
