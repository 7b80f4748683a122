// The garbage collector: deletes objects whose owners are all gone (background cascading),
// deletes an owner's dependents before the owner when it is deleted in the foreground, and
// strips owner references from dependents when the owner is deleted with the orphan policy.
// It watches metadata of every resource the server serves, refreshing that list as CRDs come.
import type { Controller, ControllerContext, ReconcileResult } from '../engine/controller.ts';
import type { KubeObject } from '../../client/api-client.ts';
import { discoverResources, apiVersionOf, type DiscoveredResource } from '../../client/discovery.ts';
import { isConflict, isNotFound } from '../../api/status.ts';
import { OwnershipGraph, type GraphNode, type OwnerReference } from './graph.ts';

const REDISCOVER_MS = 15_000;
const ORPHAN = 'orphan';
const FOREGROUND = 'foregroundDeletion';

export class GarbageCollector implements Controller {
  readonly name = 'garbage-collector';
  readonly #graph = new OwnershipGraph();
  readonly #watched = new Set<string>();
  readonly #byKind = new Map<string, DiscoveredResource>();
  #ctx!: ControllerContext;
  #enqueue!: (key: string) => void;

  async setup(ctx: ControllerContext, enqueue: (key: string) => void): Promise<void> {
    this.#ctx = ctx;
    this.#enqueue = enqueue;
    await this.#discover();
    const timer = setInterval(() => { this.#discover().catch((err) => ctx.log.debug('rediscovery failed', { err })); }, REDISCOVER_MS);
    timer.unref();
  }

  async #discover(): Promise<void> {
    for (const r of await discoverResources(this.#ctx.client)) {
      this.#byKind.set(`${apiVersionOf(r)}/${r.kind}`, r);
      if (!(r.verbs.includes('list') && r.verbs.includes('watch') && r.verbs.includes('delete'))) continue;
      const id = `${r.group}/${r.plural}`;
      if (this.#watched.has(id)) continue;
      this.#watched.add(id);
      const inf = this.#ctx.informers.informerFor(r, { metadataOnly: true });
      inf.addHandler({
        add: (o) => this.#observe(r, o),
        update: (_old, o) => this.#observe(r, o),
        delete: (o) => this.#forget(o),
      });
    }
  }

  #observe(r: DiscoveredResource, obj: KubeObject): void {
    const { node, ownersChanged, previous } = this.#graph.upsert(r, obj);
    if (node.owners.length && (ownersChanged || (node.deleting && !previous?.deleting))) this.#enqueue(`dependent:${node.uid}`);
    if (node.deleting && node.finalizers.includes(ORPHAN)) this.#enqueue(`orphan:${node.uid}`);
    if (node.deleting && node.finalizers.includes(FOREGROUND)) {
      this.#enqueue(`foreground:${node.uid}`);
      for (const d of this.#graph.dependents(node.uid)) this.#enqueue(`dependent:${d.uid}`);
    }
  }

  #forget(obj: KubeObject): void {
    const node = this.#graph.remove(obj.metadata?.uid);
    if (!node) return;
    for (const d of this.#graph.dependents(node.uid)) this.#enqueue(`dependent:${d.uid}`);
    for (const o of node.owners) if (this.#graph.nodes.get(o.uid)?.finalizers.includes(FOREGROUND)) this.#enqueue(`foreground:${o.uid}`);
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const [kind, uid] = key.split(':');
    const node = this.#graph.nodes.get(uid);
    if (!node) return;
    if (kind === 'dependent') return this.#attemptToDelete(node);
    if (kind === 'orphan') return this.#orphanDependents(node);
    if (kind === 'foreground') return this.#deleteDependentsFirst(node);
  }

  /** Does the owner exist as that uid? The graph first; the API when the graph has not seen it. */
  async #ownerState(ref: OwnerReference, namespace: string): Promise<'absent' | 'solid' | 'waiting'> {
    let node = this.#graph.nodes.get(ref.uid);
    if (!node) {
      const r = this.#byKind.get(`${ref.apiVersion}/${ref.kind}`);
      if (!r) return 'solid'; // unknown kind: never collect on a guess
      try {
        const live = await this.#ctx.client.get(r, r.namespaced ? namespace : undefined, ref.name);
        if (live.metadata?.uid !== ref.uid) return 'absent';
        node = this.#graph.upsert(r, live).node;
      } catch (e) {
        if (isNotFound(e)) return 'absent';
        throw e;
      }
    }
    return node.deleting && node.finalizers.includes(FOREGROUND) ? 'waiting' : 'solid';
  }

  async #attemptToDelete(node: GraphNode): Promise<ReconcileResult | void> {
    if (node.deleting || !node.owners.length) return;
    const states = await Promise.all(node.owners.map((o) => this.#ownerState(o, node.namespace)));
    const solid = node.owners.filter((_, i) => states[i] === 'solid');
    const dangling = node.owners.filter((_, i) => states[i] === 'absent');
    const waiting = node.owners.filter((_, i) => states[i] === 'waiting');
    if (solid.length) {
      if (dangling.length) await this.#removeOwnerRefs(node, new Set(dangling.map((o) => o.uid)));
      return;
    }
    // No owner stays: the dependent goes. If an owner waits for its dependents, go in the foreground too.
    const policy = waiting.length && this.#graph.dependents(node.uid).length ? 'Foreground' : 'Background';
    try {
      await this.#ctx.client.delete(node.resource, node.resource.namespaced ? node.namespace : undefined, node.name, { propagationPolicy: policy, preconditions: { uid: node.uid } });
    } catch (e) {
      if (isNotFound(e) || isConflict(e)) return;
      throw e;
    }
  }

  async #orphanDependents(owner: GraphNode): Promise<ReconcileResult | void> {
    for (const d of this.#graph.dependents(owner.uid)) await this.#removeOwnerRefs(d, new Set([owner.uid]));
    await this.#removeFinalizer(owner, ORPHAN);
  }

  async #deleteDependentsFirst(owner: GraphNode): Promise<ReconcileResult | void> {
    const dependents = this.#graph.dependents(owner.uid);
    for (const d of dependents) {
      if (d.deleting) continue;
      const others = d.owners.filter((o) => o.uid !== owner.uid);
      if (others.length) {
        // Another owner may keep it: let the dependent's own check decide.
        this.#enqueue(`dependent:${d.uid}`);
        continue;
      }
      const policy = this.#graph.dependents(d.uid).length ? 'Foreground' : 'Background';
      await this.#ctx.client.delete(d.resource, d.resource.namespaced ? d.namespace : undefined, d.name, { propagationPolicy: policy, preconditions: { uid: d.uid } })
        .catch((e) => { if (!(isNotFound(e) || isConflict(e))) throw e; });
    }
    const blocking = this.#graph.dependents(owner.uid).filter((d) => d.owners.some((o) => o.uid === owner.uid && o.blockOwnerDeletion));
    if (blocking.length) return { requeueAfterMs: 2000 };
    await this.#removeFinalizer(owner, FOREGROUND);
  }

  async #removeOwnerRefs(node: GraphNode, uids: Set<string>): Promise<void> {
    const ns = node.resource.namespaced ? node.namespace : undefined;
    for (let attempt = 0; attempt < 5; attempt++) {
      let live: KubeObject;
      try { live = await this.#ctx.client.get(node.resource, ns, node.name); } catch (e) { if (isNotFound(e)) return; throw e; }
      if (live.metadata?.uid !== node.uid) return;
      const refs = (live.metadata.ownerReferences ?? []).filter((o: OwnerReference) => !uids.has(o.uid));
      try {
        await this.#ctx.client.patch(node.resource, ns, node.name, [
          { op: 'test', path: '/metadata/resourceVersion', value: live.metadata.resourceVersion },
          refs.length ? { op: 'replace', path: '/metadata/ownerReferences', value: refs } : { op: 'remove', path: '/metadata/ownerReferences' },
        ], 'json');
        return;
      } catch (e) {
        if (isNotFound(e)) return;
        if (!(isConflict(e) || (e as any)?.code === 422)) throw e;
      }
    }
    throw new Error(`could not update owner references of ${node.namespace}/${node.name}`);
  }

  async #removeFinalizer(node: GraphNode, finalizer: string): Promise<void> {
    const ns = node.resource.namespaced ? node.namespace : undefined;
    for (let attempt = 0; attempt < 5; attempt++) {
      let live: KubeObject;
      try { live = await this.#ctx.client.get(node.resource, ns, node.name); } catch (e) { if (isNotFound(e)) return; throw e; }
      if (live.metadata?.uid !== node.uid) return;
      const finalizers: string[] = live.metadata.finalizers ?? [];
      if (!finalizers.includes(finalizer)) return;
      try {
        await this.#ctx.client.patch(node.resource, ns, node.name, [
          { op: 'test', path: '/metadata/resourceVersion', value: live.metadata.resourceVersion },
          { op: 'replace', path: '/metadata/finalizers', value: finalizers.filter((f) => f !== finalizer) },
        ], 'json');
        return;
      } catch (e) {
        if (isNotFound(e)) return;
        if (!(isConflict(e) || (e as any)?.code === 422)) throw e;
      }
    }
    throw new Error(`could not remove finalizer ${finalizer} from ${node.namespace}/${node.name}`);
  }
}
