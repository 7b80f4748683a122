// The CronJob controller (upstream's cronjob_controllerv2): at each scheduled time creates a Job
// named after the time (<cronjob>-<minutes since the epoch>, which also guards against creating
// it twice), honours concurrencyPolicy, the starting deadline and suspend, tracks active Jobs
// and the last schedule and success, and deletes finished Jobs beyond the history limits.
import type { Controller, ControllerContext, ReconcileResult } from '../engine/controller.ts';
import type { KubeObject, ResourceRef } from '../../client/api-client.ts';
import type { Informer } from '../../client/informer.ts';
import { controllerRefOf, ownerRefFor } from '../engine/controller-ref.ts';
import { isAlreadyExists, isNotFound } from '../../api/status.ts';
import { parseCronSchedule, type CronSchedule } from './cron-schedule.ts';
import { nextScheduleDelayMs, nextScheduleTime } from './schedule-times.ts';
import { formatRFC1123Z, formatRFC3339, normalizeZone, timeZoneError } from './time-zone.ts';

const CRONJOBS: ResourceRef = { group: 'batch', version: 'v1', plural: 'cronjobs', namespaced: true };
const JOBS: ResourceRef = { group: 'batch', version: 'v1', plural: 'jobs', namespaced: true };
export const SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

export interface CronJobControllerOptions {
  /** The clock (ms since the epoch); tests fake it. */
  now?: () => number;
}

interface SyncResult { requeueAfterMs?: number; updateStatus: boolean; error?: unknown }

const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
const keyOf = (o: KubeObject) => `${o.metadata.namespace}/${o.metadata.name}`;

function finishedType(job: KubeObject): 'Complete' | 'Failed' | undefined {
  for (const c of job.status?.conditions ?? []) if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') return c.type;
  return undefined;
}

const inActiveList = (cj: KubeObject, uid: string) => (cj.status?.active ?? []).some((r: KubeObject) => r.uid === uid);
function deleteFromActiveList(cj: KubeObject, uid: string): void {
  cj.status.active = (cj.status.active ?? []).filter((r: KubeObject) => r.uid !== uid);
}

/** The Job's name for a scheduled time: scheduling has minute granularity. */
export const jobNameFor = (cj: KubeObject, scheduledMs: number) => `${cj.metadata.name}-${Math.floor(scheduledMs / 60_000)}`;

/** Oldest first by start time (unstarted last), then by name. */
function byStartTime(a: KubeObject, b: KubeObject): number {
  const sa = a.status?.startTime;
  const sb = b.status?.startTime;
  if (!sa && sb) return 1;
  if (sa && !sb) return -1;
  if (sa === sb || (sa && sb && Date.parse(sa) === Date.parse(sb))) return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
  return Date.parse(sa) - Date.parse(sb);
}

export class CronJobController implements Controller {
  readonly name = 'cronjob';
  readonly #now: () => number;
  #ctx!: ControllerContext;
  #cronJobs!: Informer;
  #jobs!: Informer;

  constructor(opts: CronJobControllerOptions = {}) {
    this.#now = opts.now ?? Date.now;
  }

  setup(ctx: ControllerContext, enqueue: (key: string) => void): void {
    this.#ctx = ctx;
    this.#cronJobs = ctx.informers.informerFor(CRONJOBS);
    this.#jobs = ctx.informers.informerFor(JOBS);
    this.#cronJobs.addHandler({ add: (cj) => enqueue(keyOf(cj)), update: (_o, cj) => enqueue(keyOf(cj)), delete: (cj) => enqueue(keyOf(cj)) });
    const enqueueOwner = (job: KubeObject, ref = controllerRefOf(job)) => {
      const cj = this.#resolve(job.metadata.namespace, ref);
      if (cj) enqueue(keyOf(cj));
    };
    this.#jobs.addHandler({
      add: (j) => enqueueOwner(j),
      update: (old, cur) => {
        if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
        const oldRef = controllerRefOf(old);
        const curRef = controllerRefOf(cur);
        if (oldRef && oldRef.uid !== curRef?.uid) enqueueOwner(old, oldRef);
        enqueueOwner(cur, curRef);
      },
      delete: (j) => enqueueOwner(j),
    });
  }

  #resolve(namespace: string, ref: KubeObject | undefined): KubeObject | undefined {
    if (!ref || ref.kind !== 'CronJob') return undefined;
    const cj = this.#cronJobs.get(`${namespace}/${ref.name}`);
    return cj && cj.metadata.uid === ref.uid ? cj : undefined;
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const cached = this.#cronJobs.get(key);
    if (!cached) return;
    // Jobs that still name this CronJob as controller, even if their labels no longer match.
    const jobs = this.#jobs.list().filter((j) => {
      const ref = controllerRefOf(j);
      return j.metadata.namespace === cached.metadata.namespace && ref?.kind === 'CronJob' && ref.name === cached.metadata.name;
    });
    const cj: KubeObject = structuredClone(cached);
    cj.status ??= {};
    const cleaned = await this.#cleanupFinishedJobs(cj, jobs);
    const r = await this.#syncCronJob(cj, jobs);
    if (r.error) this.#ctx.log.debug('cronjob sync failed', { key, err: r.error });
    if (cleaned || r.updateStatus) await this.#updateStatus(cj);
    if (r.requeueAfterMs !== undefined) return { requeueAfterMs: Math.max(1, r.requeueAfterMs) };
    // Without a requeue (suspended, unparseable schedule) the next change to the CronJob brings it back.
    if (r.error) throw r.error;
  }

  async #syncCronJob(cj: KubeObject, jobs: KubeObject[]): Promise<SyncResult> {
    const now = this.#now();
    const rec = this.#ctx.recorder;
    const client = this.#ctx.client;
    let updateStatus = false;
    const children = new Set<string>();
    for (const j of jobs) {
      children.add(j.metadata.uid);
      const found = inActiveList(cj, j.metadata.uid);
      const finished = finishedType(j);
      if (!found && !finished) {
        // Our status may lag behind the Job we just created: check the stored CronJob.
        let fresh: KubeObject;
        try { fresh = await client.get(CRONJOBS, cj.metadata.namespace, cj.metadata.name); } catch (e) { return { updateStatus, error: e }; }
        if (inActiveList(fresh, j.metadata.uid)) continue;
        rec.event(cj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${j.metadata.name}`);
      } else if (finished) {
        if (found) {
          deleteFromActiveList(cj, j.metadata.uid);
          rec.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata.name}, condition: ${finished}`);
          updateStatus = true;
        }
        if (finished === 'Complete') {
          const done = j.status?.completionTime;
          if (done && (!cj.status.lastSuccessfulTime || Date.parse(done) > Date.parse(cj.status.lastSuccessfulTime))) {
            cj.status.lastSuccessfulTime = done;
            updateStatus = true;
          }
        }
      }
    }
    // Drop active references to Jobs that are gone, or the CronJob could stay "active" forever.
    for (const ref of [...(cj.status.active ?? [])]) {
      if (children.has(ref.uid)) continue;
      try {
        await client.get(JOBS, ref.namespace ?? cj.metadata.namespace, ref.name);
      } catch (e) {
        if (!isNotFound(e)) return { updateStatus, error: e };
        rec.event(cj, 'Normal', 'MissingJob', `Active job went missing: ${ref.name}`);
        deleteFromActiveList(cj, ref.uid);
        updateStatus = true;
      }
    }
    if (cj.metadata.deletionTimestamp) return { updateStatus };

    const zone: string | undefined = cj.spec?.timeZone ?? undefined;
    if (zone !== undefined) {
      const err = timeZoneError(zone);
      if (err) {
        rec.event(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: ${JSON.stringify(zone)}: ${err}`);
        return { updateStatus };
      }
    }
    if (cj.spec?.suspend === true) return { updateStatus };

    const schedule: string = cj.spec?.schedule ?? '';
    let sched: CronSchedule;
    try {
      sched = parseCronSchedule(this.#formatSchedule(cj));
    } catch (e) {
      rec.event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(schedule)} : ${(e as Error).message}`);
      return { updateStatus };
    }
    const next = nextScheduleTime(cj, now, sched);
    if (next.tooMany) rec.event(cj, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');
    if (next.error && next.time === undefined) {
      rec.event(cj, 'Warning', 'InvalidSchedule', `invalid schedule: ${schedule} : ${next.error}`);
      return { updateStatus };
    }
    const requeue = () => nextScheduleDelayMs(cj, now, sched);
    const scheduled = next.time;
    if (scheduled === undefined) return { updateStatus, requeueAfterMs: requeue() };

    const deadline = cj.spec?.startingDeadlineSeconds;
    if (typeof deadline === 'number' && scheduled + deadline * 1000 < now) {
      rec.event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${formatRFC1123Z(scheduled)}`);
      return { updateStatus, requeueAfterMs: requeue() };
    }
    const name = jobNameFor(cj, scheduled);
    const alreadyProcessed = (cj.status.active ?? []).some((r: KubeObject) => r.name === name && r.namespace === cj.metadata.namespace)
      || (cj.status.lastScheduleTime && Date.parse(cj.status.lastScheduleTime) === scheduled);
    if (alreadyProcessed) return { updateStatus, requeueAfterMs: requeue() };
    if (cj.spec?.concurrencyPolicy === 'Forbid' && (cj.status.active ?? []).length > 0) {
      rec.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return { updateStatus, requeueAfterMs: requeue() };
    }
    if (cj.spec?.concurrencyPolicy === 'Replace') {
      for (const ref of [...(cj.status.active ?? [])]) {
        let job: KubeObject;
        try {
          job = await client.get(JOBS, ref.namespace ?? cj.metadata.namespace, ref.name);
        } catch (e) {
          rec.event(cj, 'Warning', 'FailedGet', `Get job: ${(e as Error).message}`);
          return { updateStatus, error: e };
        }
        if (!(await this.#deleteJob(cj, job))) return { updateStatus, error: new Error(`could not replace job ${job.metadata.namespace}/${job.metadata.name}`) };
        updateStatus = true;
      }
    }

    let created: KubeObject;
    try {
      created = await client.create(JOBS, cj.metadata.namespace, this.#jobFromTemplate(cj, scheduled, zone));
      rec.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${created.metadata.name}`);
    } catch (e) {
      if (!isAlreadyExists(e)) {
        rec.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${(e as Error).message}`);
        return { updateStatus, error: e };
      }
      // Created before but not recorded (a restart between the two writes), or by someone else.
      try { created = await client.get(JOBS, cj.metadata.namespace, name); } catch (err) { return { updateStatus, error: err }; }
      if (controllerRefOf(created)?.uid !== cj.metadata.uid || inActiveList(cj, created.metadata.uid)) return { updateStatus };
    }
    cj.status.active = [...(cj.status.active ?? []), {
      kind: 'Job', namespace: created.metadata.namespace, name: created.metadata.name, uid: created.metadata.uid,
      apiVersion: 'batch/v1', resourceVersion: created.metadata.resourceVersion,
    }];
    cj.status.lastScheduleTime = stamp(scheduled);
    return { updateStatus: true, requeueAfterMs: requeue() };
  }

  /** The schedule with the CronJob's time zone as a TZ= prefix (a TZ in the schedule itself is warned about). */
  #formatSchedule(cj: KubeObject): string {
    const schedule: string = cj.spec?.schedule ?? '';
    if (schedule.includes('TZ')) {
      this.#ctx.recorder.event(cj, 'Warning', 'UnsupportedSchedule', `CRON_TZ or TZ used in schedule ${JSON.stringify(schedule)} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`);
      return schedule;
    }
    const zone = cj.spec?.timeZone;
    if (typeof zone === 'string' && !timeZoneError(zone)) return `TZ=${zone} ${schedule}`;
    return schedule;
  }

  #jobFromTemplate(cj: KubeObject, scheduled: number, zone: string | undefined): KubeObject {
    const tmpl: KubeObject = cj.spec?.jobTemplate ?? {};
    const labels = { ...(tmpl.metadata?.labels ?? {}) };
    const annotations = { ...(tmpl.metadata?.annotations ?? {}), [SCHEDULED_TIMESTAMP_ANNOTATION]: formatRFC3339(scheduled, normalizeZone(zone)) };
    const metadata: KubeObject = { name: jobNameFor(cj, scheduled), annotations, ownerReferences: [ownerRefFor(cj)] };
    if (Object.keys(labels).length) metadata.labels = labels;
    return { apiVersion: 'batch/v1', kind: 'Job', metadata, spec: structuredClone(tmpl.spec ?? {}) };
  }

  /** Deletes finished Jobs past successfulJobsHistoryLimit / failedJobsHistoryLimit, oldest first. */
  async #cleanupFinishedJobs(cj: KubeObject, jobs: KubeObject[]): Promise<boolean> {
    const okLimit = cj.spec?.successfulJobsHistoryLimit;
    const failLimit = cj.spec?.failedJobsHistoryLimit;
    if (typeof okLimit !== 'number' && typeof failLimit !== 'number') return false;
    const succeeded = jobs.filter((j) => finishedType(j) === 'Complete');
    const failed = jobs.filter((j) => finishedType(j) === 'Failed');
    let updated = false;
    for (const [list, limit] of [[succeeded, okLimit], [failed, failLimit]] as const) {
      if (typeof limit !== 'number' || list.length <= limit) continue;
      const oldest = [...list].sort(byStartTime).slice(0, list.length - limit);
      for (const j of oldest) if (await this.#deleteJob(cj, j)) updated = true;
    }
    return updated;
  }

  async #deleteJob(cj: KubeObject, job: KubeObject): Promise<boolean> {
    try {
      await this.#ctx.client.delete(JOBS, job.metadata.namespace, job.metadata.name, { propagationPolicy: 'Background' });
    } catch (e) {
      this.#ctx.recorder.event(cj, 'Warning', 'FailedDelete', `Deleted job: ${(e as Error).message}`);
      return false;
    }
    deleteFromActiveList(cj, job.metadata.uid);
    this.#ctx.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name}`);
    return true;
  }

  async #updateStatus(cj: KubeObject): Promise<void> {
    const body = structuredClone(cj);
    if (!body.status.active?.length) delete body.status.active;
    await this.#ctx.client.update(CRONJOBS, cj.metadata.namespace, body, 'status');
  }
}
