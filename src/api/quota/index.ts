// Quota accounting shared by quota admission and the quota controller: resource lists,
// pod totals and per-kind evaluators.
export * from './resource-list.ts';
export * from './pod-resources.ts';
export * from './evaluators.ts';
