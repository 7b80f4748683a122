// The resource quota controller (upstream pkg/controller/resourcequota): keeps every quota's
// status.hard equal to spec.hard and status.used equal to what the namespace's objects use,
// recounted when a quota changes, when an object it counts comes, changes usage or goes, and
// periodically. Admission charges quotas as writes arrive; this is what releases usage.
import type { Controller, ControllerContext, ReconcileResult } from '../engine/controller.ts';
import type { KubeObject, ResourceRef } from '../../client/api-client.ts';
import type { Informer } from '../../client/informer.ts';
import { discoverResources } from '../../client/discovery.ts';
import { isNotFound } from '../../api/status.ts';
import {
  addLists, evaluatorsForNames, listsEqual, maskList, quotaCovers, type QuotaEvaluator, type ResourceList,
} from '../../api/quota/index.ts';

const QUOTAS: ResourceRef = { group: '', version: 'v1', plural: 'resourcequotas', namespaced: true };
/** Kinds whose usage depends on their content; every other kind is only counted. */
const CONTENT: Record<string, ResourceRef> = {
  '/pods': { group: '', version: 'v1', plural: 'pods', namespaced: true },
  '/services': { group: '', version: 'v1', plural: 'services', namespaced: true },
  '/persistentvolumeclaims': { group: '', version: 'v1', plural: 'persistentvolumeclaims', namespaced: true },
};

export interface ResourceQuotaControllerOptions {
  /** Full recount of every quota this often (upstream's --resource-quota-sync-period, 5 min). */
  resyncMs?: number;
  now?: () => Date;
}

export class ResourceQuotaController implements Controller {
  readonly name = 'resourcequota';
  readonly #resyncMs: number;
  readonly #now: () => Date;
  #ctx!: ControllerContext;
  #quotas!: Informer;
  #enqueue!: (key: string) => void;
  /** Informers of counted kinds, made when a quota first needs one: group/plural → informer. */
  readonly #counted = new Map<string, Informer>();
  #discovered: Map<string, ResourceRef> | undefined;

  constructor(opts: ResourceQuotaControllerOptions = {}) {
    this.#resyncMs = opts.resyncMs ?? 5 * 60_000;
    this.#now = opts.now ?? (() => new Date());
  }

  setup(ctx: ControllerContext, enqueue: (key: string) => void): void {
    this.#ctx = ctx;
    this.#enqueue = enqueue;
    this.#quotas = ctx.informers.informerFor(QUOTAS);
    const key = (o: KubeObject) => `${o.metadata.namespace}/${o.metadata.name}`;
    this.#quotas.addHandler({
      add: (o) => enqueue(key(o)),
      update: (old, o) => {
        // Our own status writes come back here; only a change of what is enforced needs a recount.
        if (JSON.stringify(old.spec) !== JSON.stringify(o.spec) || !listsEqual(o.spec?.hard, o.status?.hard) || !o.status?.used) enqueue(key(o));
      },
    });
    // Pods, services and claims are watched from the start: they are what quotas usually count.
    for (const [gr, ref] of Object.entries(CONTENT)) this.#counted.set(gr, this.#watchCounted(ref, gr === '/pods'));
  }

  #watchCounted(ref: ResourceRef, compareUsage: boolean): Informer {
    const inf = this.#ctx.informers.informerFor(ref, CONTENT[`${ref.group}/${ref.plural}`] ? {} : { metadataOnly: true });
    const touch = (o: KubeObject) => this.#enqueueNamespace(o.metadata?.namespace);
    inf.addHandler({
      add: touch,
      delete: touch,
      update: (old, o) => {
        if (!compareUsage) { if (JSON.stringify(old.spec) !== JSON.stringify(o.spec) || JSON.stringify(old.status) !== JSON.stringify(o.status)) touch(o); return; }
        // A pod's usage changes when it finishes or starts terminating, not on every status report.
        const was = quotaRelevant(old), is = quotaRelevant(o);
        if (was !== is) touch(o);
      },
    });
    return inf;
  }

  #enqueueNamespace(ns: string | undefined): void {
    if (!ns) return;
    for (const q of this.#quotas.list()) if (q.metadata.namespace === ns) this.#enqueue(`${ns}/${q.metadata.name}`);
  }

  /** The informer counting a kind, made (and synced) on first use. */
  async #informerFor(ev: QuotaEvaluator): Promise<Informer | undefined> {
    const gr = `${ev.group}/${ev.plural}`;
    let inf = this.#counted.get(gr);
    if (!inf) {
      const ref = await this.#resolve(ev.group, ev.plural);
      if (!ref) return undefined;
      inf = this.#watchCounted(ref, false);
      this.#counted.set(gr, inf);
    }
    await inf.waitForSync();
    return inf;
  }

  /** The served version of a kind, from discovery (asked again when a kind is unknown). */
  async #resolve(group: string, plural: string): Promise<ResourceRef | undefined> {
    if (group === '') return { group, version: 'v1', plural, namespaced: true };
    const find = () => this.#discovered?.get(`${group}/${plural}`);
    if (!find()) {
      const all = await discoverResources(this.#ctx.client);
      this.#discovered = new Map(all.filter((r) => r.namespaced && r.verbs.includes('list') && r.verbs.includes('watch')).map((r) => [`${r.group}/${r.plural}`, { group: r.group, version: r.version, plural: r.plural, namespaced: true }]));
    }
    return find();
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const quota = this.#quotas.get(key);
    if (!quota || quota.metadata.deletionTimestamp) return;
    const hard: ResourceList = { ...(quota.spec?.hard ?? {}) };
    const names = Object.keys(hard);
    let used: ResourceList = Object.fromEntries(names.map((n) => [n, '0']));
    const now = this.#now();
    for (const ev of evaluatorsForNames(names)) {
      const inf = await this.#informerFor(ev);
      if (!inf) continue; // a kind the server does not serve uses nothing
      const mine = ev.matchingResources(names);
      for (const o of inf.list()) {
        if (o.metadata?.namespace !== quota.metadata.namespace) continue;
        if (!quotaCovers(quota, ev, o, hard)) continue;
        used = addLists(used, maskList(ev.usage(o, now), mine));
      }
    }
    if (!(listsEqual(quota.status?.hard, hard) && listsEqual(quota.status?.used, used))) {
      try {
        await this.#ctx.client.update(QUOTAS, quota.metadata.namespace, {
          apiVersion: 'v1', kind: 'ResourceQuota',
          metadata: { name: quota.metadata.name, namespace: quota.metadata.namespace, resourceVersion: quota.metadata.resourceVersion },
          spec: quota.spec, status: { hard, used },
        }, 'status');
      } catch (e) {
        if (isNotFound(e)) return;
        throw e; // a conflict (admission charged meanwhile): recount from the newer quota
      }
    }
    return { requeueAfterMs: this.#resyncMs };
  }
}

/** What of a pod decides its compute usage: finished or not, terminating or not. */
function quotaRelevant(pod: KubeObject): string {
  return `${pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed'}|${pod.metadata?.deletionTimestamp ?? ''}`;
}
