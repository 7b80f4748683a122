// Defaulting of apps/v1 and batch/v1 workloads (upstream SetDefaults_Deployment, _ReplicaSet,
// _StatefulSet, _DaemonSet, _Job, _CronJob) including their pod templates.
import { defaultPodTemplateSpec, type KubeObject } from './pod.ts';

const isObject = (v: unknown): v is KubeObject => typeof v === 'object' && v !== null && !Array.isArray(v);

export function defaultDeployment(d: KubeObject): void {
  const spec = (d.spec ??= {});
  spec.replicas ??= 1;
  spec.strategy ??= {};
  spec.strategy.type ??= 'RollingUpdate';
  if (spec.strategy.type === 'RollingUpdate') {
    spec.strategy.rollingUpdate ??= {};
    spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
    spec.strategy.rollingUpdate.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultPodTemplateSpec((spec.template ??= {}));
}

export function defaultReplicaSet(rs: KubeObject): void {
  const spec = (rs.spec ??= {});
  spec.replicas ??= 1;
  defaultPodTemplateSpec((spec.template ??= {}));
}

export function defaultReplicationController(rc: KubeObject): void {
  const spec = (rc.spec ??= {});
  spec.replicas ??= 1;
  // An RC without a selector (or labels) takes them from its template.
  const templateLabels = spec.template?.metadata?.labels;
  if (isObject(templateLabels)) {
    if (!isObject(spec.selector) || Object.keys(spec.selector).length === 0) spec.selector = { ...templateLabels };
    rc.metadata ??= {};
    if (!isObject(rc.metadata.labels) || Object.keys(rc.metadata.labels).length === 0) rc.metadata.labels = { ...templateLabels };
  }
  if (isObject(spec.template)) defaultPodTemplateSpec(spec.template);
}

function defaultVolumeClaimTemplate(pvc: KubeObject): void {
  pvc.spec ??= {};
  pvc.spec.volumeMode ??= 'Filesystem';
  pvc.status ??= {};
  pvc.status.phase ??= 'Pending';
}

export function defaultStatefulSet(s: KubeObject): void {
  const spec = (s.spec ??= {});
  spec.podManagementPolicy ??= 'OrderedReady';
  spec.updateStrategy ??= {};
  spec.updateStrategy.type ??= 'RollingUpdate';
  if (spec.updateStrategy.type === 'RollingUpdate') {
    spec.updateStrategy.rollingUpdate ??= {};
    spec.updateStrategy.rollingUpdate.partition ??= 0;
  }
  spec.persistentVolumeClaimRetentionPolicy ??= {};
  spec.persistentVolumeClaimRetentionPolicy.whenDeleted ??= 'Retain';
  spec.persistentVolumeClaimRetentionPolicy.whenScaled ??= 'Retain';
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  for (const pvc of spec.volumeClaimTemplates ?? []) if (isObject(pvc)) defaultVolumeClaimTemplate(pvc);
  defaultPodTemplateSpec((spec.template ??= {}));
}

export function defaultDaemonSet(ds: KubeObject): void {
  const spec = (ds.spec ??= {});
  spec.updateStrategy ??= {};
  spec.updateStrategy.type ??= 'RollingUpdate';
  if (spec.updateStrategy.type === 'RollingUpdate') {
    spec.updateStrategy.rollingUpdate ??= {};
    spec.updateStrategy.rollingUpdate.maxUnavailable ??= 1;
    spec.updateStrategy.rollingUpdate.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  defaultPodTemplateSpec((spec.template ??= {}));
}

const MAX_INT32 = 2147483647;

export function defaultJob(job: KubeObject): void {
  const spec = (job.spec ??= {});
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  if (spec.backoffLimit === undefined) spec.backoffLimit = spec.backoffLimitPerIndex !== undefined ? MAX_INT32 : 6;
  const templateLabels = spec.template?.metadata?.labels;
  if (isObject(templateLabels)) {
    job.metadata ??= {};
    if (!isObject(job.metadata.labels) || Object.keys(job.metadata.labels).length === 0) job.metadata.labels = { ...templateLabels };
  }
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  if (isObject(spec.podFailurePolicy)) {
    for (const rule of spec.podFailurePolicy.rules ?? []) {
      for (const cond of rule?.onPodConditions ?? []) if (isObject(cond)) cond.status ??= 'True';
    }
  }
  spec.podReplacementPolicy ??= isObject(spec.podFailurePolicy) ? 'Failed' : 'TerminatingOrFailed';
  spec.manualSelector ??= false;
  defaultPodTemplateSpec((spec.template ??= {}));
}

/**
 * The selector and labels the job strategy adds on create when manualSelector is not true
 * (needs metadata.uid and metadata.name already set).
 */
export function applyGeneratedJobSelector(job: KubeObject): void {
  const spec = (job.spec ??= {});
  if (spec.manualSelector === true) return;
  const uid = String(job.metadata?.uid ?? '');
  const name = String(job.metadata?.name ?? '');
  spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
  spec.template ??= {};
  spec.template.metadata ??= {};
  spec.template.metadata.labels = {
    ...(spec.template.metadata.labels ?? {}),
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': name,
    'controller-uid': uid,
    'job-name': name,
  };
}

export function defaultCronJob(cj: KubeObject): void {
  const spec = (cj.spec ??= {});
  spec.concurrencyPolicy ??= 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  // The job template gets pod defaults only, not job defaults (as upstream's generated defaulter).
  const jt = (spec.jobTemplate ??= {});
  jt.metadata ??= {};
  if (!('creationTimestamp' in jt.metadata)) jt.metadata.creationTimestamp = null;
  jt.spec ??= {};
  defaultPodTemplateSpec((jt.spec.template ??= {}));
}
