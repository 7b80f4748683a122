// Finding a pod's runtime containers and network namespace from what the runtime itself records
// (the labels upstream's kubelet puts on every container, and the sandbox's pod), for a
// streaming runtime that needs nothing from the kubelet's own pod bookkeeping.
import type { ContainerRuntime, ContainerStatus, PodRef, SandboxStatus } from '../runtime.ts';

export const POD_NAME_LABEL = 'io.kubernetes.pod.name';
export const POD_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
export const POD_UID_LABEL = 'io.kubernetes.pod.uid';
export const CONTAINER_NAME_LABEL = 'io.kubernetes.container.name';

export interface PodLookup {
  /** Every runtime container of the pod (any attempt); undefined when the node has no such pod. */
  containersOf(pod: PodRef): Promise<ContainerStatus[] | undefined>;
  /**
   * The pod's network: its namespace's path, or no path for a hostNetwork pod; undefined when
   * the pod has no running sandbox.
   */
  networkOf(pod: PodRef): Promise<{ netnsPath?: string } | undefined>;
}

/** The name of the pod-spec container a runtime container runs. */
export function containerNameOf(c: ContainerStatus): string {
  return c.labels[CONTAINER_NAME_LABEL] ?? c.name;
}

function podOfContainer(c: ContainerStatus): PodRef {
  return { namespace: c.labels[POD_NAMESPACE_LABEL] ?? '', name: c.labels[POD_NAME_LABEL] ?? '', uid: c.labels[POD_UID_LABEL] ?? '' };
}

const samePod = (want: PodRef, have: PodRef) =>
  want.namespace === have.namespace && want.name === have.name && (!want.uid || want.uid === have.uid);

/**
 * Without a uid (log requests carry none) a name may match an old pod and its replacement:
 * the newest one wins, as the kubelet would only know the current pod of that name.
 */
function newestUid(items: { uid: string; createdAt: number }[]): string | undefined {
  let best: { uid: string; createdAt: number } | undefined;
  for (const i of items) if (!best || i.createdAt > best.createdAt) best = i;
  return best?.uid;
}

export function podLookupFromRuntime(runtime: Pick<ContainerRuntime, 'listContainers' | 'listPodSandboxes'>): PodLookup {
  async function sandboxesOf(pod: PodRef): Promise<SandboxStatus[]> {
    return (await runtime.listPodSandboxes()).filter((s) => samePod(pod, s.pod));
  }
  return {
    async containersOf(pod) {
      const sandboxes = await sandboxesOf(pod);
      const containers = (await runtime.listContainers()).filter((c) => samePod(pod, podOfContainer(c)));
      if (!sandboxes.length && !containers.length) return undefined;
      const uid = pod.uid || newestUid([
        ...sandboxes.map((s) => ({ uid: s.pod.uid, createdAt: s.createdAt })),
        ...containers.map((c) => ({ uid: podOfContainer(c).uid, createdAt: c.createdAt })),
      ]);
      return containers.filter((c) => podOfContainer(c).uid === uid);
    },
    async networkOf(pod) {
      const ready = (await sandboxesOf(pod)).filter((s) => s.state === 'ready').sort((a, b) => b.createdAt - a.createdAt);
      const s = ready[0];
      return s ? { netnsPath: s.netnsPath } : undefined;
    },
  };
}
