// Daemon pods: the template they are made from (with the daemon tolerations, the revision hash
// and template generation labels), whether a pod is at the current revision, and its readiness.
import type { KubeObject } from '../../client/api-client.ts';
import { canonicalJson, fnv1a, safeEncodeString } from '../engine/history.ts';
import { ownerRefFor } from '../engine/controller-ref.ts';
import { pinToNode, withDaemonTolerations } from './node-fit.ts';

export const REVISION_HASH_LABEL = 'controller-revision-hash';
export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';
/** Set by the API server on DaemonSets (apps/v1 keeps templateGeneration as this annotation). */
export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

/** Hash of the pod template probed with the collision count (upstream's ComputeHash). */
export function templateHash(template: KubeObject, collisionCount?: number): string {
  const bytes = new TextEncoder().encode(canonicalJson(template ?? {}));
  let h = fnv1a(bytes);
  if (collisionCount !== undefined && collisionCount !== null) {
    const le = new Uint8Array(4);
    new DataView(le.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv1a(le, h);
  }
  return safeEncodeString(String(h));
}

export function templateGeneration(ds: KubeObject): string | undefined {
  const g = ds.metadata?.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  return g !== undefined && /^\d+$/.test(g) ? g : undefined;
}

/** A pod is at the current revision when its hash (or template generation) matches. */
export function isPodUpdated(pod: KubeObject, hash: string, generation: string | undefined): boolean {
  const labels = pod.metadata?.labels ?? {};
  return (!!hash && labels[REVISION_HASH_LABEL] === hash) || (generation !== undefined && labels[TEMPLATE_GENERATION_LABEL] === generation);
}

/** The pod to create on nodeName (upstream CreatePodTemplate + ReplaceDaemonSetPodNodeNameNodeAffinity). */
export function newDaemonPod(ds: KubeObject, nodeName: string, hash: string): KubeObject {
  const template = structuredClone(ds.spec?.template ?? {});
  const spec: KubeObject = template.spec ?? {};
  spec.tolerations = withDaemonTolerations(spec);
  spec.affinity = pinToNode(spec.affinity, nodeName);
  const labels: Record<string, string> = { ...(template.metadata?.labels ?? {}) };
  const generation = templateGeneration(ds);
  if (generation !== undefined) labels[TEMPLATE_GENERATION_LABEL] = generation;
  if (hash) labels[REVISION_HASH_LABEL] = hash;
  const metadata: KubeObject = {
    generateName: `${ds.metadata.name}-`, namespace: ds.metadata.namespace, labels,
    ownerReferences: [ownerRefFor({ ...ds, apiVersion: 'apps/v1', kind: 'DaemonSet' })],
  };
  if (template.metadata?.annotations) metadata.annotations = template.metadata.annotations;
  if (template.metadata?.finalizers) metadata.finalizers = template.metadata.finalizers;
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}

const readyCondition = (pod: KubeObject): KubeObject | undefined => (pod.status?.conditions ?? []).find((c: KubeObject) => c.type === 'Ready');
export const isPodReady = (pod: KubeObject): boolean => readyCondition(pod)?.status === 'True';

export function isPodAvailable(pod: KubeObject, minReadySeconds: number, now = Date.now()): boolean {
  const ready = readyCondition(pod);
  if (ready?.status !== 'True') return false;
  if (!minReadySeconds) return true;
  const since = Date.parse(ready.lastTransitionTime ?? '');
  return Number.isFinite(since) && since + minReadySeconds * 1000 <= now;
}

/** Scheduled pods first, then oldest first, then by name. */
export function byCreationAndPhase(a: KubeObject, b: KubeObject): number {
  const sa = !!a.spec?.nodeName;
  const sb = !!b.spec?.nodeName;
  if (sa !== sb) return sa ? -1 : 1;
  const ta = String(a.metadata?.creationTimestamp ?? '');
  const tb = String(b.metadata?.creationTimestamp ?? '');
  if (ta !== tb) return ta < tb ? -1 : 1;
  return String(a.metadata.name).localeCompare(String(b.metadata.name));
}
