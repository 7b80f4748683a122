// The validator of each built-in kind, keyed `group/Kind` ('' group for core: `/Pod`).
import type { FieldError } from './field-error.ts';
import type { KubeObject } from './object-meta.ts';
import { validatePod, validatePodTemplate } from './pod.ts';
import { validateDaemonSet, validateDeployment, validateReplicaSet, validateStatefulSet } from './workloads.ts';
import { validateCronJob, validateJob } from './batch.ts';
import {
  validateConfigMap, validateNamespace, validateNode, validatePersistentVolumeClaim, validateSecret, validateService, validateServiceAccount,
} from './core-kinds.ts';
import { validateIngress, validateLease } from './other-kinds.ts';

/** Validates an object on create, or on update when `old` is given. */
export type Validator = (obj: KubeObject, old?: KubeObject, subresource?: string) => FieldError[];

export const validators: Readonly<Record<string, Validator>> = {
  '/Pod': validatePod,
  '/PodTemplate': validatePodTemplate,
  '/Service': validateService,
  '/ConfigMap': validateConfigMap,
  '/Secret': validateSecret,
  '/Namespace': validateNamespace,
  '/Node': validateNode,
  '/ServiceAccount': validateServiceAccount,
  '/PersistentVolumeClaim': validatePersistentVolumeClaim,
  'apps/Deployment': validateDeployment,
  'apps/ReplicaSet': validateReplicaSet,
  'apps/StatefulSet': validateStatefulSet,
  'apps/DaemonSet': validateDaemonSet,
  'batch/Job': validateJob,
  'batch/CronJob': validateCronJob,
  'coordination.k8s.io/Lease': validateLease,
  'networking.k8s.io/Ingress': validateIngress,
};

export function validatorFor(group: string, kind: string): Validator | undefined {
  return validators[`${group}/${kind}`];
}
