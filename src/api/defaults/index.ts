// Upstream defaulting for built-in kinds, keyed `group/Kind` ('' group for core: `/Pod`).
import { defaultPod, defaultPodTemplate, defaultPodSpec, defaultPodTemplateSpec, defaultContainer, defaultImagePullPolicy, type KubeObject } from './pod.ts';
import {
  defaultCronJob, defaultDaemonSet, defaultDeployment, defaultJob, defaultReplicaSet, defaultReplicationController, defaultStatefulSet,
  applyGeneratedJobSelector,
} from './workloads.ts';
import {
  defaultEndpoints, defaultLimitRange, defaultNamespace, defaultNode, defaultPersistentVolume, defaultPersistentVolumeClaim,
  defaultSecret, defaultService,
} from './core.ts';
import { defaultHorizontalPodAutoscaler, defaultIngress, defaultNetworkPolicy, defaultRoleBinding, defaultPriorityClass } from './other.ts';

export type Defaulter = (obj: KubeObject) => void;

export const defaulters: Readonly<Record<string, Defaulter>> = {
  '/Pod': defaultPod,
  '/PodTemplate': defaultPodTemplate,
  '/ReplicationController': defaultReplicationController,
  '/Service': defaultService,
  '/Namespace': defaultNamespace,
  '/Secret': defaultSecret,
  '/PersistentVolumeClaim': defaultPersistentVolumeClaim,
  '/PersistentVolume': defaultPersistentVolume,
  '/Node': defaultNode,
  '/Endpoints': defaultEndpoints,
  '/LimitRange': defaultLimitRange,
  'apps/Deployment': defaultDeployment,
  'apps/ReplicaSet': defaultReplicaSet,
  'apps/StatefulSet': defaultStatefulSet,
  'apps/DaemonSet': defaultDaemonSet,
  'batch/Job': defaultJob,
  'batch/CronJob': defaultCronJob,
  'networking.k8s.io/NetworkPolicy': defaultNetworkPolicy,
  'networking.k8s.io/Ingress': defaultIngress,
  'rbac.authorization.k8s.io/RoleBinding': defaultRoleBinding,
  'rbac.authorization.k8s.io/ClusterRoleBinding': defaultRoleBinding,
  'scheduling.k8s.io/PriorityClass': defaultPriorityClass,
  'autoscaling/HorizontalPodAutoscaler': defaultHorizontalPodAutoscaler,
};

/** Applies the defaulter for `group/Kind` if there is one; returns whether one ran. */
export function applyDefaults(group: string, kind: string, obj: KubeObject): boolean {
  const d = defaulters[`${group}/${kind}`];
  if (!d) return false;
  d(obj);
  return true;
}

export {
  defaultPod, defaultPodTemplate, defaultPodSpec, defaultPodTemplateSpec, defaultContainer, defaultImagePullPolicy,
  defaultCronJob, defaultDaemonSet, defaultDeployment, defaultJob, defaultReplicaSet, defaultReplicationController, defaultStatefulSet,
  applyGeneratedJobSelector, defaultEndpoints, defaultLimitRange, defaultNamespace, defaultNode, defaultPersistentVolume,
  defaultPersistentVolumeClaim, defaultSecret, defaultService, defaultHorizontalPodAutoscaler, defaultIngress, defaultNetworkPolicy,
  defaultRoleBinding, type KubeObject,
};
