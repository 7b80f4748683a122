// The deployment controller: a Deployment is rolled out through ReplicaSets named
// `<deployment>-<pod-template-hash>`, one per template revision (upstream's
// pkg/controller/deployment). Events on Deployments, their ReplicaSets and (for Recreate) their
// pods map to the Deployment's key; reconcile reads caches and writes through the API.
import type { Controller, ControllerContext, ReconcileResult } from '../engine/controller.ts';
import type { KubeObject, ResourceRef } from '../../client/api-client.ts';
import type { Informer } from '../../client/informer.ts';
import { keyOf } from '../../client/informer.ts';
import { labelSelectorFromObject } from '../../api/selectors/index.ts';
import { claimChildren, controllerRefOf } from '../engine/controller-ref.ts';
import { DeploymentSync, DEPLOYMENTS, REPLICA_SETS } from './deployment-sync.ts';
import { rolloutRolling } from './rolling-update.ts';
import { rolloutRecreate } from './recreate.ts';
import { DESIRED_REPLICAS_ANNOTATION, replicasOf } from './rollout-arithmetic.ts';
import { isActive } from './replica-sets.ts';

/** How long to wait for the cache to show our own write before acting anyway. */
const CACHE_CATCH_UP_MS = 5000;
const PODS: ResourceRef = { group: '', version: 'v1', plural: 'pods', namespaced: true };

export class DeploymentController implements Controller {
  readonly name = 'deployment';
  #ctx!: ControllerContext;
  #deployments!: Informer;
  #replicaSets!: Informer;
  #pods!: Informer;
  /** Deployments we wrote, by key: the resourceVersion our cache must reach before acting again. */
  readonly #written = new Map<string, { rv: string; at: number }>();

  setup(ctx: ControllerContext, enqueue: (key: string) => void): void {
    this.#ctx = ctx;
    this.#deployments = ctx.informers.informerFor(DEPLOYMENTS);
    this.#replicaSets = ctx.informers.informerFor(REPLICA_SETS);
    this.#pods = ctx.informers.informerFor(PODS);
    const deployment = (o: KubeObject) => enqueue(keyOf(o));
    this.#deployments.addHandler({ add: deployment, update: (_o, n) => deployment(n), delete: deployment });
    this.#replicaSets.addHandler({
      add: (rs) => this.#ownersOfReplicaSet(rs).forEach(enqueue),
      update: (old, rs) => {
        if (old.metadata.resourceVersion === rs.metadata.resourceVersion) return;
        const keys = new Set(this.#ownersOfReplicaSet(rs));
        const oldRef = controllerRefOf(old);
        const newRef = controllerRefOf(rs);
        if (oldRef && oldRef.uid !== newRef?.uid) for (const k of this.#ownersOfReplicaSet(old)) keys.add(k);
        keys.forEach(enqueue);
      },
      delete: (rs) => { const k = this.#ownerKey(rs); if (k) enqueue(k); },
    });
    // Recreate waits for the old pods to be gone: a pod deletion may unblock it.
    this.#pods.addHandler({
      delete: (pod) => {
        const rsRef = controllerRefOf(pod);
        if (rsRef?.kind !== 'ReplicaSet') return;
        const rs = this.#replicaSets.get(`${pod.metadata.namespace}/${rsRef.name}`);
        const key = rs && rs.metadata.uid === rsRef.uid ? this.#ownerKey(rs) : undefined;
        const d = key ? this.#deployments.get(key) : undefined;
        if (d?.spec?.strategy?.type === 'Recreate') enqueue(key!);
      },
    });
  }

  /** The controlling Deployment's key, when it exists with that uid. */
  #ownerKey(rs: KubeObject): string | undefined {
    const ref = controllerRefOf(rs);
    if (ref?.kind !== 'Deployment') return undefined;
    const key = `${rs.metadata.namespace}/${ref.name}`;
    return this.#deployments.get(key)?.metadata.uid === ref.uid ? key : undefined;
  }

  /** A controlled RS maps to its owner; an orphan to every Deployment that selects it (to adopt it). */
  #ownersOfReplicaSet(rs: KubeObject): string[] {
    if (controllerRefOf(rs)) { const k = this.#ownerKey(rs); return k ? [k] : []; }
    if (rs.metadata.deletionTimestamp) return [];
    return this.#deployments.list()
      .filter((d) => d.metadata.namespace === rs.metadata.namespace && selects(d, rs.metadata.labels))
      .map(keyOf);
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const cached = this.#deployments.get(key);
    if (!cached) { this.#written.delete(key); return; }
    if (this.#cacheBehindOwnWrite(key, cached)) return;
    const { client, recorder } = this.#ctx;
    const sync = new DeploymentSync(cached, client, recorder);
    try {
      return await this.#reconcile(sync);
    } finally {
      const rv = sync.d.metadata.resourceVersion;
      if (rv !== cached.metadata.resourceVersion) this.#written.set(key, { rv, at: Date.now() });
    }
  }

  /**
   * After writing a Deployment we wait for the cache to show that write (its update event
   * enqueues the key again): acting on the older copy would only end in a conflict.
   */
  #cacheBehindOwnWrite(key: string, cached: KubeObject): boolean {
    const w = this.#written.get(key);
    if (!w) return false;
    const have = cached.metadata.resourceVersion;
    if (/^\d+$/.test(have) && /^\d+$/.test(w.rv) && BigInt(have) < BigInt(w.rv) && Date.now() - w.at < CACHE_CATCH_UP_MS) return true;
    this.#written.delete(key);
    return false;
  }

  async #reconcile(sync: DeploymentSync): Promise<ReconcileResult | void> {
    const { recorder } = this.#ctx;
    const d = sync.d;
    const selector = d.spec?.selector;
    if (!selector || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0)) {
      recorder.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < d.metadata.generation) await sync.writeStatus({ ...(d.status ?? {}), observedGeneration: d.metadata.generation });
      return;
    }
    const rsList = await this.#claimReplicaSets(d);
    if (d.metadata.deletionTimestamp) {
      const { newRS, oldRSs } = await sync.replicaSetsAndSyncRevision(rsList, false);
      await sync.syncStatus([...oldRSs, ...(newRS ? [newRS] : [])], newRS);
      return;
    }
    await sync.checkPausedConditions();
    if (d.spec.paused) return sync.sync(rsList);
    if (isScalingEvent(d, rsList)) return sync.sync(rsList);
    if (d.spec.strategy?.type === 'Recreate') return rolloutRecreate(sync, rsList, this.#podsByReplicaSet(d, rsList));
    return rolloutRolling(sync, rsList);
  }

  async #claimReplicaSets(d: KubeObject): Promise<KubeObject[]> {
    const ns = d.metadata.namespace;
    const candidates = this.#replicaSets.list().filter((rs) => rs.metadata.namespace === ns);
    const claimed = await claimChildren({
      client: this.#ctx.client, owner: d, childResource: REPLICA_SETS,
      matches: (rs) => selects(d, rs.metadata.labels),
      canAdopt: async () => {
        const fresh = await this.#ctx.client.get(DEPLOYMENTS, ns, d.metadata.name).catch(() => undefined);
        return !!fresh && fresh.metadata.uid === d.metadata.uid && !fresh.metadata.deletionTimestamp;
      },
    }, candidates);
    return claimed;
  }

  #podsByReplicaSet(d: KubeObject, rsList: KubeObject[]): Map<string, KubeObject[]> {
    const uids = new Set(rsList.map((rs) => rs.metadata.uid));
    const byOwner = new Map<string, KubeObject[]>(rsList.map((rs) => [rs.metadata.uid, []]));
    for (const pod of this.#pods.list()) {
      if (pod.metadata.namespace !== d.metadata.namespace || !selects(d, pod.metadata.labels)) continue;
      const ref = controllerRefOf(pod);
      if (ref && uids.has(ref.uid)) byOwner.get(ref.uid)!.push(pod);
    }
    return byOwner;
  }
}

function selects(d: KubeObject, labels: Record<string, string> | undefined): boolean {
  try { return labelSelectorFromObject(d.spec?.selector).matches(labels ?? {}); } catch { return false; }
}

/** spec.replicas differs from what an active RS was last sized for: resize without rolling. */
function isScalingEvent(d: KubeObject, rsList: KubeObject[]): boolean {
  for (const rs of rsList.filter(isActive)) {
    const v = rs.metadata.annotations?.[DESIRED_REPLICAS_ANNOTATION];
    if (v === undefined || !/^-?\d+$/.test(v)) continue;
    if (Number(v) !== replicasOf(d)) return true;
  }
  return false;
}
