// The DaemonSet controller: one pod per eligible node, pinned to it by required node affinity
// on metadata.name (the scheduler binds it), following nodes as they come, go and change;
// template changes roll out node by node (RollingUpdate with maxUnavailable/maxSurge) or on
// deletion (OnDelete), recorded as ControllerRevisions.
import type { Controller, ControllerContext, ReconcileResult } from '../engine/controller.ts';
import type { KubeObject, ResourceRef } from '../../client/api-client.ts';
import type { Informer } from '../../client/informer.ts';
import { Expectations } from '../engine/expectations.ts';
import { slowStartBatch } from '../engine/slow-start.ts';
import { claimChildren, controllerRefOf } from '../engine/controller-ref.ts';
import { CONTROLLER_REVISIONS } from '../engine/history.ts';
import { labelSelectorFromObject, type LabelSelector } from '../../api/selectors/index.ts';
import { isNotFound } from '../../api/status.ts';
import { nodeShouldRunDaemonPod } from './node-fit.ts';
import { newDaemonPod, REVISION_HASH_LABEL } from './daemon-pod.ts';
import { DAEMONSETS, cleanupHistory, constructHistory } from './revisions.ts';
import { computeStatus, manage, podsByNode, rollingUpdate, type DaemonSetStatus } from './plan.ts';

const PODS: ResourceRef = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const NODES: ResourceRef = { group: '', version: 'v1', plural: 'nodes', namespaced: false };
/** At most this many pods are created or deleted for one set in one sync (upstream burstReplicas). */
const BURST_REPLICAS = 250;

const keyOf = (o: KubeObject) => `${o.metadata.namespace}/${o.metadata.name}`;
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

export class DaemonSetController implements Controller {
  readonly name = 'daemonset';
  #ctx!: ControllerContext;
  #sets!: Informer;
  #pods!: Informer;
  #nodes!: Informer;
  #revisions!: Informer;
  // Two ledgers so creations and deletions of one sync can be pending at the same time.
  readonly #creations = new Expectations();
  readonly #deletions = new Expectations();

  setup(ctx: ControllerContext, enqueue: (key: string) => void): void {
    this.#ctx = ctx;
    this.#sets = ctx.informers.informerFor(DAEMONSETS);
    this.#pods = ctx.informers.informerFor(PODS);
    this.#nodes = ctx.informers.informerFor(NODES);
    this.#revisions = ctx.informers.informerFor(CONTROLLER_REVISIONS);

    const enqueueSet = (ds: KubeObject) => enqueue(keyOf(ds));
    this.#sets.addHandler({ add: enqueueSet, update: (_o, ds) => enqueueSet(ds), delete: enqueueSet });

    const ownerOf = (obj: KubeObject): KubeObject | undefined => {
      const ref = controllerRefOf(obj);
      if (ref?.kind !== 'DaemonSet') return undefined;
      const ds = this.#sets.get(`${obj.metadata.namespace}/${ref.name}`);
      return ds?.metadata.uid === ref.uid ? ds : undefined;
    };
    const enqueueMatching = (obj: KubeObject) => {
      for (const ds of this.#sets.list()) {
        if (ds.metadata.namespace === obj.metadata.namespace && selectorOf(ds)?.matches(obj.metadata.labels)) enqueueSet(ds);
      }
    };
    this.#pods.addHandler({
      add: (pod) => {
        const owner = ownerOf(pod);
        if (owner) { this.#creations.creationObserved(keyOf(owner)); enqueueSet(owner); }
        else if (!controllerRefOf(pod)) enqueueMatching(pod);
      },
      update: (old, pod) => {
        const before = ownerOf(old);
        const owner = ownerOf(pod);
        if (before && before.metadata.uid !== owner?.metadata.uid) enqueueSet(before);
        if (owner) enqueueSet(owner);
        else if (!controllerRefOf(pod)) enqueueMatching(pod);
      },
      delete: (pod) => {
        const owner = ownerOf(pod);
        if (owner) { this.#deletions.deletionObserved(keyOf(owner)); enqueueSet(owner); }
      },
    });
    const onRevision = (r: KubeObject) => { const owner = ownerOf(r); if (owner) enqueueSet(owner); else if (!controllerRefOf(r)) enqueueMatching(r); };
    this.#revisions.addHandler({ add: onRevision, update: (_o, r) => onRevision(r), delete: onRevision });

    this.#nodes.addHandler({
      add: (node) => { for (const ds of this.#sets.list()) if (nodeShouldRunDaemonPod(node, ds).shouldRun) enqueueSet(ds); },
      update: (old, node) => {
        if (!nodeChangeMatters(old, node)) return;
        for (const ds of this.#sets.list()) {
          const a = nodeShouldRunDaemonPod(old, ds);
          const b = nodeShouldRunDaemonPod(node, ds);
          if (a.shouldRun !== b.shouldRun || a.shouldContinueRunning !== b.shouldContinueRunning) enqueueSet(ds);
        }
      },
      delete: () => { for (const ds of this.#sets.list()) enqueueSet(ds); },
    });
  }

  #satisfied(key: string): boolean {
    return this.#creations.satisfied(key) && this.#deletions.satisfied(key);
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const cached = this.#sets.get(key);
    if (!cached) { this.#creations.forget(key); this.#deletions.forget(key); return; }
    const ds: KubeObject = { ...cached, apiVersion: 'apps/v1', kind: 'DaemonSet' };
    const selector = selectorOf(ds);
    if (!selector) { this.#ctx.log.warn('daemonset has an invalid selector', { key }); return; }
    if (selector.isEmpty()) {
      this.#ctx.recorder.event(ds, 'Warning', 'SelectingAll', 'This daemon set is selecting all pods. A non-empty selector is required.');
      return;
    }
    // Its revisions may already be gone or orphaned: nothing reliable to compute status from.
    if (ds.metadata.deletionTimestamp) return;

    const client = this.#ctx.client;
    const ns = ds.metadata.namespace;
    const canAdopt = async () => {
      try {
        const fresh = await client.get(DAEMONSETS, ns, ds.metadata.name);
        return fresh.metadata.uid === ds.metadata.uid && !fresh.metadata.deletionTimestamp;
      } catch (e) { if (isNotFound(e)) return false; throw e; }
    };
    const inNamespace = (o: KubeObject) => o.metadata.namespace === ns;
    const pods = await claimChildren({ client, owner: ds, childResource: PODS, canAdopt, matches: (p) => selector.matches(p.metadata.labels) }, this.#pods.list().filter(inNamespace));
    const histories = await claimChildren({ client, owner: ds, childResource: CONTROLLER_REVISIONS, canAdopt, matches: (r) => selector.matches(r.metadata.labels) }, this.#revisions.list().filter(inNamespace));
    const { current, old } = await constructHistory(client, ds, histories);
    const hash: string = current.metadata.labels?.[REVISION_HASH_LABEL] ?? '';
    const nodes = this.#nodes.list();
    const byNode = podsByNode(pods);

    if (!this.#satisfied(key)) {
      // Writes of an earlier sync are not all visible yet: report, but do not act or claim this generation.
      await this.#writeStatus(ds, computeStatus(ds, nodes, byNode, hash), false);
      return;
    }
    let failure: unknown;
    try {
      const plan = manage(ds, nodes, byNode, hash);
      for (const { pod, node } of plan.failed) {
        this.#ctx.recorder.event(ds, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${pod.metadata.namespace}/${pod.metadata.name} on node ${node}, will try to kill it`);
      }
      await this.#syncNodes(ds, key, plan.podsToDelete, plan.nodesNeedingPods, hash);
      if (this.#satisfied(key) && ds.spec?.updateStrategy?.type === 'RollingUpdate') {
        const step = rollingUpdate(ds, nodes, byNode, hash);
        await this.#syncNodes(ds, key, step.podsToDelete, step.nodesToCreate, hash);
      }
      await cleanupHistory(client, ds, old, pods);
    } catch (e) {
      failure = e;
    }
    const status = computeStatus(ds, nodes, byNode, hash);
    await this.#writeStatus(ds, status, true);
    if (failure) throw failure;
    const minReady = ds.spec?.minReadySeconds ?? 0;
    if (minReady > 0 && status.numberReady !== status.numberAvailable) return { requeueAfterMs: minReady * 1000 };
  }

  /** Creates pods on nodes and deletes pods, expecting to see each in the cache (upstream syncNodes). */
  async #syncNodes(ds: KubeObject, key: string, podsToDelete: string[], nodesNeedingPods: string[], hash: string): Promise<void> {
    const createCount = Math.min(nodesNeedingPods.length, BURST_REPLICAS);
    const deleteCount = Math.min(podsToDelete.length, BURST_REPLICAS);
    if (!createCount && !deleteCount) return;
    this.#creations.expectCreations(key, createCount);
    this.#deletions.expectDeletions(key, deleteCount);
    const client = this.#ctx.client;
    const recorder = this.#ctx.recorder;
    const errors: unknown[] = [];

    let attempted = 0;
    try {
      await slowStartBatch(createCount, 1, async (i) => {
        attempted++;
        try {
          const created = await client.create(PODS, ds.metadata.namespace, newDaemonPod(ds, nodesNeedingPods[i]!, hash));
          recorder.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
        } catch (e) {
          this.#creations.creationObserved(key);
          recorder.event(ds, 'Warning', 'FailedCreate', `Error creating: ${messageOf(e)}`);
          throw e;
        }
      });
    } catch (e) {
      errors.push(e);
      // Creations never attempted will not be observed.
      for (let i = attempted; i < createCount; i++) this.#creations.creationObserved(key);
    }

    await Promise.all(podsToDelete.slice(0, deleteCount).map(async (name) => {
      try {
        await client.delete(PODS, ds.metadata.namespace, name);
        recorder.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
      } catch (e) {
        this.#deletions.deletionObserved(key);
        if (isNotFound(e)) return;
        recorder.event(ds, 'Warning', 'FailedDelete', `Error deleting: ${messageOf(e)}`);
        errors.push(e);
      }
    }));
    if (errors.length) throw errors[0];
  }

  async #writeStatus(ds: KubeObject, s: DaemonSetStatus, observed: boolean): Promise<void> {
    const old = ds.status ?? {};
    const observedGeneration = observed ? ds.metadata.generation ?? 0 : old.observedGeneration ?? 0;
    const same = (Object.keys(s) as (keyof DaemonSetStatus)[]).every((k) => (old[k] ?? 0) === s[k]) && (old.observedGeneration ?? 0) === observedGeneration;
    if (same) return;
    const orNull = (v: number) => (v ? v : null);
    try {
      await this.#ctx.client.patch(DAEMONSETS, ds.metadata.namespace, ds.metadata.name, {
        status: {
          desiredNumberScheduled: s.desiredNumberScheduled, currentNumberScheduled: s.currentNumberScheduled,
          numberMisscheduled: s.numberMisscheduled, numberReady: s.numberReady,
          observedGeneration: orNull(observedGeneration), updatedNumberScheduled: orNull(s.updatedNumberScheduled),
          numberAvailable: orNull(s.numberAvailable), numberUnavailable: orNull(s.numberUnavailable),
        },
      }, 'merge', 'status');
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}

/** Only label, taint, unschedulable and condition changes can change where daemon pods belong. */
function nodeChangeMatters(old: KubeObject, node: KubeObject): boolean {
  const j = (v: unknown) => JSON.stringify(v ?? null);
  const conds = (n: KubeObject) => (n.status?.conditions ?? []).map((c: KubeObject) => [c.type, c.status]);
  return j(old.metadata?.labels) !== j(node.metadata?.labels) || j(old.spec) !== j(node.spec) || j(conds(old)) !== j(conds(node));
}

function selectorOf(ds: KubeObject): LabelSelector | undefined {
  try { return labelSelectorFromObject(ds.spec?.selector); } catch { return undefined; }
}
