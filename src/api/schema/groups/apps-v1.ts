// apps/v1: Deployment, ReplicaSet, StatefulSet, DaemonSet and ControllerRevision.
// Field names, protobuf numbers, patch and list markers follow k8s.io/api 1.33 (generated.proto, types.go).
import type { GroupVersionKind, TypeDefs } from '../model.ts';
import { META, arrayOf, field, listType, mergeList, objectHeader, ref } from '../model.ts';

const APPS = 'io.k8s.api.apps.v1';
const CORE = 'io.k8s.api.core.v1';
const gvk = (kind: string): GroupVersionKind => ({ group: 'apps', version: 'v1', kind });

export const appsV1Types: TypeDefs = {
  [`${APPS}.StatefulSet`]: {
    description: 'Runs a set of pods that each keep a stable network identity and their own persistent storage across rescheduling.',
    gvk: [gvk('StatefulSet')],
    fields: {
      ...objectHeader(),
      spec: field(ref(`${APPS}.StatefulSetSpec`), 2, 'The desired pods, identities and storage of this set.'),
      status: field(ref(`${APPS}.StatefulSetStatus`), 3, 'The most recently observed state of the pods in this set; may lag behind.'),
    },
  },
  [`${APPS}.StatefulSetUpdateStrategy`]: {
    description: 'How the controller replaces pods when the pod template changes.',
    fields: {
      type: field('string', 1, 'The kind of update: RollingUpdate (the default) or OnDelete.', { enum: ['OnDelete', 'RollingUpdate'] }),
      rollingUpdate: field(ref(`${APPS}.RollingUpdateStatefulSetStrategy`), 2, 'Parameters for a RollingUpdate; only used when type is RollingUpdate.'),
    },
  },
  [`${APPS}.RollingUpdateStatefulSetStrategy`]: {
    description: 'Parameters of a rolling update of a StatefulSet.',
    fields: {
      partition: field('int32', 1, 'Only pods with an ordinal at or above this number are updated; lower ordinals keep the old revision. Defaults to 0.'),
      maxUnavailable: field('int-or-string', 2, 'How many pods (a number or a percentage of replicas) may be unavailable during the update. Defaults to 1 (beta).'),
    },
  },
  [`${APPS}.StatefulSetPersistentVolumeClaimRetentionPolicy`]: {
    description: 'What happens to the claims created from volumeClaimTemplates when the set is deleted or scaled down.',
    fields: {
      whenDeleted: field('string', 1, 'Retain (the default) keeps the claims when the StatefulSet is deleted; Delete removes them.'),
      whenScaled: field('string', 2, 'Retain (the default) keeps the claims of pods removed by a scale-down; Delete removes them.'),
    },
  },
  [`${APPS}.StatefulSetOrdinals`]: {
    description: 'The numbering of the pod ordinals of a StatefulSet.',
    fields: {
      start: field('int32', 1, 'The first ordinal; replicas are numbered from start to start+replicas-1. Defaults to 0.'),
    },
  },
  [`${APPS}.StatefulSetSpec`]: {
    description: 'The desired state of a StatefulSet.',
    fields: {
      replicas: field('int32', 1, 'How many pods should run. Defaults to 1.'),
      selector: field(ref(`${META}.LabelSelector`), 2, "Label query over pods that should match the replica count; must match the template's labels.", { required: true }),
      template: field(ref(`${CORE}.PodTemplateSpec`), 3, 'The pod template each pod of the set is created from, with its own identity.', { required: true }),
      volumeClaimTemplates: field(arrayOf(ref(`${CORE}.PersistentVolumeClaim`)), 4, 'Claims each pod gets its own copy of, named after the pod, and mounted by volume name.', { listType: 'atomic' }),
      serviceName: field('string', 5, 'The governing headless Service that gives the pods their network identity.'),
      podManagementPolicy: field('string', 6, 'OrderedReady (the default) creates and removes pods one at a time in order; Parallel does them all at once.', { enum: ['OrderedReady', 'Parallel'] }),
      updateStrategy: field(ref(`${APPS}.StatefulSetUpdateStrategy`), 7, 'How pods are replaced when the template changes.'),
      revisionHistoryLimit: field('int32', 8, 'How many old ControllerRevisions to keep. Defaults to 10.'),
      minReadySeconds: field('int32', 9, 'Seconds a new pod must be ready, without crashing, before it counts as available. Defaults to 0.'),
      persistentVolumeClaimRetentionPolicy: field(ref(`${APPS}.StatefulSetPersistentVolumeClaimRetentionPolicy`), 10, 'Whether claims from volumeClaimTemplates are removed on deletion or scale-down.'),
      ordinals: field(ref(`${APPS}.StatefulSetOrdinals`), 11, 'The numbering used for pod ordinals.'),
    },
  },
  [`${APPS}.StatefulSetStatus`]: {
    description: 'The observed state of a StatefulSet.',
    fields: {
      observedGeneration: field('int64', 1, 'The generation of the StatefulSet the controller last acted on.'),
      replicas: field('int32', 2, 'The number of pods the controller created.', { required: true }),
      readyReplicas: field('int32', 3, 'The number of pods with a Ready condition.'),
      currentReplicas: field('int32', 4, 'The number of pods at the currentRevision.'),
      updatedReplicas: field('int32', 5, 'The number of pods at the updateRevision.'),
      currentRevision: field('string', 6, 'The revision of the template used for pods below the partition, when set.'),
      updateRevision: field('string', 7, 'The revision of the template that pods are being updated to.'),
      collisionCount: field('int32', 9, 'Counts hash collisions of ControllerRevision names; used to make new names unique.'),
      conditions: mergeList(ref(`${APPS}.StatefulSetCondition`), 10, "The latest observations of the set's state.", 'type'),
      availableReplicas: field('int32', 11, 'The number of pods ready for at least minReadySeconds.'),
    },
  },
  [`${APPS}.StatefulSetCondition`]: {
    description: "One observed aspect of a StatefulSet's state.",
    fields: {
      type: field('string', 1, 'The kind of condition.', { required: true }),
      status: field('string', 2, 'True, False or Unknown.', { required: true }),
      lastTransitionTime: field('date-time', 3, 'When the condition last changed status.'),
      reason: field('string', 4, 'A one-word CamelCase cause of the last transition.'),
      message: field('string', 5, 'A human-readable explanation of the last transition.'),
    },
  },
  [`${APPS}.StatefulSetList`]: listType(`${APPS}.StatefulSet`, gvk('StatefulSetList'), 'A list of StatefulSets.'),
  [`${APPS}.Deployment`]: {
    description: 'Keeps a number of identical pods running and rolls out changes to them through ReplicaSets.',
    gvk: [gvk('Deployment')],
    fields: {
      ...objectHeader(),
      spec: field(ref(`${APPS}.DeploymentSpec`), 2, 'The desired behaviour of the Deployment.'),
      status: field(ref(`${APPS}.DeploymentStatus`), 3, 'The most recently observed state of the Deployment.'),
    },
  },
  [`${APPS}.DeploymentSpec`]: {
    description: 'The desired state of a Deployment.',
    fields: {
      replicas: field('int32', 1, 'How many pods should run. Defaults to 1.'),
      selector: field(ref(`${META}.LabelSelector`), 2, "Label query over the pods this Deployment manages; must match the template's labels and cannot change in apps/v1.", { required: true }),
      template: field(ref(`${CORE}.PodTemplateSpec`), 3, 'The pod template new pods are created from.', { required: true }),
      strategy: field(ref(`${APPS}.DeploymentStrategy`), 4, 'How existing pods are replaced by new ones.', { patchStrategy: 'retainKeys' }),
      minReadySeconds: field('int32', 5, 'Seconds a new pod must be ready, without crashing, before it counts as available. Defaults to 0.'),
      revisionHistoryLimit: field('int32', 6, 'How many old ReplicaSets to keep for rollback. Defaults to 10.'),
      paused: field('boolean', 7, 'Stops the rollout; while true, template changes do not create a new ReplicaSet.'),
      progressDeadlineSeconds: field('int32', 9, 'Seconds a rollout may go without progress before it is reported as failed (ProgressDeadlineExceeded). Defaults to 600.'),
    },
  },
  [`${APPS}.DeploymentStrategy`]: {
    description: 'How a Deployment replaces its pods.',
    fields: {
      type: field('string', 1, 'Recreate (remove all old pods first) or RollingUpdate (the default).', { enum: ['Recreate', 'RollingUpdate'] }),
      rollingUpdate: field(ref(`${APPS}.RollingUpdateDeployment`), 2, 'Parameters for a rolling update; only used when type is RollingUpdate.'),
    },
  },
  [`${APPS}.RollingUpdateDeployment`]: {
    description: 'Limits on pod unavailability and surge during a rolling update.',
    fields: {
      maxUnavailable: field('int-or-string', 1, 'How many pods (a number or a percentage of replicas, rounded down) may be unavailable during the update. Defaults to 25%; cannot be 0 when maxSurge is 0.'),
      maxSurge: field('int-or-string', 2, 'How many pods (a number or a percentage of replicas, rounded up) may exist above the desired count during the update. Defaults to 25%.'),
    },
  },
  [`${APPS}.DeploymentStatus`]: {
    description: 'The observed state of a Deployment.',
    fields: {
      observedGeneration: field('int64', 1, 'The generation of the Deployment the controller last acted on.'),
      replicas: field('int32', 2, 'The number of non-terminating pods targeted by the Deployment.'),
      updatedReplicas: field('int32', 3, 'The number of non-terminating pods that run the current template.'),
      readyReplicas: field('int32', 7, 'The number of non-terminating pods with a Ready condition.'),
      availableReplicas: field('int32', 4, 'The number of non-terminating pods ready for at least minReadySeconds.'),
      unavailableReplicas: field('int32', 5, 'The number of pods still needed for full availability.'),
      terminatingReplicas: field('int32', 9, 'The number of terminating pods (deletionTimestamp set, not yet Failed or Succeeded); alpha, needs the DeploymentReplicaSetTerminatingReplicas gate.'),
      conditions: mergeList(ref(`${APPS}.DeploymentCondition`), 6, "The latest observations of the Deployment's state.", 'type'),
      collisionCount: field('int32', 8, 'Counts hash collisions of ReplicaSet names; used to make new names unique.'),
    },
  },
  [`${APPS}.DeploymentCondition`]: {
    description: "One observed aspect of a Deployment's state.",
    fields: {
      type: field('string', 1, 'The kind of condition: Available, Progressing or ReplicaFailure.', { required: true }),
      status: field('string', 2, 'True, False or Unknown.', { required: true }),
      lastUpdateTime: field('date-time', 6, 'When the condition was last updated.'),
      lastTransitionTime: field('date-time', 7, 'When the condition last changed status.'),
      reason: field('string', 4, 'A one-word CamelCase cause of the last transition.'),
      message: field('string', 5, 'A human-readable explanation of the last transition.'),
    },
  },
  [`${APPS}.DeploymentList`]: listType(`${APPS}.Deployment`, gvk('DeploymentList'), 'A list of Deployments.'),
  [`${APPS}.DaemonSetUpdateStrategy`]: {
    description: 'How a DaemonSet replaces its pods.',
    fields: {
      type: field('string', 1, 'RollingUpdate (the default) or OnDelete.', { enum: ['OnDelete', 'RollingUpdate'] }),
      rollingUpdate: field(ref(`${APPS}.RollingUpdateDaemonSet`), 2, 'Parameters for a rolling update; only used when type is RollingUpdate.'),
    },
  },
  [`${APPS}.RollingUpdateDaemonSet`]: {
    description: 'Limits on unavailability and surge during a DaemonSet rolling update.',
    fields: {
      maxUnavailable: field('int-or-string', 1, "How many nodes' pods (a number or a percentage of scheduled pods) may be unavailable during the update. Defaults to 1; cannot be 0 when maxSurge is 0."),
      maxSurge: field('int-or-string', 2, 'How many nodes (a number or a percentage) may run an extra updated pod beside the old one during the update. Defaults to 0.'),
    },
  },
  [`${APPS}.DaemonSetSpec`]: {
    description: 'The desired state of a DaemonSet.',
    fields: {
      selector: field(ref(`${META}.LabelSelector`), 1, "Label query over the pods this DaemonSet manages; must match the template's labels.", { required: true }),
      template: field(ref(`${CORE}.PodTemplateSpec`), 2, 'The pod template run on every eligible node.', { required: true }),
      updateStrategy: field(ref(`${APPS}.DaemonSetUpdateStrategy`), 3, 'How pods are replaced when the template changes.'),
      minReadySeconds: field('int32', 4, 'Seconds a new pod must be ready, without crashing, before it counts as available. Defaults to 0.'),
      revisionHistoryLimit: field('int32', 6, 'How many old ControllerRevisions to keep for rollback. Defaults to 10.'),
    },
  },
  [`${APPS}.DaemonSetStatus`]: {
    description: 'The observed state of a DaemonSet.',
    fields: {
      currentNumberScheduled: field('int32', 1, 'The number of nodes running at least one daemon pod that should run it.', { required: true }),
      numberMisscheduled: field('int32', 2, 'The number of nodes running a daemon pod that should not run it.', { required: true }),
      desiredNumberScheduled: field('int32', 3, 'The number of nodes that should run the daemon pod.', { required: true }),
      numberReady: field('int32', 4, 'The number of nodes whose daemon pod is ready.', { required: true }),
      observedGeneration: field('int64', 5, 'The generation of the DaemonSet the controller last acted on.'),
      updatedNumberScheduled: field('int32', 6, 'The number of nodes running the updated daemon pod.'),
      numberAvailable: field('int32', 7, 'The number of nodes whose daemon pod has been ready for at least minReadySeconds.'),
      numberUnavailable: field('int32', 8, 'The number of nodes that should run the daemon pod but have none available.'),
      collisionCount: field('int32', 9, 'Counts hash collisions of ControllerRevision names; used to make new names unique.'),
      conditions: mergeList(ref(`${APPS}.DaemonSetCondition`), 10, "The latest observations of the DaemonSet's state.", 'type'),
    },
  },
  [`${APPS}.DaemonSetCondition`]: {
    description: "One observed aspect of a DaemonSet's state.",
    fields: {
      type: field('string', 1, 'The kind of condition.', { required: true }),
      status: field('string', 2, 'True, False or Unknown.', { required: true }),
      lastTransitionTime: field('date-time', 3, 'When the condition last changed status.'),
      reason: field('string', 4, 'A one-word CamelCase cause of the last transition.'),
      message: field('string', 5, 'A human-readable explanation of the last transition.'),
    },
  },
  [`${APPS}.DaemonSet`]: {
    description: 'Runs a copy of a pod on every eligible node.',
    gvk: [gvk('DaemonSet')],
    fields: {
      ...objectHeader(),
      spec: field(ref(`${APPS}.DaemonSetSpec`), 2, 'The desired behaviour of the DaemonSet.'),
      status: field(ref(`${APPS}.DaemonSetStatus`), 3, 'The most recently observed state of the DaemonSet; may lag behind.'),
    },
  },
  [`${APPS}.DaemonSetList`]: listType(`${APPS}.DaemonSet`, gvk('DaemonSetList'), 'A list of DaemonSets.'),
  [`${APPS}.ReplicaSet`]: {
    description: 'Keeps a given number of pod replicas running at any time.',
    gvk: [gvk('ReplicaSet')],
    fields: {
      ...objectHeader(),
      spec: field(ref(`${APPS}.ReplicaSetSpec`), 2, 'The desired behaviour of the ReplicaSet.'),
      status: field(ref(`${APPS}.ReplicaSetStatus`), 3, 'The most recently observed state of the ReplicaSet; may lag behind.'),
    },
  },
  [`${APPS}.ReplicaSetList`]: listType(`${APPS}.ReplicaSet`, gvk('ReplicaSetList'), 'A list of ReplicaSets.'),
  [`${APPS}.ReplicaSetSpec`]: {
    description: 'The desired state of a ReplicaSet.',
    fields: {
      replicas: field('int32', 1, 'How many pods should run. Defaults to 1.'),
      minReadySeconds: field('int32', 4, 'Seconds a new pod must be ready, without crashing, before it counts as available. Defaults to 0.'),
      selector: field(ref(`${META}.LabelSelector`), 2, "Label query over the pods counted as replicas; must match the template's labels.", { required: true }),
      template: field(ref(`${CORE}.PodTemplateSpec`), 3, 'The pod template missing replicas are created from.'),
    },
  },
  [`${APPS}.ReplicaSetStatus`]: {
    description: 'The observed state of a ReplicaSet.',
    fields: {
      replicas: field('int32', 1, 'The number of non-terminating pods owned by the ReplicaSet.', { required: true }),
      fullyLabeledReplicas: field('int32', 2, "The number of non-terminating pods whose labels match the template's labels."),
      readyReplicas: field('int32', 4, 'The number of non-terminating pods with a Ready condition.'),
      availableReplicas: field('int32', 5, 'The number of non-terminating pods ready for at least minReadySeconds.'),
      terminatingReplicas: field('int32', 7, 'The number of terminating pods owned by the ReplicaSet; alpha, needs the DeploymentReplicaSetTerminatingReplicas gate.'),
      observedGeneration: field('int64', 3, 'The generation of the ReplicaSet the controller last acted on.'),
      conditions: mergeList(ref(`${APPS}.ReplicaSetCondition`), 6, "The latest observations of the ReplicaSet's state.", 'type'),
    },
  },
  [`${APPS}.ReplicaSetCondition`]: {
    description: "One observed aspect of a ReplicaSet's state.",
    fields: {
      type: field('string', 1, 'The kind of condition.', { required: true }),
      status: field('string', 2, 'True, False or Unknown.', { required: true }),
      lastTransitionTime: field('date-time', 3, 'When the condition last changed status.'),
      reason: field('string', 4, 'A one-word CamelCase cause of the last transition.'),
      message: field('string', 5, 'A human-readable explanation of the last transition.'),
    },
  },
  [`${APPS}.ControllerRevision`]: {
    description: 'An immutable snapshot of state data kept by a controller (DaemonSet, StatefulSet) to support rollback.',
    gvk: [gvk('ControllerRevision')],
    fields: {
      ...objectHeader(),
      data: field('any', 2, 'The serialized state of this revision.'),
      revision: field('int64', 3, 'The revision number of the state in data.', { required: true }),
    },
  },
  [`${APPS}.ControllerRevisionList`]: listType(`${APPS}.ControllerRevision`, gvk('ControllerRevisionList'), 'A list of ControllerRevisions.'),
};
