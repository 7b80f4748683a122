// The TTL-after-finished controller: deletes a finished Job (and, in the foreground, its pods)
// ttlSecondsAfterFinished after it completed or failed.
import type { Controller, ControllerContext, ReconcileResult } from '../engine/controller.ts';
import type { KubeObject, ResourceRef } from '../../client/api-client.ts';
import type { Informer } from '../../client/informer.ts';
import { isNotFound, isConflict } from '../../api/status.ts';

const JOBS: ResourceRef = { group: 'batch', version: 'v1', plural: 'jobs', namespaced: true };

export interface TtlAfterFinishedOptions {
  /** The clock (ms since the epoch); tests fake it. */
  now?: () => number;
}

/** When the Job finished: the transition time of its True Complete or Failed condition. */
function finishTime(job: KubeObject): number | undefined {
  for (const c of job.status?.conditions ?? []) {
    if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') {
      const t = Date.parse(c.lastTransitionTime ?? '');
      return Number.isNaN(t) ? undefined : t;
    }
  }
  return undefined;
}

const needsCleanup = (job: KubeObject) => typeof job.spec?.ttlSecondsAfterFinished === 'number' && !job.metadata.deletionTimestamp && finishTime(job) !== undefined;

export class TtlAfterFinishedController implements Controller {
  readonly name = 'ttl-after-finished';
  readonly #now: () => number;
  #ctx!: ControllerContext;
  #jobs!: Informer;

  constructor(opts: TtlAfterFinishedOptions = {}) {
    this.#now = opts.now ?? Date.now;
  }

  setup(ctx: ControllerContext, enqueue: (key: string) => void): void {
    this.#ctx = ctx;
    this.#jobs = ctx.informers.informerFor(JOBS);
    const maybe = (j: KubeObject) => { if (needsCleanup(j)) enqueue(`${j.metadata.namespace}/${j.metadata.name}`); };
    this.#jobs.addHandler({ add: maybe, update: (_o, j) => maybe(j) });
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const cached = this.#jobs.get(key);
    if (!cached || !needsCleanup(cached)) return;
    const left = this.#remainingMs(cached);
    if (left > 0) return { requeueAfterMs: left };
    // The cache may be stale (TTL changed, Job replaced): decide again on a fresh read.
    let fresh: KubeObject;
    try {
      fresh = await this.#ctx.client.get(JOBS, cached.metadata.namespace, cached.metadata.name);
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    if (!needsCleanup(fresh)) return;
    const freshLeft = this.#remainingMs(fresh);
    if (freshLeft > 0) return { requeueAfterMs: freshLeft };
    this.#ctx.log.debug('cleaning up finished job', { key });
    try {
      await this.#ctx.client.delete(JOBS, fresh.metadata.namespace, fresh.metadata.name, { propagationPolicy: 'Foreground', preconditions: { uid: fresh.metadata.uid } });
    } catch (e) {
      // Gone, or replaced by another Job of the same name.
      if (isNotFound(e) || isConflict(e)) return;
      throw e;
    }
  }

  #remainingMs(job: KubeObject): number {
    return finishTime(job)! + job.spec.ttlSecondsAfterFinished * 1000 - this.#now();
  }
}
