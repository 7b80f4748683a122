// The garbage collector's picture of ownership: every object it watches, by uid, with its
// owners, and the reverse index from an owner to its dependents.
import type { KubeObject } from '../../client/api-client.ts';
import type { DiscoveredResource } from '../../client/discovery.ts';

export interface OwnerReference { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean; blockOwnerDeletion?: boolean }

export interface GraphNode {
  uid: string;
  resource: DiscoveredResource;
  namespace: string;
  name: string;
  owners: OwnerReference[];
  deleting: boolean;
  finalizers: string[];
}

export class OwnershipGraph {
  readonly nodes = new Map<string, GraphNode>();
  readonly #dependents = new Map<string, Set<string>>();

  upsert(resource: DiscoveredResource, obj: KubeObject): { node: GraphNode; ownersChanged: boolean; previous?: GraphNode } {
    const m = obj.metadata ?? {};
    const node: GraphNode = {
      uid: m.uid, resource, namespace: m.namespace ?? '', name: m.name,
      owners: m.ownerReferences ?? [], deleting: !!m.deletionTimestamp, finalizers: m.finalizers ?? [],
    };
    const previous = this.nodes.get(node.uid);
    const ownersChanged = !previous || JSON.stringify(previous.owners) !== JSON.stringify(node.owners);
    if (previous) for (const o of previous.owners) this.#dependents.get(o.uid)?.delete(node.uid);
    for (const o of node.owners) {
      let set = this.#dependents.get(o.uid);
      if (!set) { set = new Set(); this.#dependents.set(o.uid, set); }
      set.add(node.uid);
    }
    this.nodes.set(node.uid, node);
    return { node, ownersChanged, previous };
  }

  remove(uid: string): GraphNode | undefined {
    const node = this.nodes.get(uid);
    if (!node) return undefined;
    for (const o of node.owners) this.#dependents.get(o.uid)?.delete(uid);
    this.nodes.delete(uid);
    return node;
  }

  dependents(ownerUid: string): GraphNode[] {
    return [...(this.#dependents.get(ownerUid) ?? [])].map((u) => this.nodes.get(u)).filter((n): n is GraphNode => !!n);
  }
}
