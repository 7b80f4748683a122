// Pods nominated to a node by preemption (status.nominatedNodeName): the node keeps room for
// them, so lower-priority pods do not take what the victims freed.
import type { PodInfo } from '../framework/pod-info.ts';

const NONE: PodInfo[] = Object.freeze([]) as unknown as PodInfo[];

export class Nominator {
  readonly #byNode = new Map<string, Map<string, PodInfo>>();
  readonly #nodeOf = new Map<string, string>();

  /** Records the pod's nomination (nodeName, or its status.nominatedNodeName); none removes it. */
  set(pi: PodInfo, nodeName?: string): void {
    this.delete(pi.key);
    const node = nodeName ?? pi.pod.status?.nominatedNodeName;
    if (!node) return;
    let m = this.#byNode.get(node);
    if (!m) this.#byNode.set(node, (m = new Map()));
    m.set(pi.key, pi);
    this.#nodeOf.set(pi.key, node);
  }

  delete(key: string): void {
    const node = this.#nodeOf.get(key);
    if (node === undefined) return;
    this.#nodeOf.delete(key);
    const m = this.#byNode.get(node);
    m?.delete(key);
    if (m && m.size === 0) this.#byNode.delete(node);
  }

  podsFor(nodeName: string): PodInfo[] {
    const m = this.#byNode.get(nodeName);
    return m ? [...m.values()] : NONE;
  }

  nodeOf(key: string): string | undefined { return this.#nodeOf.get(key); }
}
