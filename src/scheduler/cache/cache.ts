// The scheduler's view of the cluster: nodes and the pods on them. A pod chosen for a node is
// *assumed* there at once, so the next scheduling cycle sees its resources taken while binding
// runs; the informer's bound pod confirms it, a failed binding forgets it.
import type { KubeObject } from '../../client/index.ts';
import { NodeInfo } from '../framework/node-info.ts';
import { podInfoOf, podKey, type PodInfo } from '../framework/pod-info.ts';

interface PodState { info: PodInfo; nodeName: string; assumed: boolean; bindingFinished: boolean }

export class SchedulerCache {
  readonly #nodes = new Map<string, NodeInfo>();
  readonly #pods = new Map<string, PodState>();
  #list: NodeInfo[] | undefined;

  /** Nodes that exist (have a Node object), in a stable order. */
  nodes(): NodeInfo[] {
    if (!this.#list) this.#list = [...this.#nodes.values()].filter((n) => n.node).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return this.#list;
  }

  node(name: string): NodeInfo | undefined {
    const n = this.#nodes.get(name);
    return n?.node ? n : undefined;
  }

  get podCount(): number { return this.#pods.size; }

  #nodeInfo(name: string): NodeInfo {
    let n = this.#nodes.get(name);
    if (!n) { n = new NodeInfo(name); this.#nodes.set(name, n); }
    return n;
  }

  addNode(node: KubeObject): void {
    this.#nodeInfo(node.metadata.name).setNode(node);
    this.#list = undefined;
  }

  updateNode(node: KubeObject): void { this.addNode(node); }

  removeNode(name: string): void {
    const n = this.#nodes.get(name);
    if (!n) return;
    // Pods still bound there keep their NodeInfo until they go, as upstream.
    if (n.pods.size) n.node = undefined; else this.#nodes.delete(name);
    this.#list = undefined;
  }

  isAssumed(key: string): boolean { return this.#pods.get(key)?.assumed ?? false; }

  /** Places the pod on the node before it is bound. */
  assume(pod: KubeObject, nodeName: string): PodInfo {
    const key = podKey(pod);
    if (this.#pods.has(key)) throw new Error(`pod ${key} is already in the scheduler cache`);
    const info = podInfoOf({ ...pod, spec: { ...pod.spec, nodeName } });
    this.#nodeInfo(nodeName).addPod(info);
    this.#pods.set(key, { info, nodeName, assumed: true, bindingFinished: false });
    return info;
  }

  finishBinding(key: string): void {
    const s = this.#pods.get(key);
    if (s?.assumed) s.bindingFinished = true;
  }

  /** Undoes assume (binding failed). */
  forget(key: string): void {
    const s = this.#pods.get(key);
    if (!s?.assumed) return;
    this.#removeFromNode(key, s.nodeName);
    this.#pods.delete(key);
  }

  #removeFromNode(key: string, nodeName: string): void {
    const n = this.#nodes.get(nodeName);
    if (!n) return;
    n.removePod(key);
    if (!n.node && n.pods.size === 0) this.#nodes.delete(nodeName);
  }

  /** A bound pod seen by the informer: confirms an assumed pod or adds it. */
  addPod(pod: KubeObject): void {
    const key = podKey(pod);
    const nodeName = pod.spec.nodeName;
    const s = this.#pods.get(key);
    if (s) this.#removeFromNode(key, s.nodeName);
    const info = podInfoOf(pod);
    this.#nodeInfo(nodeName).addPod(info);
    this.#pods.set(key, { info, nodeName, assumed: false, bindingFinished: true });
  }

  updatePod(pod: KubeObject): void { this.addPod(pod); }

  removePod(pod: KubeObject): void {
    const key = podKey(pod);
    const s = this.#pods.get(key);
    if (!s) return;
    if (s.info.pod.metadata?.uid && pod.metadata?.uid && s.info.pod.metadata.uid !== pod.metadata.uid) return;
    this.#removeFromNode(key, s.nodeName);
    this.#pods.delete(key);
  }
}
