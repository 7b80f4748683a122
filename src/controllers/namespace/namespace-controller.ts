// The namespace controller: a namespace being deleted is emptied of every namespaced object,
// then its 'kubernetes' finalizer is removed so it can go (upstream's namespace deleter).
import type { Controller, ControllerContext, ReconcileResult } from '../engine/controller.ts';
import type { KubeObject, ResourceRef } from '../../client/api-client.ts';
import type { Informer } from '../../client/informer.ts';
import { discoverResources } from '../../client/discovery.ts';
import { isNotFound, isStatusError } from '../../api/status.ts';

const NAMESPACES: ResourceRef = { group: '', version: 'v1', plural: 'namespaces', namespaced: false };
const FINALIZER = 'kubernetes';

export class NamespaceController implements Controller {
  readonly name = 'namespace';
  #ctx!: ControllerContext;
  #namespaces!: Informer;

  setup(ctx: ControllerContext, enqueue: (key: string) => void): void {
    this.#ctx = ctx;
    this.#namespaces = ctx.informers.informerFor(NAMESPACES);
    this.#namespaces.addHandler({
      add: (o) => { if (o.metadata?.deletionTimestamp) enqueue(o.metadata.name); },
      update: (_old, o) => { if (o.metadata?.deletionTimestamp) enqueue(o.metadata.name); },
    });
  }

  async reconcile(name: string): Promise<ReconcileResult | void> {
    const ns = this.#namespaces.get(name);
    if (!ns?.metadata?.deletionTimestamp) return;
    if (!(ns.spec?.finalizers ?? []).includes(FINALIZER)) return;
    const client = this.#ctx.client;
    const resources = (await discoverResources(client)).filter((r) => r.namespaced && r.verbs.includes('list') && (r.verbs.includes('deletecollection') || r.verbs.includes('delete')));
    let remaining = 0;
    const remainingByResource: string[] = [];
    const finalizersLeft = new Set<string>();
    for (const r of resources) {
      try {
        if (r.verbs.includes('deletecollection')) await client.deleteCollection(r, name, { propagationPolicy: 'Background' });
        else {
          const list = await client.list(r, name);
          for (const item of list.items ?? []) await client.delete(r, name, item.metadata.name, { propagationPolicy: 'Background' }).catch((e) => { if (!isNotFound(e)) throw e; });
        }
        const left = await client.list(r, name);
        const items: KubeObject[] = left.items ?? [];
        if (items.length) {
          remaining += items.length;
          remainingByResource.push(`${r.group ? `${r.plural}.${r.group}` : r.plural} has ${items.length} resource instances`);
          for (const i of items) for (const f of i.metadata?.finalizers ?? []) finalizersLeft.add(f);
        }
      } catch (e) {
        if (isStatusError(e) && (e.code === 404 || e.code === 405)) continue;
        throw e;
      }
    }
    await this.#setConditions(ns, remainingByResource, [...finalizersLeft]);
    if (remaining > 0) return { requeueAfterMs: 1000 };
    const finalizers = (ns.spec?.finalizers ?? []).filter((f: string) => f !== FINALIZER);
    try {
      await client.update(NAMESPACES, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name, resourceVersion: ns.metadata.resourceVersion }, spec: { finalizers } }, 'finalize');
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
  }

  /** Upstream's NamespaceContentRemaining / NamespaceFinalizersRemaining conditions. */
  async #setConditions(ns: KubeObject, remaining: string[], finalizers: string[]): Promise<void> {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const cond = (type: string, on: boolean, reason: string, message: string) => ({ type, status: on ? 'True' : 'False', lastTransitionTime: now, reason, message });
    const conditions = [
      cond('NamespaceDeletionDiscoveryFailure', false, 'ResourcesDiscovered', 'All resources successfully discovered'),
      cond('NamespaceDeletionGroupVersionParsingFailure', false, 'ParsedGroupVersions', 'All legacy kube types successfully parsed'),
      cond('NamespaceDeletionContentFailure', false, 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'),
      remaining.length ? cond('NamespaceContentRemaining', true, 'SomeResourcesRemain', `Some resources are remaining: ${remaining.join(', ')}`) : cond('NamespaceContentRemaining', false, 'ContentRemoved', 'All content successfully removed'),
      finalizers.length ? cond('NamespaceFinalizersRemaining', true, 'SomeFinalizersRemain', `Some content in the namespace has finalizers remaining: ${finalizers.join(', ')}`) : cond('NamespaceFinalizersRemaining', false, 'ContentHasNoFinalizers', 'All content-preserving finalizers finished'),
    ];
    const old = ns.status?.conditions ?? [];
    const same = conditions.every((c) => old.some((o: KubeObject) => o.type === c.type && o.status === c.status && o.message === c.message));
    if (same) return;
    for (const c of conditions) { const o = old.find((x: KubeObject) => x.type === c.type && x.status === c.status); if (o) c.lastTransitionTime = o.lastTransitionTime; }
    await this.#ctx.client.patch(NAMESPACES, undefined, ns.metadata.name, { status: { conditions } }, 'merge', 'status').catch(() => undefined);
  }
}
