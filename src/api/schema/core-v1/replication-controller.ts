// The ReplicationController kind.
// Field names, protobuf numbers, patch and list markers follow k8s.io/api v0.33 (Kubernetes 1.33).
import type { TypeDefs } from '../model.ts';
import { field, mapOf, mergeList, objectHeader, listType } from '../model.ts';
import { core } from './names.ts';

export const replicationControllerTypes: TypeDefs = {
  'io.k8s.api.core.v1.ReplicationController': {
    description: 'Keeps a given number of copies of a pod template running. Superseded by Deployment and ReplicaSet.',
    gvk: [{ group: '', version: 'v1', kind: 'ReplicationController' }],
    fields: {
      ...objectHeader(),
      spec: field(core('ReplicationControllerSpec'), 2, 'Desired behaviour of the controller.'),
      status: field(core('ReplicationControllerStatus'), 3, 'Most recently observed state of the controller.'),
    },
  },
  'io.k8s.api.core.v1.ReplicationControllerList': listType('io.k8s.api.core.v1.ReplicationController', { group: '', version: 'v1', kind: 'ReplicationControllerList' }, 'A list of ReplicationControllers.'),
  'io.k8s.api.core.v1.ReplicationControllerSpec': {
    description: 'Desired behaviour of a replication controller.',
    fields: {
      replicas: field('int32', 1, 'Desired number of pods. Defaults to 1.', { default: 1 }),
      minReadySeconds: field('int32', 4, 'Seconds a new pod must be ready, with no container crashing, to count as available. Defaults to 0.', { default: 0 }),
      selector: field(mapOf('string'), 2, "Labels that pods must carry to count towards replicas. Defaults to the template's labels.", { mapType: 'atomic' }),
      template: field(core('PodTemplateSpec'), 3, 'Pod template used when too few pods exist.'),
    },
  },
  'io.k8s.api.core.v1.ReplicationControllerStatus': {
    description: 'Most recently observed state of a replication controller.',
    fields: {
      replicas: field('int32', 1, 'Most recently observed number of pods.', { required: true }),
      fullyLabeledReplicas: field('int32', 2, "Pods whose labels match the template's labels."),
      readyReplicas: field('int32', 4, 'Pods that are ready.'),
      availableReplicas: field('int32', 5, 'Pods ready for at least minReadySeconds.'),
      observedGeneration: field('int64', 3, 'The spec generation last acted on.'),
      conditions: mergeList(core('ReplicationControllerCondition'), 6, "Latest observations of the controller's state.", 'type'),
    },
  },
  'io.k8s.api.core.v1.ReplicationControllerCondition': {
    description: "One observation about a replication controller's state.",
    fields: {
      type: field('string', 1, 'Type of condition, such as ReplicaFailure.', { required: true }),
      status: field('string', 2, 'True, False or Unknown.', { required: true }),
      lastTransitionTime: field('date-time', 3, 'When status last changed.'),
      reason: field('string', 4, 'Programmatic reason for the last transition.'),
      message: field('string', 5, 'Human-readable details of the last transition.'),
    },
  },
};
