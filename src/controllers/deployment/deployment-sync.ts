// One reconcile of one Deployment: the writes every strategy shares (upstream's sync.go) —
// finding or creating the new ReplicaSet and keeping revisions, scaling ReplicaSets with their
// events, proportional scaling, history cleanup and status writes. Works on a private copy of
// the cached Deployment; ReplicaSets are cached objects, copied before any change.
import type { ApiClient, KubeObject, ResourceRef } from '../../client/api-client.ts';
import type { EventRecorder } from '../../client/event-recorder.ts';
import { isAlreadyExists, isNotFound, isStatusError } from '../../api/status.ts';
import { ownerRefFor } from '../engine/controller-ref.ts';
import { computeHash, equalIgnoreHash, POD_TEMPLATE_HASH_LABEL } from './pod-template-hash.ts';
import {
  activeOrLatest, byRevision, bySizeNewer, bySizeOlder, findNewReplicaSet, findOldReplicaSets, isActive, maxRevision,
  REVISION_ANNOTATION, replicasAnnotationsNeedUpdate, setNewReplicaSetAnnotations, setReplicasAnnotations,
} from './replica-sets.ts';
import { isRollingUpdate, isSaturated, maxSurge, newReplicaSetReplicas, replicaSetProportion, replicasOf, specReplicas } from './rollout-arithmetic.ts';
import {
  calculateStatus, getCondition, hasProgressDeadline, newCondition, progressCheckAfterMs, REASON, rolloutStatus, sameStatus, setCondition,
} from './deployment-status.ts';

export const DEPLOYMENTS: ResourceRef = { group: 'apps', version: 'v1', plural: 'deployments', namespaced: true };
export const REPLICA_SETS: ResourceRef = { group: 'apps', version: 'v1', plural: 'replicasets', namespaced: true };

export interface SyncResult { requeueAfterMs?: number }

export class DeploymentSync {
  /** Private copy of the Deployment; its status and resourceVersion follow our writes. */
  readonly d: KubeObject;
  readonly #client: ApiClient;
  readonly #recorder: EventRecorder;

  constructor(cached: KubeObject, client: ApiClient, recorder: EventRecorder) {
    this.d = structuredClone(cached);
    this.d.apiVersion = 'apps/v1';
    this.d.kind = 'Deployment';
    this.#client = client;
    this.#recorder = recorder;
  }

  get #ns(): string { return this.d.metadata.namespace; }

  /**
   * The new ReplicaSet (created when asked and missing) and all the old ones, with the new one's
   * revision raised above every old one and copied to the Deployment.
   */
  async replicaSetsAndSyncRevision(rsList: KubeObject[], createIfMissing: boolean): Promise<{ newRS: KubeObject | undefined; oldRSs: KubeObject[] }> {
    const oldRSs = findOldReplicaSets(this.d, rsList);
    const newRS = await this.#newReplicaSet(rsList, oldRSs, createIfMissing);
    return { newRS, oldRSs };
  }

  async #newReplicaSet(rsList: KubeObject[], oldRSs: KubeObject[], createIfMissing: boolean): Promise<KubeObject | undefined> {
    const d = this.d;
    const existing = findNewReplicaSet(d, rsList);
    const newRevision = maxRevision(oldRSs) + 1;
    const desired = replicasOf(d);
    const max = desired + maxSurge(d);
    if (existing) {
      const copy = structuredClone(existing);
      const annotationsChanged = setNewReplicaSetAnnotations(d, copy, newRevision, true, desired, max);
      const minReady = d.spec.minReadySeconds ?? 0;
      if (annotationsChanged || (copy.spec.minReadySeconds ?? 0) !== minReady) {
        copy.spec.minReadySeconds = minReady;
        return this.#client.update(REPLICA_SETS, this.#ns, copy);
      }
      await this.#setRevision(copy.metadata.annotations?.[REVISION_ANNOTATION]);
      if (hasProgressDeadline(d) && !getCondition(d.status, 'Progressing')) {
        const status = { ...(d.status ?? {}) };
        setCondition(status, newCondition('Progressing', 'True', REASON.foundNewReplicaSet, `Found new replica set "${copy.metadata.name}"`));
        await this.writeStatus(status);
      }
      return copy;
    }
    if (!createIfMissing) return undefined;

    const template = structuredClone(d.spec.template);
    const hash = computeHash(template, d.status?.collisionCount);
    template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash } };
    const selector = structuredClone(d.spec.selector ?? {});
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
    const rs: KubeObject = {
      apiVersion: 'apps/v1', kind: 'ReplicaSet',
      metadata: { name: `${d.metadata.name}-${hash}`, namespace: this.#ns, ownerReferences: [ownerRefFor(d)], labels: { ...template.metadata.labels } },
      spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template },
    };
    const replicas = newReplicaSetReplicas(d, [...oldRSs, rs], rs);
    rs.spec.replicas = replicas;
    setNewReplicaSetAnnotations(d, rs, newRevision, false, desired, max);

    let created: KubeObject;
    let alreadyExisted = false;
    try {
      created = await this.#client.create(REPLICA_SETS, this.#ns, rs);
    } catch (e) {
      if (isAlreadyExists(e)) {
        alreadyExisted = true;
        const found = await this.#client.get(REPLICA_SETS, this.#ns, rs.metadata.name);
        const ref = (found.metadata.ownerReferences ?? []).find((r: KubeObject) => r.controller);
        if (!(ref?.uid === d.metadata.uid && equalIgnoreHash(d.spec.template, found.spec.template))) {
          // A different RS holds the name: bump collisionCount so the next hash differs.
          await this.writeStatus({ ...(d.status ?? {}), collisionCount: (d.status?.collisionCount ?? 0) + 1 });
          throw e;
        }
        created = found;
      } else {
        if (isStatusError(e) && ((e.status.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating') || /because it is being terminated/.test(e.message))) throw e;
        const msg = `Failed to create new replica set "${rs.metadata.name}": ${e instanceof Error ? e.message : String(e)}`;
        if (hasProgressDeadline(d)) {
          const status = { ...(d.status ?? {}) };
          setCondition(status, newCondition('Progressing', 'False', REASON.failedRSCreate, msg));
          await this.writeStatus(status).catch(() => undefined);
        }
        this.#recorder.event(d, 'Warning', REASON.failedRSCreate, msg);
        throw e;
      }
    }
    if (!alreadyExisted && replicas > 0) {
      this.#recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} from 0 to ${replicas}`);
    }
    await this.#setRevision(String(newRevision));
    if (!alreadyExisted && hasProgressDeadline(d)) {
      const status = { ...(d.status ?? {}) };
      setCondition(status, newCondition('Progressing', 'True', REASON.newReplicaSetCreated, `Created new replica set "${created.metadata.name}"`));
      await this.writeStatus(status);
    }
    return created;
  }

  /** The Deployment carries its new RS's revision (a metadata write: upstream sends it with the status). */
  async #setRevision(revision: string | undefined): Promise<void> {
    if (revision === undefined || this.d.metadata.annotations?.[REVISION_ANNOTATION] === revision) return;
    const updated = await this.#client.patch(DEPLOYMENTS, this.#ns, this.d.metadata.name, {
      metadata: { resourceVersion: this.d.metadata.resourceVersion, annotations: { [REVISION_ANNOTATION]: revision } },
    }, 'merge');
    this.d.metadata.annotations = { ...(this.d.metadata.annotations ?? {}), [REVISION_ANNOTATION]: revision };
    this.d.metadata.resourceVersion = updated.metadata.resourceVersion;
  }

  async writeStatus(status: KubeObject): Promise<void> {
    const d = this.d;
    const updated = await this.#client.update(DEPLOYMENTS, this.#ns, {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: d.metadata.name, namespace: this.#ns, resourceVersion: d.metadata.resourceVersion }, status,
    }, 'status');
    d.status = status;
    d.metadata.resourceVersion = updated.metadata.resourceVersion;
  }

  /** Scales an RS to newScale (and refreshes its replica annotations); true when its size changed. */
  async scaleReplicaSet(rs: KubeObject, newScale: number): Promise<{ scaled: boolean; rs: KubeObject }> {
    const d = this.d;
    const oldScale = replicasOf(rs);
    const desired = replicasOf(d);
    const max = desired + maxSurge(d);
    const sizeChanges = oldScale !== newScale;
    if (!sizeChanges && !replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs };
    const copy = structuredClone(rs);
    copy.spec.replicas = newScale;
    setReplicasAnnotations(copy, desired, max);
    const updated = await this.#client.update(REPLICA_SETS, this.#ns, copy);
    if (sizeChanges) {
      const op = oldScale < newScale ? 'up' : 'down';
      this.#recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${op} replica set ${rs.metadata.name} from ${oldScale} to ${newScale}`);
    }
    return { scaled: sizeChanges, rs: updated };
  }

  async scaleReplicaSetAndRecordEvent(rs: KubeObject, newScale: number): Promise<{ scaled: boolean; rs: KubeObject }> {
    if (replicasOf(rs) === newScale) return { scaled: false, rs };
    return this.scaleReplicaSet(rs, newScale);
  }

  /**
   * Resizes a deployment's ReplicaSets to spec.replicas (upstream's scale): the single active RS
   * takes everything; a saturated new RS retires the old ones; otherwise a rolling deployment
   * spreads the difference proportionally, leftovers going to the largest RS.
   */
  async scale(newRS: KubeObject | undefined, oldRSs: KubeObject[]): Promise<void> {
    const d = this.d;
    const desired = replicasOf(d);
    const only = activeOrLatest(newRS, oldRSs);
    if (only) {
      if (replicasOf(only) !== desired) await this.scaleReplicaSetAndRecordEvent(only, desired);
      return;
    }
    if (isSaturated(d, newRS)) {
      for (const old of oldRSs.filter(isActive)) await this.scaleReplicaSetAndRecordEvent(old, 0);
      return;
    }
    if (!isRollingUpdate(d)) return;
    const active = [...oldRSs, newRS].filter(isActive);
    const allowed = desired > 0 ? desired + maxSurge(d) : 0;
    const toAdd = allowed - specReplicas(active);
    // Equal sizes: newer RSes grow first, older ones shrink first.
    if (toAdd > 0) active.sort(bySizeNewer); else if (toAdd < 0) active.sort(bySizeOlder);
    let added = 0;
    const sizes = new Map<string, number>();
    for (const rs of active) {
      if (toAdd === 0) { sizes.set(rs.metadata.name, replicasOf(rs)); continue; }
      const share = replicaSetProportion(rs, d, toAdd, added);
      sizes.set(rs.metadata.name, replicasOf(rs) + share);
      added += share;
    }
    for (let i = 0; i < active.length; i++) {
      const rs = active[i]!;
      if (i === 0 && toAdd !== 0) sizes.set(rs.metadata.name, Math.max(0, sizes.get(rs.metadata.name)! + toAdd - added));
      await this.scaleReplicaSet(rs, sizes.get(rs.metadata.name)!);
    }
  }

  /** Deletes the oldest fully scaled-down ReplicaSets beyond revisionHistoryLimit. */
  async cleanup(oldRSs: KubeObject[]): Promise<void> {
    const limit = this.d.spec.revisionHistoryLimit;
    if (limit === undefined || limit === null) return;
    const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp).sort(byRevision);
    const diff = cleanable.length - limit;
    for (let i = 0; i < diff; i++) {
      const rs = cleanable[i]!;
      if ((rs.status?.replicas ?? 0) !== 0 || replicasOf(rs) !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
      await this.#client.delete(REPLICA_SETS, this.#ns, rs.metadata.name, { preconditions: { uid: rs.metadata.uid } }).catch((e) => { if (!isNotFound(e)) throw e; });
    }
  }

  /** Writes the observed status when it differs (no progress estimation). */
  async syncStatus(allRSs: KubeObject[], newRS: KubeObject | undefined): Promise<void> {
    const status = calculateStatus(allRSs, newRS, this.d);
    if (!sameStatus(this.d.status, status)) await this.writeStatus(status);
  }

  /** Writes the rollout status; when nothing changed, says when to check for a stuck rollout. */
  async syncRolloutStatus(allRSs: KubeObject[], newRS: KubeObject | undefined): Promise<SyncResult> {
    const status = rolloutStatus(allRSs, newRS, this.d);
    if (sameStatus(this.d.status, status)) {
      const after = progressCheckAfterMs(this.d, status);
      return after === undefined ? {} : { requeueAfterMs: after };
    }
    await this.writeStatus(status);
    return {};
  }

  /** Progressing=Unknown DeploymentPaused/DeploymentResumed, so a pause never counts against the deadline. */
  async checkPausedConditions(): Promise<void> {
    const d = this.d;
    if (!hasProgressDeadline(d)) return;
    const cond = getCondition(d.status, 'Progressing');
    if (cond?.reason === REASON.timedOut) return;
    const pausedCond = cond?.reason === REASON.paused;
    const status = { ...(d.status ?? {}) };
    if (d.spec.paused && !pausedCond) setCondition(status, newCondition('Progressing', 'Unknown', REASON.paused, 'Deployment is paused'));
    else if (!d.spec.paused && pausedCond) setCondition(status, newCondition('Progressing', 'Unknown', REASON.resumed, 'Deployment is resumed'));
    else return;
    await this.writeStatus(status);
  }

  /** Scaling or pausing: resize, clean up when paused, write status. */
  async sync(rsList: KubeObject[]): Promise<SyncResult> {
    const { newRS, oldRSs } = await this.replicaSetsAndSyncRevision(rsList, false);
    await this.scale(newRS, oldRSs);
    if (this.d.spec.paused) await this.cleanup(oldRSs);
    await this.syncStatus([...oldRSs, ...(newRS ? [newRS] : [])], newRS);
    return {};
  }
}
