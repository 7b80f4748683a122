// policy/v1: PodDisruptionBudget and Eviction.
// Field names, protobuf numbers, patch and list markers follow k8s.io/api 1.33 (generated.proto, types.go).
import type { GroupVersionKind, TypeDefs } from '../model.ts';
import { META, field, listType, mapOf, mergeList, objectHeader, ref } from '../model.ts';

const POLICY = 'io.k8s.api.policy.v1';
const gvk = (kind: string): GroupVersionKind => ({ group: 'policy', version: 'v1', kind });

export const policyV1Types: TypeDefs = {
  [`${POLICY}.PodDisruptionBudgetSpec`]: {
    description: 'How many of a set of pods must stay up during voluntary disruptions.',
    fields: {
      minAvailable: field('int-or-string', 1, 'Pods (a number or percentage) that must stay available after an eviction; "100%" blocks all evictions.'),
      selector: field(ref(`${META}.LabelSelector`), 2, 'Label query over the pods the budget covers; null matches none and {} matches all in the namespace.', { patchStrategy: 'replace' }),
      maxUnavailable: field('int-or-string', 3, 'Pods (a number or percentage) that may be unavailable after an eviction; exclusive with minAvailable.'),
      unhealthyPodEvictionPolicy: field('string', 4, 'When running but not ready pods may be evicted: IfHealthyBudget (the default) or AlwaysAllow.', { enum: ['AlwaysAllow', 'IfHealthyBudget'] }),
    },
  },
  [`${POLICY}.PodDisruptionBudgetStatus`]: {
    description: 'The observed state of a PodDisruptionBudget.',
    fields: {
      observedGeneration: field('int64', 1, 'The generation the status was computed for.'),
      disruptedPods: field(mapOf('date-time'), 2, 'Pods whose eviction was approved but not yet seen by the controller, with the approval time; entries expire after a while.'),
      disruptionsAllowed: field('int32', 3, 'How many disruptions are allowed right now.', { required: true }),
      currentHealthy: field('int32', 4, 'The number of healthy pods now.', { required: true }),
      desiredHealthy: field('int32', 5, 'The smallest number of healthy pods wanted.', { required: true }),
      expectedPods: field('int32', 6, 'The total number of pods the budget counts.', { required: true }),
      conditions: mergeList(ref(`${META}.Condition`), 7, 'The latest observations of the budget, such as DisruptionAllowed.', 'type'),
    },
  },
  [`${POLICY}.PodDisruptionBudget`]: {
    description: 'Limits how many pods of a set may be down at once through voluntary disruptions.',
    gvk: [gvk('PodDisruptionBudget')],
    fields: {
      ...objectHeader(),
      spec: field(ref(`${POLICY}.PodDisruptionBudgetSpec`), 2, 'The desired budget.'),
      status: field(ref(`${POLICY}.PodDisruptionBudgetStatus`), 3, 'The most recently observed state of the budget.'),
    },
  },
  [`${POLICY}.PodDisruptionBudgetList`]: listType(`${POLICY}.PodDisruptionBudget`, gvk('PodDisruptionBudgetList'), 'A list of PodDisruptionBudgets.'),
  [`${POLICY}.Eviction`]: {
    description: "Asks to evict a pod while respecting disruption budgets; created by POST to the pod's eviction subresource.",
    gvk: [gvk('Eviction')],
    fields: {
      ...objectHeader(),
      deleteOptions: field(ref(`${META}.DeleteOptions`), 2, 'Options for the deletion of the pod.'),
    },
  },
};
