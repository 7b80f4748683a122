// Which kubelet serves a pod's streams, and which container: upstream's checks and messages
// (pkg/registry/core/pod strategy's validateContainer and *Location functions).
import type { KubeObject } from '../../api/registry/resource.ts';
import { errors } from '../../api/status.ts';
import type { ApiContext } from '../rest/context.ts';
import { ResourceStore } from '../rest/resource-store.ts';
import type { KubeletEndpoint } from './kubelet-client.ts';

export const DEFAULT_KUBELET_PORT = 10250;

export interface PodTarget {
  pod: KubeObject;
  /** The validated container ('' for port-forward). */
  container: string;
  /** Absent when the pod has no node yet. */
  kubelet?: KubeletEndpoint;
}

/** Names of all containers in upstream's visiting order: init, regular, ephemeral. */
function containerNames(pod: KubeObject): string[] {
  const spec = pod.spec ?? {};
  return [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])].map((c: KubeObject) => c.name);
}

export function validateContainer(pod: KubeObject, container: string): string {
  const name = pod.metadata.name;
  if (!container) {
    const regular: KubeObject[] = pod.spec?.containers ?? [];
    if (regular.length === 1) return regular[0].name;
    if (regular.length === 0) throw errors.badRequest(`a container name must be specified for pod ${name}`);
    throw errors.badRequest(`a container name must be specified for pod ${name}, choose one of: [${containerNames(pod).join(' ')}]`);
  }
  if (!containerNames(pod).includes(container)) throw errors.badRequest(`container ${container} is not valid for pod ${name}`);
  return container;
}

/** The kubelet address of a node: InternalIP, else Hostname, else ExternalIP; its daemon endpoint port. */
export function kubeletEndpoint(node: KubeObject): KubeletEndpoint {
  const addresses: { type: string; address: string }[] = node.status?.addresses ?? [];
  const pick = (type: string) => addresses.find((a) => a.type === type)?.address;
  const host = pick('InternalIP') ?? pick('Hostname') ?? pick('ExternalIP') ?? node.metadata.name;
  const port = Number(node.status?.daemonEndpoints?.kubeletEndpoint?.Port) || DEFAULT_KUBELET_PORT;
  return { host, port };
}

export class PodTargets {
  readonly #ctx: ApiContext;
  readonly #rs: ResourceStore;
  constructor(ctx: ApiContext) {
    this.#ctx = ctx;
    this.#rs = new ResourceStore(ctx);
  }

  /** The pod (404 when absent), its container when one is needed, and its node's kubelet. */
  async resolve(namespace: string, podName: string, container: string | undefined): Promise<PodTarget> {
    const pods = this.#ctx.registry.lookup('', 'v1', 'pods')!;
    const pod = await this.#rs.get(pods, namespace, podName);
    const target: PodTarget = { pod, container: container === undefined ? '' : validateContainer(pod, container) };
    const nodeName: string | undefined = pod.spec?.nodeName;
    if (!nodeName) return target;
    const nodes = this.#ctx.registry.lookup('', 'v1', 'nodes')!;
    target.kubelet = kubeletEndpoint(await this.#rs.get(nodes, '', nodeName));
    return target;
  }

  /** As resolve, but a pod without a node is upstream's 400. */
  async resolveScheduled(namespace: string, podName: string, container: string | undefined): Promise<PodTarget & { kubelet: KubeletEndpoint }> {
    const t = await this.resolve(namespace, podName, container);
    if (!t.kubelet) throw errors.badRequest(`pod ${podName} does not have a host assigned`);
    return t as PodTarget & { kubelet: KubeletEndpoint };
  }
}
