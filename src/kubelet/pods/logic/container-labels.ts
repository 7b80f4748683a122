// What the kubelet writes onto each runtime container so that it can later tell which pod and
// spec container a record belongs to, and whether the spec changed since it was created.
import type { ContainerStatus } from '../../runtime/runtime.ts';
import type { KubeObject } from './types.ts';

export const POD_NAME_LABEL = 'io.kubernetes.pod.name';
export const POD_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
export const POD_UID_LABEL = 'io.kubernetes.pod.uid';
export const CONTAINER_NAME_LABEL = 'io.kubernetes.container.name';
export const CONTAINER_HASH_LABEL = 'io.kubernetes.container.hash';
export const RESTART_COUNT_LABEL = 'io.kubernetes.container.restartCount';
export const TERMINATION_MESSAGE_PATH_LABEL = 'io.kubernetes.container.terminationMessagePath';
export const TERMINATION_MESSAGE_POLICY_LABEL = 'io.kubernetes.container.terminationMessagePolicy';

/**
 * The hash of the fields whose change restarts a running container. Like upstream (1.31+) only
 * name and image count: the rest of a container spec is immutable, and resource changes resize.
 */
export function containerHash(container: KubeObject): string {
  const text = JSON.stringify({ image: container.image ?? '', name: container.name ?? '' });
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16);
}

export function containerLabels(pod: KubeObject, container: KubeObject, restartCount: number): Record<string, string> {
  const labels: Record<string, string> = {
    [POD_NAME_LABEL]: pod.metadata?.name ?? '',
    [POD_NAMESPACE_LABEL]: pod.metadata?.namespace ?? '',
    [POD_UID_LABEL]: pod.metadata?.uid ?? '',
    [CONTAINER_NAME_LABEL]: container.name,
    [CONTAINER_HASH_LABEL]: containerHash(container),
    [RESTART_COUNT_LABEL]: String(restartCount),
  };
  if (container.terminationMessagePath) labels[TERMINATION_MESSAGE_PATH_LABEL] = container.terminationMessagePath;
  if (container.terminationMessagePolicy) labels[TERMINATION_MESSAGE_POLICY_LABEL] = container.terminationMessagePolicy;
  return labels;
}

export function sandboxLabels(pod: KubeObject): Record<string, string> {
  return {
    [POD_NAME_LABEL]: pod.metadata?.name ?? '',
    [POD_NAMESPACE_LABEL]: pod.metadata?.namespace ?? '',
    [POD_UID_LABEL]: pod.metadata?.uid ?? '',
  };
}

/** Whether a runtime container was created from a different spec (no recorded hash: unchanged). */
export function containerChanged(container: KubeObject, status: ContainerStatus): boolean {
  const recorded = status.labels?.[CONTAINER_HASH_LABEL];
  return recorded !== undefined && recorded !== containerHash(container);
}

/** The runtime containers of a pod, newest first (as upstream's pod status lists them). */
export function podContainers(podUid: string, all: ContainerStatus[]): ContainerStatus[] {
  return all.filter((c) => c.labels?.[POD_UID_LABEL] === podUid).sort((a, b) => b.createdAt - a.createdAt);
}
