// A StatefulSet pod's stable identity (upstream stateful_set_utils.go): its name
// `<set>-<ordinal>`, its labels, its hostname and subdomain, and the claims `<template>-<set>-<ordinal>`
// it mounts. Pure functions over plain objects.
import type { KubeObject } from '../../client/api-client.ts';
import { ownerRefFor } from '../engine/controller-ref.ts';

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
/** Pods carry the name of the revision they were made from. */
export const REVISION_LABEL = 'controller-revision-hash';

const ORDINAL = /^(.*)-([0-9]+)$/;
const MAX_INT32 = 2 ** 31 - 1;

/** The parent set's name and the ordinal in a pod name; ordinal -1 when there is none. */
export function parentAndOrdinal(name: string): { parent: string; ordinal: number } {
  const m = ORDINAL.exec(name ?? '');
  if (!m) return { parent: '', ordinal: -1 };
  const n = Number(m[2]);
  return { parent: m[1]!, ordinal: Number.isSafeInteger(n) && n <= MAX_INT32 ? n : -1 };
}

export const ordinalOf = (pod: KubeObject): number => parentAndOrdinal(pod.metadata?.name).ordinal;
export const startOrdinal = (set: KubeObject): number => set.spec?.ordinals?.start ?? 0;
export const endOrdinal = (set: KubeObject): number => startOrdinal(set) + (set.spec?.replicas ?? 1) - 1;

export function inOrdinalRange(pod: KubeObject, set: KubeObject): boolean {
  const o = ordinalOf(pod);
  return o >= startOrdinal(set) && o <= endOrdinal(set);
}

export const podName = (set: KubeObject, ordinal: number): string => `${set.metadata.name}-${ordinal}`;
export const claimName = (set: KubeObject, template: KubeObject, ordinal: number): string => `${template.metadata?.name}-${set.metadata.name}-${ordinal}`;

export const isMemberOf = (set: KubeObject, pod: KubeObject): boolean => parentAndOrdinal(pod.metadata?.name).parent === set.metadata.name;

export const podRevision = (pod: KubeObject): string => pod.metadata?.labels?.[REVISION_LABEL] ?? '';

export function setOwnerRef(set: KubeObject): KubeObject {
  return ownerRefFor({ ...set, apiVersion: 'apps/v1', kind: 'StatefulSet' });
}

/** Name, namespace and identity labels are those of its ordinal. */
export function identityMatches(set: KubeObject, pod: KubeObject): boolean {
  const { parent, ordinal } = parentAndOrdinal(pod.metadata?.name);
  return ordinal >= 0 && parent === set.metadata.name && pod.metadata.name === podName(set, ordinal) &&
    pod.metadata.namespace === set.metadata.namespace && pod.metadata.labels?.[POD_NAME_LABEL] === pod.metadata.name;
}

/** Every claim template is mounted from the ordinal's claim. */
export function storageMatches(set: KubeObject, pod: KubeObject): boolean {
  const ordinal = ordinalOf(pod);
  if (ordinal < 0) return false;
  const volumes = new Map<string, KubeObject>((pod.spec?.volumes ?? []).map((v: KubeObject) => [v.name, v]));
  return (set.spec?.volumeClaimTemplates ?? []).every((t: KubeObject) =>
    volumes.get(t.metadata?.name)?.persistentVolumeClaim?.claimName === claimName(set, t, ordinal));
}

/** The claims a pod of this ordinal mounts, keyed by template name, as they would be created. */
export function claimsFor(set: KubeObject, ordinal: number): Map<string, KubeObject> {
  const claims = new Map<string, KubeObject>();
  const selectorLabels = set.spec?.selector?.matchLabels ?? {};
  for (const t of set.spec?.volumeClaimTemplates ?? []) {
    const { status: _status, ...template } = structuredClone(t);
    claims.set(t.metadata?.name, {
      ...template, apiVersion: 'v1', kind: 'PersistentVolumeClaim',
      metadata: { ...(template.metadata ?? {}), name: claimName(set, t, ordinal), namespace: set.metadata.namespace, labels: { ...(template.metadata?.labels ?? {}), ...selectorLabels } },
    });
  }
  return claims;
}

/** Sets the identity labels (mutates pod, a copy). */
export function updateIdentity(set: KubeObject, pod: KubeObject): void {
  const ordinal = ordinalOf(pod);
  pod.metadata.name = podName(set, ordinal);
  pod.metadata.namespace = set.metadata.namespace;
  pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [POD_NAME_LABEL]: pod.metadata.name, [POD_INDEX_LABEL]: String(ordinal) };
}

/** Mounts the ordinal's claims in place of any same-named volumes (mutates pod, a copy). */
export function updateStorage(set: KubeObject, pod: KubeObject): void {
  const claims = claimsFor(set, ordinalOf(pod));
  const mounted = [...claims].map(([name, claim]) => ({ name, persistentVolumeClaim: { claimName: claim.metadata.name } }));
  pod.spec.volumes = [...mounted, ...(pod.spec.volumes ?? []).filter((v: KubeObject) => !claims.has(v.name))];
}

/** A new pod for ordinal from set's template (set as of the revision the pod is made from). */
export function newStatefulSetPod(set: KubeObject, ordinal: number, revisionName: string): KubeObject {
  const template = set.spec?.template ?? {};
  const pod: KubeObject = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name: podName(set, ordinal), namespace: set.metadata.namespace,
      labels: { ...(template.metadata?.labels ?? {}) },
      ownerReferences: [setOwnerRef(set)],
    },
    spec: structuredClone(template.spec ?? {}),
  };
  if (template.metadata?.annotations) pod.metadata.annotations = { ...template.metadata.annotations };
  if (template.metadata?.finalizers) pod.metadata.finalizers = [...template.metadata.finalizers];
  updateIdentity(set, pod);
  // Hostname and subdomain are immutable: set only on creation.
  pod.spec.hostname = pod.metadata.name;
  if (set.spec?.serviceName) pod.spec.subdomain = set.spec.serviceName;
  updateStorage(set, pod);
  pod.metadata.labels[REVISION_LABEL] = revisionName;
  return pod;
}

/**
 * A new pod for ordinal at the current revision when a partition (or an unfinished rolling
 * update) keeps that ordinal back, else at the update revision (upstream's newVersionedStatefulSetPod).
 */
export function newVersionedPod(currentSet: KubeObject, updateSet: KubeObject, currentRevision: string, updateRevision: string, ordinal: number): KubeObject {
  const strategy = currentSet.spec?.updateStrategy ?? {};
  const start = startOrdinal(currentSet);
  const heldBack =
    (strategy.type === 'RollingUpdate' && !strategy.rollingUpdate && ordinal < start + (currentSet.status?.currentReplicas ?? 0)) ||
    (!!strategy.rollingUpdate && ordinal < start + (strategy.rollingUpdate.partition ?? 0));
  return heldBack ? newStatefulSetPod(currentSet, ordinal, currentRevision) : newStatefulSetPod(updateSet, ordinal, updateRevision);
}
