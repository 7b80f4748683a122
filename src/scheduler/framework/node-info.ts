// What the scheduler knows of one node: the Node object, its allocatable resources, and the
// pods on it (bound or assumed) with their summed requests, host ports and affinity.
import type { KubeObject } from '../../client/index.ts';
import { resourcesOf, type Resources } from './resources.ts';
import type { PodInfo } from './pod-info.ts';

export class NodeInfo {
  readonly name: string;
  node: KubeObject | undefined;
  allocatable: Resources = {};
  readonly pods = new Map<string, PodInfo>();
  requested: Resources = {};
  nonZeroRequested = { cpu: 0, memory: 0 };
  /** `${ip}|${protocol}|${port}` of host ports in use. */
  usedPorts = new Map<string, number>();
  podsWithAffinity = 0;
  podsWithRequiredAntiAffinity = 0;
  /** Bumped on every change; lets the cache know what changed. */
  generation = 0;

  constructor(name: string, node?: KubeObject) {
    this.name = name;
    if (node) this.setNode(node);
  }

  get labels(): Record<string, string> { return this.node?.metadata?.labels ?? {}; }

  setNode(node: KubeObject): void {
    this.node = node;
    this.allocatable = resourcesOf(node.status?.allocatable);
    this.generation++;
  }

  addPod(pi: PodInfo): void {
    if (this.pods.has(pi.key)) this.removePod(pi.key);
    this.pods.set(pi.key, pi);
    this.#account(pi, 1);
  }

  removePod(key: string): PodInfo | undefined {
    const pi = this.pods.get(key);
    if (!pi) return undefined;
    this.pods.delete(key);
    this.#account(pi, -1);
    return pi;
  }

  #account(pi: PodInfo, sign: 1 | -1): void {
    for (const [k, v] of Object.entries(pi.requests.requests)) this.requested[k] = (this.requested[k] ?? 0) + sign * v;
    this.nonZeroRequested.cpu += sign * pi.requests.nonZero.cpu;
    this.nonZeroRequested.memory += sign * pi.requests.nonZero.memory;
    for (const hp of pi.hostPorts) {
      const k = `${hp.hostIP}|${hp.protocol}|${hp.port}`;
      const n = (this.usedPorts.get(k) ?? 0) + sign;
      if (n > 0) this.usedPorts.set(k, n); else this.usedPorts.delete(k);
    }
    if (pi.requiredAffinity.length || pi.requiredAntiAffinity.length || pi.preferredAffinity.length || pi.preferredAntiAffinity.length) this.podsWithAffinity += sign;
    if (pi.requiredAntiAffinity.length) this.podsWithRequiredAntiAffinity += sign;
    this.generation++;
  }

  /** A copy that can be changed without touching this one (preemption's dry runs). */
  clone(): NodeInfo {
    const c = new NodeInfo(this.name);
    c.node = this.node;
    c.allocatable = this.allocatable;
    for (const [k, v] of this.pods) c.pods.set(k, v);
    c.requested = { ...this.requested };
    c.nonZeroRequested = { ...this.nonZeroRequested };
    c.usedPorts = new Map(this.usedPorts);
    c.podsWithAffinity = this.podsWithAffinity;
    c.podsWithRequiredAntiAffinity = this.podsWithRequiredAntiAffinity;
    c.generation = this.generation;
    return c;
  }
}
