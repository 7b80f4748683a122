// The replica controller core, shared by ReplicaSets and ReplicationControllers (upstream's
// ReplicaSetController, which serves RCs through a conversion). For each owner it claims the
// active pods its selector matches (adopting orphans, releasing pods that stopped matching),
// creates the missing pods in slow-start batches or deletes the least valuable surplus, then
// writes status. Expectations hold an owner back until its own creates and deletes are seen.
import type { Controller, ControllerContext, ReconcileResult } from '../engine/controller.ts';
import { Expectations } from '../engine/expectations.ts';
import { slowStartBatch } from '../engine/slow-start.ts';
import { claimChildren, controllerRefOf, ownerRefFor } from '../engine/controller-ref.ts';
import type { KubeObject, ResourceRef } from '../../client/api-client.ts';
import { keyOf, type Informer } from '../../client/informer.ts';
import { ApiEventRecorder } from '../../client/event-recorder.ts';
import { isNotFound } from '../../api/status.ts';
import type { LabelSelector } from '../../api/selectors/index.ts';
import type { Logger } from '../../base/log.ts';
import { isPodActive, msUntilAvailable } from './pod-state.ts';
import { podsToDelete } from './pod-ranking.ts';
import { PodControl } from './pod-control.ts';
import { calculateStatus, statusUpToDate } from './replica-status.ts';
import { desiredReplicas, minReadySeconds, type ReplicaKind } from './replica-kind.ts';

const PODS: ResourceRef = { group: '', version: 'v1', plural: 'pods', namespaced: true };
/** At most this many pods are created or deleted in one sync (upstream's BurstReplicas). */
export const BURST_REPLICAS = 500;
const SLOW_START_INITIAL_BATCH = 1;
/** Checks for availability run this long after the computed moment, so the pod has crossed it. */
const AVAILABILITY_SLACK_MS = 50;

function sameLabels(a: KubeObject, b: KubeObject): boolean {
  const la: Record<string, string> = a.metadata?.labels ?? {};
  const lb: Record<string, string> = b.metadata?.labels ?? {};
  const ka = Object.keys(la);
  return ka.length === Object.keys(lb).length && ka.every((k) => la[k] === lb[k]);
}

export class ReplicaController implements Controller {
  readonly name: string;
  readonly #kind: ReplicaKind;
  readonly #expectations = new Expectations();
  /** Pods each owner is waiting to see deleted, so each deletion is counted exactly once. */
  readonly #pendingDeletions = new Map<string, Set<string>>();
  /** Pods by namespace, then name: an owner's sync reads only its namespace. */
  readonly #podsByNamespace = new Map<string, Map<string, KubeObject>>();
  #ctx!: ControllerContext;
  #log!: Logger;
  #podControl!: PodControl;
  #owners!: Informer;
  #enqueue!: (key: string) => void;

  constructor(kind: ReplicaKind) {
    this.#kind = kind;
    this.name = kind.controllerName;
  }

  setup(ctx: ControllerContext, enqueue: (key: string) => void): void {
    this.#ctx = ctx;
    this.#log = ctx.log;
    this.#enqueue = enqueue;
    // The manager names event sources "<controller>-controller"; RCs report as "replication-controller".
    const recorder = this.#kind.eventComponent === `${this.name}-controller` ? ctx.recorder : new ApiEventRecorder(ctx.client, this.#kind.eventComponent, ctx.log);
    this.#podControl = new PodControl(ctx.client, recorder);
    this.#owners = ctx.informers.informerFor(this.#kind.resource);
    this.#owners.addHandler({
      add: (o) => enqueue(keyOf(o)),
      update: (old, o) => {
        if (old.metadata?.uid !== o.metadata?.uid) this.#forget(keyOf(old));
        enqueue(keyOf(o));
      },
      delete: (o) => {
        this.#forget(keyOf(o));
        enqueue(keyOf(o));
      },
    });
    ctx.informers.informerFor(PODS).addHandler({
      add: (p) => { this.#index(p); this.#podAdded(p); },
      update: (old, p) => { this.#index(p); this.#podUpdated(old, p); },
      delete: (p) => { this.#unindex(p); this.#podDeleted(p); },
    });
  }

  // ---- event → key mapping (upstream's addPod/updatePod/deletePod) ----

  #index(pod: KubeObject): void {
    const ns = pod.metadata?.namespace ?? '';
    let m = this.#podsByNamespace.get(ns);
    if (!m) {
      m = new Map();
      this.#podsByNamespace.set(ns, m);
    }
    m.set(pod.metadata.name, pod);
  }

  #unindex(pod: KubeObject): void {
    const ns = pod.metadata?.namespace ?? '';
    const m = this.#podsByNamespace.get(ns);
    if (!m) return;
    if (m.get(pod.metadata.name)?.metadata?.uid === pod.metadata?.uid) m.delete(pod.metadata.name);
    if (m.size === 0) this.#podsByNamespace.delete(ns);
  }

  #podsIn(namespace: string): KubeObject[] {
    return [...(this.#podsByNamespace.get(namespace)?.values() ?? [])];
  }

  /** The owner a controller reference names, if it is of our kind and still that object. */
  #resolve(namespace: string, ref: KubeObject): KubeObject | undefined {
    if (ref.kind !== this.#kind.kind) return undefined;
    const owner = this.#owners.get(`${namespace}/${ref.name}`);
    return owner?.metadata?.uid === ref.uid ? owner : undefined;
  }

  /** Owners in the pod's namespace whose selector matches it (candidates to adopt an orphan). */
  #matchingOwners(pod: KubeObject): KubeObject[] {
    const ns = pod.metadata?.namespace;
    return this.#owners.list().filter((o) => {
      if (o.metadata?.namespace !== ns) return false;
      const selector = this.#selectorOrUndefined(o);
      return !!selector && !selector.isEmpty() && selector.matches(pod.metadata?.labels);
    });
  }

  #podAdded(pod: KubeObject): void {
    // Seen already deleting (e.g. after a restart): that is no creation anyone waits for.
    if (pod.metadata?.deletionTimestamp) return this.#podDeleted(pod);
    const ref = controllerRefOf(pod);
    if (ref) {
      const owner = this.#resolve(pod.metadata.namespace, ref);
      if (!owner) return;
      const key = keyOf(owner);
      this.#expectations.creationObserved(key);
      this.#enqueue(key);
      return;
    }
    for (const owner of this.#matchingOwners(pod)) this.#enqueue(keyOf(owner));
  }

  #podUpdated(old: KubeObject, pod: KubeObject): void {
    if (old.metadata?.resourceVersion === pod.metadata?.resourceVersion) return;
    const labelsChanged = !sameLabels(old, pod);
    if (pod.metadata?.deletionTimestamp) {
      // A graceful deletion started: replace the pod now rather than when it is finally gone.
      this.#podDeleted(pod);
      if (labelsChanged) this.#podDeleted(old);
      return;
    }
    const ref = controllerRefOf(pod);
    const oldRef = controllerRefOf(old);
    const refChanged = JSON.stringify(ref) !== JSON.stringify(oldRef);
    if (refChanged && oldRef) {
      const previous = this.#resolve(old.metadata.namespace, oldRef);
      if (previous) this.#enqueue(keyOf(previous));
    }
    if (ref) {
      const owner = this.#resolve(pod.metadata.namespace, ref);
      if (owner) this.#enqueue(keyOf(owner));
      return;
    }
    if (labelsChanged || refChanged) for (const owner of this.#matchingOwners(pod)) this.#enqueue(keyOf(owner));
  }

  #podDeleted(pod: KubeObject): void {
    const ref = controllerRefOf(pod);
    if (!ref) return;
    const owner = this.#resolve(pod.metadata.namespace, ref);
    if (!owner) return;
    const key = keyOf(owner);
    this.#deletionObserved(key, keyOf(pod));
    this.#enqueue(key);
  }

  // ---- expectations ----

  #expectDeletions(key: string, pods: KubeObject[]): void {
    this.#pendingDeletions.set(key, new Set(pods.map(keyOf)));
    this.#expectations.expectDeletions(key, pods.length);
  }

  #deletionObserved(key: string, podKey: string): void {
    const pending = this.#pendingDeletions.get(key);
    if (!pending?.delete(podKey)) return;
    this.#expectations.deletionObserved(key);
  }

  #forget(key: string): void {
    this.#expectations.forget(key);
    this.#pendingDeletions.delete(key);
  }

  // ---- sync ----

  #selectorOrUndefined(owner: KubeObject): LabelSelector | undefined {
    try {
      return this.#kind.selectorOf(owner);
    } catch {
      return undefined;
    }
  }

  /** The cached object with its kind filled in (list items may lack it); shared, not copied. */
  #withKind(owner: KubeObject): KubeObject {
    return { ...owner, apiVersion: this.#kind.apiVersion, kind: this.#kind.kind };
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const cached = this.#owners.get(key);
    if (!cached) {
      this.#forget(key);
      return;
    }
    const owner = this.#withKind(cached);
    const needsSync = this.#expectations.satisfied(key);
    let selector: LabelSelector;
    try {
      selector = this.#kind.selectorOf(owner);
    } catch (err) {
      // Retrying cannot fix a selector; the next change to the owner brings it back.
      this.#log.error('invalid selector', { key, err });
      return;
    }
    const active = this.#podsIn(owner.metadata.namespace).filter(isPodActive);
    const pods = await claimChildren({
      client: this.#ctx.client,
      owner,
      childResource: PODS,
      matches: (pod) => selector.matches(pod.metadata?.labels),
      canAdopt: () => this.#canAdopt(owner),
    }, active);

    let manageError: Error | undefined;
    if (needsSync && !owner.metadata.deletionTimestamp) {
      try {
        await this.#manageReplicas(key, owner, pods);
      } catch (err) {
        manageError = err instanceof Error ? err : new Error(String(err));
      }
    }
    const now = Date.now();
    const status = calculateStatus(owner, pods, manageError, now);
    await this.#writeStatus(owner, status);
    if (manageError) throw manageError;
    // Ready pods turn available after minReadySeconds with no event to say so: look again then.
    let wait: number | undefined;
    for (const pod of pods) {
      const ms = msUntilAvailable(pod, minReadySeconds(owner), now);
      if (ms !== undefined && (wait === undefined || ms < wait)) wait = ms;
    }
    if (wait !== undefined) return { requeueAfterMs: wait + AVAILABILITY_SLACK_MS };
  }

  /** Adopt only while the owner still exists as the same object and is not being deleted. */
  async #canAdopt(owner: KubeObject): Promise<boolean> {
    try {
      const fresh = await this.#ctx.client.get(this.#kind.resource, owner.metadata.namespace, owner.metadata.name);
      return fresh.metadata?.uid === owner.metadata.uid && !fresh.metadata?.deletionTimestamp;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  async #manageReplicas(key: string, owner: KubeObject, pods: KubeObject[]): Promise<void> {
    const diff = pods.length - desiredReplicas(owner);
    if (diff < 0) {
      const count = Math.min(-diff, BURST_REPLICAS);
      this.#expectations.expectCreations(key, count);
      const ref = ownerRefFor(owner);
      this.#log.debug('too few replicas', { key, need: desiredReplicas(owner), creating: count });
      try {
        await slowStartBatch(count, SLOW_START_INITIAL_BATCH, () => this.#podControl.createPod(owner, ref));
      } catch (err) {
        // Pods never created (failed or skipped) will never be observed.
        const succeeded = (err as { succeeded?: number }).succeeded ?? 0;
        for (let i = succeeded; i < count; i++) this.#expectations.creationObserved(key);
        throw err;
      }
    } else if (diff > 0) {
      const count = Math.min(diff, BURST_REPLICAS);
      this.#log.debug('too many replicas', { key, need: desiredReplicas(owner), deleting: count });
      const victims = podsToDelete(pods, this.#relatedPods(owner), count, Date.now());
      this.#expectDeletions(key, victims);
      const failures: unknown[] = [];
      await Promise.all(victims.map(async (pod) => {
        try {
          await this.#podControl.deletePod(owner, pod);
        } catch (err) {
          this.#deletionObserved(key, keyOf(pod));
          if (!isNotFound(err)) failures.push(err);
        }
      }));
      if (failures.length) throw failures[0];
    }
  }

  /** Pods of every owner under the same controller (a Deployment's ReplicaSets), for spreading. */
  #relatedPods(owner: KubeObject): KubeObject[] {
    const ref = controllerRefOf(owner);
    if (!ref) return [];
    const ns = owner.metadata.namespace;
    const seen = new Set<string>();
    const related: KubeObject[] = [];
    for (const sibling of this.#owners.list()) {
      if (sibling.metadata?.namespace !== ns || controllerRefOf(sibling)?.uid !== ref.uid) continue;
      const selector = this.#selectorOrUndefined(sibling);
      if (!selector) continue;
      for (const pod of this.#podsIn(ns)) {
        if (seen.has(pod.metadata.uid) || !selector.matches(pod.metadata?.labels)) continue;
        seen.add(pod.metadata.uid);
        related.push(pod);
      }
    }
    return related;
  }

  /** PUT status when it changed, retrying once on a fresh copy (upstream's updateReplicaSetStatus). */
  async #writeStatus(owner: KubeObject, status: KubeObject): Promise<void> {
    if (statusUpToDate(owner, status)) return;
    if (owner.metadata.generation) status.observedGeneration = owner.metadata.generation;
    let target = owner;
    for (let attempt = 0; ; attempt++) {
      const body = { apiVersion: this.#kind.apiVersion, kind: this.#kind.kind, metadata: target.metadata, spec: target.spec, status };
      try {
        await this.#ctx.client.update(this.#kind.resource, owner.metadata.namespace, body, 'status');
        return;
      } catch (err) {
        if (isNotFound(err)) return;
        if (attempt >= 1) throw err;
        target = await this.#ctx.client.get(this.#kind.resource, owner.metadata.namespace, owner.metadata.name);
        if (target.metadata?.uid !== owner.metadata.uid) return;
      }
    }
  }
}
