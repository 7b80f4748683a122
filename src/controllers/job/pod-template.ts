// The pod a Job creates: its template with the tracking finalizer and the Job as controller;
// for Indexed Jobs also the completion index (annotation, label, env var), a hostname and a
// name prefix carrying the index.
import type { KubeObject } from '../../client/api-client.ts';
import { ownerRefFor } from '../engine/controller-ref.ts';
import { COMPLETION_INDEX, COMPLETION_INDEX_ENV } from './indexes.ts';
import { TRACKING_FINALIZER } from './pod-state.ts';

/** Upstream's limit on a generateName prefix (63 less 5 random characters). */
const MAX_GENERATED_NAME_LENGTH = 58;

export function podForJob(job: KubeObject, index: number | undefined): KubeObject {
  const template: KubeObject = structuredClone(job.spec?.template ?? {});
  const meta: KubeObject = template.metadata ?? {};
  const spec: KubeObject = template.spec ?? {};
  const finalizers: string[] = [...(meta.finalizers ?? [])];
  if (!finalizers.includes(TRACKING_FINALIZER)) finalizers.push(TRACKING_FINALIZER);
  const metadata: KubeObject = {
    generateName: `${job.metadata.name}-`,
    labels: { ...(meta.labels ?? {}) },
    annotations: { ...(meta.annotations ?? {}) },
    finalizers,
    ownerReferences: [ownerRefFor({ apiVersion: 'batch/v1', kind: 'Job', metadata: job.metadata })],
  };
  if (index !== undefined) {
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      c.env ??= [];
      if (!c.env.some((e: KubeObject) => e.name === COMPLETION_INDEX_ENV)) {
        c.env.push({ name: COMPLETION_INDEX_ENV, valueFrom: { fieldRef: { fieldPath: `metadata.labels['${COMPLETION_INDEX}']` } } });
      }
    }
    metadata.annotations[COMPLETION_INDEX] = String(index);
    metadata.labels[COMPLETION_INDEX] = String(index);
    spec.hostname = `${job.metadata.name}-${index}`;
    metadata.generateName = generateNameWithIndex(job.metadata.name, index);
  }
  if (Object.keys(metadata.annotations).length === 0) delete metadata.annotations;
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}

function generateNameWithIndex(jobName: string, index: number): string {
  const suffix = `-${index}-`;
  const prefix = jobName + suffix;
  return prefix.length > MAX_GENERATED_NAME_LENGTH ? jobName.slice(0, MAX_GENERATED_NAME_LENGTH - suffix.length) + suffix : prefix;
}
