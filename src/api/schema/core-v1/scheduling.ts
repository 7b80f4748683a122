// Scheduling constraints: node and pod affinity, tolerations, topology spread and topology selectors.
// Field names, protobuf numbers, patch and list markers follow k8s.io/api v0.33 (Kubernetes 1.33).
import type { TypeDefs } from '../model.ts';
import { field, arrayOf } from '../model.ts';
import { core, meta } from './names.ts';

export const schedulingTypes: TypeDefs = {
  'io.k8s.api.core.v1.Affinity': {
    description: 'Scheduling constraints relative to nodes and to other pods.',
    fields: {
      nodeAffinity: field(core('NodeAffinity'), 1, 'Preferences and requirements on nodes.'),
      podAffinity: field(core('PodAffinity'), 2, 'Co-locate with other pods, such as in the same zone.'),
      podAntiAffinity: field(core('PodAntiAffinity'), 3, 'Keep apart from other pods, such as on different nodes.'),
    },
  },
  'io.k8s.api.core.v1.NodeAffinity': {
    description: 'Node preferences and requirements.',
    fields: {
      requiredDuringSchedulingIgnoredDuringExecution: field(core('NodeSelector'), 1, 'Node requirements the pod must meet to be scheduled; not rechecked once it runs.'),
      preferredDuringSchedulingIgnoredDuringExecution: field(arrayOf(core('PreferredSchedulingTerm')), 2, 'Weighted node preferences; the scheduler favours the nodes with the highest total weight.', { listType: 'atomic' }),
    },
  },
  'io.k8s.api.core.v1.PodAffinity': {
    description: 'Rules placing the pod relative to other pods.',
    fields: {
      requiredDuringSchedulingIgnoredDuringExecution: field(arrayOf(core('PodAffinityTerm')), 1, 'Terms that must all hold for the pod to be scheduled; not rechecked once it runs.', { listType: 'atomic' }),
      preferredDuringSchedulingIgnoredDuringExecution: field(arrayOf(core('WeightedPodAffinityTerm')), 2, 'Weighted terms; the scheduler favours nodes where the matching terms weigh most.', { listType: 'atomic' }),
    },
  },
  'io.k8s.api.core.v1.PodAntiAffinity': {
    description: 'Rules keeping the pod away from other pods.',
    fields: {
      requiredDuringSchedulingIgnoredDuringExecution: field(arrayOf(core('PodAffinityTerm')), 1, 'Terms naming pods the pod must not share a topology domain with; not rechecked once it runs.', { listType: 'atomic' }),
      preferredDuringSchedulingIgnoredDuringExecution: field(arrayOf(core('WeightedPodAffinityTerm')), 2, 'Weighted terms; the scheduler favours nodes where the matching terms weigh least.', { listType: 'atomic' }),
    },
  },
  'io.k8s.api.core.v1.PodAffinityTerm': {
    description: 'Pods matching a selector in some namespaces, and the topology domain in which they must (or must not) be found.',
    fields: {
      labelSelector: field(meta('LabelSelector'), 1, 'Labels of the pods to consider; none matches no pods.'),
      namespaces: field(arrayOf('string'), 2, "Namespaces to look in; with namespaceSelector, the union. Both empty means the pod's own namespace.", { listType: 'atomic' }),
      topologyKey: field('string', 3, 'Node label defining the domain, such as topology.kubernetes.io/zone. Required.', { required: true }),
      namespaceSelector: field(meta('LabelSelector'), 4, 'Labels of the namespaces to look in; empty matches all namespaces.'),
      matchLabelKeys: field(arrayOf('string'), 5, 'Label keys whose values on the incoming pod are added to labelSelector as key in (value).', { listType: 'atomic' }),
      mismatchLabelKeys: field(arrayOf('string'), 6, 'Label keys whose values on the incoming pod are added to labelSelector as key notin (value).', { listType: 'atomic' }),
    },
  },
  'io.k8s.api.core.v1.WeightedPodAffinityTerm': {
    description: 'A pod affinity term with a weight.',
    fields: {
      weight: field('int32', 1, 'Weight, 1 to 100.', { required: true }),
      podAffinityTerm: field(core('PodAffinityTerm'), 2, 'The term.', { required: true }),
    },
  },
  'io.k8s.api.core.v1.PreferredSchedulingTerm': {
    description: 'A node selector term with a weight.',
    fields: {
      weight: field('int32', 1, 'Weight, 1 to 100.', { required: true }),
      preference: field(core('NodeSelectorTerm'), 2, 'The node selector term.', { required: true }),
    },
  },
  'io.k8s.api.core.v1.NodeSelector': {
    description: 'Node requirements; a node matches when any term matches.',
    structType: 'atomic',
    fields: {
      nodeSelectorTerms: field(arrayOf(core('NodeSelectorTerm')), 1, 'Terms combined by OR.', { required: true, listType: 'atomic' }),
    },
  },
  'io.k8s.api.core.v1.NodeSelectorTerm': {
    description: 'Node requirements combined by AND; an empty term matches nothing.',
    structType: 'atomic',
    fields: {
      matchExpressions: field(arrayOf(core('NodeSelectorRequirement')), 1, 'Requirements on node labels.', { listType: 'atomic' }),
      matchFields: field(arrayOf(core('NodeSelectorRequirement')), 2, 'Requirements on node fields.', { listType: 'atomic' }),
    },
  },
  'io.k8s.api.core.v1.NodeSelectorRequirement': {
    description: 'One requirement on a node label or field.',
    fields: {
      key: field('string', 1, 'Label key or field name.', { required: true }),
      operator: field('string', 2, 'In, NotIn, Exists, DoesNotExist, Gt or Lt.', { required: true, enum: ['DoesNotExist', 'Exists', 'Gt', 'In', 'Lt', 'NotIn'] }),
      values: field(arrayOf('string'), 3, 'Values: several for In and NotIn, none for Exists and DoesNotExist, one integer for Gt and Lt.', { listType: 'atomic' }),
    },
  },
  'io.k8s.api.core.v1.Toleration': {
    description: 'Lets a pod be scheduled onto (or stay on) nodes with a matching taint.',
    fields: {
      key: field('string', 1, 'Taint key to match; empty with Exists matches every taint.'),
      operator: field('string', 2, 'Exists or Equal. Defaults to Equal.', { enum: ['Equal', 'Exists'] }),
      value: field('string', 3, 'Taint value to match with Equal; empty with Exists.'),
      effect: field('string', 4, 'Taint effect to match: NoSchedule, PreferNoSchedule or NoExecute; empty matches all.', { enum: ['NoExecute', 'NoSchedule', 'PreferNoSchedule'] }),
      tolerationSeconds: field('int64', 5, 'With NoExecute, how long the pod stays after the taint appears; unset means forever.'),
    },
  },
  'io.k8s.api.core.v1.TopologySpreadConstraint': {
    description: 'How matching pods should spread across the domains of a topology.',
    fields: {
      maxSkew: field('int32', 1, 'Largest allowed difference in matching pods between any two domains. Must be above zero.', { required: true }),
      topologyKey: field('string', 2, 'Node label whose values define the domains.', { required: true }),
      whenUnsatisfiable: field('string', 3, 'DoNotSchedule or ScheduleAnyway.', { required: true, enum: ['DoNotSchedule', 'ScheduleAnyway'] }),
      labelSelector: field(meta('LabelSelector'), 4, 'Labels of the pods to count.'),
      minDomains: field('int32', 5, 'Minimum number of eligible domains; fewer count as having zero matching pods. Only with DoNotSchedule.'),
      nodeAffinityPolicy: field('string', 6, "Honor or Ignore the pod's node affinity when counting domains. Defaults to Honor.", { enum: ['Honor', 'Ignore'] }),
      nodeTaintsPolicy: field('string', 7, 'Honor or Ignore node taints when counting domains. Defaults to Ignore.', { enum: ['Honor', 'Ignore'] }),
      matchLabelKeys: field(arrayOf('string'), 8, 'Label keys whose values on the incoming pod narrow the pods counted.', { listType: 'atomic' }),
    },
  },
  'io.k8s.api.core.v1.TopologySelectorTerm': {
    description: 'Topology requirements combined by AND.',
    structType: 'atomic',
    fields: {
      matchLabelExpressions: field(arrayOf(core('TopologySelectorLabelRequirement')), 1, 'Requirements on topology labels.', { listType: 'atomic' }),
    },
  },
  'io.k8s.api.core.v1.TopologySelectorLabelRequirement': {
    description: 'A topology label and the values it may have.',
    fields: {
      key: field('string', 1, 'Label key.', { required: true }),
      values: field(arrayOf('string'), 2, 'Accepted values.', { required: true, listType: 'atomic' }),
    },
  },
};
