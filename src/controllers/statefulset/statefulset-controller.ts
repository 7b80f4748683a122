// The StatefulSet controller: pods with stable names and claims, created in ordinal order
// (OrderedReady) or all at once (Parallel), removed from the highest ordinal down, updated by
// revision (RollingUpdate with partition, or OnDelete). Reads caches, writes through the API.
import type { Controller, ControllerContext, ReconcileResult } from '../engine/controller.ts';
import type { KubeObject, ResourceRef } from '../../client/api-client.ts';
import type { Informer } from '../../client/informer.ts';
import { claimChildren, controllerRefOf } from '../engine/controller-ref.ts';
import { CONTROLLER_REVISIONS, sortRevisions } from '../engine/history.ts';
import { labelSelectorFromObject, type LabelSelector } from '../../api/selectors/index.ts';
import { isNotFound } from '../../api/status.ts';
import { StatefulPodControl, PODS, CLAIMS } from './pod-control.ts';
import { isMemberOf } from './identity.ts';
import { resolveRevisions, truncateHistory } from './revisions.ts';
import { updateStatefulSet } from './update.ts';
import { completeRollingUpdate, statusDiffers, statusPatch } from './status.ts';
import { PendingWrites } from './pending-writes.ts';

export const STATEFULSETS: ResourceRef = { group: 'apps', version: 'v1', plural: 'statefulsets', namespaced: true };

/** While writes are not yet visible in the cache, look again after this long at the latest. */
const PENDING_RECHECK_MS = 1000;

const keyOf = (ns: string, name: string) => `${ns}/${name}`;

export class StatefulSetController implements Controller {
  readonly name = 'statefulset';
  #ctx!: ControllerContext;
  #sets!: Informer;
  #pods!: Informer;
  #claims!: Informer;
  #revisions!: Informer;
  #control!: StatefulPodControl;
  readonly #pending = new PendingWrites();

  setup(ctx: ControllerContext, enqueue: (key: string) => void): void {
    this.#ctx = ctx;
    this.#sets = ctx.informers.informerFor(STATEFULSETS);
    this.#pods = ctx.informers.informerFor(PODS);
    this.#claims = ctx.informers.informerFor(CLAIMS);
    this.#revisions = ctx.informers.informerFor(CONTROLLER_REVISIONS);
    this.#control = new StatefulPodControl(ctx.client, ctx.recorder, this.#claims,
      (set, op, pod) => this.#pending.record(keyOf(set.metadata.namespace, set.metadata.name), op, pod));

    const enqueueSet = (s: KubeObject) => enqueue(keyOf(s.metadata.namespace, s.metadata.name));
    this.#sets.addHandler({ add: enqueueSet, update: (_o, s) => enqueueSet(s), delete: enqueueSet });

    const ownerOf = (pod: KubeObject): KubeObject | undefined => {
      const ref = controllerRefOf(pod);
      if (ref?.kind !== 'StatefulSet') return undefined;
      const set = this.#sets.get(keyOf(pod.metadata.namespace, ref.name));
      return set?.metadata.uid === ref.uid ? set : undefined;
    };
    // An orphan may be adopted by any set whose selector matches it.
    const enqueueMatching = (obj: KubeObject) => {
      for (const set of this.#setsIn(obj.metadata.namespace)) if (selectorOf(set)?.matches(obj.metadata.labels)) enqueueSet(set);
    };
    const onPod = (pod: KubeObject) => {
      const owner = ownerOf(pod);
      if (owner) enqueueSet(owner);
      else if (!controllerRefOf(pod)) enqueueMatching(pod);
    };
    this.#pods.addHandler({
      add: onPod,
      update: (old, pod) => {
        const oldOwner = ownerOf(old);
        if (oldOwner && oldOwner.metadata.uid !== ownerOf(pod)?.metadata.uid) enqueueSet(oldOwner);
        onPod(pod);
      },
      delete: (pod) => { const owner = ownerOf(pod); if (owner) enqueueSet(owner); },
    });
    // A claim that was waiting for garbage collection is gone: the ordinal can be made anew.
    this.#claims.addHandler({ delete: enqueueMatching });
  }

  #setsIn(namespace: string): KubeObject[] {
    return this.#sets.list().filter((s) => s.metadata.namespace === namespace);
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const cached = this.#sets.get(key);
    if (!cached) { this.#pending.forget(key); return; }
    const set: KubeObject = { ...cached, apiVersion: 'apps/v1', kind: 'StatefulSet' };
    const selector = selectorOf(set);
    if (!selector) {
      this.#ctx.log.warn('statefulset has an invalid selector', { key });
      return;
    }
    const ns = set.metadata.namespace;
    if (!this.#pending.satisfied(key, (name) => this.#pods.get(keyOf(ns, name)))) return { requeueAfterMs: PENDING_RECHECK_MS };

    const client = this.#ctx.client;
    const canAdopt = async () => {
      try {
        const fresh = await client.get(STATEFULSETS, ns, set.metadata.name);
        return fresh.metadata.uid === set.metadata.uid && !fresh.metadata.deletionTimestamp;
      } catch (e) { if (isNotFound(e)) return false; throw e; }
    };
    const pods = await claimChildren({ client, owner: set, childResource: PODS, canAdopt, matches: (p) => selector.matches(p.metadata.labels) && isMemberOf(set, p) },
      this.#pods.list().filter((p) => p.metadata.namespace === ns));
    const revisions = await claimChildren({ client, owner: set, childResource: CONTROLLER_REVISIONS, canAdopt, matches: (r) => selector.matches(r.metadata.labels) },
      this.#revisions.list().filter((r) => r.metadata.namespace === ns));
    const sorted = sortRevisions(revisions);

    const { current, update, collisionCount } = await resolveRevisions(client, set, sorted);
    const outcome = await updateStatefulSet({ control: this.#control, recorder: this.#ctx.recorder, set, current, update, collisionCount, pods });
    const status = outcome.status;
    completeRollingUpdate(set, status);
    if (statusDiffers(set, status)) {
      try {
        await client.patch(STATEFULSETS, ns, set.metadata.name, statusPatch(status), 'merge', 'status');
      } catch (e) {
        if (!isNotFound(e)) throw e;
        return;
      }
    }
    await truncateHistory(client, set, pods, sorted, [current, update]);
    if (outcome.error) throw outcome.error;
    const minReady = set.spec?.minReadySeconds ?? 0;
    if (minReady > 0 && status.availableReplicas !== (set.spec?.replicas ?? 1)) return { requeueAfterMs: minReady * 1000 };
  }
}

function selectorOf(set: KubeObject): LabelSelector | undefined {
  try { return labelSelectorFromObject(set.spec?.selector); } catch { return undefined; }
}
