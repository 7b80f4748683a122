// Pods and Services by namespace, kept from informers, answering the two questions both
// endpoint controllers ask on every event: which pods does this Service select, and which
// Services must be re-synced after this pod changed.
import type { KubeObject } from '../../client/api-client.ts';
import { keyOf, type Informer } from '../../client/informer.ts';
import { podEndpointsChanged, selectorMatches, serviceSelector } from './pod-rules.ts';

class NamespaceIndex {
  readonly #byNamespace = new Map<string, Map<string, KubeObject>>();

  constructor(informer: Informer) {
    informer.addHandler({
      add: (o) => this.#put(o),
      update: (_old, o) => this.#put(o),
      delete: (o) => {
        const ns = this.#byNamespace.get(o.metadata.namespace);
        ns?.delete(o.metadata.name);
        if (ns?.size === 0) this.#byNamespace.delete(o.metadata.namespace);
      },
    });
  }

  #put(o: KubeObject): void {
    let ns = this.#byNamespace.get(o.metadata.namespace);
    if (!ns) this.#byNamespace.set(o.metadata.namespace, (ns = new Map()));
    ns.set(o.metadata.name, o);
  }

  in(namespace: string): Iterable<KubeObject> { return this.#byNamespace.get(namespace)?.values() ?? []; }
}

export class ServicePodIndex {
  readonly #pods: NamespaceIndex;
  readonly #services: NamespaceIndex;

  /** Register before the controller's own handlers so the index is current when they run. */
  constructor(services: Informer, pods: Informer) {
    this.#services = new NamespaceIndex(services);
    this.#pods = new NamespaceIndex(pods);
  }

  /** The pods a Service's selector picks (none without a selector). */
  podsFor(svc: KubeObject): KubeObject[] {
    const selector = serviceSelector(svc);
    if (!selector) return [];
    const out: KubeObject[] = [];
    for (const p of this.#pods.in(svc.metadata.namespace)) if (selectorMatches(selector, p.metadata.labels)) out.push(p);
    return out;
  }

  /** Keys of the Services in a namespace whose selector matches these labels. */
  servicesFor(namespace: string, labels: Record<string, string> | undefined): Set<string> {
    const out = new Set<string>();
    for (const s of this.#services.in(namespace)) {
      const selector = serviceSelector(s);
      if (selector && selectorMatches(selector, labels)) out.add(keyOf(s));
    }
    return out;
  }

  /**
   * Services to re-sync after a pod update: none when nothing relevant changed; after a label
   * change the Services it joined or left (all of both when the pod changed too).
   */
  servicesToUpdate(oldPod: KubeObject, newPod: KubeObject): Set<string> {
    if (oldPod.metadata?.resourceVersion === newPod.metadata?.resourceVersion) return new Set();
    const { podChanged, labelsChanged } = podEndpointsChanged(oldPod, newPod);
    if (!podChanged && !labelsChanged) return new Set();
    const now = this.servicesFor(newPod.metadata.namespace, newPod.metadata.labels);
    if (!labelsChanged) return now;
    const before = this.servicesFor(newPod.metadata.namespace, oldPod.metadata.labels);
    if (podChanged) return new Set([...now, ...before]);
    const out = new Set<string>();
    for (const k of now) if (!before.has(k)) out.add(k);
    for (const k of before) if (!now.has(k)) out.add(k);
    return out;
  }
}
