// The Job controller (upstream's pkg/controller/job): runs a Job's pods until enough succeed or
// the Job fails (backoff limit, active deadline, pod failure policy). Finished pods are counted
// through the tracking finalizer: a finished pod is first recorded in
// .status.uncountedTerminatedPods, then its finalizer is removed, then it moves to the
// succeeded/failed counters, so no pod is counted twice or lost when it is deleted.
import type { Controller, ControllerContext, ReconcileResult } from '../engine/controller.ts';
import type { KubeObject, ResourceRef } from '../../client/api-client.ts';
import type { Informer } from '../../client/informer.ts';
import { Expectations } from '../engine/expectations.ts';
import { slowStartBatch } from '../engine/slow-start.ts';
import { claimChildren, controllerRefOf } from '../engine/controller-ref.ts';
import { labelSelectorFromObject } from '../../api/selectors/index.ts';
import { isNotFound } from '../../api/status.ts';
import { BackoffStore, remainingBackoffMs, type BackoffRecord } from './backoff.ts';
import { FinalizerExpectations } from './finalizer-expectations.ts';
import { completionIndexOf, firstPendingIndexes, formatIntervals, hasIndex, parseIntervals, totalOf, withIndexes, type Interval } from './indexes.ts';
import { findCondition, ensureCondition, isFinished, newCondition, stamp, type JobCondition } from './job-conditions.ts';
import { matchPodFailurePolicy } from './pod-failure-policy.ts';
import { compareForRemoval, hasTrackingFinalizer, isActive, isReady, isTerminating, restartsOfRunningPods, TRACKING_FINALIZER } from './pod-state.ts';
import { podForJob } from './pod-template.ts';
import { matchSuccessPolicy } from './success-policy.ts';

export const JOBS: ResourceRef = { group: 'batch', version: 'v1', plural: 'jobs', namespaced: true };
const PODS: ResourceRef = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const JOB_CONTROLLER_NAME = 'kubernetes.io/job-controller';
const ORPHAN_POD = 'orphan-pod:';
/** Keeps .status.uncountedTerminatedPods roughly under 20 KB and bounds one sync's work. */
const MAX_UNCOUNTED_PODS = 500;
const MAX_POD_CREATE_DELETE_PER_SYNC = 500;

export interface JobControllerOptions {
  /** The clock (ms since the epoch); tests fake it. */
  now?: () => number;
  /** Pod events and status changes sync a Job at most this often (upstream: 1s). */
  syncBatchPeriodMs?: number;
  /** Delay before the first replacement of a failed pod; doubles per failure (upstream: 10s, 10m). */
  podFailureBackoffMs?: number;
  maxPodFailureBackoffMs?: number;
}

interface SyncState {
  key: string;
  job: KubeObject;
  pods: KubeObject[];
  activePods: KubeObject[];
  finishedCondition?: JobCondition;
  succeeded: number;
  failed: number;
  prevSucceededIndexes: Interval[];
  succeededIndexes: Interval[];
  newBackoff: BackoffRecord;
  expectedRmFinalizers: ReadonlySet<string>;
  uncounted: { succeeded: Set<string>; failed: Set<string> };
  terminating: number;
  ready: number;
  requeueAfterMs?: number;
}

const isIndexed = (job: KubeObject) => job.spec?.completionMode === 'Indexed';
const isSuspended = (job: KubeObject) => job.spec?.suspend === true;
const keyOfJob = (job: KubeObject) => `${job.metadata.namespace}/${job.metadata.name}`;
/** With a pod failure policy or podReplacementPolicy Failed, a terminating pod is not replaced until it has failed. */
const onlyReplaceFailedPods = (job: KubeObject) => job.spec?.podReplacementPolicy === 'Failed' || !!job.spec?.podFailurePolicy;
const isSuccessCriteriaMet = (c: JobCondition | undefined) => c?.type === 'SuccessCriteriaMet' && c.status === 'True';

function isPodFailed(pod: KubeObject, job: KubeObject): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  // Deleted pods count as failed: orphans may never reach the Failed phase.
  return !!pod.metadata?.deletionTimestamp && pod.status?.phase !== 'Succeeded';
}

export class JobController implements Controller {
  readonly name = 'job';
  readonly #now: () => number;
  readonly #batchMs: number;
  readonly #backoffBaseMs: number;
  readonly #backoffMaxMs: number;
  readonly #expectations: Expectations;
  readonly #finalizerExpectations = new FinalizerExpectations();
  readonly #backoff = new BackoffStore();
  readonly #timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  /** Pod keys by namespace, so a sync does not scan every pod of the cluster. */
  readonly #podKeysByNamespace = new Map<string, Set<string>>();
  #ctx!: ControllerContext;
  #jobs!: Informer;
  #pods!: Informer;
  #enqueueNow!: (key: string) => void;

  constructor(opts: JobControllerOptions = {}) {
    this.#now = opts.now ?? Date.now;
    this.#batchMs = opts.syncBatchPeriodMs ?? 1000;
    this.#backoffBaseMs = opts.podFailureBackoffMs ?? 10_000;
    this.#backoffMaxMs = opts.maxPodFailureBackoffMs ?? 600_000;
    this.#expectations = new Expectations(this.#now);
  }

  setup(ctx: ControllerContext, enqueue: (key: string) => void): void {
    this.#ctx = ctx;
    this.#enqueueNow = enqueue;
    this.#jobs = ctx.informers.informerFor(JOBS);
    this.#pods = ctx.informers.informerFor(PODS);
    this.#jobs.addHandler({
      add: (j) => this.#enqueueNow(keyOfJob(j)),
      update: (old, cur) => this.#jobUpdated(old, cur),
      delete: (j) => { this.#enqueueNow(keyOfJob(j)); this.#cleanupPodFinalizers(j); },
    });
    this.#pods.addHandler({
      add: (p) => { this.#index(p, true); this.#podAdded(p); },
      update: (old, cur) => this.#podUpdated(old, cur),
      delete: (p) => { this.#index(p, false); this.#podDeleted(p, true); },
    });
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    if (key.startsWith(ORPHAN_POD)) return this.#syncOrphanPod(key.slice(ORPHAN_POD.length));
    return this.#syncJob(key);
  }

  // ---- event handlers: map pod and job events to job keys ----

  #index(pod: KubeObject, present: boolean): void {
    const ns = pod.metadata.namespace;
    const key = `${ns}/${pod.metadata.name}`;
    let set = this.#podKeysByNamespace.get(ns);
    if (present) {
      if (!set) this.#podKeysByNamespace.set(ns, (set = new Set()));
      set.add(key);
    } else if (set) {
      set.delete(key);
      if (set.size === 0) this.#podKeysByNamespace.delete(ns);
    }
  }

  #podsIn(namespace: string): KubeObject[] {
    const out: KubeObject[] = [];
    for (const k of this.#podKeysByNamespace.get(namespace) ?? []) {
      const p = this.#pods.get(k);
      if (p) out.push(p);
    }
    return out;
  }

  #enqueueAfter(key: string, ms: number): void {
    if (ms <= 0) { this.#enqueueNow(key); return; }
    const at = this.#now() + ms;
    const existing = this.#timers.get(key);
    if (existing && existing.at <= at) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => { this.#timers.delete(key); this.#enqueueNow(key); }, ms);
    timer.unref();
    this.#timers.set(key, { at, timer });
  }

  #enqueueBatched(key: string): void { this.#enqueueAfter(key, this.#batchMs); }

  #resolve(namespace: string, ref: KubeObject | undefined): KubeObject | undefined {
    if (!ref || ref.kind !== 'Job') return undefined;
    const job = this.#jobs.get(`${namespace}/${ref.name}`);
    return job && job.metadata.uid === ref.uid ? job : undefined;
  }

  #jobsSelecting(pod: KubeObject): KubeObject[] {
    const labels = pod.metadata.labels ?? {};
    return this.#jobs.list().filter((j) => {
      if (j.metadata.namespace !== pod.metadata.namespace || !j.spec?.selector) return false;
      try { return labelSelectorFromObject(j.spec.selector).matches(labels); } catch { return false; }
    });
  }

  #podAdded(pod: KubeObject): void {
    if (pod.metadata.deletionTimestamp) {
      // A pod already being deleted (seen after a restart) is no creation to observe.
      this.#podDeleted(pod, false);
      return;
    }
    const ref = controllerRefOf(pod);
    if (ref) {
      const job = this.#resolve(pod.metadata.namespace, ref);
      if (!job) return;
      this.#expectations.creationObserved(keyOfJob(job));
      this.#enqueueBatched(keyOfJob(job));
      return;
    }
    if (hasTrackingFinalizer(pod)) this.#enqueueNow(ORPHAN_POD + `${pod.metadata.namespace}/${pod.metadata.name}`);
    for (const job of this.#jobsSelecting(pod)) this.#enqueueBatched(keyOfJob(job));
  }

  #podUpdated(old: KubeObject, cur: KubeObject): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    if (cur.metadata.deletionTimestamp) { this.#podDeleted(cur, false); return; }
    const ns = cur.metadata.namespace;
    const finalizerRemoved = !hasTrackingFinalizer(cur);
    const curRef = controllerRefOf(cur);
    const oldRef = controllerRefOf(old);
    const refChanged = curRef?.uid !== oldRef?.uid || curRef?.name !== oldRef?.name;
    if (refChanged && oldRef) {
      const job = this.#resolve(ns, oldRef);
      if (job) {
        if (finalizerRemoved) this.#finalizerExpectations.observed(keyOfJob(job), cur.metadata.uid);
        this.#enqueueBatched(keyOfJob(job));
      }
    }
    if (curRef) {
      const job = this.#resolve(ns, curRef);
      if (!job) return;
      if (finalizerRemoved) this.#finalizerExpectations.observed(keyOfJob(job), cur.metadata.uid);
      this.#enqueueBatched(keyOfJob(job));
      return;
    }
    if (hasTrackingFinalizer(cur)) this.#enqueueNow(ORPHAN_POD + `${ns}/${cur.metadata.name}`);
    if (refChanged || JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {})) {
      for (const job of this.#jobsSelecting(cur)) this.#enqueueBatched(keyOfJob(job));
    }
  }

  #podDeleted(pod: KubeObject, final: boolean): void {
    const ref = controllerRefOf(pod);
    const hasFinalizer = hasTrackingFinalizer(pod);
    const podKey = `${pod.metadata.namespace}/${pod.metadata.name}`;
    if (!ref) {
      // The garbage collector may have removed the reference of a Job's pod.
      if (hasFinalizer) this.#enqueueNow(ORPHAN_POD + podKey);
      return;
    }
    const job = this.#resolve(pod.metadata.namespace, ref);
    if (!job || isFinished(job)) {
      if (hasFinalizer) this.#enqueueNow(ORPHAN_POD + podKey);
      return;
    }
    const key = keyOfJob(job);
    this.#expectations.deletionObserved(key);
    if (final || !hasFinalizer) this.#finalizerExpectations.observed(key, pod.metadata.uid);
    this.#enqueueBatched(key);
  }

  #jobUpdated(old: KubeObject, cur: KubeObject): void {
    const key = keyOfJob(cur);
    if (old.metadata.generation === cur.metadata.generation) this.#enqueueBatched(key);
    else this.#enqueueNow(key);
    // Finished Jobs must not leave finalizers behind; this is the backup path.
    if (isFinished(cur)) this.#cleanupPodFinalizers(cur);
    const ads = cur.spec?.activeDeadlineSeconds;
    if (cur.status?.startTime && typeof ads === 'number' && ads !== old.spec?.activeDeadlineSeconds) {
      this.#enqueueAfter(key, ads * 1000 - (this.#now() - Date.parse(cur.status.startTime)));
    }
  }

  #cleanupPodFinalizers(job: KubeObject): void {
    for (const p of this.#podsIn(job.metadata.namespace)) {
      if (controllerRefOf(p)?.uid === job.metadata.uid && hasTrackingFinalizer(p)) this.#enqueueNow(ORPHAN_POD + `${p.metadata.namespace}/${p.metadata.name}`);
    }
  }

  // ---- orphan pods ----

  async #syncOrphanPod(podKey: string): Promise<void> {
    const pod = this.#pods.get(podKey);
    if (!pod) return;
    const ref = controllerRefOf(pod);
    if (ref) {
      // Pods of other owners keep their finalizers; so do pods of a running (adopting) Job.
      if (ref.kind !== 'Job' || ref.apiVersion !== 'batch/v1') return;
      const job = this.#resolve(pod.metadata.namespace, ref);
      if (job && job.spec?.managedBy && job.spec.managedBy !== JOB_CONTROLLER_NAME) return;
      if (job && !isFinished(job)) return;
    }
    if (!hasTrackingFinalizer(pod)) return;
    await this.#removeFinalizer(pod).catch((e) => { if (!isNotFound(e)) throw e; });
  }

  #removeFinalizer(pod: KubeObject): Promise<KubeObject> {
    return this.#ctx.client.patch(PODS, pod.metadata.namespace, pod.metadata.name, { metadata: { '$deleteFromPrimitiveList/finalizers': [TRACKING_FINALIZER] } }, 'strategic');
  }

  // ---- the Job sync ----

  async #syncJob(key: string): Promise<ReconcileResult | void> {
    const cached = this.#jobs.get(key);
    if (!cached) {
      this.#expectations.forget(key);
      this.#finalizerExpectations.forget(key);
      this.#backoff.remove(key);
      return;
    }
    if (cached.spec?.managedBy && cached.spec.managedBy !== JOB_CONTROLLER_NAME) return;
    if (isFinished(cached)) { this.#backoff.remove(key); return; }
    const mode = cached.spec?.completionMode;
    if (mode && mode !== 'NonIndexed' && mode !== 'Indexed') {
      this.#ctx.recorder.event(cached, 'Warning', 'UnknownCompletionMode', 'Skipped Job sync because completion mode is unknown');
      return;
    }
    const job: KubeObject = structuredClone(cached);
    job.status ??= {};
    job.status.uncountedTerminatedPods ??= {};
    const now = this.#now();

    // Expectations first: a pod created after this check only defers the sync to the next event.
    const satisfied = this.#expectations.satisfied(key);
    const pods = await this.#podsForJob(job);
    const activePods = pods.filter(isActive);
    const uncountedStatus = job.status.uncountedTerminatedPods;
    const s: SyncState = {
      key, job, pods, activePods,
      ready: activePods.filter(isReady).length,
      terminating: pods.filter(isTerminating).length,
      uncounted: { succeeded: new Set(uncountedStatus.succeeded ?? []), failed: new Set(uncountedStatus.failed ?? []) },
      expectedRmFinalizers: this.#finalizerExpectations.expected(key),
      succeeded: 0, failed: 0, prevSucceededIndexes: [], succeededIndexes: [],
      newBackoff: { failuresAfterLastSuccess: 0 },
    };
    let active = activePods.length;
    const newSucceeded = this.#newlyFinished(s, s.uncounted.succeeded, (p) => p.status?.phase === 'Succeeded');
    const newFailed = this.#newlyFinished(s, s.uncounted.failed, (p) => isPodFailed(p, job));
    const policy = job.spec?.podFailurePolicy;
    s.succeeded = (job.status.succeeded ?? 0) + newSucceeded.length + s.uncounted.succeeded.size;
    s.failed = (job.status.failed ?? 0) + newFailed.filter((p) => matchPodFailurePolicy(policy, p).countFailed).length + s.uncounted.failed.size;

    if (!job.status.startTime && !isSuspended(job)) job.status.startTime = stamp(now);
    s.newBackoff = this.#backoff.next(key, newSucceeded, newFailed);

    const backoffLimit: number = job.spec?.backoffLimit ?? 6;
    s.finishedCondition = isSuccessCriteriaMet(findCondition(job, 'SuccessCriteriaMet')) ? findCondition(job, 'SuccessCriteriaMet') : undefined;
    if (!s.finishedCondition) {
      const target = findCondition(job, 'FailureTarget');
      if (target?.status === 'True') s.finishedCondition = newCondition('Failed', 'True', target.reason ?? '', target.message ?? '', now);
      else {
        const message = this.#failJobMessage(job, pods);
        // The interim FailureTarget records why before the finalizers let the pods go.
        if (message) s.finishedCondition = newCondition('FailureTarget', 'True', 'PodFailurePolicy', message, now);
      }
    }
    if (!s.finishedCondition) {
      if (s.failed > backoffLimit || pastBackoffLimitOnFailure(job, pods)) {
        s.finishedCondition = newCondition('FailureTarget', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', now);
      } else if (this.#pastActiveDeadline(job, now)) {
        s.finishedCondition = newCondition('FailureTarget', 'True', 'DeadlineExceeded', 'Job was active longer than specified deadline', now);
      } else if (typeof job.spec?.activeDeadlineSeconds === 'number' && !isSuspended(job)) {
        requeue(s, job.spec.activeDeadlineSeconds * 1000 - (now - Date.parse(job.status.startTime)));
      }
    }

    if (isIndexed(job)) {
      const completions: number = job.spec.completions;
      s.prevSucceededIndexes = parseIntervals(job.status.completedIndexes, completions);
      const fresh = [...new Set(pods.filter((p) => p.status?.phase === 'Succeeded' && hasTrackingFinalizer(p)).map(completionIndexOf).filter((ix) => ix >= 0 && ix < completions))].sort((a, b) => a - b);
      s.succeededIndexes = withIndexes(s.prevSucceededIndexes, fresh);
      s.succeeded = totalOf(s.succeededIndexes);
      if (!s.finishedCondition) {
        const msg = matchSuccessPolicy(job.spec.successPolicy, completions, s.succeededIndexes);
        if (msg) s.finishedCondition = newCondition('SuccessCriteriaMet', 'True', 'SuccessPolicy', msg, now);
      }
    }

    let suspendChanged = false;
    let manageError: unknown;
    if (s.finishedCondition) {
      const { deleted, deletedReady, error } = await this.#deleteActivePods(job, s.activePods);
      // Not finished while pods may still be running or missing from the cache.
      if (deleted !== active || !satisfied) s.finishedCondition = undefined;
      active -= deleted;
      s.terminating += deleted;
      s.ready -= deletedReady;
      manageError = error;
    } else {
      let managed = false;
      if (satisfied && !job.metadata.deletionTimestamp) {
        try { active = await this.#manageJob(s); } catch (e) { manageError = e; active = (e as { active?: number }).active ?? active; }
        managed = true;
      }
      const completions = job.spec?.completions;
      // Without completions, the first success completes the Job once the rest have stopped.
      const complete = typeof completions === 'number' ? s.succeeded >= completions && active === 0 : s.succeeded > 0 && active === 0;
      if (complete) {
        s.finishedCondition = newCondition('SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods', now);
      } else if (managed) {
        if (isSuspended(job)) {
          if (ensureCondition(job, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now)) {
            suspendChanged = true;
            this.#ctx.recorder.event(job, 'Normal', 'Suspended', 'Job suspended');
          }
        } else if (ensureCondition(job, 'Suspended', 'False', 'JobResumed', 'Job resumed', now)) {
          suspendChanged = true;
          this.#ctx.recorder.event(job, 'Normal', 'Resumed', 'Job resumed');
          // The active deadline counts time active, so a resumed Job starts its clock again.
          job.status.startTime = stamp(now);
        }
      }
    }

    const needsUpdate = suspendChanged || active !== (job.status.active ?? 0) || job.status.ready !== s.ready || job.status.terminating !== s.terminating;
    job.status.active = active;
    job.status.ready = s.ready;
    job.status.terminating = s.terminating;
    await this.#trackStatusAndRemoveFinalizers(s, needsUpdate);
    if (manageError) throw manageError;
    return s.requeueAfterMs !== undefined ? { requeueAfterMs: Math.max(s.requeueAfterMs, 1) } : undefined;
  }

  /** Pods not yet counted: they still carry the finalizer and are in no uncounted list. */
  #newlyFinished(s: SyncState, uncounted: Set<string>, filter: (p: KubeObject) => boolean): KubeObject[] {
    const completions = s.job.spec?.completions;
    return s.pods.filter((p) => {
      const uid = p.metadata.uid;
      if (!hasTrackingFinalizer(p) || uncounted.has(uid) || s.expectedRmFinalizers.has(uid)) return false;
      if (isIndexed(s.job)) {
        const ix = completionIndexOf(p);
        if (ix < 0 || ix >= completions) return false;
      }
      return filter(p);
    });
  }

  #failJobMessage(job: KubeObject, pods: KubeObject[]): string | undefined {
    if (!job.spec?.podFailurePolicy) return undefined;
    for (const p of pods) {
      if (!isPodFailed(p, job)) continue;
      const m = matchPodFailurePolicy(job.spec.podFailurePolicy, p);
      if (m.failJobMessage) return m.failJobMessage;
    }
    return undefined;
  }

  #pastActiveDeadline(job: KubeObject, now: number): boolean {
    const ads = job.spec?.activeDeadlineSeconds;
    if (typeof ads !== 'number' || !job.status?.startTime || isSuspended(job)) return false;
    return now - Date.parse(job.status.startTime) >= ads * 1000;
  }

  /** The Job's pods after adopting matching orphans (which get the tracking finalizer) and releasing non-matching ones. */
  async #podsForJob(job: KubeObject): Promise<KubeObject[]> {
    const selector = labelSelectorFromObject(job.spec?.selector ?? null);
    const candidates = this.#podsIn(job.metadata.namespace);
    const claimed = await claimChildren({
      client: this.#ctx.client, owner: { apiVersion: 'batch/v1', kind: 'Job', metadata: job.metadata }, childResource: PODS,
      matches: (p) => selector.matches(p.metadata.labels ?? {}),
      canAdopt: async () => {
        const fresh = await this.#ctx.client.get(JOBS, job.metadata.namespace, job.metadata.name).catch(() => undefined);
        return !!fresh && fresh.metadata.uid === job.metadata.uid && !fresh.metadata.deletionTimestamp;
      },
    }, candidates);
    const out: KubeObject[] = [];
    for (const p of claimed) {
      const adopted = !(this.#pods.get(`${p.metadata.namespace}/${p.metadata.name}`)?.metadata.ownerReferences ?? []).some((r: KubeObject) => r.uid === job.metadata.uid);
      if (adopted && !hasTrackingFinalizer(p)) {
        const patched = await this.#ctx.client.patch(PODS, p.metadata.namespace, p.metadata.name, { metadata: { finalizers: [TRACKING_FINALIZER] } }, 'strategic').catch((e) => { if (isNotFound(e)) return undefined; throw e; });
        if (patched) out.push(patched);
      } else out.push(p);
    }
    return out;
  }

  /** Deletes active pods of a finished Job, keeping their finalizers (removed when counted). */
  async #deleteActivePods(job: KubeObject, pods: KubeObject[]): Promise<{ deleted: number; deletedReady: number; error?: unknown }> {
    let deleted = pods.length;
    let deletedReady = 0;
    let error: unknown;
    await Promise.all(pods.map(async (p) => {
      try { await this.#deletePod(job, p); } catch (e) {
        if (!isNotFound(e)) { deleted--; error = e; }
      }
      if (isReady(p)) deletedReady++;
    }));
    return { deleted, deletedReady, error };
  }

  async #deletePod(job: KubeObject, pod: KubeObject): Promise<void> {
    try {
      await this.#ctx.client.delete(PODS, pod.metadata.namespace, pod.metadata.name);
    } catch (e) {
      if (!isNotFound(e)) this.#ctx.recorder.event(job, 'Warning', 'FailedDelete', `Error deleting: ${(e as Error).message}`);
      throw e;
    }
    this.#ctx.recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
  }

  /** Removes the finalizer, then deletes: for pods removed while the Job runs (too many, suspended). */
  async #deleteJobPods(s: SyncState, pods: KubeObject[]): Promise<{ deleted: number; deletedReady: number; error?: unknown }> {
    let deleted = pods.length;
    let deletedReady = 0;
    let error: unknown;
    await Promise.all(pods.map(async (p) => {
      const fail = (e: unknown) => {
        // The informer will not see this deletion.
        this.#expectations.deletionObserved(s.key);
        if (!isNotFound(e)) { deleted--; error = e; }
      };
      try {
        if (hasTrackingFinalizer(p)) await this.#removeFinalizer(p);
        await this.#deletePod(s.job, p);
      } catch (e) { fail(e); return; }
      if (isReady(p)) deletedReady++;
    }));
    return { deleted, deletedReady, error };
  }

  /** Creates or deletes pods towards the wanted number of active pods; returns the new active count. */
  async #manageJob(s: SyncState): Promise<number> {
    const job = s.job;
    let active = s.activePods.length;
    const parallelism: number = job.spec?.parallelism ?? 1;
    if (isSuspended(job)) {
      const rm = activePodsForRemoval(job, s.activePods, active);
      this.#expectations.expectDeletions(s.key, rm.length);
      const r = await this.#deleteJobPods(s, rm);
      s.terminating += r.deleted;
      s.ready -= r.deletedReady;
      active -= r.deleted;
      if (r.error) throw Object.assign(r.error as object, { active });
      return active;
    }
    let want: number;
    const completions = job.spec?.completions;
    if (typeof completions !== 'number') want = s.succeeded > 0 ? active : parallelism;
    else want = Math.max(0, Math.min(completions - s.succeeded, parallelism));

    let rm = activePodsForRemoval(job, s.activePods, Math.max(0, active - want));
    if (rm.length > MAX_POD_CREATE_DELETE_PER_SYNC) rm = rm.slice(0, MAX_POD_CREATE_DELETE_PER_SYNC);
    if (rm.length > 0) {
      // Deletion and creation never happen in the same sync; deletion goes first.
      this.#expectations.expectDeletions(s.key, rm.length);
      const r = await this.#deleteJobPods(s, rm);
      s.terminating += r.deleted;
      s.ready -= r.deletedReady;
      active -= r.deleted;
      if (r.error) throw Object.assign(r.error as object, { active });
      return active;
    }

    const terminating = onlyReplaceFailedPods(job) ? s.terminating : 0;
    let diff = want - terminating - active;
    if (diff <= 0) return active;
    const wait = remainingBackoffMs(s.newBackoff, this.#now(), this.#backoffBaseMs, this.#backoffMaxMs);
    if (wait > 0) { requeue(s, Math.max(wait, this.#batchMs)); return active; }
    diff = Math.min(diff, MAX_POD_CREATE_DELETE_PER_SYNC);
    let indexes: number[] | undefined;
    if (isIndexed(job)) {
      indexes = firstPendingIndexes(s.activePods, s.succeededIndexes, diff, completions);
      diff = indexes.length;
    }
    if (diff === 0) return active;
    this.#expectations.expectCreations(s.key, diff);
    let attempted = 0;
    try {
      await slowStartBatch(diff, 1, async (i) => {
        attempted++;
        try { await this.#createPod(job, indexes?.[i]); } catch (e) {
          // The informer will not see this pod.
          this.#expectations.creationObserved(s.key);
          throw e;
        }
      });
      return active + diff;
    } catch (e) {
      // Pods the stopped slow start never attempted are not expected either; the next sync retries.
      for (let i = attempted; i < diff; i++) this.#expectations.creationObserved(s.key);
      throw Object.assign(e as object, { active: active + ((e as { succeeded?: number }).succeeded ?? 0) });
    }
  }

  async #createPod(job: KubeObject, index: number | undefined): Promise<void> {
    try {
      const pod = await this.#ctx.client.create(PODS, job.metadata.namespace, podForJob(job, index));
      this.#ctx.recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
    } catch (e) {
      this.#ctx.recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${(e as Error).message}`);
      throw e;
    }
  }

  /**
   * Records newly finished pods in uncountedTerminatedPods, removes their finalizers, moves
   * them to the counters, and adds the finished condition once nothing is left uncounted or
   * terminating. Writes the status when anything changed.
   */
  async #trackStatusAndRemoveFinalizers(s: SyncState, needsFlushIn: boolean): Promise<void> {
    let needsFlush = needsFlushIn;
    const job = s.job;
    const indexed = isIndexed(job);
    const completions: number = job.spec?.completions;
    const pods = indexed ? [...s.pods].sort((a, b) => completionIndexOf(a) - completionIndexOf(b)) : s.pods;
    const uidsWithFinalizer = new Set<string>();
    for (const p of pods) if (hasTrackingFinalizer(p) && !s.expectedRmFinalizers.has(p.metadata.uid)) uidsWithFinalizer.add(p.metadata.uid);
    if (cleanUncounted(job.status, uidsWithFinalizer)) needsFlush = true;

    const uncounted = job.status.uncountedTerminatedPods;
    uncounted.succeeded ??= [];
    uncounted.failed ??= [];
    const podsToRemoveFinalizer: KubeObject[] = [];
    const newSucceededIndexes: number[] = [];
    let reachedMax = false;
    for (const pod of pods) {
      const uid: string = pod.metadata.uid;
      if (!hasTrackingFinalizer(pod) || s.expectedRmFinalizers.has(uid)) continue;
      const consideredFailed = isPodFailed(pod, job);
      // The finalizer goes when the Job is ending or deleted, or the pod succeeded or failed.
      if (!(job.metadata.deletionTimestamp || s.finishedCondition || pod.status?.phase === 'Succeeded' || consideredFailed)) continue;
      podsToRemoveFinalizer.push(pod);
      const ix = completionIndexOf(pod);
      if (pod.status?.phase === 'Succeeded' && !s.uncounted.failed.has(uid)) {
        if (indexed) {
          if (ix >= 0 && ix < completions && !hasIndex(s.prevSucceededIndexes, ix)) { newSucceededIndexes.push(ix); needsFlush = true; }
        } else if (!s.uncounted.succeeded.has(uid)) {
          needsFlush = true;
          uncounted.succeeded.push(uid);
        }
      } else if (consideredFailed || (s.finishedCondition && !isSuccessCriteriaMet(s.finishedCondition))) {
        // When the Job is failing, every pod not finished is counted as failed.
        if (!s.uncounted.failed.has(uid) && (!indexed || (ix >= 0 && ix < completions))) {
          if (matchPodFailurePolicy(job.spec?.podFailurePolicy, pod).countFailed) {
            needsFlush = true;
            uncounted.failed.push(uid);
          }
        }
      }
      if (newSucceededIndexes.length + uncounted.succeeded.length + uncounted.failed.length >= MAX_UNCOUNTED_PODS) {
        // The status and pod updates of this sync bring the Job back for the rest.
        reachedMax = true;
        break;
      }
    }
    if (indexed) {
      s.succeededIndexes = withIndexes(s.succeededIndexes, [...newSucceededIndexes].sort((a, b) => a - b));
      const text = formatIntervals(s.succeededIndexes);
      if (text !== (job.status.completedIndexes ?? '')) needsFlush = true;
      job.status.succeeded = totalOf(s.succeededIndexes);
      job.status.completedIndexes = text;
    }
    job.status.conditions ??= [];
    if (s.finishedCondition?.type === 'FailureTarget') {
      job.status.conditions.push(s.finishedCondition);
      needsFlush = true;
      s.finishedCondition = newCondition('Failed', 'True', s.finishedCondition.reason ?? '', s.finishedCondition.message ?? '', this.#now());
    }
    if (isSuccessCriteriaMet(s.finishedCondition)) {
      if (!isSuccessCriteriaMet(findCondition(job, 'SuccessCriteriaMet'))) {
        job.status.conditions.push(s.finishedCondition);
        needsFlush = true;
      }
      s.finishedCondition = newCondition('Complete', 'True', s.finishedCondition!.reason ?? '', s.finishedCondition!.message ?? '', this.#now());
    }

    // Write the uncounted pods before removing finalizers, so none is lost if this stops here.
    if (needsFlush) {
      s.job = await this.#updateStatus(s.job);
      this.#backoff.set(s.key, s.newBackoff);
      needsFlush = false;
    }
    let removeError: unknown;
    if (podsToRemoveFinalizer.length) {
      const removed = await this.#removeTrackingFinalizers(s.key, podsToRemoveFinalizer);
      removed.ok.forEach((ok, i) => { if (ok) uidsWithFinalizer.delete(podsToRemoveFinalizer[i]!.metadata.uid); });
      removeError = removed.error;
    }
    if (cleanUncounted(s.job.status, uidsWithFinalizer)) needsFlush = true;
    if (removeError) {
      if (needsFlush) s.job = await this.#updateStatus(s.job);
      throw removeError;
    }
    const finished = !reachedMax && this.#enactFinished(s);
    if (finished) needsFlush = true;
    if (needsFlush) {
      s.job = await this.#updateStatus(s.job);
      if (finished) this.#recordFinished(s.job, s.finishedCondition!);
    }
  }

  async #removeTrackingFinalizers(jobKey: string, pods: KubeObject[]): Promise<{ ok: boolean[]; error?: unknown }> {
    this.#finalizerExpectations.expect(jobKey, pods.map((p) => p.metadata.uid));
    const ok = pods.map(() => false);
    let error: unknown;
    await Promise.all(pods.map(async (p, i) => {
      try {
        await this.#removeFinalizer(p);
      } catch (e) {
        // No update will show this removal.
        this.#finalizerExpectations.observed(jobKey, p.metadata.uid);
        if (!isNotFound(e)) { error = e; return; }
      }
      ok[i] = true;
    }));
    return { ok, error };
  }

  /** Adds the Complete or Failed condition once no pod is uncounted or terminating. */
  #enactFinished(s: SyncState): boolean {
    const c = s.finishedCondition;
    if (!c) return false;
    const u = s.job.status.uncountedTerminatedPods ?? {};
    if ((u.succeeded?.length ?? 0) + (u.failed?.length ?? 0) > 0) return false;
    if (s.terminating > 0) return false;
    const now = this.#now();
    ensureCondition(s.job, c.type, c.status, c.reason ?? '', c.message ?? '', now);
    if (c.type === 'Complete') s.job.status.completionTime = findCondition(s.job, 'Complete')!.lastTransitionTime;
    return true;
  }

  #recordFinished(job: KubeObject, c: JobCondition): void {
    if (c.type === 'Complete') {
      if (typeof job.spec?.completions === 'number' && (job.status?.succeeded ?? 0) > job.spec.completions) {
        this.#ctx.recorder.event(job, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
      }
      this.#ctx.recorder.event(job, 'Normal', 'Completed', 'Job completed');
    } else {
      this.#ctx.recorder.event(job, 'Warning', c.reason ?? '', c.message ?? '');
    }
  }

  async #updateStatus(job: KubeObject): Promise<KubeObject> {
    const body = structuredClone(job);
    const st = body.status;
    // Zero counters and empty lists are omitted, as the Go types serialize them.
    for (const f of ['active', 'succeeded', 'failed']) if (!st[f]) delete st[f];
    if (!st.completedIndexes) delete st.completedIndexes;
    const u = st.uncountedTerminatedPods ?? {};
    if (!u.succeeded?.length) delete u.succeeded;
    if (!u.failed?.length) delete u.failed;
    st.uncountedTerminatedPods = u;
    if (st.conditions?.length === 0) delete st.conditions;
    const updated = await this.#ctx.client.update(JOBS, job.metadata.namespace, body, 'status');
    updated.status ??= {};
    updated.status.uncountedTerminatedPods ??= {};
    return updated;
  }
}

function requeue(s: SyncState, ms: number): void {
  s.requeueAfterMs = s.requeueAfterMs === undefined ? ms : Math.min(s.requeueAfterMs, ms);
}

/** Moves pods whose finalizer is gone from the uncounted lists to the counters. */
function cleanUncounted(status: KubeObject, uidsWithFinalizer: ReadonlySet<string>): boolean {
  const u = (status.uncountedTerminatedPods ??= {});
  let changed = false;
  for (const [list, counter] of [['succeeded', 'succeeded'], ['failed', 'failed']] as const) {
    const before: string[] = u[list] ?? [];
    const kept = before.filter((uid) => uidsWithFinalizer.has(uid));
    if (kept.length !== before.length) {
      changed = true;
      status[counter] = (status[counter] ?? 0) + before.length - kept.length;
      u[list] = kept;
    }
  }
  return changed;
}

/** With restartPolicy OnFailure, container restarts of running pods count against the backoff limit. */
function pastBackoffLimitOnFailure(job: KubeObject, pods: KubeObject[]): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  const n = restartsOfRunningPods(pods);
  const limit: number = job.spec?.backoffLimit ?? 6;
  return limit === 0 ? n > 0 : n >= limit;
}

/**
 * Active pods to remove: for Indexed Jobs first those with a duplicate, missing or
 * out-of-range index; then the least advanced pods up to rmAtLeast.
 */
function activePodsForRemoval(job: KubeObject, pods: KubeObject[], rmAtLeast: number): KubeObject[] {
  const rm: KubeObject[] = [];
  let left: KubeObject[] = pods;
  if (isIndexed(job)) {
    left = [];
    const completions: number = job.spec.completions;
    const byIndex = new Map<number, KubeObject[]>();
    for (const p of pods) {
      const ix = completionIndexOf(p);
      if (ix < 0 || ix >= completions) { rm.push(p); continue; }
      const list = byIndex.get(ix) ?? [];
      list.push(p);
      byIndex.set(ix, list);
    }
    for (const ix of [...byIndex.keys()].sort((a, b) => a - b)) {
      const list = byIndex.get(ix)!.sort(compareForRemoval);
      rm.push(...list.slice(0, -1));
      left.push(list[list.length - 1]!);
    }
  }
  if (rm.length < rmAtLeast) rm.push(...[...left].sort(compareForRemoval).slice(0, rmAtLeast - rm.length));
  return rm;
}

